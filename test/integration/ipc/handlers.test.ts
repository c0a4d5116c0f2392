import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type HandlerMap } from '../../../electron/ipc/dispatch';
import { createHandlers } from '../../../electron/ipc/handlers';
import { CHECK_LABELS, type CheckRun } from '../../../shared/checks';
import type { ExportFile, SignInOutcome } from '../../../shared/ipc/contract';
import { createTestDeps, type TestDeps } from '../../e2e/host/appDeps';
import { startEmulator, type Emulator } from '../../emulator/index';
import { closeBrowser, playwrightAuthWindow, type Person } from '../helpers/authWindow';
import { DAEMON, DAEMON_SECRET, TENANT, WEB, WEB_SECRET } from '../helpers/fixtures';

// The wizard's path through the real handler map and engine facade (the same composition main.ts
// uses), with the emulator behind it: save a profile, store the secret, sign in, run the checks, export.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

function app(person: Person): { deps: TestDeps; handlers: HandlerMap; call: <T>(channel: string, request?: unknown) => Promise<T> } {
  const deps = createTestDeps({ authWindow: playwrightAuthWindow(person), extraCaPem: [emu.caPem] });
  const handlers = createHandlers(deps);
  return {
    deps,
    handlers,
    call: async <T,>(channel: string, request?: unknown) => {
      const result = await dispatch(handlers, channel, request);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
      return result.value as T;
    },
  };
}

const endpoints = () => ({ signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl });

const odoo = (id: string) => ({
  id,
  profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: TENANT, clientId: WEB, mailbox: 'reception@fabrikam.com', secretExpires: '2099-12-31', endpoints: endpoints() },
  wizard: { step: 'signin' as const, ticks: [] },
});

describe('wizard handlers against the emulator', () => {
  it('Odoo, delegated: sign in as the mailbox, checks pass, exports carry no secret unless asked', async () => {
    const { call, deps } = app({ upn: 'reception@fabrikam.com', password: 'Reception-Pass-1' });
    const progress: string[] = [];
    deps.connectEmit((event, payload) => progress.push(`${event}:${JSON.stringify(payload)}`));
    await call('profiles:save', odoo('fabrikam-odoo-0001'));
    await call('secrets:set', { profileId: 'fabrikam-odoo-0001', value: WEB_SECRET });

    const signedIn = await call<SignInOutcome>('signin:start', { profileId: 'fabrikam-odoo-0001' });
    expect(signedIn).toMatchObject({ status: 'signed-in', account: 'reception@fabrikam.com', matchesMailbox: true, tenantId: TENANT });

    const run = await call<CheckRun>('checks:run', { profileId: 'fabrikam-odoo-0001' });
    expect(Object.fromEntries(run.results.map((r) => [r.id, r.diagnosis?.code ?? r.status]))).toEqual({ network: 'passed', token: 'passed', imap: 'passed', smtp: 'passed', roundtrip: 'passed' });
    expect(progress.some((p) => p.startsWith('checks:progress:') && p.includes('"roundtrip"'))).toBe(true);
    expect(deps.store.get('fabrikam-odoo-0001')?.lastRun).toMatchObject({ status: 'passed', passed: 5, failed: 0 });

    const card = await call<ExportFile>('export:make', { profileId: 'fabrikam-odoo-0001', format: 'paste-card', includeSecret: false });
    expect(card.content).toContain(WEB);
    expect(card.content).not.toContain(WEB_SECRET);
    // The secret never crosses to the renderer: export:make keeps the placeholder, export:copy puts it on main's clipboard.
    const preview = await call<ExportFile>('export:make', { profileId: 'fabrikam-odoo-0001', format: 'paste-card', includeSecret: true });
    expect(preview.content).not.toContain(WEB_SECRET);
    const copied = await call<{ copied: boolean; warnings: string[] }>('export:copy', { profileId: 'fabrikam-odoo-0001', format: 'paste-card', includeSecret: true });
    expect(JSON.stringify(copied)).not.toContain(WEB_SECRET);
    expect(await deps.clipboard.readText()).toContain(WEB_SECRET);
    expect(copied.warnings.join(' ')).toMatch(/secret/i);
    const report = await call<ExportFile>('export:make', { profileId: 'fabrikam-odoo-0001', format: 'report-html', includeSecret: false });
    expect(report.content).toContain(`<td>${CHECK_LABELS.roundtrip.title}</td>`);
    expect(report.content).toContain('Passed');
    expect(report.content).not.toContain(WEB_SECRET);
    const saved = await call<{ savedTo: string }>('export:save', { profileId: 'fabrikam-odoo-0001', format: 'ics-reminder', includeSecret: false });
    expect(saved.savedTo).toMatch(/\.ics$/);
    expect(progress.join('\n')).not.toContain(WEB_SECRET);
  });

  it('the wrong account signs in: explained, with the signed-in account named', async () => {
    const { call } = app({ upn: 'sales@fabrikam.com', password: 'Sales-Pass-1' });
    await call('profiles:save', odoo('fabrikam-odoo-0002'));
    await call('secrets:set', { profileId: 'fabrikam-odoo-0002', value: WEB_SECRET });
    const outcome = await call<SignInOutcome>('signin:start', { profileId: 'fabrikam-odoo-0002' });
    expect(outcome).toMatchObject({ status: 'signed-in', account: 'sales@fabrikam.com', matchesMailbox: false, diagnosis: { code: 'signed-in-wrong-account' } });
  });

  it('the person closes the sign-in window: cancelled, the profile and secret are kept', async () => {
    const { call } = app({ upn: 'reception@fabrikam.com', password: 'Reception-Pass-1', cancel: true });
    await call('profiles:save', odoo('fabrikam-odoo-0003'));
    await call('secrets:set', { profileId: 'fabrikam-odoo-0003', value: WEB_SECRET });
    await expect(call('signin:start', { profileId: 'fabrikam-odoo-0003' })).resolves.toMatchObject({ status: 'cancelled', reason: 'closed' });
    await expect(call('profiles:list')).resolves.toMatchObject([{ record: { id: 'fabrikam-odoo-0003', wizard: { step: 'signin' } }, hasSecret: true }]);
  });

  it('CXT-style app-only: the client credentials prove the registration, Graph checks pass', async () => {
    const { call } = app({ upn: 'nobody@fabrikam.com', password: 'x' });
    await call('profiles:save', {
      id: 'fabrikam-cxt-0001',
      profile: { name: 'Fabrikam CXT', target: 'generic-graph', targetInputs: { flow: 'app-only' }, flow: 'app-only', api: 'graph', tenant: TENANT, clientId: DAEMON, mailbox: 'info@fabrikam.com', endpoints: endpoints() },
      wizard: { step: 'signin', ticks: [] },
    });
    await call('secrets:set', { profileId: 'fabrikam-cxt-0001', value: DAEMON_SECRET });
    const outcome = await call<SignInOutcome>('signin:start', { profileId: 'fabrikam-cxt-0001' });
    expect(outcome).toMatchObject({ status: 'signed-in', matchesMailbox: true });
    const run = await call<CheckRun>('checks:run', { profileId: 'fabrikam-cxt-0001' });
    expect(run.passed).toBe(true);
    expect(JSON.stringify(run)).not.toContain(DAEMON_SECRET);
  });

  it('an incomplete profile is refused with a plain message, not a crash', async () => {
    const { handlers } = app({ upn: 'x', password: 'x' });
    await dispatch(handlers, 'profiles:save', { id: 'half-done-0001', profile: { name: 'Half', target: 'odoo' }, wizard: { step: 'details', ticks: [] } });
    const result = await dispatch(handlers, 'checks:run', { profileId: 'half-done-0001' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('profile-invalid');
      expect(result.error.message).toMatch(/client|tenant|mailbox/i);
    }
  });

  it('an open secret renewal is main\'s: a renderer save neither writes nor drops `rotation`, and renew:* without an administrator is refused', async () => {
    const { deps, call, handlers } = app({ upn: 'x', password: 'x' });
    await call('profiles:save', odoo('renewing-0001'));
    const rotation = { phase: 'proved' as const, current: 'old' as const, new: { keyId: '11111111-1111-4111-8111-111111111111', endDateTime: '2027-12-01T00:00:00Z' }, startedAt: '2026-12-01T00:00:00Z' };
    // What renew:start writes (main side).
    deps.store.save({ ...deps.store.get('renewing-0001')!, profile: { ...deps.store.get('renewing-0001')!.profile, rotation } });
    // A stale renderer copy without it, then one with a forged one: main keeps its own either way.
    await call('profiles:save', odoo('renewing-0001'));
    expect(deps.store.get('renewing-0001')!.profile.rotation).toEqual(rotation);
    // A forged one is refused outright (issue 18: main fields are not the page's to send), and main's stays.
    const forged = await dispatch(handlers, 'profiles:save', { ...odoo('renewing-0001'), profile: { ...odoo('renewing-0001').profile, rotation: { ...rotation, phase: 'added' } } });
    expect(forged.ok ? 'accepted' : forged.error.code).toBe('invalid-request');
    expect(deps.store.get('renewing-0001')!.profile.rotation).toEqual(rotation);
    for (const [channel, request] of [['renew:start', { profileId: 'renewing-0001' }], ['renew:finish', { profileId: 'renewing-0001', confirmed: true }]] as const) {
      const r = await dispatch(handlers, channel, request);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('admin-required');
    }
    // Removing the old secret needs the person's explicit yes: anything but `confirmed: true` is refused at the boundary.
    const refused = await dispatch(handlers, 'renew:finish', { profileId: 'renewing-0001', confirmed: false });
    expect(refused.ok).toBe(false);
  });

  it('while a proved renewal is open, Put it into the target hands over the new secret; otherwise the current one', async () => {
    const deps = createTestDeps({ extraCaPem: [emu.caPem] });
    const given: (string | undefined)[] = [];
    const target = {
      test: async () => ({ ok: true as const, value: { version: 'Odoo 17.0', notes: [] } }),
      plan: async (_saved: unknown, secret: string | undefined) => (given.push(secret), { ok: false as const, diagnosis: { code: 'recorded' } as never }),
      push: async (_saved: unknown, secret: string | undefined) => (given.push(secret), { ok: false as const, diagnosis: { code: 'recorded' } as never }),
      restore: async () => ({ ok: false as const, diagnosis: { code: 'recorded' } as never }),
      createConnectedApp: async () => ({ ok: false as const, diagnosis: { code: 'recorded' } as never }),
    };
    const handlers = createHandlers({ ...deps, engine: { ...deps.engine, target } });
    const id = 'renew-push-0001';
    await dispatch(handlers, 'profiles:save', odoo(id));
    deps.store.save({ ...deps.store.get(id)!, targetConnection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' } });
    await deps.secrets.set(`profile:${id}:clientSecret`, 'current-secret-value');
    await deps.secrets.set(`profile:${id}:clientSecret:rotation-new`, 'renewed-secret-value');
    const rotation = (phase: 'added' | 'proved') => ({ phase, current: 'old' as const, new: { keyId: '11111111-1111-4111-8111-111111111111', endDateTime: '2027-12-01T00:00:00Z' }, startedAt: '2026-12-01T00:00:00Z' });
    const withRotation = (r?: ReturnType<typeof rotation>) => {
      const saved = deps.store.get(id)!;
      const { rotation: _drop, ...profile } = saved.profile;
      deps.store.save({ ...saved, profile: { ...profile, ...(r ? { rotation: r } : {}) } });
    };
    await dispatch(handlers, 'target:plan', { profileId: id });
    withRotation(rotation('added'));
    await dispatch(handlers, 'target:push', { profileId: id });
    withRotation(rotation('proved'));
    await dispatch(handlers, 'target:plan', { profileId: id });
    await dispatch(handlers, 'target:push', { profileId: id });
    withRotation(undefined);
    await dispatch(handlers, 'target:push', { profileId: id });
    expect(given).toEqual(['current-secret-value', 'current-secret-value', 'renewed-secret-value', 'renewed-secret-value', 'current-secret-value']);
  });
});
