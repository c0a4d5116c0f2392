import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfidentialClientApplication, PublicClientApplication, CryptoProvider } from '@azure/msal-node';
import { chromium, type Browser, type Page, type Route } from '@playwright/test';
import https from 'node:https';
import { startEmulator, msalConfigFor, type Emulator } from './index.js';

const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const WEB = '11111111-2222-4333-8444-000000000001';
const WEB_SECRET = 'Erp~Secret.Value_0123456789abcdefGHIJ';
const WEB_SECRET_ID = '5a6b7c8d-0001-4e2f-9a3b-000000000051';
const WEB_EXPIRED = 'Old~Expired.Value_9876543210zyxwvuTSRQ';
const PUBLIC = '11111111-2222-4333-8444-000000000002';
const DAEMON = '11111111-2222-4333-8444-000000000003';
const DAEMON_SECRET = 'Daemon~Secret.Value_abcdefghijKLMNOP01';
const NOCONSENT = '11111111-2222-4333-8444-000000000004';
const NOREPLY = '11111111-2222-4333-8444-000000000006';
const REDIRECT = 'https://erp.fabrikam.com/microsoft_outlook/confirm';
const OUTLOOK = ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send'];

let emu: Emulator;
let browser: Browser;

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

/** POST a form to the emulator's token endpoint; returns status, headers, JSON body. */
function post(path: string, form: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = new URLSearchParams(form).toString();
    const req = https.request(`${emu.loginUrl}${path}`, { method: 'POST', ca: emu.caPem, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const redirects = new WeakMap<Page, URL[]>();
async function newPage(ctxFrom?: Page): Promise<Page> {
  const ctx = ctxFrom ? ctxFrom.context() : await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await ctx.newPage();
  const seen: URL[] = [];
  redirects.set(page, seen);
  // The redirect URI belongs to the target system: never let the browser leave the machine.
  const stop = async (r: Route) => {
    seen.push(new URL(r.request().url()));
    await r.fulfill({ status: 200, contentType: 'text/plain', body: 'intercepted' });
  };
  await page.route(/^https:\/\/erp\.fabrikam\.com\//, stop);
  await page.route(/^http:\/\/localhost(:\d+)?\//, stop);
  return page;
}
async function waitRedirect(page: Page): Promise<URL> {
  const seen = redirects.get(page) ?? [];
  for (let i = 0; i < 100 && seen.length === 0; i++) await page.waitForTimeout(20);
  const u = seen.shift();
  if (!u) throw new Error(`no redirect; page says: ${await page.locator('body').innerText()}`);
  return u;
}

/** Drive the sign-in pages; resolves with the redirect URL. */
async function signIn(page: Page, authUrl: string, upn: string, password: string, opts: { mfa?: string; consent?: boolean } = {}): Promise<URL> {
  await page.goto(authUrl);
  if (await page.locator('#i0116').count()) {
    await page.fill('#i0116', upn);
    await page.click('#idSIButton9');
    await page.fill('#i0118', password);
    await page.click('#idSIButton9');
  }
  if (opts.mfa) {
    await page.fill('#idTxtBx_SAOTCC_OTC', opts.mfa);
    await page.click('#idSubmit_SAOTCC_Continue');
  }
  if (opts.consent) await page.click('#idBtn_Accept');
  return waitRedirect(page);
}

beforeAll(async () => {
  emu = await startEmulator();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
});
afterAll(async () => {
  await browser?.close();
  await emu?.stop();
});

describe('Entra ID emulator with msal-node', () => {
  it('serves discovery, instance discovery and JWKS', async () => {
    const net = msalConfigFor(emu, { clientId: WEB, tenant: TENANT }).system?.networkClient;
    const disc = await net!.sendGetRequestAsync<Record<string, string>>(`${emu.loginUrl}/fabrikam.com/v2.0/.well-known/openid-configuration`);
    expect(disc.body.token_endpoint).toBe(`${emu.loginUrl}/fabrikam.com/oauth2/v2.0/token`);
    expect(disc.body.issuer).toBe(`${emu.loginUrl}/${TENANT}/v2.0`);
    const inst = await net!.sendGetRequestAsync<{ metadata: { preferred_network: string }[] }>(`${emu.loginUrl}/common/discovery/instance?api-version=1.1`);
    expect(inst.body.metadata[0]?.preferred_network).toBe(emu.loginHost);
    const keys = await net!.sendGetRequestAsync<{ keys: { kty: string }[] }>(`${emu.loginUrl}/${TENANT}/discovery/v2.0/keys`);
    expect(keys.body.keys[0]?.kty).toBe('RSA');
    const unknown = await net!.sendGetRequestAsync<{ error_codes: number[] }>(`${emu.loginUrl}/nope.example/v2.0/.well-known/openid-configuration`);
    expect(unknown.body.error_codes).toEqual([90002]);
  });

  it('auth code + PKCE through the sign-in pages (Playwright), then refresh, single-use code', async () => {
    const cca = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: WEB, clientSecret: WEB_SECRET, tenant: TENANT }));
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const authUrl = await cca.getAuthCodeUrl({ scopes: OUTLOOK, redirectUri: REDIRECT, state: 'st-1', codeChallenge: challenge, codeChallengeMethod: 'S256', prompt: 'select_account', loginHint: 'reception@fabrikam.com' });
    const page = await newPage();
    // first sign-in of this user for this app: consent page
    const back = await signIn(page, authUrl, 'reception@fabrikam.com', 'Reception-Pass-1', { consent: true });
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    const result = await cca.acquireTokenByCode({ code, redirectUri: REDIRECT, scopes: OUTLOOK, codeVerifier: verifier });
    const c = claims(result.accessToken);
    expect(c.aud).toBe('https://outlook.office.com');
    expect(c.scp).toBe('IMAP.AccessAsUser.All SMTP.Send');
    expect(c.upn).toBe('reception@fabrikam.com');
    expect(c.tid).toBe(TENANT);
    expect(c.appid).toBe(WEB);
    expect(result.account?.username).toBe('reception@fabrikam.com');
    expect(result.account?.homeAccountId).toBe(`${String(c.oid)}.${TENANT}`);
    // the code is single-use: AADSTS54005
    const again = await cca.acquireTokenByCode({ code, redirectUri: REDIRECT, scopes: OUTLOOK, codeVerifier: verifier }).catch((e: unknown) => e as { errorMessage?: string; errorCode?: string });
    expect(JSON.stringify(again)).toContain('AADSTS54005');
    // refresh through the cache (forceRefresh uses the refresh token)
    const refreshed = await cca.acquireTokenSilent({ account: result.account!, scopes: OUTLOOK, forceRefresh: true });
    expect(claims(refreshed.accessToken).upn).toBe('reception@fabrikam.com');
    // a Graph token from the same refresh token (separate resource)
    const g = await cca.acquireTokenSilent({ account: result.account!, scopes: ['https://graph.microsoft.com/User.Read'], forceRefresh: true }).catch((e: unknown) => e);
    expect(JSON.stringify(g)).toContain('65001'); // Graph User.Read not consented by this user yet
    // revoke: AADSTS50173
    emu.admin.revokeRefreshTokens('reception@fabrikam.com');
    const revoked = await cca.acquireTokenSilent({ account: result.account!, scopes: OUTLOOK, forceRefresh: true }).catch((e: unknown) => e);
    expect(JSON.stringify(revoked)).toContain('AADSTS50173');
    // second sign-in: SSO cookie + account picker; consent remembered
    const { verifier: v2, challenge: c2 } = await new CryptoProvider().generatePkceCodes();
    const url2 = await cca.getAuthCodeUrl({ scopes: OUTLOOK, redirectUri: REDIRECT, state: 'st-2', codeChallenge: c2, codeChallengeMethod: 'S256', prompt: 'select_account' });
    const page2 = await newPage(page);
    await page2.goto(url2);
    await page2.click('[data-test-id="reception@fabrikam.com"]');
    const r2 = await waitRedirect(page2);
    // wrong verifier: PKCE check
    const bad = await cca.acquireTokenByCode({ code: r2.searchParams.get('code') ?? '', redirectUri: REDIRECT, scopes: OUTLOOK, codeVerifier: v2 + 'x' }).catch((e: unknown) => e);
    expect(JSON.stringify(bad)).toContain('AADSTS501481');
    await page.context().close();
  });

  it('MFA user goes through the MFA page; wrong redirect and unknown app show error pages', async () => {
    const cca = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: WEB, clientSecret: WEB_SECRET, tenant: 'fabrikam.com' }));
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const page = await newPage();
    const url = await cca.getAuthCodeUrl({ scopes: OUTLOOK, redirectUri: REDIRECT, codeChallenge: challenge, codeChallengeMethod: 'S256', loginHint: 'admin@fabrikam.com' });
    const back = await signIn(page, url, 'admin@fabrikam.com', 'Admin-Pass-1', { mfa: '123456', consent: true });
    const r = await cca.acquireTokenByCode({ code: back.searchParams.get('code') ?? '', redirectUri: REDIRECT, scopes: OUTLOOK, codeVerifier: verifier });
    expect(claims(r.accessToken).amr).toEqual(['pwd', 'mfa']);
    // error pages
    const mismatch = await cca.getAuthCodeUrl({ scopes: OUTLOOK, redirectUri: 'https://erp.fabrikam.com/other' });
    await page.close();
    const ep = await newPage();
    await ep.goto(mismatch);
    await expect(ep.locator('#errorCode').innerText()).resolves.toContain('AADSTS50011');
    await ep.goto(mismatch.replace(WEB, '99999999-2222-4333-8444-000000000001'));
    await expect(ep.locator('#errorCode').innerText()).resolves.toContain('AADSTS700016');
    await ep.goto(mismatch.replace(`/fabrikam.com/`, '/nosuch.onmicrosoft.com/'));
    await expect(ep.locator('#errorCode').innerText()).resolves.toContain('AADSTS90002');
    await ep.goto(mismatch.replace(WEB, NOREPLY));
    await expect(ep.locator('#errorCode').innerText()).resolves.toContain('AADSTS500113');
    await ep.context().close();
  });

  it('client secret rules: Secret ID, wrong, expired, missing, public client with secret', async () => {
    const code = (secret?: string, client = WEB) => post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: client, scope: 'https://outlook.office365.com/.default', ...(secret !== undefined ? { client_secret: secret } : {}) });
    const id = await code(WEB_SECRET_ID);
    expect(id.status).toBe(401);
    expect(id.body.error_codes).toEqual([7000215]);
    expect(String(id.body.error_description)).toMatch(/^AADSTS7000215: Invalid client secret provided\. .*Trace ID: .* Correlation ID: .* Timestamp: /);
    expect((await code('nope')).body.error_codes).toEqual([7000215]);
    expect((await code(WEB_EXPIRED)).body.error_codes).toEqual([7000222]);
    expect((await code()).body.error_codes).toEqual([7000218]);
    // device code flow of a public client that sends a secret: 700025 is for auth code with a public redirect
    const pub = await post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'authorization_code', client_id: PUBLIC, code: 'x', redirect_uri: 'http://localhost', client_secret: 's' });
    expect(pub.body.error_codes).toEqual([9002313]);
    await emu.admin.setFault('secretExpired', true);
    expect((await code(WEB_SECRET)).body.error_codes).toEqual([7000222]);
    await emu.admin.clearFaults();
  });

  it('client credentials: roles only from admin-consented application permissions', async () => {
    const cca = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: DAEMON, clientSecret: DAEMON_SECRET, tenant: TENANT }));
    const r = await cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] });
    const c = claims(r!.accessToken);
    expect(c.aud).toBe('https://outlook.office365.com');
    expect(c.roles).toEqual(['IMAP.AccessAsApp', 'SMTP.SendAsApp']);
    expect(c.scp).toBeUndefined();
    const g = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(claims(g!.accessToken).roles).toEqual(['Mail.Read', 'Mail.Send']);
    const nc = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: NOCONSENT, clientSecret: 'NoConsent~Secret.Value_qrstuvwx2345', tenant: TENANT }));
    const n = await nc.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] });
    expect(claims(n!.accessToken).roles).toBeUndefined();
  });

  it('scope errors 700022, 650053, 70011, /common 50194, 429 + Retry-After, 503, conditional access 53003', async () => {
    const cc = (scope: string, tenant = TENANT) => post(`/${tenant}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: DAEMON, client_secret: DAEMON_SECRET, scope });
    expect((await cc('https://outlook.office365.com/.default https://graph.microsoft.com/.default')).body.error_codes).toEqual([700022]);
    expect((await cc('https://graph.microsoft.com/.default', 'common')).body.error_codes).toEqual([50194]);
    const rt = (scope: string) => post(`/${TENANT}/oauth2/v2.0/devicecode`, { client_id: PUBLIC, scope });
    expect((await rt('https://outlook.office.com/IMAP.AccessAsUser.Alll')).body.error_codes).toEqual([650053]);
    expect((await rt('https://outlook.office.com/IMAP.AccessAsUser.All\n')).body.error_codes).toEqual([70011]);
    expect((await rt('https://outlook.office.com/IMAP.AccessAsUser.All https://graph.microsoft.com/Mail.Send')).body.error_codes).toEqual([700022]);
    await emu.admin.setFault('tokenThrottle', { status: 429, retryAfterSeconds: 7, count: 1 });
    const t = await cc('https://graph.microsoft.com/.default');
    expect(t.status).toBe(429);
    expect(t.headers['retry-after']).toBe('7');
    expect((await cc('https://graph.microsoft.com/.default')).status).toBe(200);
    await emu.admin.setFault('tokenThrottle', { status: 503, retryAfterSeconds: 1, count: null });
    expect((await cc('https://graph.microsoft.com/.default')).status).toBe(503);
    await emu.admin.clearFaults();
    await emu.admin.setFault('conditionalAccess', true);
    const page = await newPage();
    const pca = new PublicClientApplication(msalConfigFor(emu, { clientId: PUBLIC, tenant: TENANT }));
    const url = await pca.getAuthCodeUrl({ scopes: OUTLOOK, redirectUri: 'http://localhost:5555' });
    const back = await signIn(page, url, 'reception@fabrikam.com', 'Reception-Pass-1');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('error_description')).toContain('AADSTS53003');
    await emu.admin.clearFaults();
    await page.context().close();
  });

  it('device code: pending, slow_down, completion on /devicelogin, tokens', async () => {
    const dc = await post(`/${TENANT}/oauth2/v2.0/devicecode`, { client_id: PUBLIC, scope: `${OUTLOOK.join(' ')} offline_access openid profile` });
    expect(dc.body.verification_uri).toBe(`${emu.loginUrl}/devicelogin`);
    const poll = () => post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: PUBLIC, device_code: String(dc.body.device_code) });
    // msal-node polls with the short grant type `device_code`; RFC 8628 clients with the URN: both work.
    const pollShort = () => post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'device_code', client_id: PUBLIC, device_code: String(dc.body.device_code) });
    expect((await poll()).body.error).toBe('authorization_pending');
    expect((await pollShort()).body.error).toBe('slow_down');
    const page = await newPage();
    await page.goto(String(dc.body.verification_uri));
    await page.fill('#otc', String(dc.body.user_code));
    await page.click('#idSIButton9');
    await page.fill('#i0116', 'reception@fabrikam.com');
    await page.click('#idSIButton9');
    await page.fill('#i0118', 'Reception-Pass-1');
    await page.click('#idSIButton9');
    await page.waitForSelector('#deviceDone');
    const ok = await pollShort();
    expect(ok.status).toBe(200);
    expect(claims(String(ok.body.access_token)).scp).toBe('IMAP.AccessAsUser.All SMTP.Send');
    expect(ok.body.refresh_token).toBeTruthy();
    expect(ok.body.client_info).toBeTruthy();
    await page.context().close();
    // expiry: expired_token (settings are live on emu.scenario)
    emu.scenario.settings.deviceCodeExpiresSeconds = 1;
    const short = await post(`/${TENANT}/oauth2/v2.0/devicecode`, { client_id: PUBLIC, scope: OUTLOOK.join(' ') });
    emu.scenario.settings.deviceCodeExpiresSeconds = 900;
    emu.clock.advance(1100);
    const exp = await post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: PUBLIC, device_code: String(short.body.device_code) });
    expect(exp.body.error).toBe('expired_token');
  });

  it('offline_access is a permission like the others: no refresh token unless asked for and granted; without it in the registration, consent is needed', async () => {
    const device = async (scope: string, expectDone: boolean) => {
      const dc = await post(`/${TENANT}/oauth2/v2.0/devicecode`, { client_id: PUBLIC, scope });
      const page = await newPage();
      await page.goto(String(dc.body.verification_uri));
      await page.fill('#otc', String(dc.body.user_code));
      await page.click('#idSIButton9');
      await page.fill('#i0116', 'reception@fabrikam.com');
      await page.click('#idSIButton9');
      await page.fill('#i0118', 'Reception-Pass-1');
      await page.click('#idSIButton9');
      const shown = await page.waitForSelector(expectDone ? '#deviceDone' : '#idBtn_Accept, #errorCode');
      const id = await shown.getAttribute('id');
      if (id === 'idBtn_Accept') {
        const items = await page.locator('body').innerText();
        await page.click('#idBtn_Accept');
        await page.waitForSelector('#deviceDone');
        await page.context().close();
        return { consentPage: items, token: await post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'device_code', client_id: PUBLIC, device_code: String(dc.body.device_code) }) };
      }
      await page.context().close();
      return { consentPage: '', token: await post(`/${TENANT}/oauth2/v2.0/token`, { grant_type: 'device_code', client_id: PUBLIC, device_code: String(dc.body.device_code) }) };
    };
    // Registered and admin-consented (Desktop Mailer lists offline_access): a refresh token only when asked for.
    const without = await device(`${OUTLOOK.join(' ')} openid profile`, true);
    expect(without.token.status).toBe(200);
    expect(without.token.body.refresh_token).toBeUndefined();
    const withIt = await device(`${OUTLOOK.join(' ')} offline_access openid profile`, true);
    expect(withIt.token.body.refresh_token).toBeTruthy();

    const app = emu.scenario.apps.find((a) => a.clientId === PUBLIC)!;
    const registered = app.delegatedPermissions;
    emu.admin.setApp(PUBLIC, { delegatedPermissions: registered.filter((p) => p.name !== 'offline_access') });
    emu.admin.setTenant(TENANT, { userConsentAllowed: false });
    try {
      // Not in the registration, users may not consent: only an admin can grant it (AADSTS90094).
      const refused = await device(`${OUTLOOK.join(' ')} offline_access openid profile`, false);
      expect(refused.token.status).toBe(400);
      expect(refused.token.body.error_codes).toEqual([90094]);
      // Still fine without it (the rest is admin-consented).
      expect((await device(`${OUTLOOK.join(' ')} openid profile`, true)).token.status).toBe(200);
      // Users may consent: the consent page asks for it, and once accepted the refresh token comes.
      emu.admin.setTenant(TENANT, { userConsentAllowed: true });
      const consented = await device(`${OUTLOOK.join(' ')} offline_access openid profile`, false);
      expect(consented.consentPage).toContain('Maintain access to data you have given it access to');
      expect(consented.token.status).toBe(200);
      expect(consented.token.body.refresh_token).toBeTruthy();
    } finally {
      emu.admin.setApp(PUBLIC, { delegatedPermissions: registered });
      emu.admin.setTenant(TENANT, { userConsentAllowed: true });
    }
  });

  it('personal account on an organizations-only app, and a user from another tenant (50020)', async () => {
    const page = await newPage();
    const pca = new PublicClientApplication(msalConfigFor(emu, { clientId: PUBLIC, tenant: 'organizations' }));
    const url = await pca.getAuthCodeUrl({ scopes: OUTLOOK, redirectUri: 'http://localhost:5555' });
    const back = await signIn(page, url, 'alex@outlook.com', 'Alex-Pass-1');
    expect(back.searchParams.get('error')).toBe('unauthorized_client');
    expect(back.searchParams.get('error_description')).toContain('not enabled for consumers');
    const web = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: WEB, clientSecret: WEB_SECRET, tenant: TENANT }));
    const url2 = await web.getAuthCodeUrl({ scopes: OUTLOOK, redirectUri: REDIRECT, prompt: 'login' });
    const p2 = await newPage(page);
    await p2.goto(url2);
    await p2.fill('#i0116', 'bob@contoso.com');
    await p2.click('#idSIButton9');
    await p2.fill('#i0118', 'Bob-Pass-1');
    await p2.click('#idSIButton9');
    await expect(p2.locator('#errorCode').innerText()).resolves.toContain('AADSTS50020');
    await page.context().close();
  });

  it('mfaRequired fault sends every user through MFA; conditional access also blocks refresh at the token endpoint', async () => {
    await emu.admin.setFault('mfaRequired', true);
    const pca = new PublicClientApplication(msalConfigFor(emu, { clientId: PUBLIC, tenant: TENANT }));
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await pca.getAuthCodeUrl({ scopes: OUTLOOK, redirectUri: 'http://localhost:5556', codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const page = await newPage();
    const back = await signIn(page, url, 'sales@fabrikam.com', 'Sales-Pass-1', { mfa: '123456' });
    await emu.admin.clearFaults();
    const r = await pca.acquireTokenByCode({ code: back.searchParams.get('code') ?? '', redirectUri: 'http://localhost:5556', scopes: OUTLOOK, codeVerifier: verifier });
    expect(claims(r.accessToken).amr).toEqual(['pwd', 'mfa']);
    expect(claims(r.accessToken).appidacr).toBe('0');
    // a public client must not send a secret: AADSTS700025
    const cca = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: PUBLIC, clientSecret: 'whatever', tenant: TENANT }));
    const e700025 = await cca.acquireTokenSilent({ account: r.account!, scopes: OUTLOOK, forceRefresh: true }).catch((e: unknown) => e);
    expect(JSON.stringify(e700025)).toMatch(/AADSTS700025|no_tokens_found/);
    await emu.admin.setFault('conditionalAccess', true);
    const blocked = await pca.acquireTokenSilent({ account: r.account!, scopes: OUTLOOK, forceRefresh: true }).catch((e: unknown) => e);
    expect(JSON.stringify(blocked)).toContain('AADSTS53003');
    await emu.admin.clearFaults();
    const ok = await pca.acquireTokenSilent({ account: r.account!, scopes: OUTLOOK, forceRefresh: true });
    expect(claims(ok.accessToken).upn).toBe('sales@fabrikam.com');
    emu.admin.expireRefreshTokens('sales@fabrikam.com');
    const expired = await pca.acquireTokenSilent({ account: r.account!, scopes: OUTLOOK, forceRefresh: true }).catch((e: unknown) => e);
    expect(JSON.stringify(expired)).toContain('AADSTS700082');
    await page.context().close();
  });

  it('a personal account signs in to the multi-tenant + personal app on /common (consumers tenant)', async () => {
    const pca = new PublicClientApplication(msalConfigFor(emu, { clientId: '11111111-2222-4333-8444-000000000005', tenant: 'common' }));
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await pca.getAuthCodeUrl({ scopes: OUTLOOK, redirectUri: 'http://localhost:5557', codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const page = await newPage();
    const back = await signIn(page, url, 'alex@outlook.com', 'Alex-Pass-1', { consent: true });
    const r = await pca.acquireTokenByCode({ code: back.searchParams.get('code') ?? '', redirectUri: 'http://localhost:5557', scopes: OUTLOOK, codeVerifier: verifier });
    expect(claims(r.accessToken).tid).toBe('9188040d-6c67-4c5b-b112-36a304b66dad');
    await page.context().close();
  });
});
