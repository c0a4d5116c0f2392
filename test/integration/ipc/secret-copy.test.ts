import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../electron/ipc/dispatch';
import { createHandlers } from '../../../electron/ipc/handlers';
import { createTestDeps, type TestDeps } from '../../e2e/host/appDeps';

// Issue 14 item 13: Copy secret on the Done screen. Main copies the vault's secret to the clipboard
// port after a native confirmation and clears it after a minute; the renderer's answer never holds it.
const SECRET = 'Copy~Secret.Value_0123456789abcdefGHIJ';
const ID = 'fabrikam-odoo-0002';

type Reply = { ok: boolean; value?: { copied: boolean; reason?: string; clearsAfterMs: number }; error?: { code: string } };

async function setUp(options: { confirm?: boolean; secret?: boolean } = {}): Promise<{ deps: TestDeps; call: (channel: string, request?: unknown) => Promise<Reply> }> {
  const deps = createTestDeps({ confirm: options.confirm ?? true });
  const map = createHandlers(deps);
  const call = (channel: string, request?: unknown) => dispatch(map, channel, request) as Promise<Reply>;
  await call('profiles:save', {
    id: ID,
    profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01', clientId: '11111111-2222-4333-8444-000000000001', mailbox: 'reception@fabrikam.com' },
    wizard: { step: 'done', ticks: [] },
  });
  if (options.secret ?? true) await call('secrets:set', { profileId: ID, value: SECRET });
  return { deps, call };
}

afterEach(() => vi.useRealTimers());

describe('secret:copy', () => {
  it('puts the secret on the clipboard port after a native confirmation, never in the answer, and clears it after 60 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { deps, call } = await setUp();
    await deps.clipboard.writeText('before');
    const r = await call('secret:copy', { profileId: ID });
    expect(r).toEqual({ ok: true, value: { copied: true, clearsAfterMs: 60_000 } });
    expect(JSON.stringify(r)).not.toContain(SECRET.slice(0, 10));
    expect(deps.confirmations).toHaveLength(1);
    expect(JSON.stringify(deps.confirmations)).not.toContain(SECRET);
    expect(await deps.clipboard.readText()).toBe(SECRET);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(await deps.clipboard.readText()).toBe(SECRET);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await deps.clipboard.readText()).toBe('');
  });

  it('leaves the clipboard alone after a minute when the person copied something else', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { deps, call } = await setUp();
    await call('secret:copy', { profileId: ID });
    await deps.clipboard.writeText('https://erp.fabrikam.com');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await deps.clipboard.readText()).toBe('https://erp.fabrikam.com');
  });

  it('copies nothing when declined at the native confirmation, or when no secret is saved', async () => {
    const declined = await setUp({ confirm: false });
    await declined.deps.clipboard.writeText('before');
    expect(await declined.call('secret:copy', { profileId: ID })).toEqual({ ok: true, value: { copied: false, reason: 'declined', clearsAfterMs: 0 } });
    expect(await declined.deps.clipboard.readText()).toBe('before');

    const none = await setUp({ secret: false });
    expect(await none.call('secret:copy', { profileId: ID })).toEqual({ ok: true, value: { copied: false, reason: 'no-secret', clearsAfterMs: 0 } });
    expect(none.deps.confirmations).toHaveLength(0);
    expect(await none.deps.clipboard.readText()).toBe('');
  });

  it('refuses an unknown connection and a request carrying anything but the profile id', async () => {
    const { call } = await setUp();
    expect((await call('secret:copy', { profileId: 'no-such-profile' })).error?.code).toBe('profile-not-found');
    expect((await call('secret:copy', { profileId: ID, value: 'x' })).ok).toBe(false);
  });
});
