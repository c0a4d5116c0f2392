import { describe, expect, it } from 'vitest';
import { Budget, BudgetExhausted, GraphError, isReplicationLag, parseGraphError, retryReplication } from '../../../../../electron/engine/registration/graph';
import { parseIsoDuration } from '../../../../../electron/engine/registration/apply';
import type { Clock } from '../../../../../electron/engine/ports';

/** A clock whose sleeps only advance its own time (pure retry logic, no network). */
function fakeClock(): Clock & { slept: number[] } {
  let t = Date.parse('2026-12-01T09:00:00Z');
  const slept: number[] = [];
  return { slept, now: () => new Date(t), sleep: async (ms) => void (slept.push(ms), (t += ms)) };
}
const lag = (message = "Resource 'x' does not exist or one of its queried reference-property objects are not present.", status = 404) => new GraphError({ status, code: status === 404 ? 'Request_ResourceNotFound' : 'Request_BadRequest', message, method: 'POST', path: '/x' });

describe('registration Graph client: replication retry and budget (pure logic)', () => {
  it('recognises the replication answers of REGISTRATION-FACTS 2.8 and nothing else', () => {
    expect(isReplicationLag(lag())).toBe(true);
    expect(isReplicationLag(lag('Not a valid reference update.', 400))).toBe(true);
    expect(isReplicationLag(lag("The appId '1' of the service principal does not reference a valid application object.", 400))).toBe(true);
    expect(isReplicationLag(lag('Invalid value specified for property signInAudience', 400))).toBe(false);
    expect(isReplicationLag(new GraphError({ status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', method: 'GET', path: '/' }))).toBe(false);
    expect(isReplicationLag(new Error('does not exist'))).toBe(false);
  });

  it('backs off exponentially (1, 2, 4, 5, 5 s) and returns once the object is visible', async () => {
    const clock = fakeClock();
    let calls = 0;
    const waits: number[] = [];
    const v = await retryReplication(async () => (++calls < 6 ? Promise.reject(lag()) : 'ok'), { budget: new Budget(60_000, clock), onWait: (w) => waits.push(w.waitedSeconds) });
    expect(v).toBe('ok');
    expect(clock.slept).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(waits).toEqual([0, 1, 3, 7, 12]);
  });

  it('stops within the budget with BudgetExhausted carrying the last Graph error', async () => {
    const clock = fakeClock();
    const budget = new Budget(10_000, clock);
    const e = await retryReplication(() => Promise.reject(lag()), { budget }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BudgetExhausted);
    expect((e as BudgetExhausted).reason).toBe('replication');
    expect((e as BudgetExhausted).last.status).toBe(404);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const denied = new GraphError({ status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', method: 'POST', path: '/applications' });
    await expect(retryReplication(async () => (calls++, Promise.reject(denied)), { budget: new Budget(60_000, fakeClock()) })).rejects.toBe(denied);
    expect(calls).toBe(1);
  });

  it('parses Graph error bodies (code, message, innerError request-id, Retry-After)', () => {
    const e = parseGraphError(429, JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests', innerError: { 'request-id': 'abc-1', date: 'x' } } }), { 'retry-after': '7' }, 'GET', '/applications');
    expect([e.status, e.code, e.graphMessage, e.requestId, e.retryAfterSeconds]).toEqual([429, 'TooManyRequests', 'Too many requests', 'abc-1', 7]);
    expect(e.message).toBe('429 TooManyRequests: Too many requests (request-id abc-1)');
    const html = parseGraphError(502, '<html>bad gateway</html>', {}, 'GET', '/x');
    expect(html.code).toBe('HTTP502');
  });

  it('reads ISO 8601 policy lifetimes', () => {
    expect(parseIsoDuration('P90D')).toBe(90 * 86_400_000);
    expect(parseIsoDuration('P1Y')).toBe(365 * 86_400_000);
    expect(parseIsoDuration('PT12H')).toBe(12 * 3_600_000);
    expect(parseIsoDuration('soon')).toBeNull();
  });
});
