import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Profile } from '../../shared/profile';

/** Network options shared by every connection of a profile: extra CAs, proxy, time bound. */
export interface NetOptions {
  /** Extra CA certificates (PEM), added to Node's default trust store. */
  ca?: string[];
  /** http(s)://host:port proxy for HTTPS traffic (sign-in, Graph). */
  proxy?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** An error from our own sockets, carrying what diagnosis needs (errno, host, port, black hole). */
export class NetError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly host: string,
    readonly port: number,
    /** The TCP connection was established but the peer never answered. */
    readonly connected = false,
  ) {
    super(message);
    this.name = 'NetError';
  }
}

/** PEM texts from the profile's caCerts: each entry is PEM text or a file path. */
export function loadCaCerts(profile: Pick<Profile, 'caCerts'>): string[] | undefined {
  if (!profile.caCerts?.length) return undefined;
  return profile.caCerts.map((c) => (c.includes('-----BEGIN') ? c : readFileSync(c, 'utf8')));
}

/** Node's root store plus the extra CAs, so adding a corporate CA does not drop the public ones. */
export function trustStore(extra?: string[]): string[] | undefined {
  return extra?.length ? [...tls.rootCertificates, ...extra] : undefined;
}

const contexts = new Map<string, tls.SecureContext>();
/**
 * The TLS context for the root store plus the extra CAs, built once per CA set. Parsing the ~150 root
 * certificates costs 25-50 ms of CPU on the one event loop; done per connection (each probe, token
 * request, IMAP and SMTP session of a run) it serialised the checks that are meant to run in parallel.
 */
export function secureContextFor(extra?: string[]): tls.SecureContext | undefined {
  if (!extra?.length) return undefined;
  const key = extra.join('\n');
  let c = contexts.get(key);
  if (!c) {
    c = tls.createSecureContext({ ca: trustStore(extra)! });
    if (contexts.size > 16) contexts.clear();
    contexts.set(key, c);
  }
  return c;
}

/** TLS options trusting the root store plus the extra CAs (a cached secure context), for tls.connect, imapflow and nodemailer. */
export function tlsTrust(extra?: string[]): { secureContext?: tls.SecureContext } {
  const secureContext = secureContextFor(extra);
  return secureContext ? { secureContext } : {};
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function tunnel(proxy: string, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  const p = new URL(proxy);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: p.hostname, port: Number(p.port || 80), method: 'CONNECT', path: `${host}:${port}`, headers: { host: `${host}:${port}` }, timeout: timeoutMs });
    req.on('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new NetError(`proxy CONNECT to ${host}:${port} failed: ${res.statusCode}`, 'EPROXY', p.hostname, Number(p.port || 80)));
      }
    });
    req.on('timeout', () => req.destroy(new NetError(`proxy ${p.host} timed out`, 'ETIMEDOUT', p.hostname, Number(p.port || 80))));
    req.on('error', (e) => reject(Object.assign(e, { message: `proxy ${p.host}: ${e.message}` })));
    req.end();
  });
}

/** One HTTPS request with the profile's trust store, proxy and a hard time bound. */
export async function httpsRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, opts: NetOptions = {}): Promise<HttpResponse> {
  const u = new URL(url);
  const host = u.hostname;
  const port = Number(u.port || 443);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const trust = tlsTrust(opts.ca);
  const socket = opts.proxy ? await tunnel(opts.proxy, host, port, timeoutMs) : undefined;
  return new Promise<HttpResponse>((resolve, reject) => {
    let connected = false;
    const req = https.request(
      {
        host,
        port,
        path: `${u.pathname}${u.search}`,
        method: init.method ?? 'GET',
        headers: { ...(init.headers ?? {}), ...(init.body !== undefined ? { 'content-length': Buffer.byteLength(init.body) } : {}) },
        ...trust,
        servername: net.isIP(host) ? undefined : host,
        agent: false,
        ...(socket ? { createConnection: () => tls.connect({ socket, servername: host, ...trust }) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('socket', (s) => s.once(socket ? 'secureConnect' : 'connect', () => (connected = true)));
    const timer = setTimeout(() => {
      req.destroy(new NetError(connected ? `${host}:${port} accepted the connection but did not answer within ${timeoutMs} ms` : `no connection to ${host}:${port} within ${timeoutMs} ms`, 'ETIMEDOUT', host, port, connected));
    }, timeoutMs);
    const onAbort = () => req.destroy(new NetError(`request to ${host}:${port} aborted`, 'ABORT_ERR', host, port, connected));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e instanceof NetError ? e : Object.assign(e, { host, port }));
    });
    // The listener goes when the request ends, answered or not: one signal is shared by every request of
    // a long operation (a registration makes about 20), and each left behind counted towards Node's
    // MaxListenersExceededWarning (issue 23).
    req.on('close', () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    });
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export interface ProbeResult {
  dnsMs: number;
  tcpMs: number;
  tlsMs: number;
  address: string;
}

/**
 * DNS, TCP and TLS to one host, each step timed. `starttls` first reads the SMTP greeting and
 * upgrades, as Microsoft's SMTP submission port requires.
 */
export async function probe(host: string, port: number, mode: 'tls' | 'starttls', opts: NetOptions & { viaProxy?: boolean } = {}): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  const trust = tlsTrust(opts.ca);
  const t0 = Date.now();
  let address = host;
  if (!net.isIP(host) && !(opts.viaProxy && opts.proxy)) {
    const { lookup } = await import('node:dns/promises');
    const r = await withDeadline(lookup(host), left(), () => new NetError(`DNS lookup of ${host} timed out`, 'ETIMEDOUT', host, port));
    address = r.address;
  }
  const t1 = Date.now();
  let raw: net.Socket;
  if (opts.viaProxy && opts.proxy) raw = await tunnel(opts.proxy, host, port, left());
  else
    raw = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: address, port });
      const timer = setTimeout(() => (s.destroy(), reject(new NetError(`no TCP connection to ${host}:${port} within ${timeoutMs} ms`, 'ETIMEDOUT', host, port))), left());
      s.once('connect', () => (clearTimeout(timer), resolve(s)));
      s.once('error', (e) => (clearTimeout(timer), reject(Object.assign(e, { host, port }))));
    });
  const t2 = Date.now();
  try {
    if (mode === 'starttls') await smtpStarttls(raw, host, port, left());
    await new Promise<void>((resolve, reject) => {
      const s = tls.connect({ socket: raw, servername: net.isIP(host) ? undefined : host, ...trust });
      const timer = setTimeout(() => (s.destroy(), reject(new NetError(`${host}:${port} accepted the connection but the TLS handshake did not finish within ${timeoutMs} ms`, 'ETIMEDOUT', host, port, true))), left());
      s.once('secureConnect', () => (clearTimeout(timer), s.end(), s.destroy(), resolve()));
      s.once('error', (e) => (clearTimeout(timer), reject(Object.assign(e, { host, port }))));
    });
  } finally {
    raw.destroy();
  }
  return { dnsMs: t1 - t0, tcpMs: t2 - t1, tlsMs: Date.now() - t2, address };
}

function smtpStarttls(s: net.Socket, host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let stage = 0;
    const timer = setTimeout(() => (cleanup(), reject(new NetError(stage === 0 ? `${host}:${port} accepted the connection but sent no greeting within ${timeoutMs} ms` : `${host}:${port} stopped answering during STARTTLS`, 'ETIMEDOUT', host, port, true))), timeoutMs);
    const cleanup = () => (clearTimeout(timer), s.removeListener('data', onData), s.removeListener('error', onErr));
    const onErr = (e: Error) => (cleanup(), reject(Object.assign(e, { host, port })));
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      const lines = buf.split('\r\n');
      const last = lines.length > 1 ? lines[lines.length - 2]! : '';
      if (!/^\d{3} /.test(last)) return;
      buf = '';
      const code = Number(last.slice(0, 3));
      if (stage === 0) {
        if (code !== 220) return cleanup(), reject(new NetError(`unexpected SMTP greeting: ${last}`, 'EPROTOCOL', host, port, true));
        stage = 1;
        s.write('EHLO mail-oauth-check\r\n');
      } else if (stage === 1) {
        if (code !== 250) return cleanup(), reject(new NetError(`EHLO refused: ${last}`, 'EPROTOCOL', host, port, true));
        stage = 2;
        s.write('STARTTLS\r\n');
      } else {
        cleanup();
        if (code !== 220) return reject(new NetError(`STARTTLS refused: ${last}`, 'EPROTOCOL', host, port, true));
        resolve();
      }
    };
    s.on('data', onData);
    s.on('error', onErr);
  });
}

export function withDeadline<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

/** Whether a TCP connection to host:port opens within ms: tells a black hole from a dropped SYN after a timeout. */
export function tcpReachable(host: string, port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const t = setTimeout(() => (s.destroy(), resolve(false)), ms);
    s.once('connect', () => (clearTimeout(t), s.destroy(), resolve(true)));
    s.once('error', () => (clearTimeout(t), resolve(false)));
  });
}
