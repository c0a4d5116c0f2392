/** A tiny JSON HTTP server on 127.0.0.1 (a random free port) for the stand-ins; over TLS with `tls` (a site behind its own CA). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  raw: string;
}
export interface Res {
  status: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
}

export interface Running {
  url: string;
  stop(): Promise<void>;
  /** Every request's method and path (never bodies or headers): what the target saw. */
  log: string[];
  /**
   * Holds every request that arrives from now on until the returned release is called (a target that is
   * slow to answer): lets a test look at the app while a push is under way, deterministically.
   */
  hold(): () => void;
}

export async function serveJson(handler: (req: Req) => Promise<Res> | Res, tls?: { key: string; cert: string }): Promise<Running> {
  const log: string[] = [];
  let held: Promise<void> = Promise.resolve();
  const hold = () => {
    let release!: () => void;
    held = new Promise<void>((r) => (release = r));
    return () => release();
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = Symbol.for('invalid-json');
      }
      log.push(`${req.method} ${u.pathname}`);
      held
        .then(() => handler({ method: req.method ?? 'GET', path: decodeURIComponent(u.pathname), query: u.searchParams, headers: req.headers, body, raw }))
        .catch((e: unknown): Res => ({ status: 500, body: { error: String(e) } }))
        .then((r) => {
          const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
          res.writeHead(r.status, { 'content-type': typeof r.body === 'string' ? 'text/html; charset=utf-8' : 'application/json', ...(r.headers ?? {}) });
          res.end(text);
        });
    });
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, log, hold, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
