/**
 * A small Microsoft Graph v1.0 client for the registration engine, on the engine's network layer
 * (extra CAs, proxy, time bounds: electron/engine/net.ts). It speaks JSON, parses Graph's error shape
 * (`error.code`, `error.message`, `error.innerError.request-id`), honours Retry-After on 429/503 within
 * a time budget, and retries Entra's replication lag after a create (404, "does not exist", "does not
 * reference", "Not a valid reference update": REGISTRATION-FACTS.md 2.8) with bounded exponential
 * back-off inside the same budget, reporting each wait. Cancellable with an AbortSignal.
 *
 * It never logs or echoes a request or response body: the only body that carries a secret
 * (addPassword's `secretText`) is handed to the caller and nowhere else.
 */
import { httpsRequest, type HttpResponse, type NetOptions } from '../net';
import { systemClock, type Clock } from '../ports';

export interface GraphRequestRecord {
  method: string;
  /** Path and query after the version segment (no host, no token). */
  path: string;
  status: number;
  ms: number;
  /** This request went inside a JSON batch (its own HTTP request is the `POST /$batch` record). */
  inBatch?: boolean;
  /** On the `POST /$batch` record: how many requests it carried. */
  batchSize?: number;
}

export interface GraphClientOptions {
  /** Graph base URL without the version segment (ResolvedEndpoints.graphUrl). */
  graphUrl: string;
  /** The admin's access token, or a function returning a fresh one. Kept in memory only. */
  token: string | (() => Promise<string>);
  net?: Omit<NetOptions, 'timeoutMs' | 'signal'>;
  /** Time bound of one HTTP request. */
  requestTimeoutMs?: number;
  clock?: Clock;
  /** Every request's method, path, status and time (for benchmarks and tests; never bodies). */
  onRequest?: (r: GraphRequestRecord) => void;
  /**
   * JSON batching (default on): requests started together (in the same turn of the event loop, e.g. the
   * reads of a Promise.all) go to Graph as one `POST /v1.0/$batch` of up to 20
   * (https://learn.microsoft.com/graph/json-batching). Each keeps its own answer: a failure, a 429 with
   * its Retry-After (retried after the wait, like a lone request), a replication-lag 404.
   */
  batch?: boolean;
}

/** Graph's limit of requests in one JSON batch (https://learn.microsoft.com/graph/json-batching). */
export const GRAPH_BATCH_LIMIT = 20;

interface Pending {
  method: string;
  path: string;
  headers: Record<string, string>;
  payload: string | undefined;
  resolve: (r: { response: HttpResponse; inBatch: boolean }) => void;
  reject: (e: unknown) => void;
}

/** A Graph error answer, or our own failure to get one. Its message never holds a request body. */
export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly graphMessage: string;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly method: string;
  readonly path: string;
  constructor(init: { status: number; code: string; message: string; requestId?: string; retryAfterSeconds?: number; method: string; path: string }) {
    super(`${init.status} ${init.code}: ${init.message}${init.requestId ? ` (request-id ${init.requestId})` : ''}`);
    this.name = 'GraphError';
    this.status = init.status;
    this.code = init.code;
    this.graphMessage = init.message;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.method = init.method;
    this.path = init.path;
  }
}

/** Thrown when a wait (throttling or replication) would not fit in the budget. */
export class BudgetExhausted extends Error {
  constructor(
    readonly reason: 'replication' | 'throttled',
    readonly last: GraphError,
    readonly waitedMs: number,
  ) {
    super(reason === 'replication' ? `Microsoft Entra had not replicated the new object after ${Math.round(waitedMs / 1000)} s: ${last.message}` : `Microsoft Graph kept throttling (${last.status}${last.retryAfterSeconds !== undefined ? `, Retry-After ${last.retryAfterSeconds} s` : ''}): ${last.message}`);
    this.name = 'BudgetExhausted';
  }
}

/** Replication lag right after a create (REGISTRATION-FACTS.md 2.8; Azure CLI role/custom.py, Teams Toolkit aadAppClient.ts). */
export function isReplicationLag(e: unknown): e is GraphError {
  if (!(e instanceof GraphError)) return false;
  if (e.status === 404) return true;
  if (e.status !== 400) return false;
  return /does not exist|does not reference|Not a valid reference update|service principal being created must in the local tenant/i.test(e.graphMessage);
}

export function isThrottled(e: unknown): e is GraphError {
  return e instanceof GraphError && (e.status === 429 || e.status === 503);
}

/**
 * A time budget shared by every wait of one operation (an apply, a read). `wait` sleeps on the
 * clock, or throws BudgetExhausted when the wait would end after the deadline.
 */
export class Budget {
  private readonly deadline: number;
  waitedMs = 0;
  constructor(
    readonly ms: number,
    readonly clock: Clock = systemClock,
    readonly signal?: AbortSignal,
  ) {
    this.deadline = clock.now().getTime() + ms;
  }
  leftMs(): number {
    return this.deadline - this.clock.now().getTime();
  }
  async wait(ms: number, reason: 'replication' | 'throttled', last: GraphError): Promise<void> {
    if (ms > this.leftMs()) throw new BudgetExhausted(reason, last, this.waitedMs);
    await this.clock.sleep(ms, this.signal);
    this.waitedMs += ms;
  }
}

export interface RetryOptions {
  budget: Budget;
  /** Called before each wait with the seconds waited so far for this call and the next wait. */
  onWait?: (info: { reason: 'replication' | 'throttled'; waitedSeconds: number; nextMs: number; error: GraphError }) => void;
  /** First back-off (ms) for replication lag; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `fn` again while it fails with replication lag, with exponential back-off (1 s, 2 s, 4 s ...
 * capped at 5 s, as Azure CLI's fixed 5 s) inside the budget. Throttling is handled per request by the client.
 */
export async function retryReplication<T>(fn: () => Promise<T>, o: RetryOptions): Promise<T> {
  let delay = o.initialDelayMs ?? 1000;
  const max = o.maxDelayMs ?? 5000;
  let waited = 0;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isReplicationLag(e)) throw e;
      const next = Math.min(delay, max, Math.max(0, o.budget.leftMs()));
      if (next <= 0) throw new BudgetExhausted('replication', e, o.budget.waitedMs);
      o.onWait?.({ reason: 'replication', waitedSeconds: Math.round(waited / 1000), nextMs: next, error: e });
      await o.budget.wait(next, 'replication', e);
      waited += next;
      delay = Math.min(delay * 2, max);
    }
  }
}

export interface RequestOptions {
  budget?: Budget;
  onWait?: RetryOptions['onWait'];
  /** Extra headers (ConsistencyLevel for advanced queries). */
  headers?: Record<string, string>;
}

export class GraphClient {
  readonly graphUrl: string;
  requests = 0;
  /** The Clock port the client and every budget made for it sleep on (tests: the emulator's clock). */
  readonly clock: Clock;
  constructor(
    private readonly o: GraphClientOptions,
    readonly signal?: AbortSignal,
  ) {
    this.graphUrl = o.graphUrl.replace(/\/+$/, '').replace(/\/(v1\.0|beta)$/i, '');
    this.clock = o.clock ?? systemClock;
  }

  /** The same client bound to another AbortSignal. */
  withSignal(signal: AbortSignal | undefined): GraphClient {
    return new GraphClient(this.o, signal);
  }

  private async token(): Promise<string> {
    return typeof this.o.token === 'string' ? this.o.token : this.o.token();
  }

  /**
   * One JSON request to `/v1.0{path}`. 429/503 are retried after Retry-After (default 2 s) while the
   * wait fits in the budget (without a budget: once, when it is at most 10 s). Returns the parsed body
   * (undefined for 204).
   */
  async request<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    let throttledOnce = false;
    for (;;) {
      if (this.signal?.aborted) throw this.signal.reason instanceof Error ? this.signal.reason : new Error('cancelled');
      const t0 = Date.now();
      const headers: Record<string, string> = { authorization: `Bearer ${await this.token()}`, accept: 'application/json', ...(opts.headers ?? {}) };
      const payload = body === undefined ? undefined : JSON.stringify(body);
      if (payload !== undefined) headers['content-type'] = 'application/json';
      const { response: r, inBatch } = await this.send(method, path, headers, payload);
      this.requests++;
      this.o.onRequest?.({ method, path, status: r.status, ms: Date.now() - t0, ...(inBatch ? { inBatch } : {}) });
      if (r.status >= 200 && r.status < 300) {
        if (!r.body) return undefined as T;
        try {
          return JSON.parse(r.body) as T;
        } catch {
          throw new GraphError({ status: r.status, code: 'InvalidResponse', message: 'Graph answered with a body that is not JSON', method, path });
        }
      }
      const err = parseGraphError(r.status, r.body, r.headers, method, path);
      if (isThrottled(err)) {
        const waitMs = (err.retryAfterSeconds ?? 2) * 1000;
        opts.onWait?.({ reason: 'throttled', waitedSeconds: 0, nextMs: waitMs, error: err });
        if (opts.budget) {
          await opts.budget.wait(waitMs, 'throttled', err);
          continue;
        }
        if (!throttledOnce && waitMs <= 10_000) {
          throttledOnce = true;
          await this.clock.sleep(waitMs, this.signal);
          continue;
        }
      }
      throw err;
    }
  }

  private queue: Pending[] = [];

  private http(method: string, path: string, headers: Record<string, string>, payload: string | undefined): Promise<HttpResponse> {
    return httpsRequest(`${this.graphUrl}/v1.0${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) }, { ...(this.o.net ?? {}), timeoutMs: this.o.requestTimeoutMs ?? 30_000, ...(this.signal ? { signal: this.signal } : {}) });
  }

  /** One request on the wire, or queued for a JSON batch with the others started in the same turn. */
  private send(method: string, path: string, headers: Record<string, string>, payload: string | undefined): Promise<{ response: HttpResponse; inBatch: boolean }> {
    if (this.o.batch === false) return this.http(method, path, headers, payload).then((response) => ({ response, inBatch: false }));
    return new Promise((resolve, reject) => {
      if (this.queue.push({ method, path, headers, payload, resolve, reject }) === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const queued = this.queue.splice(0);
    if (queued.length === 1) {
      const one = queued[0]!;
      return this.http(one.method, one.path, one.headers, one.payload).then((response) => one.resolve({ response, inBatch: false }), one.reject);
    }
    const chunks: Pending[][] = [];
    for (let i = 0; i < queued.length; i += GRAPH_BATCH_LIMIT) chunks.push(queued.slice(i, i + GRAPH_BATCH_LIMIT));
    await Promise.all(chunks.map((c) => (c.length === 1 ? this.http(c[0]!.method, c[0]!.path, c[0]!.headers, c[0]!.payload).then((response) => c[0]!.resolve({ response, inBatch: false }), c[0]!.reject) : this.sendBatch(c))));
  }

  /** One `POST /$batch`: each sub-response goes back to its own request, matched by id (answers come in any order). */
  private async sendBatch(batch: Pending[]): Promise<void> {
    const t0 = Date.now();
    const requests = batch.map((p, i) => {
      const headers = Object.fromEntries(Object.entries(p.headers).filter(([k]) => k !== 'authorization' && k !== 'accept'));
      return { id: String(i + 1), method: p.method, url: p.path, ...(Object.keys(headers).length ? { headers } : {}), ...(p.payload !== undefined ? { body: JSON.parse(p.payload) as unknown } : {}) };
    });
    const envelopeHeaders = { authorization: batch[0]!.headers.authorization!, accept: 'application/json', 'content-type': 'application/json' };
    let r: HttpResponse;
    try {
      r = await this.http('POST', '/$batch', envelopeHeaders, JSON.stringify({ requests }));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    this.o.onRequest?.({ method: 'POST', path: '/$batch', status: r.status, ms: Date.now() - t0, batchSize: batch.length });
    // The batch itself refused (400, 401, 429 for the whole batch...): every request gets that answer,
    // and each request's own loop handles it (a throttled batch is retried after its Retry-After).
    const whole = () => batch.forEach((p) => p.resolve({ response: r, inBatch: true }));
    if (r.status < 200 || r.status >= 300) return whole();
    let responses: { id?: unknown; status?: unknown; headers?: Record<string, unknown>; body?: unknown }[];
    try {
      responses = (JSON.parse(r.body) as { responses?: typeof responses }).responses ?? [];
    } catch {
      return whole();
    }
    batch.forEach((p, i) => {
      const sub = responses.find((x) => String(x.id) === String(i + 1));
      if (!sub || typeof sub.status !== 'number') {
        p.resolve({ response: { status: 502, headers: {}, body: JSON.stringify({ error: { code: 'InvalidResponse', message: 'Graph answered the batch without this request' } }) }, inBatch: true });
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(sub.headers ?? {})) headers[k.toLowerCase()] = String(v);
      const body = sub.body === undefined || sub.body === null ? '' : typeof sub.body === 'string' ? sub.body : JSON.stringify(sub.body);
      p.resolve({ response: { status: sub.status, headers, body }, inBatch: true });
    });
  }

  get<T = unknown>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, undefined, opts);
  }
  post<T = unknown>(path: string, body: unknown, opts?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, body, opts);
  }
  patch<T = unknown>(path: string, body: unknown, opts?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, body, opts);
  }
  delete(path: string, opts?: RequestOptions): Promise<void> {
    return this.request<void>('DELETE', path, undefined, opts);
  }

  /** GET that answers null on 404 (an object that does not exist, or not yet). */
  async getOrNull<T>(path: string, opts?: RequestOptions): Promise<T | null> {
    try {
      return await this.get<T>(path, opts);
    } catch (e) {
      if (e instanceof GraphError && e.status === 404) return null;
      throw e;
    }
  }

  /** All pages of a collection (follows @odata.nextLink on the same host). */
  async list<T>(path: string, opts?: RequestOptions): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = path;
    for (let page = 0; next && page < 50; page++) {
      const r: { value?: T[]; '@odata.nextLink'?: string } = await this.get(next, opts);
      out.push(...(r.value ?? []));
      const link = r['@odata.nextLink'];
      next = link ? link.replace(/^https?:\/\/[^/]+\/v1\.0/i, '') : undefined;
    }
    return out;
  }
}

/** Graph's error JSON → GraphError; a non-JSON body keeps only its status and first characters. */
export function parseGraphError(status: number, body: string, headers: Record<string, string>, method: string, path: string): GraphError {
  let code = `HTTP${status}`;
  let message = '';
  let requestId = headers['request-id'];
  try {
    const j = JSON.parse(body) as { error?: { code?: string; message?: string; innerError?: Record<string, string>; innererror?: Record<string, string> } };
    if (j.error) {
      code = j.error.code ?? code;
      message = j.error.message ?? '';
      const inner = j.error.innerError ?? j.error.innererror;
      requestId = inner?.['request-id'] ?? requestId;
    }
  } catch {
    message = body.slice(0, 200);
  }
  const ra = Number(headers['retry-after']);
  return new GraphError({ status, code, message: message || `HTTP ${status}`, ...(requestId ? { requestId } : {}), ...(Number.isFinite(ra) && headers['retry-after'] !== undefined ? { retryAfterSeconds: ra } : {}), method, path });
}

/** OData string literal: single quotes doubled. */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
