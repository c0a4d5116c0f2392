import net from 'node:net';
import tls from 'node:tls';
import type { Profile } from '../../../shared/profile';
import { loadCaCerts } from '../net';
import type { Device } from './config';

/**
 * What the relay's reading proxies (imapProxy.ts, popProxy.ts) share: the listeners (plain with STARTTLS/
 * STLS, or implicit TLS), the open sockets, the upstream address and trust, the counters, and relaying an
 * authenticated session's bytes both ways. Each protocol keeps its own pre-authentication dialogue and
 * its own upstream XOAUTH2 sign-in.
 */

export interface ProxyHooks {
  verify(user: string, password: string, remote: string): Promise<Device | undefined>;
  /** An access token for IMAP/POP (the relay's token source: app-only or the saved delegated sign-in). */
  token(): Promise<string>;
  /** Forget the cached token (Microsoft refused it: the role may have been granted since). */
  forgetToken(): void;
  secrets(): readonly string[];
  log(r: { event: string; [k: string]: unknown }): void;
}

export interface ProxyOptions {
  profile: Profile;
  host: string;
  tlsRequired: boolean;
  key: string;
  cert: string;
  hooks: ProxyHooks;
  /** Upstream time bound (ms) for connecting and signing in. */
  timeoutMs?: number;
}

export interface ProxyCounters {
  sessions: number;
  refused: number;
  upstreamFailures: number;
  open: number;
}

/** One line of text from the device or the server, safe for a log record or a reply (no CR/LF, bounded). */
export function textSafe(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').slice(0, 400);
}

export abstract class MailProxy {
  readonly counters: ProxyCounters = { sessions: 0, refused: 0, upstreamFailures: 0, open: 0 };
  protected readonly sockets = new Set<net.Socket>();
  protected readonly secureContext: tls.SecureContext;
  protected readonly ca: string[] | undefined;
  private readonly servers: net.Server[] = [];

  /** `event` names the log records ('imap' → imap-listener-error, imap-session-end). */
  constructor(
    protected readonly o: ProxyOptions,
    private readonly event: 'imap' | 'pop',
    protected readonly upstreamHost: string,
    protected readonly upstreamPort: number,
  ) {
    this.secureContext = tls.createSecureContext({ key: o.key, cert: o.cert, minVersion: 'TLSv1.2' });
    this.ca = loadCaCerts(o.profile);
  }

  protected abstract session(raw: net.Socket, implicitTls: boolean): void;

  async listen(port: number, implicitTls: boolean): Promise<number> {
    const onConn = (s: net.Socket) => this.session(s, implicitTls);
    const server = implicitTls ? tls.createServer({ key: this.o.key, cert: this.o.cert, minVersion: 'TLSv1.2' }, onConn) : net.createServer(onConn);
    server.on('tlsClientError', () => undefined);
    server.on('error', (e) => this.o.hooks.log({ event: `${this.event}-listener-error`, error: (e as Error).message }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.o.host, () => resolve());
    });
    this.servers.push(server);
    return (server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  /** Relays the authenticated session both ways; ends one side when the other ends. */
  protected pipe(client: net.Socket, upstream: tls.TLSSocket, device: string, mailbox: string, pending: Buffer, idleMs: number): void {
    const started = Date.now();
    let bytesIn = 0;
    let bytesOut = 0;
    let ended = false;
    const end = (why: string) => {
      if (ended) return;
      ended = true;
      client.destroy();
      upstream.destroy();
      this.o.hooks.log({ event: `${this.event}-session-end`, device, mailbox, why, bytesIn, bytesOut, ms: Date.now() - started });
    };
    client.setTimeout(idleMs, () => end('idle'));
    upstream.setTimeout(idleMs, () => end('idle'));
    if (pending.length) {
      bytesIn += pending.length;
      upstream.write(pending);
    }
    client.on('data', (d: Buffer) => {
      bytesIn += d.length;
      if (!upstream.write(d)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (d: Buffer) => {
      bytesOut += d.length;
      if (!client.write(d)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('close', () => end('device closed'));
    upstream.on('close', () => end('server closed'));
    client.on('error', () => end('device error'));
    upstream.on('error', () => end('server error'));
  }
}
