import net from 'node:net';
import tls from 'node:tls';
import { redact, type Diagnosis } from '../../../shared/diagnosis';
import type { Profile } from '../../../shared/profile';
import { loadCaCerts, tlsTrust } from '../net';
import { deviceMailbox, type Device } from './config';

/**
 * What the relay's reading proxies (imapProxy.ts, popProxy.ts) share: the listeners (plain with STARTTLS/
 * STLS, or implicit TLS), the open sockets, the upstream address and trust, the counters, and relaying an
 * authenticated session's bytes both ways; and the steps of a device's sign-in (TLS required, the local
 * credential, the device's permission, the upstream XOAUTH2 sign-in, the hand-over) and of SASL PLAIN.
 * Each protocol keeps its own command parser, its own reply texts (answer()) and its own upstream XOAUTH2
 * dialogue (upstreamStep()).
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

/** A device's connection before it has signed in: the socket (raw, or TLS after STARTTLS/STLS) and the bytes read. */
export interface PreAuth {
  readonly raw: net.Socket;
  sock: net.Socket;
  secure: boolean;
  readonly remote: string;
  buf: Buffer;
  failures: number;
  busy: boolean;
  done: boolean;
  authed: boolean;
  write(line: string): void;
}

/** What the proxy tells the device, each protocol in its own words (under the command's tag where it has one). */
export type Answer =
  | { kind: 'refused'; code: 'relay-device-login-refused' | 'relay-device-not-allowed' }
  | { kind: 'tls-required' }
  | { kind: 'too-many' }
  | { kind: 'autologout' }
  | { kind: 'bad'; text: string }
  | { kind: 'upstream-refused'; mailbox: string; code: string; title: string };

/** One step of the upstream sign-in: keep reading, signed in (the server's OK line), or failed. */
export type UpstreamStep = undefined | { ok: string } | { fail: string; extra?: Record<string, unknown> };

interface Upstream {
  socket: tls.TLSSocket;
  rest: Buffer;
  okText: string;
}

/** Decodes a SASL PLAIN response (RFC 4616): the user and password, or what is wrong with it. */
export function decodePlain(b64: string): { user: string; password: string } | { bad: string } | { proxyLogin: string } {
  if (b64 === '*') return { bad: 'Authentication cancelled' };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return { bad: 'Invalid base64' };
  const parts = Buffer.from(b64, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) return { bad: 'Invalid PLAIN response' };
  const [authz, user, password] = parts as [string, string, string];
  // an authorisation identity other than the user would be a proxy login: not offered
  if (authz && authz !== user) return { proxyLogin: user };
  return { user, password };
}

export abstract class MailProxy {
  readonly counters: ProxyCounters = { sessions: 0, refused: 0, upstreamFailures: 0, open: 0 };
  protected readonly sockets = new Set<net.Socket>();
  protected readonly secureContext: tls.SecureContext;
  protected readonly ca: string[] | undefined;
  private readonly servers: net.Server[] = [];
  /** Failed sign-ins on one connection before it is closed. */
  protected readonly maxFailures = 3;

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
  /** The protocol's reply line for `a` (IMAP under `tag`, '*' for untagged; POP passes '' and has none). */
  protected abstract answer(tag: string, a: Answer): string;
  /** Microsoft refused the upstream sign-in: the protocol's diagnosis, naming the mailbox the device reads. */
  protected abstract diagnoseUpstream(e: unknown, mailbox: string): Diagnosis;
  /** Microsoft refused the token itself (then it is forgotten: the role may have been granted since). */
  protected abstract tokenRefused(e: unknown): boolean;
  /** Session timeouts: before signing in, and once signed in (the protocol's autologout). */
  protected abstract readonly idleMs: { preAuth: number; authed: number };
  /**
   * The upstream XOAUTH2 dialogue, one server line at a time (`send` writes a line to the server). A fresh
   * function per sign-in, holding its own state.
   */
  protected abstract upstreamDialogue(mailbox: string, token: string): (line: string, send: (l: string) => void) => UpstreamStep;

  /** Books a new device connection and starts its pre-authentication idle timer. */
  protected begin(raw: net.Socket, implicitTls: boolean): PreAuth {
    this.sockets.add(raw);
    this.counters.open++;
    const s: PreAuth = {
      raw,
      sock: raw,
      secure: implicitTls,
      remote: raw.remoteAddress ?? '',
      buf: Buffer.alloc(0),
      failures: 0,
      busy: false,
      done: false,
      authed: false,
      write: (line) => {
        if (!s.sock.destroyed) s.sock.write(`${line}\r\n`);
      },
    };
    raw.on('close', () => {
      if (s.done) return;
      s.done = true;
      this.counters.open--;
      this.sockets.delete(raw);
    });
    raw.on('error', () => undefined);
    this.idle(s, raw);
    return s;
  }

  protected idle(s: PreAuth, sock: net.Socket): void {
    sock.setTimeout(this.idleMs.preAuth, () => {
      s.write(this.answer('*', { kind: 'autologout' }));
      sock.end();
    });
  }

  private static noIdle(sock: net.Socket): void {
    sock.setTimeout(0);
    sock.removeAllListeners('timeout');
  }

  /** STARTTLS/STLS accepted: the TLS handshake on the device's socket, then `onSecure` reads from it. */
  protected startTls(s: PreAuth, onData: (d: Buffer) => void): void {
    s.sock.removeAllListeners('data');
    MailProxy.noIdle(s.raw);
    const t = new tls.TLSSocket(s.sock, { isServer: true, secureContext: this.secureContext });
    t.on('error', () => s.raw.destroy());
    t.once('secure', () => {
      s.secure = true;
      s.sock = t;
      this.idle(s, t);
      t.on('data', onData);
    });
  }

  /** Appends what the device sent; a command longer than `max` ends the session. Returns false then. */
  protected take(s: PreAuth, d: Buffer, max: number, tooLong: string): boolean {
    s.buf = Buffer.concat([s.buf, d]);
    if (s.buf.length <= max) return true;
    s.write(tooLong);
    s.sock.destroy();
    return false;
  }

  protected refuse(s: PreAuth, tag: string, user: string, code: 'relay-device-login-refused' | 'relay-device-not-allowed'): void {
    s.failures++;
    this.counters.refused++;
    const logged = code === 'relay-device-not-allowed' ? `relay-device-${this.event}-not-allowed` : code;
    this.o.hooks.log({ event: `${this.event}-auth-refused`, code: logged, user: textSafe(user).slice(0, 128), remote: s.remote });
    s.write(this.answer(tag, { kind: 'refused', code }));
    if (s.failures >= this.maxFailures) {
      s.write(this.answer('*', { kind: 'too-many' }));
      s.sock.end();
    }
  }

  /** SASL PLAIN (the initial response or the line after the continuation). */
  protected plain(s: PreAuth, tag: string, b64: string): Promise<void> | void {
    const p = decodePlain(b64);
    if ('bad' in p) return s.write(this.answer(tag, { kind: 'bad', text: p.bad }));
    if ('proxyLogin' in p) return this.refuse(s, tag, p.proxyLogin, 'relay-device-login-refused');
    return this.login(s, tag, p.user, p.password);
  }

  /**
   * A device's sign-in: TLS first where required, its local credential, its permission for this protocol,
   * then the relay's own XOAUTH2 sign-in to Microsoft for the mailbox the device reads; Microsoft's OK goes
   * to the device (under its tag) and from then on the bytes go both ways.
   */
  protected async login(s: PreAuth, tag: string, user: string, password: string): Promise<void> {
    const { hooks } = this.o;
    if (this.o.tlsRequired && !s.secure) {
      this.counters.refused++;
      hooks.log({ event: `${this.event}-auth-refused`, code: 'relay-device-tls-required', remote: s.remote });
      s.write(this.answer(tag, { kind: 'tls-required' }));
      return;
    }
    const device = await hooks.verify(user, password, s.remote).catch(() => undefined);
    if (!device) return this.refuse(s, tag, user, 'relay-device-login-refused');
    if (!device[this.event]) return this.refuse(s, tag, user, 'relay-device-not-allowed');
    const mailbox = this.o.profile.flow === 'app-only' ? deviceMailbox(device) : this.o.profile.mailbox.toLowerCase();
    const started = Date.now();
    let up: Upstream;
    try {
      up = await this.upstreamLogin(mailbox);
    } catch (e) {
      this.counters.upstreamFailures++;
      const d = this.diagnoseUpstream(e, mailbox);
      if (this.tokenRefused(e)) hooks.forgetToken();
      hooks.log({ event: `${this.event}-upstream-refused`, device: device.name, mailbox, code: d.code, error: textSafe(d.evidence.text), fix: d.fix.map((f) => f.text).join(' ').slice(0, 600) });
      s.write(this.answer(tag, { kind: 'upstream-refused', mailbox, code: d.code, title: textSafe(d.title) }));
      return;
    }
    this.counters.sessions++;
    hooks.log({ event: `${this.event}-login`, device: device.name, mailbox, remote: s.remote, ms: Date.now() - started });
    s.authed = true;
    s.sock.removeAllListeners('data');
    MailProxy.noIdle(s.sock);
    MailProxy.noIdle(s.raw);
    s.write(tag ? `${tag} ${up.okText}` : up.okText);
    if (up.rest.length) s.sock.write(up.rest);
    this.pipe(s.sock, up.socket, device.name, mailbox, s.buf, this.idleMs.authed);
    s.buf = Buffer.alloc(0);
  }

  /**
   * Connects to Microsoft 365 (implicit TLS) and signs in with the protocol's XOAUTH2 dialogue. Resolves
   * with the socket, any bytes past the server's OK, and the OK line's text (kept for the device).
   */
  private upstreamLogin(mailbox: string): Promise<Upstream> {
    const timeoutMs = this.o.timeoutMs ?? 30_000;
    const name = this.event.toUpperCase();
    return this.o.hooks.token().then(
      (token) =>
        new Promise<Upstream>((resolve, reject) => {
          const host = this.upstreamHost;
          const port = this.upstreamPort;
          const step = this.upstreamDialogue(mailbox, token);
          const socket = tls.connect({ host, port, ...tlsTrust(this.ca), ...(net.isIP(host) ? {} : { servername: host }), minVersion: 'TLSv1.2' });
          const send = (l: string) => socket.write(`${l}\r\n`);
          let buf = Buffer.alloc(0);
          const timer = setTimeout(() => fail(Object.assign(new Error(`${name} sign-in to ${host}:${port} timed out`), { code: 'ETIMEDOUT', host, port })), timeoutMs);
          const fail = (e: unknown) => {
            clearTimeout(timer);
            socket.destroy();
            reject(e);
          };
          socket.once('error', (e) => fail(Object.assign(e, { host, port })));
          socket.on('data', (d: Buffer) => {
            buf = Buffer.concat([buf, d]);
            if (buf.length > 65_536) return fail(new Error(`${name} server answered too much before signing in`));
            for (;;) {
              const nl = buf.indexOf('\r\n');
              if (nl < 0) return;
              const line = buf.subarray(0, nl).toString('utf8');
              buf = buf.subarray(nl + 2);
              const r = step(line, send);
              if (!r) continue;
              if ('ok' in r) {
                clearTimeout(timer);
                socket.removeAllListeners('data');
                socket.removeAllListeners('error');
                resolve({ socket, rest: buf, okText: r.ok });
              } else fail(Object.assign(new Error(redact(r.fail, [token])), { host, port, ...r.extra }));
              return;
            }
          });
        }),
    );
  }

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
