/**
 * Issue 9, "Must show": for each of the nine catalogue entries, `register` against the emulator's Graph
 * directory creates the registration from nothing, `lint` then reports no finding, and the mailbox checks
 * pass with the created app (the mailbox user signs in through the engine's signIn where the app has a
 * Web redirect). A second `register` changes nothing (asserted on the directory). The new secret is in
 * the vault and in no progress event, check event, outcome or error text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser } from '../helpers/authWindow';
import { MemoryVault } from '../../../electron/engine';
import { lintRegistration, planFor, registerRegistration } from '../../../electron/engine/registration';
import type { RegistrationProgress } from '../../../shared/registration/types';
import { adminSession, CASES, Captured, codes, GLOBAL_ADMIN, mailboxChecks, profileFor, startRegistrationEmulator, TENANT } from './harness';

let emu: Emulator;
let admin: Awaited<ReturnType<typeof adminSession>>;
beforeAll(async () => {
  emu = await startRegistrationEmulator();
  await launchBrowser();
  admin = await adminSession(emu, GLOBAL_ADMIN, 'write');
}, 90_000);
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

const ALL_IMAP_SMTP = { network: 'passed', token: 'passed', imap: 'passed', smtp: 'passed', roundtrip: 'passed' };
const ALL_GRAPH = { network: 'passed', token: 'passed', graph: 'passed' };

describe('register creates each target\'s registration from nothing, and it works', () => {
  it('the administrator signed in to Microsoft Graph Command Line Tools with only the write permissions', () => {
    expect(admin.adminClientId).toBe('14d82eec-204b-4c2f-b7e8-296a70dab67e');
    expect(admin.tenantId).toBe(TENANT);
    expect(new URL(admin.window.opened[0]!).searchParams.get('redirect_uri')).toBe('http://localhost');
    expect(admin.scopes).toEqual(expect.arrayContaining(['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All']));
    expect(admin.scopes).not.toContain('Directory.ReadWrite.All');
  });

  for (const c of CASES) {
    it(`${c.target}: register from nothing → lint clean → mailbox checks pass → a second register changes nothing`, async () => {
      const profile = profileFor(emu, c);
      const before = emu.admin.directory(TENANT);
      const first = await planFor(admin, profile);
      expect(first.actual.application).toBeNull();
      expect(first.plan.steps.map((s) => s.kind)[0]).toBe('create-application');

      const vault = new MemoryVault();
      const captured = new Captured();
      const r = await registerRegistration(admin, profile, { vault, vaultKey: `profile:${c.target}:clientSecret`, plan: first, onProgress: (p: RegistrationProgress) => captured.progress.push(p) });
      expect(r.notDone).toEqual([]);
      expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
      expect(r.applied.length).toBe(first.plan.steps.length);
      expect(r.appId).toMatch(/^[0-9a-f-]{36}$/);
      const after = emu.admin.directory(TENANT);
      expect(after.apps.length).toBe(before.apps.length + 1);
      const app = after.apps.find((a) => a.clientId === r.appId)!;
      expect(app.displayName).toBe(first.desired.displayName);

      // The secret: in the vault under the caller's key, nowhere else.
      const wantsSecret = first.desired.credential.kind === 'secret';
      let secret: string | undefined;
      if (wantsSecret) {
        expect(r.secret?.vaultKey).toBe(`profile:${c.target}:clientSecret`);
        secret = await vault.get(r.secret!.vaultKey);
        expect(secret).toBeTruthy();
        expect(app.secrets.map((s) => s.value)).toContain(secret);
        expect(JSON.stringify(r)).not.toContain(secret!);
        expect(captured.text()).not.toContain(secret!);
      } else expect(r.secret).toBeUndefined();

      // lint with the admin's read-only view, and with the secret the profile will use.
      const linted = { ...profile, clientId: r.appId!, tenant: TENANT };
      const lint = await lintRegistration(admin, linted, secret ? { secretValue: secret } : {});
      expect(lint.findings.filter((f) => f.severity !== 'info')).toEqual([]);

      // The mailbox proof with the created app.
      if (profile.flow === 'app-only' && profile.api === 'imap-smtp') {
        // Before the Exchange steps the IMAP check fails exactly as Exchange does.
        const pre = await mailboxChecks(emu, c, linted, secret, captured);
        expect(codes(pre).imap).toBe('imap-app-only-not-registered');
        expect(r.manualSteps.map((m) => m.id)).toEqual(expect.arrayContaining(['exchange-service-principal', 'exchange-mailbox-permission']));
        const sp = r.manualSteps.find((m) => m.id === 'exchange-service-principal')!;
        expect(sp.command).toContain(`-AppId '${r.appId}'`);
        expect(sp.command).toContain(`-ObjectId '${r.servicePrincipalId}'`);
        emu.admin.exchangeRegisterServicePrincipal({ appId: r.appId!, objectId: r.servicePrincipalId!, mailbox: c.mailbox, access: ['FullAccess', 'SendAs'] });
      }
      if (profile.flow === 'app-only' && profile.api === 'graph') {
        // Scoped by default (issue 19): nothing consented in Entra; the Exchange step (RBAC for Applications), with the
        // ids creation returned, is what an Exchange administrator runs to give the app this one mailbox.
        expect(r.desired.mailboxScope).toBe('exchange-rbac');
        const step = r.manualSteps.find((m) => m.id === 'limit-mailbox-scope')!;
        expect(step.optional).toBeFalsy();
        expect(step.command).toContain(`-ObjectId '${r.servicePrincipalId}'`);
        emu.admin.exchangeRegisterServicePrincipal({ appId: r.appId!, objectId: r.servicePrincipalId! });
        for (const role of ['Mail.Read', 'Mail.Send'] as const) emu.admin.exchangeAssignGraphRole({ app: r.servicePrincipalId!, role, mailboxes: [c.mailbox] });
      }
      // As main records it after a scoped creation: the token carries no Entra mail roles by design.
      const checked = r.desired.mailboxScope === 'exchange-rbac' ? { ...linted, mailboxScope: 'exchange-rbac' as const } : linted;
      const run = await mailboxChecks(emu, c, checked, secret, captured);
      expect(codes(run)).toEqual(profile.api === 'graph' ? ALL_GRAPH : ALL_IMAP_SMTP);
      if (secret) expect(captured.text()).not.toContain(secret);

      // Idempotent: a second register plans nothing and the directory is unchanged.
      const again = await planFor(admin, linted);
      expect(again.plan.steps).toEqual([]);
      const r2 = await registerRegistration(admin, linted, { vault: new MemoryVault(), plan: again });
      expect(r2.applied).toEqual([]);
      expect(r2.secret).toBeUndefined();
      // ... and by display name when the profile has no client id yet (an interrupted first run).
      const byName = await planFor(admin, profile);
      expect(byName.actual.application?.appId).toBe(r.appId);
      expect(byName.plan.steps).toEqual([]);
      const final = emu.admin.directory(TENANT);
      const mine = (d: typeof final) => ({
        apps: d.apps.filter((a) => a.displayName === app.displayName).length,
        secrets: d.apps.find((a) => a.clientId === r.appId)!.secrets.length,
        grants: d.grants.filter((g) => g.clientId === app.servicePrincipalId).length,
        assignments: d.assignments.filter((a) => a.principalId === app.servicePrincipalId || a.resourceId === app.servicePrincipalId).length,
      });
      expect(mine(final)).toEqual(mine(after));
      expect(mine(final).apps).toBe(1);
    }, 90_000);
  }

  it('a second connection for the same system finds the app by name and gets a secret of its own (needSecret); without it, none is made', async () => {
    const c = CASES.find((x) => x.target === 'odoo')!;
    const profile = profileFor(emu, c);
    const existing = await planFor(admin, profile);
    expect(existing.actual.application).not.toBeNull();
    // The app's secrets are valid, so a plain plan adds none: a new connection would hold no Value.
    expect(existing.plan.steps.map((s) => s.kind)).not.toContain('add-password');
    const planned = await planFor(admin, profile, { needSecret: true });
    expect(planned.plan.steps.map((s) => s.kind)).toEqual(['add-password']);
    const appId = existing.actual.application!.appId;
    const before = emu.admin.directory(TENANT).apps.find((a) => a.clientId === appId)!.secrets.length;
    const vault = new MemoryVault();
    const r = await registerRegistration(admin, profile, { vault, vaultKey: 'profile:odoo-second:clientSecret', needSecret: true });
    expect(r.notDone).toEqual([]);
    expect(r.appId).toBe(appId);
    const app = emu.admin.directory(TENANT).apps.find((a) => a.clientId === appId)!;
    expect(app.secrets.length).toBe(before + 1);
    const secret = await vault.get('profile:odoo-second:clientSecret');
    expect(app.secrets.map((x) => x.value)).toContain(secret);
  }, 90_000);
});
