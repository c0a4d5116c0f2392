import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index';
import { MemoryVault, runChecks, acquireToken } from '../../../electron/engine';
import { DAEMON, DAEMON_SECRET, NOCONSENT, NOCONSENT_SECRET, emuProfile } from '../helpers/fixtures';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

const deps = (secret = DAEMON_SECRET) => ({ vault: new MemoryVault(), clientSecret: secret });
const codes = (run: Awaited<ReturnType<typeof runChecks>>) => Object.fromEntries(run.results.map((r) => [r.id, r.diagnosis?.code ?? r.status]));

describe('app-only IMAP/SMTP against the emulator', () => {
  it('passes every check for the shared mailbox the daemon app has Full Access on', async () => {
    const events: string[] = [];
    const run = await runChecks(emuProfile(emu), deps(), { onProgress: (e) => events.push(`${e.checkId}:${e.phase}`) });
    expect(codes(run)).toEqual({ network: 'passed', token: 'passed', imap: 'passed', smtp: 'passed', roundtrip: 'passed' });
    expect(run.passed).toBe(true);
    expect(events).toContain('imap:started');
    expect(events).toContain('roundtrip:passed');
    const token = run.results.find((r) => r.id === 'token')!;
    expect(token.details.roles).toEqual(expect.arrayContaining(['IMAP.AccessAsApp', 'SMTP.SendAsApp']));
    expect(emu.admin.messages('info@fabrikam.com').some((m) => /Mail OAuth Assistant test/.test(m.subject ?? ''))).toBe(true);
  });

  it('Graph app-only: me, inbox, sendMail', async () => {
    const run = await runChecks(emuProfile(emu, { api: 'graph' }), deps());
    expect(codes(run)).toEqual({ network: 'passed', token: 'passed', graph: 'passed' });
  });

  it('Graph app-only, read only (the watch for the Exchange step, issue 19): reads the inbox and sends no test message', async () => {
    const profile = emuProfile(emu, { api: 'graph' });
    const tests = () => emu.admin.messages(profile.mailbox).filter((m) => /Mail OAuth Assistant test/.test(m.subject ?? '')).length;
    const before = tests();
    const run = await runChecks(profile, deps(), { only: ['network', 'token', 'graph'], readOnly: true });
    expect(codes(run)).toEqual({ network: 'passed', token: 'passed', graph: 'passed' });
    expect(run.results.find((r) => r.id === 'graph')!.steps.map((s) => s.name).join('\n')).not.toMatch(/sendMail/);
    expect(tests(), 'nothing sent').toBe(before);
    // The same check without readOnly sends its one test message (the Test screen's run).
    await runChecks(profile, deps(), { only: ['graph'] });
    await expect.poll(tests).toBe(before + 1);
  });

  it('a mailbox the app has no Full Access on: IMAP refuses', async () => {
    const run = await runChecks(emuProfile(emu, { mailbox: 'reception@fabrikam.com' }), deps(), { only: ['imap'] });
    expect(codes(run).imap).toBe('imap-app-only-not-registered');
  });

  it('Secret ID pasted instead of the Value: AADSTS7000215 → secret-id-pasted', async () => {
    const run = await runChecks(emuProfile(emu), deps('5a6b7c8d-0003-4e2f-9a3b-000000000053'), { only: ['token', 'imap'] });
    expect(codes(run)).toEqual({ token: 'aadsts-7000215-secret-id-pasted', imap: 'skipped' });
    expect(run.results[0]!.diagnosis!.evidence.aadsts).toBe('7000215');
    expect(JSON.stringify(run)).not.toContain('5a6b7c8d-0003-4e2f-9a3b-000000000053');
  });

  it('wrong secret value: invalid-secret', async () => {
    const run = await runChecks(emuProfile(emu), deps('Wrong~Secret.Value_zzzzzzzzzzzzzzzzzz'), { only: ['token'] });
    expect(codes(run).token).toBe('aadsts-7000215-invalid-secret');
  });

  it('unknown client id: AADSTS700016', async () => {
    const run = await runChecks(emuProfile(emu, { clientId: '99999999-2222-4333-8444-000000000009' }), deps(), { only: ['token'] });
    expect(codes(run).token).toBe('aadsts-700016-app-not-found');
  });

  it('unknown tenant: AADSTS90002', async () => {
    const run = await runChecks(emuProfile(emu, { tenant: '00000000-1111-4222-8333-444444444444' }), deps(), { only: ['token'] });
    expect(codes(run).token).toBe('aadsts-90002-tenant-not-found');
  });

  it('no admin consent: the token has no roles', async () => {
    const run = await runChecks(emuProfile(emu, { clientId: NOCONSENT }), deps(NOCONSENT_SECRET), { only: ['token'] });
    expect(['token-missing-role', 'aadsts-65001-consent-required']).toContain(codes(run).token);
  });

  it('secret expired fault: AADSTS7000222', async () => {
    emu.admin.setFault('secretExpired', true);
    try {
      const run = await runChecks(emuProfile(emu), deps(), { only: ['token'] });
      expect(codes(run).token).toBe('aadsts-7000222-secret-expired');
    } finally {
      emu.admin.clearFaults();
    }
  });

  it('throttling: Retry-After honoured once, then success', async () => {
    emu.admin.setFault('tokenThrottle', { status: 429, retryAfterSeconds: 1, count: 1 });
    try {
      // The engine waits on its Clock port: the emulator's clock skips the second instead of sleeping
      // it, and has moved by at least the Retry-After only if the engine did wait before retrying.
      const t0 = emu.clock.nowMs();
      const t = await acquireToken(emuProfile(emu), { ...deps(), clock: emu.clock }, { timeoutMs: 5000 });
      expect(t.info.roles).toContain('IMAP.AccessAsApp');
      expect(emu.clock.nowMs() - t0).toBeGreaterThanOrEqual(1000);
    } finally {
      emu.admin.clearFaults();
    }
  });

  it('throttling that persists: throttled (429 and 503)', async () => {
    for (const status of [429, 503] as const) {
      emu.admin.setFault('tokenThrottle', { status, retryAfterSeconds: 1, count: null });
      try {
        const run = await runChecks(emuProfile(emu), { ...deps(), clock: emu.clock }, { only: ['token'], timeouts: 4000 });
        expect(codes(run).token).toBe('throttled');
        expect(run.results[0]!.diagnosis!.evidence.httpStatus).toBe(status);
      } finally {
        emu.admin.clearFaults();
      }
    }
  });

  it('a daemon app used for Graph without Graph roles on the mailbox app: token-missing-role', async () => {
    emu.admin.setApp(DAEMON, { applicationPermissions: [{ resource: 'outlook', name: 'IMAP.AccessAsApp' }] });
    try {
      const run = await runChecks(emuProfile(emu), deps(), { only: ['token'] });
      expect(codes(run).token).toBe('token-missing-role');
    } finally {
      emu.admin.setApp(DAEMON, { applicationPermissions: emu.scenario.apps.find((a) => a.clientId === DAEMON)!.applicationPermissions });
    }
  });
});
