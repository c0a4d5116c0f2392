import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tlsTrust } from '../net';
import { TargetError } from './errors';

/** A request to a target system's API (https, or http on loopback), with a hard time bound. */
export interface TargetHttpOptions {
  ca?: string[];
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TargetHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A network failure reaching the target (carries host/port for the diagnosis; never a header or body). */
export class TargetNetError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly host: string,
  ) {
    super(message);
    this.name = 'TargetNetError';
  }
}

/** Certificate-trust failures (Node's OpenSSL codes): the target answered, its certificate is not trusted here. */
const UNTRUSTED = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE']);

/** A network failure as the target's diagnosis: an untrusted certificate is said as such, the rest is "could not be reached". */
export function unreachable(e: TargetNetError, host: string): TargetError {
  return new TargetError(UNTRUSTED.has(e.code) ? 'target-tls-untrusted' : 'target-unreachable', e.message, host);
}

export function targetRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, opts: TargetHttpOptions): Promise<TargetHttpResponse> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const lib = secure ? https : http;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || (secure ? 443 : 80));
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        host,
        port,
        path: `${u.pathname}${u.search}`,
        method: init.method ?? 'GET',
        headers: { accept: 'application/json', ...(init.headers ?? {}), ...(init.body !== undefined ? { 'content-length': Buffer.byteLength(init.body) } : {}) },
        agent: false,
        ...(secure ? { ...tlsTrust(opts.ca), servername: net.isIP(host) ? undefined : host } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new TargetNetError(`no answer from ${u.host} within ${opts.timeoutMs} ms`, 'ETIMEDOUT', u.host)), opts.timeoutMs);
    const onAbort = () => req.destroy(new TargetNetError(`request to ${u.host} cancelled`, 'ABORT_ERR', u.host));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e instanceof TargetNetError ? e : new TargetNetError(`${u.host}: ${e.code ?? ''} ${e.message}`.trim(), e.code ?? 'ENET', u.host));
    });
    req.on('close', () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    });
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** Parses a JSON answer; undefined when the body is not JSON (an HTML page: probably not the API). */
export function jsonOf(r: TargetHttpResponse): unknown {
  try {
    return r.body ? JSON.parse(r.body) : undefined;
  } catch {
    return undefined;
  }
}
