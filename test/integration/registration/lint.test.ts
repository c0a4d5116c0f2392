/**
 * Issue 9, "Must show": a registration made wrong on purpose for each finding is caught with its code
 * (lint against the emulator's Graph directory); `register` fixes each fixable one and lint is clean
 * afterwards; the unfixable ones say who must do what. Each case starts from a registration the engine
 * created correctly, then breaks it as a person would in the portal (or through Graph).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App, Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser } from '../helpers/authWindow';
import { MemoryVault } from '../../../electron/engine';
import { lintRegistration, registerRegistration, type AdminSession } from '../../../electron/engine/registration';
import type { Profile } from '../../../shared/profile';
import type { RegistrationFinding } from '../../../shared/registration/types';
import { adminSession, CASES, GLOBAL_ADMIN, profileFor, startRegistrationEmulator, TENANT } from './harness';

let emu: Emulator;
let admin: AdminSession;
beforeAll(async () => {
  emu = await startRegistrationEmulator();
  await launchBrowser();
  admin = await adminSession(emu, GLOBAL_ADMIN, 'write');
}, 90_000);
afterEach(async () => {
  await emu.admin.clearFaults();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

interface Made {
  profile: Profile;
  appId: string;
  spId: string;
  secret: string | undefined;
  app: () => App;
  /** Made with app-only Graph mail consented tenant-wide (every mailbox), not the scoped default (issue 19). */
  scope?: 'tenant';
}

let n = 0;
const correct = new Map<string, Made>();
/**
 * A correct registration for the target, made by the engine once and shared by the cases of that
 * target: each case checks lint is clean before it breaks anything, and leaves it clean (fixed).
 */
async function reused(target: string, scope?: 'tenant'): Promise<Made> {
  const key = `${target}|${scope ?? ''}`;
  let m = correct.get(key);
  if (!m) correct.set(key, (m = await made(target, {}, scope)));
  return m;
}
/** A fresh correct registration for the target, made by the engine. */
async function made(target: string, patch: Partial<Profile> = {}, scope?: 'tenant'): Promise<Made> {
  const c = CASES.find((x) => x.target === target)!;
  const base = { ...profileFor(emu, c), ...patch };
  const displayName = `${target} lint case ${++n}`;
  const vault = new MemoryVault();
  const r = await registerRegistration(admin, base, { vault, desired: { displayName, ...(scope ? { mailboxScope: scope } : {}) } });
  expect(r.notDone).toEqual([]);
  const profile = { ...base, clientId: r.appId!, tenant: TENANT };
  const secret = r.secret ? await vault.get(r.secret.vaultKey) : undefined;
  return { profile, appId: r.appId!, spId: r.servicePrincipalId!, secret, app: () => emu.scenario.apps.find((a) => a.clientId === r.appId)!, ...(scope ? { scope } : {}) };
}
const opts = (m: Made) => ({ desired: { displayName: m.app().displayName, ...(m.scope ? { mailboxScope: m.scope } : {}) } });
const lintCodes = async (m: Made, o: { secretValue?: string; profile?: Profile } = {}) => (await lintRegistration(admin, o.profile ?? m.profile, { ...opts(m), ...(o.secretValue ? { secretValue: o.secretValue } : {}) })).findings;
const codesOf = (f: RegistrationFinding[]) => f.map((x) => x.code);

interface Case {
  code: string;
  target: string;
  /** Break the registration. */
  breakIt: (m: Made) => Promise<void> | void;
  /** Extra codes the same break legitimately causes. */
  alsoCodes?: string[];
  /** The registration consents the app-only Graph mail permissions tenant-wide (chosen, not the default). */
  everyMailbox?: boolean;
}

const redirect = 'https://erp.fabrikam.com/microsoft_outlook/confirm';

/** Fixable findings: caught with the code, register fixes them, lint is clean afterwards. */
const FIXABLE: Case[] = [
  { code: 'registration-redirect-missing', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { webRedirectUris: [] }) },
  { code: 'registration-redirect-wrong-platform', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { webRedirectUris: [], publicClientRedirectUris: [redirect] }) },
  { code: 'registration-redirect-differs-case', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { webRedirectUris: ['https://erp.fabrikam.com/Microsoft_Outlook/confirm'] }) },
  { code: 'registration-redirect-differs-scheme', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { webRedirectUris: ['http://erp.fabrikam.com/microsoft_outlook/confirm'] }) },
  { code: 'registration-redirect-differs-port', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { webRedirectUris: ['https://erp.fabrikam.com:8443/microsoft_outlook/confirm'] }) },
  { code: 'registration-redirect-differs-trailing-slash', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { webRedirectUris: [`${redirect}/`] }) },
  { code: 'registration-audience-single-tenant', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { signInAudience: 'AzureADMyOrg' }) },
  { code: 'registration-audience-no-personal', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { signInAudience: 'AzureADMultipleOrgs' }) },
  { code: 'registration-audience-mismatch', target: 'flexdeploy', breakIt: (m) => emu.admin.setApp(m.appId, { signInAudience: 'AzureADMultipleOrgs' }) },
  { code: 'registration-token-version-missing', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { requestedAccessTokenVersion: null }) },
  { code: 'registration-public-client-off', target: 'cxt', breakIt: (m) => emu.admin.setApp(m.appId, { allowPublicClientFlows: false }) },
  { code: 'registration-implicit-grant-off', target: 'cxt', breakIt: (m) => emu.admin.setApp(m.appId, { implicitGrant: { accessTokens: false, idTokens: false } }) },
  {
    code: 'registration-permission-missing',
    target: 'odoo',
    alsoCodes: ['registration-consent-missing'],
    breakIt: async (m) => {
      emu.admin.setApp(m.appId, { delegatedPermissions: m.app().delegatedPermissions.filter((p) => p.name !== 'SMTP.Send') });
      const grants = await admin.graph.list<{ id: string; scope: string }>(`/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${m.spId}'`)}`);
      for (const g of grants) await admin.graph.patch(`/oauth2PermissionGrants/${g.id}`, { scope: g.scope.split(' ').filter((x) => x !== 'SMTP.Send').join(' ') });
    },
  },
  // The portal's "Remove permission" leaves the grant: configured no more, still granted.
  { code: 'registration-consent-not-declared', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { delegatedPermissions: m.app().delegatedPermissions.filter((p) => p.name !== 'SMTP.Send') }) },
  { code: 'registration-permission-wrong-type', target: 'generic-graph', alsoCodes: ['registration-consent-not-declared', 'registration-permission-not-needed'], breakIt: (m) => emu.admin.setApp(m.appId, { delegatedPermissions: m.app().delegatedPermissions.filter((p) => p.name !== 'Mail.Send'), applicationPermissions: [{ resource: 'graph', name: 'Mail.Send' }] }) },
  { code: 'registration-permission-wrong-resource', target: 'odoo', alsoCodes: ['registration-consent-not-declared', 'registration-permission-not-needed'], breakIt: (m) => emu.admin.setApp(m.appId, { delegatedPermissions: m.app().delegatedPermissions.map((p) => (p.name === 'IMAP.AccessAsUser.All' ? { resource: 'outlook' as const, name: p.name } : p)) }) },
  {
    code: 'registration-service-principal-missing',
    target: 'odoo',
    breakIt: async (m) => {
      await admin.graph.delete(`/servicePrincipals/${m.spId}`);
    },
  },
  {
    code: 'registration-consent-missing',
    target: 'odoo',
    breakIt: async (m) => {
      const grants = await admin.graph.list<{ id: string }>(`/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${m.spId}'`)}`);
      for (const g of grants) await admin.graph.delete(`/oauth2PermissionGrants/${g.id}`);
    },
  },
  {
    code: 'registration-consent-missing',
    target: 'cxt',
    everyMailbox: true,
    breakIt: async (m) => {
      const roles = await admin.graph.list<{ id: string; resourceId: string }>(`/servicePrincipals/${m.spId}/appRoleAssignments`);
      for (const r of roles) await admin.graph.delete(`/servicePrincipals/${m.spId}/appRoleAssignments/${r.id}`);
    },
  },
  // registration-assignment-not-required is no longer fixable (issue 19: a separate opt-in, never part of Fix everything).
  {
    code: 'registration-mailbox-not-assigned',
    target: 'flectra',
    breakIt: async (m) => {
      const to = await admin.graph.list<{ id: string; principalType: string }>(`/servicePrincipals/${m.spId}/appRoleAssignedTo`);
      for (const a of to.filter((x) => x.principalType === 'User')) await admin.graph.delete(`/servicePrincipals/${m.spId}/appRoleAssignedTo/${a.id}`);
    },
  },
  { code: 'registration-secret-none', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { secrets: [] }) },
  { code: 'registration-secret-expired', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { secrets: m.app().secrets.map((s) => ({ ...s, expires: '2026-01-01T00:00:00Z' })) }) },
  { code: 'registration-secret-expiring', target: 'odoo', breakIt: (m) => emu.admin.setApp(m.appId, { secrets: m.app().secrets.map((s) => ({ ...s, expires: new Date(Date.now() + 10 * 86_400_000).toISOString() })) }) },
];

describe('lint catches each fixable finding; register fixes it; lint is clean afterwards', () => {
  for (const c of FIXABLE) {
    it(`${c.code} (${c.target})`, async () => {
      const m = await reused(c.target, c.everyMailbox ? 'tenant' : undefined);
      expect((await lintCodes(m)).filter((f) => f.severity !== 'info')).toEqual([]);
      await c.breakIt(m);
      const found = await lintCodes(m);
      const mine = found.find((f) => f.code === c.code);
      expect(mine, JSON.stringify(codesOf(found))).toBeDefined();
      expect(mine!.fixable).toBe(true);
      expect(codesOf(found).every((x) => x === c.code || (c.alsoCodes ?? []).includes(x))).toBe(true);

      const r = await registerRegistration(admin, m.profile, { vault: new MemoryVault(), ...opts(m) });
      expect(r.notDone).toEqual([]);
      expect(r.applied.length).toBeGreaterThan(0);
      m.spId = r.servicePrincipalId!;
      const after = (await lintCodes(m)).filter((f) => f.severity !== 'info' && f.code !== 'registration-permission-not-needed');
      expect(codesOf(after)).toEqual([]);
      // No second app was created while fixing.
      expect(emu.admin.directory(TENANT).apps.filter((a) => a.displayName === m.app().displayName)).toHaveLength(1);
    }, 30_000);
  }
});

describe('unfixable findings say who must do what', () => {
  const expectWho = (found: RegistrationFinding[], code: string) => {
    const f = found.find((x) => x.code === code);
    expect(f, JSON.stringify(codesOf(found))).toBeDefined();
    expect(f!.fixable).toBe(false);
    expect(f!.who).toMatch(/\w/);
    return f!;
  };

  it('registration-app-missing: no app with this client id (fixable: register creates it, as the register tests show)', async () => {
    const c = CASES.find((x) => x.target === 'odoo')!;
    const found = (await lintRegistration(admin, { ...profileFor(emu, c), clientId: '0badc0de-0000-4000-8000-000000000000' })).findings;
    expect(codesOf(found)).toContain('registration-app-missing');
    expect(found.find((f) => f.code === 'registration-app-missing')!.fixable).toBe(true);
  });

  it('registration-permission-not-needed: an extra permission is a least-privilege warning the assistant does not remove', async () => {
    const m = await made('odoo');
    emu.admin.setApp(m.appId, { delegatedPermissions: [...m.app().delegatedPermissions, { resource: 'graph', name: 'Mail.ReadWrite' }] });
    const f = expectWho(await lintCodes(m), 'registration-permission-not-needed');
    expect(f.severity).toBe('warning');
  });

  it('registration-mailbox-user-not-found: the mailbox is not a user of the tenant', async () => {
    const m = await made('flectra');
    expectWho(await lintCodes(m, { profile: { ...m.profile, mailbox: 'ghost@fabrikam.com' } }), 'registration-mailbox-user-not-found');
  });

  it('the secret typed is checked against the hints without any sign-in: Secret ID, another secret, an expired one', async () => {
    const m = await made('odoo');
    const keyId = m.app().secrets[0]!.id;
    expect(codesOf(await lintCodes(m, { secretValue: m.secret! }))).toEqual([]);
    expectWho(await lintCodes(m, { secretValue: keyId }), 'registration-secret-typed-is-id');
    expectWho(await lintCodes(m, { secretValue: 'Zzz~Not.The.Secret_Value_0123456789abcd' }), 'registration-secret-typed-unknown');
    const expired = { id: '5a6b7c8d-9999-4e2f-9a3b-000000009999', value: 'Exp~Old.Secret_Value_0123456789abcdefgh', displayName: 'old', expires: '2026-01-01T00:00:00Z' };
    emu.admin.setApp(m.appId, { secrets: [...m.app().secrets, expired] });
    expectWho(await lintCodes(m, { secretValue: expired.value }), 'registration-secret-typed-expired');
  });

  it('registration-secrets-blocked: the tenant policy forbids secrets; the plan adds none and says who can lift it', async () => {
    const m = await made('odoo');
    emu.admin.setApp(m.appId, { secrets: [] });
    await emu.admin.setFault('appPolicy', { passwordAdditionBlocked: true });
    const found = await lintCodes(m);
    expectWho(found, 'registration-secrets-blocked');
    const none = found.find((f) => f.code === 'registration-secret-none')!;
    expect(none.fixable).toBe(false);
    const r = await registerRegistration(admin, m.profile, { vault: new MemoryVault(), ...opts(m) });
    expect(r.plan.steps.map((s) => s.kind)).not.toContain('add-password');
    expect(r.plan.unfixable.map((f) => f.code)).toContain('registration-secrets-blocked');
  });

  it('registration-secret-lifetime-capped: the policy caps lifetimes; register creates the secret with the cap', async () => {
    const m = await made('odoo');
    emu.admin.setApp(m.appId, { secrets: [] });
    await emu.admin.setFault('appPolicy', { maxPasswordLifetime: 'P90D' });
    const found = await lintCodes(m);
    expect(codesOf(found)).toEqual(expect.arrayContaining(['registration-secret-none', 'registration-secret-lifetime-capped']));
    const vault = new MemoryVault();
    const r = await registerRegistration(admin, m.profile, { vault, ...opts(m) });
    expect(r.notDone).toEqual([]);
    expect(new Date(r.secret!.endDateTime).getTime()).toBeLessThanOrEqual(Date.now() + 90 * 86_400_000);
  });
});
