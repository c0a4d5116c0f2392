import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoScenario, GRAPH_CLI_APP_ID, startEmulator, type Emulator } from './index.js';
import { kit } from './testkit.js';

/*
 * emulator.reset() (issue 23): the e2e tier keeps one emulator per Playwright worker and resets it between
 * spec files, so a reset must leave nothing of what came before: each kind of state a test can change is
 * changed here, then the emulator must look as it did when it started (or as another scenario declares).
 */
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const ADMIN_SCOPES = 'Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All Policy.Read.All Directory.Read.All User.Read';
const WEB_APP = '11111111-2222-4333-8444-000000000001';
const DEMO_USER = { upn: 'reception@fabrikam.com', password: 'Reception-Pass-1' };
let emu: Emulator;
const adminToken = () => emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: ADMIN_SCOPES });

beforeAll(async () => {
  emu = await startEmulator(structuredClone(demoScenario));
});
afterAll(async () => {
  await emu?.stop();
});

/** Everything a test can observe of the emulator's state, as plain data. */
function snapshot() {
  return {
    directory: emu.admin.directory(),
    scenario: structuredClone(emu.scenario),
    faults: emu.admin.faults(),
    messages: emu.scenario.users.map((u) => emu.admin.messages(u.upn).length),
    imapDecisions: emu.admin.imapDecisions.length,
    popDecisions: emu.admin.popDecisions.length,
  };
}

describe('emulator: reset()', () => {
  it('a created app, consent, settings, faults, mail, tokens, sessions and the clock are all back to the scenario', async () => {
    const fresh = snapshot();
    const k = kit(emu);

    // Every kind of change a test makes: an app through Graph, consent, admin settings, a fault, mail, a sign-in, time.
    const created = await k.graph('POST', '/applications', adminToken(), { displayName: 'made before the reset', signInAudience: 'AzureADMyOrg' });
    expect(created.status).toBe(201);
    const oldToken = adminToken();
    expect((await k.graph('GET', '/organization', oldToken)).status).toBe(200);
    emu.admin.userConsents({ clientId: WEB_APP, upn: 'sales@fabrikam.com', names: ['User.Read'] });
    emu.admin.setMailbox('reception@fabrikam.com', { imapEnabled: false, smtpAuthDisabled: true });
    emu.admin.setTenant(TENANT, { smtpAuthDisabled: true, userConsentAllowed: false });
    emu.admin.setUser('sales@fabrikam.com', { isAdmin: true });
    emu.admin.setApp(WEB_APP, { delegatedAdminConsent: false });
    await emu.admin.setFault('replicationLagSeconds', 30);
    await emu.admin.setFault('graphThrottle', { count: 1, retryAfterSeconds: 1 });
    emu.admin.deliver('reception@fabrikam.com', 'Subject: before the reset\r\n\r\nhello\r\n');
    expect(await k.imapLogin('reception@fabrikam.com', emu.admin.issueToken({ upn: 'reception@fabrikam.com', clientId: WEB_APP }))).toBe(false); // IMAP off: refused, and logged
    emu.clock.advance(3_600_000);
    expect(snapshot()).not.toEqual(fresh);

    await emu.reset();

    expect(snapshot()).toEqual(fresh);
    expect(emu.admin.directory(TENANT).apps.some((a) => a.displayName === 'made before the reset')).toBe(false);
    expect(emu.clock.skippedMs).toBe(0);
    const k2 = kit(emu);
    // A token signed before the reset is refused (new signing key); one signed after works, unthrottled.
    expect((await k2.graph('GET', '/organization', oldToken)).status).toBe(401);
    expect((await k2.graph('GET', '/applications', adminToken())).status).toBe(200);
    // The mailbox works again as the scenario has it (IMAP on), and is empty.
    expect(await k2.imapLogin('reception@fabrikam.com', emu.admin.issueToken({ upn: 'reception@fabrikam.com', clientId: WEB_APP }))).toBe(true);
    expect(emu.admin.messages('reception@fabrikam.com')).toEqual([]);
  });

  it('browser sessions end: after a reset the browser that was signed in is asked for the account again', async () => {
    const k = kit(emu);
    const auth = (prompt = '') =>
      `${emu.loginUrl}/${TENANT}/oauth2/v2.0/authorize?client_id=${WEB_APP}&response_type=code&redirect_uri=${encodeURIComponent('https://erp.fabrikam.com/microsoft_outlook/confirm')}&scope=${encodeURIComponent('https://outlook.office.com/IMAP.AccessAsUser.All offline_access')}${prompt}`;
    // Sign in as a browser would, keeping the session cookie.
    let r = await k.http('GET', auth());
    const cookie = String(r.headers['set-cookie'] ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^ESTSAUTH=/);
    for (let i = 0; i < 6 && r.status !== 302; i++) {
      const flow = /name="flow" value="([^"]+)"/.exec(r.text)?.[1] ?? '';
      const form: Record<string, string> = r.text.includes('id="i0116"') ? { step: 'username', loginfmt: DEMO_USER.upn } : r.text.includes('id="i0118"') ? { step: 'password', passwd: DEMO_USER.password } : { step: 'consent', accept: 'yes' };
      r = await k.http('POST', `${emu.loginUrl}/_flow`, { flow, ...form }, cookie);
    }
    expect(r.status).toBe(302);
    const picker = () => k.http('GET', auth('&prompt=select_account'), undefined, cookie);
    expect((await picker()).text).toMatch(/Pick an account/);
    await emu.reset();
    const after = await kit(emu).http('GET', auth('&prompt=select_account'), undefined, cookie);
    expect(after.text).not.toMatch(/Pick an account/);
    expect(after.text).toMatch(/id="i0116"/);
  });

  it('another scenario: its users and mailboxes, the old ones gone; a reset without one returns to the starting scenario', async () => {
    const other = structuredClone(demoScenario);
    other.name = 'reset-other';
    other.users = other.users.filter((u) => u.upn !== 'sales@fabrikam.com');
    await emu.reset(other);
    expect(emu.scenario.name).toBe('reset-other');
    expect(emu.scenario.users.some((u) => u.upn === 'sales@fabrikam.com')).toBe(false);
    expect(() => emu.admin.messages('sales@fabrikam.com')).not.toThrow();
    expect(() => emu.admin.setUser('sales@fabrikam.com', { isAdmin: true })).toThrow(/unknown user/);
    await emu.reset();
    expect(emu.scenario.name).toBe(demoScenario.name);
    expect(emu.scenario.users.some((u) => u.upn === 'sales@fabrikam.com')).toBe(true);
  });
});
