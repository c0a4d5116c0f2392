import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryVault } from '../../../electron/engine';
import type { PushOutcome, PushPlan } from '../../../electron/engine/targets';
import type { Emulator } from '../../emulator/index';
import { startEmailEngine, type EmailEngineStandIn } from '../../standins/emailengine';
import { microsoftFrom } from '../../standins/microsoft';
import { closeBrowser, launchBrowser, type Person } from '../helpers/authWindow';
import { startTarget, TENANT, withRegistration } from '../targets/helpers';
import { codeOf, provenProfile, request, run, Transcript, type Proven } from './helpers';

const SUPPORT: Person = { upn: 'support@fabrikam.com', password: 'Support-Pass-1' };
const IMAP_APP = '7a3e0c11-0014-4b5c-8d6e-000000000014';
const API_TOKEN = 'ee-api-token-0123456789abcdef0123456789abcdef0123456789abcdef';
const METRICS_TOKEN = 'ee-metrics-token-fedcba9876543210fedcba9876543210fedcba98';
const wizard = { target: 'emailengine', name: 'Fabrikam - EmailEngine support', targetInputs: { baseUrl: 'https://emailengine.fabrikam.com', baseScope: 'imap', audience: 'single' }, tenant: TENANT, clientId: IMAP_APP, mailbox: SUPPORT.upn };

let emu: Emulator;
let ee: EmailEngineStandIn;
let proven: Proven;
const t = new Transcript();
beforeAll(async () => {
  emu = await startTarget('emailengine');
  await launchBrowser();
  proven = await provenProfile(emu, SUPPORT, wizard, IMAP_APP);
  ee = await startEmailEngine({ microsoft: microsoftFrom(emu), tokens: [{ token: API_TOKEN, scopes: ['api'] }, { token: METRICS_TOKEN, scopes: ['metrics'] }] });
});
afterAll(async () => {
  t.expectClean([proven?.secret, proven?.refreshToken, API_TOKEN, METRICS_TOKEN]);
  await ee?.stop();
  await closeBrowser();
  await emu?.stop();
});

const conn = () => ({ kind: 'emailengine' as const, url: ee.url });
const creds = (accessToken = API_TOKEN) => ({ kind: 'emailengine' as const, accessToken });

describe('EmailEngine: from a proven profile to a connected account, through its REST API', () => {
  it('Test target connection proves the token and reads the version', async () => {
    const r = await run('test', request(proven, 'ee-push-0001', conn(), creds()), proven.deps, t);
    expect(r.ok && r.value.version).toBe('EmailEngine 2.79.2');
  });

  it('push: plan first, then the OAuth2 app and the account with the refresh token; EmailEngine refreshes it at the emulator and logs in to IMAP: connected', async () => {
    const planned = await run('plan', request(proven, 'ee-push-0001', conn(), creds()), proven.deps, t);
    expect(planned.ok).toBe(true);
    const plan = (planned as { value: PushPlan }).value;
    expect(plan.items.map((i) => [i.id, i.action])).toEqual([['oauth2-app', 'create'], ['account', 'create']]);
    expect(plan.items[0]!.fields).toMatchObject({ provider: 'outlook', clientId: IMAP_APP, authority: TENANT, cloud: 'global', redirectUrl: 'https://emailengine.fabrikam.com/oauth', baseScopes: 'imap', clientSecret: '•••• (from the vault)' });
    expect(ee.writes()).toBe(0); // planning writes nothing

    const decisionsBefore = emu.admin.imapDecisions.length;
    const r = await run('push', request(proven, 'ee-push-0001', conn(), creds()), proven.deps, t);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const o = (r as { value: PushOutcome }).value;
    expect(o.status).toBe('configured');
    expect(o.readBack).toEqual({ 'oauth2-app': true, account: true });
    expect(o.targetTest).toMatchObject({ ran: true, passed: true });
    const [app] = [...ee.apps.values()];
    expect(app).toMatchObject({ provider: 'outlook', clientId: IMAP_APP, clientSecret: proven.secret, authority: TENANT, redirectUrl: 'https://emailengine.fabrikam.com/oauth', enabled: true });
    const account = ee.accounts.get('support-fabrikam-com')!;
    expect(account.state).toBe('connected');
    expect(account.oauth2.auth.user).toBe(SUPPORT.upn);
    // The stand-in really logged in to the emulator's Dovecot as the mailbox, with a token it refreshed itself.
    const decisions = emu.admin.imapDecisions.slice(decisionsBefore);
    expect(decisions.some((d) => JSON.stringify(d).includes(SUPPORT.upn))).toBe(true);
  });

  it('a second push changes nothing: every plan item unchanged, no write reaches EmailEngine', async () => {
    const writes = ee.writes();
    const r = await run('push', request(proven, 'ee-push-0001', conn(), creds()), proven.deps, t);
    expect(r.ok).toBe(true);
    const o = (r as { value: PushOutcome }).value;
    expect(o.plan.upToDate).toBe(true);
    expect(o.plan.items.map((i) => i.action)).toEqual(['unchanged', 'unchanged']);
    expect(o.applied).toEqual([]);
    expect(ee.writes()).toBe(writes);
    expect(ee.apps.size).toBe(1);
    expect(ee.accounts.size).toBe(1);
  });

  it("a renewed secret reaches EmailEngine through PUT /v1/oauth2/{app} with only the keys UpdateOAuthApp accepts (no baseScopes, no provider)", async () => {
    const renewed = `${proven.secret}-renewed`;
    const writes = ee.writes();
    const r = await run('push', request(proven, 'ee-push-0001', conn(), creds(), { clientSecret: renewed }), proven.deps, t);
    t.expectClean([renewed]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const o = (r as { value: PushOutcome }).value;
    expect(o.plan.items.find((i) => i.id === 'oauth2-app')).toMatchObject({ action: 'update', changed: ['clientSecret'] });
    expect(o.applied).toEqual(['oauth2-app']);
    expect(ee.log.filter((l) => l.startsWith('PUT '))).toHaveLength(1);
    const [app] = [...ee.apps.values()];
    expect(app!.clientSecret).toBe(renewed);
    expect(ee.writes()).toBe(writes + 1);
    // and back to the proven secret, so the tests below see the app as the first push left it
    const back = await run('push', request(proven, 'ee-push-0001', conn(), creds()), proven.deps, t);
    expect(back.ok, JSON.stringify(back)).toBe(true);
    expect([...ee.apps.values()][0]!.clientSecret).toBe(proven.secret);
  });

  it('a push bound to the plan the person confirmed writes nothing when EmailEngine changed in between (target-plan-changed), and writes once the new plan is confirmed', async () => {
    const renewed = `${proven.secret}-bound`;
    const planned = await run('plan', request(proven, 'ee-push-0001', conn(), creds(), { clientSecret: renewed }), proven.deps, t);
    const confirmed = (planned as { value: PushPlan }).value;
    expect(confirmed.items.map((i) => [i.id, i.action])).toEqual([['oauth2-app', 'update'], ['account', 'unchanged']]);
    // Someone removes the account in EmailEngine after the plan was shown and confirmed.
    const [accountId, account] = [...ee.accounts.entries()][0]!;
    ee.accounts.delete(accountId);
    const writes = ee.writes();
    const refused = await run('push', request(proven, 'ee-push-0001', conn(), creds(), { clientSecret: renewed, expected: confirmed }), proven.deps, t);
    expect(codeOf(refused)).toBe('target-plan-changed');
    expect(!refused.ok && refused.diagnosis.evidence.text).toContain('now also: account create');
    expect(ee.writes()).toBe(writes);
    expect([...ee.apps.values()][0]!.clientSecret).toBe(proven.secret);
    // The plan read again and confirmed: written.
    const again = (await run('plan', request(proven, 'ee-push-0001', conn(), creds(), { clientSecret: renewed }), proven.deps, t)) as { value: PushPlan };
    const r = await run('push', request(proven, 'ee-push-0001', conn(), creds(), { clientSecret: renewed, expected: again.value }), proven.deps, t);
    t.expectClean([renewed]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect((r as { value: PushOutcome }).value.applied.sort()).toEqual(['account', 'oauth2-app']);
    // back to the proven secret and the first push's account, for the tests below
    const back = await run('push', request(proven, 'ee-push-0001', conn(), creds()), proven.deps, t);
    expect(back.ok, JSON.stringify(back)).toBe(true);
    expect(ee.accounts.get(accountId)?.state ?? account.state).toBe(account.state);
  });

  it('without a refresh token to hand over: the app is configured, the account is left to one button', async () => {
    const fresh = { ...proven, deps: { ...proven.deps, vault: new MemoryVault() } };
    const other = await startEmailEngine({ microsoft: microsoftFrom(emu), tokens: [{ token: API_TOKEN, scopes: ['api'] }] });
    try {
      const r = await run('push', request(fresh, 'ee-push-0002', { kind: 'emailengine', url: other.url }, creds()), fresh.deps, t);
      const o = (r as { value: PushOutcome }).value;
      expect(o.status).toBe('partial');
      expect(o.button).toBe('Add account, then Sign in with Microsoft (as the mailbox user)');
      expect(o.diagnosis?.code).toBe('target-token-not-available');
      expect(other.apps.size).toBe(1);
      expect(other.accounts.size).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it('the "Outlook (application)" variant: client credentials, tenant id as authority, no redirect; EmailEngine gets an app token and reads the mailbox through Graph', async () => {
    const other = await startEmailEngine({ microsoft: microsoftFrom(emu), tokens: [{ token: API_TOKEN, scopes: ['api'] }] });
    try {
      await withRegistration(emu, IMAP_APP, { applicationPermissions: [{ resource: 'graph', name: 'Mail.ReadWrite' }, { resource: 'graph', name: 'Mail.Send' }], applicationAdminConsent: true }, async () => {
        const service = { ...proven, profile: { ...proven.profile, flow: 'app-only' as const, api: 'graph' as const, targetInputs: { ...proven.profile.targetInputs, provider: 'outlookService' } } };
        const r = await run('push', request(service, 'ee-push-0007', { kind: 'emailengine', url: other.url }, creds()), service.deps, t);
        expect(r.ok, JSON.stringify(r)).toBe(true);
        const o = (r as { value: PushOutcome }).value;
        expect(o.plan.items[0]!.fields).toEqual({ name: 'EmailEngine mail', provider: 'outlookService', enabled: 'true', clientId: IMAP_APP, clientSecret: '•••• (from the vault)', authority: TENANT, cloud: 'global' });
        expect(o.plan.items[1]!.fields['oauth2.refreshToken']).toBeUndefined();
        expect(o.status, o.summary).toBe('configured');
        expect([...other.apps.values()][0]).toMatchObject({ provider: 'outlookService', authority: TENANT });
        expect([...other.apps.values()][0]!.redirectUrl).toBeUndefined();
        expect(other.accounts.get('support-fabrikam-com')).toMatchObject({ state: 'connected' });
      });
    } finally {
      await other.stop();
    }
  });

  describe('failures, each with its diagnosis', () => {
    it('bad token → target-bad-credentials (EmailEngine: 401 Bad token)', async () => {
      const r = await run('test', request(proven, 'ee-push-0003', conn(), creds('not-the-token-0000000000000000000000')), proven.deps, t);
      expect(codeOf(r)).toBe('target-bad-credentials');
      expect(!r.ok && r.diagnosis.evidence.text).toBe('Bad token');
    });
    it('a metrics-only token → target-insufficient-rights at the plan', async () => {
      const r = await run('plan', request(proven, 'ee-push-0003', conn(), creds(METRICS_TOKEN)), proven.deps, t);
      expect(codeOf(r)).toBe('target-insufficient-rights');
    });
    it('nothing listening → target-unreachable; a page that is not EmailEngine → target-not-recognised; plain http to a remote host → target-address-invalid', async () => {
      expect(codeOf(await run('test', request(proven, 'ee-push-0003', { kind: 'emailengine', url: `http://127.0.0.1:${await emu.admin.closedPort()}` }, creds()), proven.deps, t))).toBe('target-unreachable');
      expect(codeOf(await run('test', request(proven, 'ee-push-0003', { kind: 'emailengine', url: emu.graphUrl }, creds()), proven.deps, t))).toBe('target-not-recognised');
      expect(codeOf(await run('test', request(proven, 'ee-push-0003', { kind: 'emailengine', url: 'http://emailengine.fabrikam.com' }, creds()), proven.deps, t))).toBe('target-address-invalid');
    });
    it('EmailEngine 1.x → target-version-unsupported', async () => {
      const old = await startEmailEngine({ microsoft: microsoftFrom(emu), version: '1.14.5', tokens: [{ token: API_TOKEN, scopes: ['api'] }] });
      try {
        expect(codeOf(await run('test', request(proven, 'ee-push-0008', { kind: 'emailengine', url: old.url }, creds()), proven.deps, t))).toBe('target-version-unsupported');
      } finally {
        await old.stop();
      }
    });
    it("EmailEngine's own validation message → target-validation, in its words", async () => {
      const long = { ...proven, profile: { ...proven.profile, targetInputs: { ...proven.profile.targetInputs, appName: 'x'.repeat(300) } } };
      const r = await run('push', request(long, 'ee-push-0004', conn(), creds()), proven.deps, t);
      expect(codeOf(r)).toBe('target-validation');
      expect(!r.ok && r.diagnosis.evidence.text).toBe('Invalid input: "name" length must be less than or equal to 256 characters long');
    });
    it('an app-only profile with the delegated app type → target-profile-unsupported, nothing written', async () => {
      const writes = ee.writes();
      const appOnly = { ...proven, profile: { ...proven.profile, flow: 'app-only' as const } };
      const r = await run('push', request(appOnly, 'ee-push-0005', conn(), creds()), proven.deps, t);
      expect(codeOf(r)).toBe('target-profile-unsupported');
      expect(ee.writes()).toBe(writes);
    });
    it("the target's own test fails (refresh token revoked) → target-test-failed with Microsoft's words", async () => {
      const other = await startEmailEngine({ microsoft: microsoftFrom(emu), tokens: [{ token: API_TOKEN, scopes: ['api'] }] });
      try {
        emu.admin.revokeRefreshTokens(SUPPORT.upn);
        const r = await run('push', request(proven, 'ee-push-0006', { kind: 'emailengine', url: other.url }, creds()), proven.deps, t);
        const o = (r as { value: PushOutcome }).value;
        expect(o.status).toBe('failed');
        expect(o.diagnosis?.code).toBe('target-test-failed');
        expect(o.diagnosis?.evidence.text).toMatch(/AADSTS50173/);
        expect(other.accounts.get('support-fabrikam-com')?.state).toBe('authenticationError');
      } finally {
        await other.stop();
      }
    });
  });
});
