import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, secureContextFor, tlsTrust } from '../../../../electron/engine/net';
import { makeCertSet } from '../../../emulator/certs';

let server: Server;
let caPem: string;
let port: number;
beforeAll(async () => {
  const certs = await makeCertSet('net.test CA');
  caPem = certs.caPem;
  server = createServer({ key: certs.leafKey, cert: certs.leafCert }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('engine TLS trust', () => {
  it('builds the root store + extra CA context once per CA set (it costs tens of ms of CPU each time)', () => {
    expect(secureContextFor(undefined)).toBeUndefined();
    expect(tlsTrust([])).toEqual({});
    const a = secureContextFor([caPem]);
    expect(a).toBeDefined();
    expect(secureContextFor([caPem])).toBe(a);
    expect(tlsTrust([caPem]).secureContext).toBe(a);
  });

  it('the cached context trusts the extra CA, and nothing trusts it without', async () => {
    await expect(probe('localhost', port, 'tls', { ca: [caPem], timeoutMs: 3000 })).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(probe('localhost', port, 'tls', { timeoutMs: 3000 })).rejects.toThrow(/self[- ]signed|unable to (verify|get)/i);
  });
});
