/**
 * Microsoft Graph JSON batching: `POST /v1.0/$batch` (https://learn.microsoft.com/graph/json-batching,
 * "Combine multiple HTTP requests using JSON batching"; limits: https://learn.microsoft.com/graph/known-issues
 * and the Graph SDKs' BatchRequestContent). What the emulator does, and where each rule comes from:
 *  - the body is `{ requests: [{ id, method, url, headers?, body?, dependsOn? }] }` with 1 to 20 requests
 *    ("combining multiple requests (up to 20)"); more, none, or not that shape: the whole batch is 400;
 *  - `id` is required and unique in the batch ("must be unique in batch or the batch request fails with a
 *    400 error code"); `method` and `url` are required; `url` is relative to the version (`/users`, not
 *    `https://graph.microsoft.com/v1.0/users`);
 *  - a sub-request with a `body` must carry a Content-Type header ("when a body is included, the headers
 *    object must contain a value for Content-Type"): that sub-request alone answers 400;
 *  - every sub-request runs with the batch's own Authorization (one token for the batch);
 *  - `dependsOn` names earlier ids; a request whose dependency failed answers 424 Failed Dependency ("If an
 *    individual request fails, any request that depends on that request fails with status code 424");
 *  - each sub-response is `{ id, status, headers, body }`, a JSON body as JSON; a sub-request that fails
 *    (404, 403, a 429 with its Retry-After header...) fails alone inside a 200 batch answer ("the status
 *    code on a batch response is typically 200 or 400... individual requests can fail");
 *  - responses come back in any order ("responses might appear in a different order than the requests"):
 *    the emulator answers them last-first, so a client must match them by id;
 *  - a $batch inside a batch is refused (nested batches are not supported).
 * Exact error wording for a malformed batch is not documented; the emulator uses Graph's generic BadRequest.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { guid } from './util.js';

export interface BatchSubRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface BatchSubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Dispatches one sub-request through the emulator's own Graph handler; answers its status, headers and body. */
export type SubDispatch = (req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string) => Promise<void>;

export const BATCH_LIMIT = 20;

/** A ServerResponse stand-in that keeps what a handler writes. */
class Captured {
  statusCode = 200;
  headers: Record<string, string> = {};
  body = '';
  headersSent = false;
  writeHead(status: number, headers: Record<string, string | number> = {}) {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.headers[k.toLowerCase()] = String(v);
    this.headersSent = true;
    return this;
  }
  setHeader(k: string, v: string | number) {
    this.headers[k.toLowerCase()] = String(v);
  }
  end(chunk?: string | Buffer) {
    if (chunk !== undefined) this.body += chunk.toString();
  }
}

function batchError(res: ServerResponse, message: string) {
  const requestId = guid();
  res.writeHead(400, { 'content-type': 'application/json', 'request-id': requestId });
  res.end(JSON.stringify({ error: { code: 'BadRequest', message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId } } }));
}

export async function handleBatch(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string, version: string, dispatch: SubDispatch): Promise<void> {
  let requests: BatchSubRequest[];
  try {
    const parsed = JSON.parse(rawBody) as { requests?: unknown };
    if (!Array.isArray(parsed.requests)) return batchError(res, 'Invalid batch payload format.');
    requests = parsed.requests as BatchSubRequest[];
  } catch {
    return batchError(res, 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
  if (requests.length === 0) return batchError(res, 'Invalid batch payload format.');
  if (requests.length > BATCH_LIMIT) return batchError(res, `Number of batch request steps exceeds the maximum of ${BATCH_LIMIT}.`);
  const ids = new Set<string>();
  for (const r of requests) {
    if (!r || typeof r.id !== 'string' || !r.id || typeof r.method !== 'string' || typeof r.url !== 'string') return batchError(res, 'Invalid batch payload format.');
    if (ids.has(r.id.toLowerCase())) return batchError(res, 'Batch request contains duplicate request ids.');
    if (/\$batch/i.test(r.url)) return batchError(res, 'Nested batch requests are not supported.');
    for (const d of r.dependsOn ?? []) if (!ids.has(String(d).toLowerCase())) return batchError(res, `Batch request step '${r.id}' depends on an unknown or later step '${String(d)}'.`);
    ids.add(r.id.toLowerCase());
  }
  const done = new Map<string, BatchSubResponse>();
  for (const r of requests) {
    const failedDep = (r.dependsOn ?? []).find((d) => (done.get(String(d).toLowerCase())?.status ?? 500) >= 400);
    if (failedDep !== undefined) {
      done.set(r.id.toLowerCase(), { id: r.id, status: 424, headers: { 'content-type': 'application/json' }, body: { error: { code: 'FailedDependency', message: `Request failed because the request it depends on ('${failedDep}') failed.` } } });
      continue;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (r.body !== undefined && !headers['content-type']) {
      done.set(r.id.toLowerCase(), { id: r.id, status: 400, headers: { 'content-type': 'application/json' }, body: { error: { code: 'BadRequest', message: 'Content-Type header is required when a request body is included.' } } });
      continue;
    }
    const rel = r.url.startsWith('/') ? r.url : `/${r.url}`;
    const subUrl = new URL(`/${version}${rel}`, url);
    const raw = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    const subReq = { method: r.method.toUpperCase(), url: subUrl.pathname + subUrl.search, headers: { ...headers, authorization: req.headers.authorization ?? '' } } as unknown as IncomingMessage;
    const cap = new Captured();
    await dispatch(subReq, cap as unknown as ServerResponse, subUrl, raw);
    let body: unknown;
    if (cap.body) {
      try {
        body = JSON.parse(cap.body);
      } catch {
        body = cap.body;
      }
    }
    done.set(r.id.toLowerCase(), { id: r.id, status: cap.statusCode, headers: cap.headers, ...(body !== undefined ? { body } : {}) });
  }
  const responses = requests.map((r) => done.get(r.id.toLowerCase())!).reverse();
  res.writeHead(200, { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8', 'request-id': guid() });
  res.end(JSON.stringify({ responses }));
}
