import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsRequest } from '../../../../electron/engine/net';
import { systemClock } from '../../../../electron/engine/ports';
import { makeCertSet } from '../../../emulator/certs';

/*
 * Issue 23: the e2e run printed "MaxListenersExceededWarning: 11 abort listeners added to [AbortSignal]".
 * One signal is shared by every request of a long operation (a registration makes about 20 Graph
 * requests); each request must take its abort listener away when it ends, whatever the outcome.
 */
let server: Server;
let caPem: string;
let port: number;
beforeAll(async () => {
  const certs = await makeCertSet('abort-listeners CA');
  caPem = certs.caPem;
  server = createServer({ key: certs.leafKey, cert: certs.leafCert }, (req, res) => {
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
    res.writeHead(req.url === '/missing' ? 404 : 200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

const N = 25;

describe('abort listeners end with their operation', () => {
  it(`${N} HTTPS requests on one signal (answered, refused by status, timed out) leave no listener and no warning`, async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const ac = new AbortController();
      const opts = { ca: [caPem], signal: ac.signal, timeoutMs: 5000 };
      for (let i = 0; i < N; i++) {
        const r = await httpsRequest(`https://localhost:${port}/${i % 5 === 0 ? 'missing' : 'ok'}`, {}, opts);
        expect(r.status).toBe(i % 5 === 0 ? 404 : 200);
      }
      expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
      // A request that times out and one that cannot connect also leave none.
      await expect(httpsRequest(`https://localhost:${port}/slow`, {}, { ...opts, timeoutMs: 100 })).rejects.toThrow(/within 100 ms/);
      await expect(httpsRequest('https://localhost:1/', {}, opts)).rejects.toThrow();
      expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it(`${N} clock sleeps on one signal leave no listener`, async () => {
    const ac = new AbortController();
    for (let i = 0; i < N; i++) await systemClock.sleep(1, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});
