import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/ipc/dispatch';
import { createHandlers } from '../../../../electron/ipc/handlers';
import type { RegistrationEngine } from '../../../../electron/ipc/registration-handlers';
import { createTestDeps } from '../../../e2e/host/appDeps';
import { makeCertSet } from '../../../emulator/certs';

// Issue 24 (endpoint policy, issue 13 finding 3): with "Allow servers other than Microsoft's" OFF,
// every channel that would send the secret or a token refuses a connection that points ANY of its
// fields elsewhere — IMAP, SMTP, Graph, the proxy, extra CA certificates — not only the sign-in host,
// and the engine is never reached. The engine is a recorder here: a refused call must not get to it
// (the real engine would start talking to the hosts; the emulator-backed tests cover that path).
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const SECRET = 'Web~Secret.Value_abcdefghijKLMNOP0123';
const OUTSIDE = {
  imap: { endpoints: { imap: 'imap.fabrikam-test.net:993' }, named: 'IMAP server imap.fabrikam-test.net:993' },
  smtp: { endpoints: { smtp: 'smtp.fabrikam-test.net:587' }, named: 'SMTP server smtp.fabrikam-test.net:587' },
  graph: { endpoints: { graphUrl: 'https://graph.fabrikam-test.net/v1.0' }, named: 'Graph address https://graph.fabrikam-test.net/v1.0' },
  signIn: { endpoints: { signInHost: 'login.fabrikam-test.net' }, named: 'sign-in host login.fabrikam-test.net' },
  proxy: { proxy: 'http://proxy.fabrikam.com:3128', named: 'proxy http://proxy.fabrikam.com:3128' },
  ca: { ca: true, named: 'extra CA certificates' },
} as const;

async function setUp(customEndpoints: boolean) {
  const deps = createTestDeps({ customEndpoints });
  const reached: string[] = [];
  const record = (what: string) => async () => {
    reached.push(what);
    throw new Error(`the engine was reached: ${what}`);
  };
  const registration = new Proxy({} as RegistrationEngine, { get: (_t, name) => record(`registration.${String(name)}`) });
  const engine = { ...deps.engine, runChecks: record('runChecks'), signIn: record('signIn'), registration } as unknown as typeof deps.engine;
  const handlers = createHandlers({ ...deps, engine, confirm: async () => true });
  const call = (channel: string, request?: unknown) => dispatch(handlers, channel, request) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  return { call, reached };
}

const { caPem } = await makeCertSet('Fabrikam inspection CA');

function profile(id: string, o: { endpoints?: Record<string, string>; proxy?: string; ca?: boolean }, api: 'imap-smtp' | 'graph' = 'imap-smtp') {
  return {
    id,
    profile: {
      name: 'Fabrikam reception',
      target: api === 'graph' ? 'generic-graph' : 'generic-imap-smtp',
      tenant: TENANT,
      clientId: '11111111-2222-4333-8444-000000000001',
      mailbox: 'reception@fabrikam.com',
      ...(o.endpoints ? { endpoints: o.endpoints } : {}),
      ...(o.proxy ? { proxy: o.proxy } : {}),
      ...(o.ca ? { caCerts: [caPem] } : {}),
    },
    wizard: { step: 'signin', ticks: [] },
  };
}

describe('custom endpoints OFF: each non-Microsoft field alone is refused before the engine', () => {
  for (const [field, o] of Object.entries(OUTSIDE)) {
    it(`${field}: checks:run, signin:start and registration:plan refuse with endpoints-not-allowed naming it`, async () => {
      const { call, reached } = await setUp(false);
      const id = `fabrikam-${field.toLowerCase()}-0001`;
      const saved = await call('profiles:save', profile(id, o, field === 'graph' ? 'graph' : 'imap-smtp'));
      expect(saved.ok, JSON.stringify(saved.error)).toBe(true);
      await call('secrets:set', { profileId: id, value: SECRET });
      for (const [channel, request] of [
        ['checks:run', { profileId: id }],
        ['signin:start', { profileId: id }],
        ['registration:plan', { profileId: id, mode: 'create' }],
      ] as const) {
        const r = await call(channel, request);
        expect(r, channel).toMatchObject({ ok: false, error: { code: 'endpoints-not-allowed' } });
        expect(r.error!.message, channel).toContain(`This connection points at ${o.named}, which is not Microsoft's servers for its cloud. Nothing was sent.`);
      }
      expect(reached).toEqual([]);
    });
  }

  it("Microsoft's own hosts, written out as MICROSOFT-FACTS.md gives them, pass the guard (the engine is reached)", async () => {
    const { call, reached } = await setUp(false);
    const id = 'fabrikam-microsoft-0001';
    await call('profiles:save', profile(id, { endpoints: { signInHost: 'login.microsoftonline.com', imap: 'outlook.office365.com:993', smtp: 'smtp.office365.com:587' } }));
    const r = await call('checks:run', { profileId: id });
    expect(r.ok).toBe(false);
    expect(r.error?.code).not.toBe('endpoints-not-allowed');
    expect(reached).toEqual(['runChecks']);
  });
});

describe('custom endpoints ON: the same connections reach the engine', () => {
  it('every field at once is let through once the person has allowed other servers', async () => {
    const { call, reached } = await setUp(true);
    const id = 'fabrikam-custom-0001';
    await call('profiles:save', profile(id, { endpoints: { ...OUTSIDE.imap.endpoints, ...OUTSIDE.smtp.endpoints, ...OUTSIDE.graph.endpoints, ...OUTSIDE.signIn.endpoints }, proxy: OUTSIDE.proxy.proxy, ca: true }));
    await call('checks:run', { profileId: id });
    await call('signin:start', { profileId: id });
    expect(reached).toEqual(['runChecks', 'signIn']);
  });
});
