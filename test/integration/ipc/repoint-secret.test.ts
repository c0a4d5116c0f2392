import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/ipc/dispatch';
import { createHandlers } from '../../../electron/ipc/handlers';
import { createTestDeps } from '../../e2e/host/appDeps';
import { makeCertSet } from '../../emulator/certs';

// Finding 3 (issue 13): re-pointing a saved profile at another host must not send it the stored
// secret. A fake sign-in host on 127.0.0.1 (an attacker's server, with a CA the app trusts, as a
// TLS-inspecting proxy would be) records every token request it receives.
const SECRET = 'Daemon~Secret.Value_abcdefghijKLMNOP01';
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
let server: Server;
let host = '';
let caPem = '';
const received: string[] = [];

beforeAll(async () => {
  const certs = await makeCertSet('Attacker CA');
  caPem = certs.caPem;
  server = createServer({ key: certs.leafKey, cert: certs.leafCert }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${body}`);
      const base = `https://${host}/${TENANT}`;
      if (req.url?.includes('openid-configuration')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ issuer: `${base}/v2.0`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`, token_endpoint: `${base}/oauth2/v2.0/token`, end_session_endpoint: `${base}/oauth2/v2.0/logout`, jwks_uri: `${base}/discovery/v2.0/keys` }),
        );
      } else res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const appOnly = (id: string, endpoints?: Record<string, string>) => ({
  id,
  profile: { name: 'Fabrikam daemon', target: 'app-only-imap-smtp', tenant: TENANT, clientId: '11111111-2222-4333-8444-000000000003', mailbox: 'info@fabrikam.com', flow: 'app-only', ...(endpoints ? { endpoints } : {}) },
  wizard: { step: 'signin', ticks: [] },
});

function app(customEndpoints: boolean) {
  const deps = createTestDeps({ extraCaPem: [caPem], customEndpoints });
  const map = createHandlers({ ...deps, confirm: async () => true });
  return { deps, call: (channel: string, request?: unknown) => dispatch(map, channel, request) as Promise<{ ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } }> };
}

describe('re-pointing a saved profile', () => {
  it('the stored secret is never sent to a host the profile was re-pointed to', async () => {
    received.length = 0;
    const { call } = app(false);
    await call('profiles:save', appOnly('fabrikam-daemon-0001'));
    await call('secrets:set', { profileId: 'fabrikam-daemon-0001', value: SECRET });
    await call('profiles:save', appOnly('fabrikam-daemon-0001', { signInHost: host }));
    await call('signin:start', { profileId: 'fabrikam-daemon-0001' });
    await call('checks:run', { profileId: 'fabrikam-daemon-0001', only: ['token'] });
    expect(received.join('\n')).not.toContain(encodeURIComponent(SECRET));
    expect(received.join('\n')).not.toContain(SECRET);
  });

  it('without the custom-endpoints setting a non-Microsoft host is refused with a plain message', async () => {
    const { call } = app(false);
    const saved = await call('profiles:save', appOnly('fabrikam-daemon-0002', { signInHost: host }));
    expect(saved.ok).toBe(true);
    await call('secrets:set', { profileId: 'fabrikam-daemon-0002', value: SECRET });
    const r = await call('signin:start', { profileId: 'fabrikam-daemon-0002' });
    expect(r).toMatchObject({ ok: false, error: { code: 'endpoints-not-allowed' } });
    expect(r.error?.message).toMatch(/localhost/);
  });

  it('with custom endpoints on, changing the endpoints clears the stored secret and the token cache', async () => {
    received.length = 0;
    const { call, deps } = app(true);
    await call('profiles:save', appOnly('fabrikam-daemon-0003'));
    await call('secrets:set', { profileId: 'fabrikam-daemon-0003', value: SECRET });
    await deps.secrets.set('token-cache:profile:fabrikam-daemon-0003', '{"cached":true}');
    const resaved = await call('profiles:save', appOnly('fabrikam-daemon-0003', { signInHost: host }));
    expect(resaved).toMatchObject({ ok: true, value: { hasSecret: false } });
    await expect(call('secrets:status', { profileId: 'fabrikam-daemon-0003' })).resolves.toMatchObject({ value: { present: false } });
    await expect(deps.secrets.get('token-cache:profile:fabrikam-daemon-0003')).resolves.toBeUndefined();
    await call('signin:start', { profileId: 'fabrikam-daemon-0003' });
    expect(received.join('\n')).not.toContain(encodeURIComponent(SECRET));
    // A secret typed again for the new host is the user's decision: that one is used.
    await call('secrets:set', { profileId: 'fabrikam-daemon-0003', value: 'New~Secret.For_the_new_host_0123456789' });
    await call('signin:start', { profileId: 'fabrikam-daemon-0003' });
    expect(received.join('\n')).toContain('For_the_new_host_0123456789');
  });

  it('CA certificates cross IPC as PEM text only, within size and count limits', async () => {
    const { call } = app(true);
    const withCa = (caCerts: string[]) => ({ ...appOnly('fabrikam-daemon-0004'), profile: { ...appOnly('x').profile, caCerts } });
    await expect(call('profiles:save', withCa(['/etc/hostname']))).resolves.toMatchObject({ ok: false });
    await expect(call('profiles:save', withCa(['/tmp/fifo-that-would-hang']))).resolves.toMatchObject({ ok: false });
    await expect(call('profiles:save', withCa(Array.from({ length: 9 }, () => caPem)))).resolves.toMatchObject({ ok: false });
    await expect(call('profiles:save', withCa([`${caPem}\n${'A'.repeat(40_000)}`]))).resolves.toMatchObject({ ok: false });
    await expect(call('profiles:save', withCa([caPem]))).resolves.toMatchObject({ ok: true });
  });
});
