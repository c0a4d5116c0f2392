import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index';
import { MemoryVault, runChecks, signIn, diagnose, inspectToken, type EngineDeps } from '../../../electron/engine';
import { chromium } from '@playwright/test';
import { PUBLIC, REDIRECT, TENANT, WEB, WEB_EXPIRED, WEB_SECRET, WEB_SECRET_ID, NOREPLY, emuProfile, DEMO_QUICK_DEVICE_CODE } from '../helpers/fixtures';
import { closeBrowser, launchBrowser, playwrightAuthWindow, type Person } from '../helpers/authWindow';
import type { Profile } from '../../../shared/profile';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(DEMO_QUICK_DEVICE_CODE);
  await launchBrowser();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});
void chromium;

const ROOT = path.resolve(__dirname, '../../..');
/**
 * The real CLI as a child process (its TypeScript entry through tsx, or the bundle with
 * MAIL_OAUTH_CLI=dist), with stderr handed to `onStderr` as it arrives (the device code is shown there).
 */
function runCliStreaming(args: string[], onStderr: (all: string) => void): Promise<{ exit: number | null; stdout: string; stderr: string }> {
  const entry = process.env.MAIL_OAUTH_CLI === 'dist' ? [path.join(ROOT, 'dist/cli/mail-oauth.cjs')] : ['--import', 'tsx', path.join(ROOT, 'electron/cli/mail-oauth.ts')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      onStderr(stderr);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      resolve({ exit, stdout, stderr });
    });
  });
}

const RECEPTION: Person = { upn: 'reception@fabrikam.com', password: 'Reception-Pass-1' };
const web = (patch: Partial<Profile> = {}) => emuProfile(emu, { target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com', redirectUri: REDIRECT }, clientId: WEB, flow: 'delegated', mailbox: 'reception@fabrikam.com', ...patch });
const deps = (person: Person, secret: string | undefined = WEB_SECRET): EngineDeps & { authWindow: ReturnType<typeof playwrightAuthWindow> } => ({ vault: new MemoryVault(), ...(secret ? { clientSecret: secret } : {}), authWindow: playwrightAuthWindow(person) });
const codeOf = async (p: Promise<unknown>, profile: Profile, secretValue?: string) => {
  try {
    await p;
    return 'signed-in';
  } catch (e) {
    return diagnose(e, { profile, check: 'token', ...(secretValue ? { secretValue } : {}) }).code;
  }
};

/**
 * IMAP, SMTP and the round trip as the signed-in person: every status pinned, and the XOAUTH2 user= the
 * emulator's IMAP saw is the mailbox (issue 24: a wrong user= must fail here, not only in one test).
 * The emulator's SMTP refuses a user= the token's account has no rights on (535 5.7.3), so "passed"
 * pins SMTP's user= too.
 */
async function expectMailChecksAs(p: Profile, d: EngineDeps, mailbox: string): Promise<void> {
  const before = emu.admin.imapDecisions.length;
  const run = await runChecks(p, d, { only: ['imap', 'smtp', 'roundtrip'] });
  expect(Object.fromEntries(run.results.map((r) => [r.id, r.status])), JSON.stringify(run.results.map((r) => r.diagnosis?.code))).toEqual({ imap: 'passed', smtp: 'passed', roundtrip: 'passed' });
  const seen = emu.admin.imapDecisions.slice(before);
  expect(seen.length).toBeGreaterThanOrEqual(2); // the IMAP check's session and the round trip's
  expect(seen.map((x) => ({ user: x.user, ok: x.ok }))).toEqual(seen.map(() => ({ user: mailbox, ok: true })));
}

describe('delegated sign-in (auth code + PKCE through the AuthWindow) against the emulator', () => {
  it('confidential web app: select_account + login_hint, tokens only in the vault, then the token check passes', async () => {
    const d = deps(RECEPTION);
    const r = await signIn(web(), d);
    expect(r.account).toBe('reception@fabrikam.com');
    const url = new URL(d.authWindow.opened[0]!);
    expect(url.searchParams.get('prompt')).toBe('select_account');
    expect(url.searchParams.get('login_hint')).toBe('reception@fabrikam.com');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(inspectToken(r.token.accessToken).scopes).toEqual(expect.arrayContaining(['IMAP.AccessAsUser.All', 'SMTP.Send']));
    const run = await runChecks(web(), d, { only: ['token'] });
    expect(run.results[0]!.status).toBe('passed');
    expect(run.results[0]!.details.account).toBe('reception@fabrikam.com');
    await expectMailChecksAs(web(), d, 'reception@fabrikam.com');
  });

  it('the wrong account signs in: its own diagnosis, and IMAP is not even tried', async () => {
    const d = deps({ upn: 'sales@fabrikam.com', password: 'Sales-Pass-1' });
    await signIn(web(), d);
    const run = await runChecks(web(), d, { only: ['token', 'imap'] });
    expect(run.results.map((r) => r.diagnosis?.code ?? r.status)).toEqual(['signed-in-wrong-account', 'skipped']);
    expect(run.results[0]!.diagnosis!.title).toContain('sales@fabrikam.com');
  });

  it('the person closes the window: sign-in-cancelled', async () => {
    expect(await codeOf(signIn(web(), deps({ ...RECEPTION, cancel: true })), web())).toBe('sign-in-cancelled');
  });

  it('no saved sign-in: sign-in-required', async () => {
    const run = await runChecks(web(), { vault: new MemoryVault(), clientSecret: WEB_SECRET }, { only: ['token'] });
    expect(run.results[0]!.diagnosis!.code).toBe('sign-in-required');
  });

  it('expired secret at code redemption: AADSTS7000222', async () => {
    expect(await codeOf(signIn(web(), deps(RECEPTION, WEB_EXPIRED)), web())).toBe('aadsts-7000222-secret-expired');
  });

  it('Secret ID instead of the Value at code redemption: secret-id-pasted', async () => {
    expect(await codeOf(signIn(web(), deps(RECEPTION, WEB_SECRET_ID)), web(), WEB_SECRET_ID)).toBe('aadsts-7000215-secret-id-pasted');
  });

  it('redirect URI not registered: AADSTS50011', async () => {
    const p = web({ targetInputs: { redirectUri: 'https://erp.fabrikam.com/odoo/microsoft_outlook/confirm' } });
    expect(await codeOf(signIn(p, deps(RECEPTION)), p)).toBe('aadsts-50011-redirect-mismatch');
  });

  it('app without any reply address: AADSTS500113', async () => {
    const p = web({ clientId: NOREPLY });
    expect(await codeOf(signIn(p, deps(RECEPTION)), p)).toBe('aadsts-500113-no-reply-address');
  });

  it('single-tenant app on /common: AADSTS50194', async () => {
    const p = web({ tenant: 'common' });
    expect(await codeOf(signIn(p, deps(RECEPTION)), p)).toBe('aadsts-50194-single-tenant-on-common');
  });

  it('a user from another tenant: AADSTS50020', async () => {
    expect(await codeOf(signIn(web(), deps({ upn: 'bob@contoso.com', password: 'Bob-Pass-1' })), web())).toBe('aadsts-50020-user-not-in-tenant');
  });

  it('conditional access fault: AADSTS53003', async () => {
    emu.admin.setFault('conditionalAccess', true);
    try {
      expect(await codeOf(signIn(web(), deps(RECEPTION)), web())).toBe('aadsts-53003-conditional-access');
    } finally {
      emu.admin.clearFaults();
    }
  });

  it('MFA user completes the second factor in the window', async () => {
    const d = deps({ upn: 'admin@fabrikam.com', password: 'Admin-Pass-1', mfa: emu.scenario.settings.mfaCode });
    const r = await signIn(web({ mailbox: 'admin@fabrikam.com' }), d);
    expect(r.account).toBe('admin@fabrikam.com');
    await expectMailChecksAs(web({ mailbox: 'admin@fabrikam.com' }), d, 'admin@fabrikam.com');
  });

  it('public client (no secret, loopback redirect)', async () => {
    const p = web({ clientId: PUBLIC, clientSecret: { source: 'none' }, targetInputs: { redirectUri: 'http://localhost' } });
    const d = { vault: new MemoryVault(), authWindow: playwrightAuthWindow(RECEPTION) };
    const r = await signIn(p, d);
    expect(r.account).toBe('reception@fabrikam.com');
    const run = await runChecks(p, d, { only: ['token'] });
    expect(run.results[0]!.status).toBe('passed');
    await expectMailChecksAs(p, d, 'reception@fabrikam.com');
  });

  it('public client given a secret: AADSTS700025', async () => {
    const p = web({ clientId: PUBLIC, targetInputs: { redirectUri: 'http://localhost' } });
    expect(await codeOf(signIn(p, deps(RECEPTION, 'Some~Secret.Value_abcdefghijklmnop')), p)).toBe('aadsts-700025-public-client-secret');
  });

  // msal-node polls with grant_type=device_code (the short form Entra ID accepts next to the URN).
  it('device code (CLI flow): the code is shown, a person completes it elsewhere', async () => {
    const p = web({ clientId: PUBLIC, clientSecret: { source: 'none' } });
    const b = await launchBrowser();
    let done: Promise<void> | undefined;
    const d: EngineDeps = {
      vault: new MemoryVault(),
      onDeviceCode: (message) => {
        const url = /https:\/\/\S+/.exec(message)![0];
        const code = /code (\S+) /.exec(message)![1]!;
        done = (async () => {
          const ctx = await b.newContext({ ignoreHTTPSErrors: true });
          const page = await ctx.newPage();
          await page.goto(url);
          await page.fill('#otc', code);
          await page.click('#idSIButton9');
          await page.fill('#i0116', RECEPTION.upn);
          await page.click('#idSIButton9');
          await page.fill('#i0118', RECEPTION.password);
          await page.click('#idSIButton9');
          await page.waitForSelector('#deviceDone');
          await ctx.close();
        })();
      },
    };
    const r = await signIn(p, d, { method: 'device-code', timeoutMs: 30_000 });
    await done;
    expect(r.account).toBe('reception@fabrikam.com');
    expect(r.token.via).toBe('device-code');
  }, 60_000);

  it('the real CLI: `mail-oauth check --device-code` with a public client shows the code, a person completes it on /devicelogin, every check passes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-dc-'));
    const file = path.join(dir, 'device.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Desktop mailer (device code)',
        target: 'generic',
        tenant: TENANT,
        clientId: PUBLIC,
        clientSecret: { source: 'none' },
        mailbox: RECEPTION.upn,
        flow: 'delegated',
        api: 'imap-smtp',
        endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
        caCerts: [emu.caPath],
      }),
    );
    const b = await launchBrowser();
    try {
      let completed: Promise<void> | undefined;
      let shown = '';
      const r = await runCliStreaming(['check', file, '--device-code', '--json'], (stderr) => {
        if (completed) return;
        const m = /(https:\/\/\S+\/devicelogin)\S* and enter the code (\S+) /.exec(stderr);
        if (!m) return;
        shown = m[0];
        completed = (async () => {
          const ctx = await b.newContext({ ignoreHTTPSErrors: true });
          const page = await ctx.newPage();
          await page.goto(m[1]!);
          await page.fill('#otc', m[2]!);
          await page.click('#idSIButton9');
          await page.fill('#i0116', RECEPTION.upn);
          await page.click('#idSIButton9');
          await page.fill('#i0118', RECEPTION.password);
          await page.click('#idSIButton9');
          await page.waitForSelector('#deviceDone');
          await ctx.close();
        })();
      });
      await completed;
      expect(shown, r.stderr).toContain(`${emu.loginUrl}/devicelogin`);
      expect(r.stderr).toContain(`Signed in as ${RECEPTION.upn}.`);
      const doc = JSON.parse(r.stdout) as { run: { passed: boolean; results: { id: string; status: string; details: { via?: string; account?: string } }[] } };
      expect(doc.run.results.map((x) => `${x.id}:${x.status}`)).toEqual(['network:passed', 'token:passed', 'imap:passed', 'smtp:passed', 'roundtrip:passed']);
      const token = doc.run.results.find((x) => x.id === 'token')!;
      expect(token.details.account).toBe(RECEPTION.upn);
      expect(token.details.via).toBe('refresh');
      expect(r.exit).toBe(0);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('refresh token revoked after sign-in: AADSTS50173 → sign in again', async () => {
    const d = deps(RECEPTION);
    await signIn(web(), d);
    emu.admin.revokeRefreshTokens('reception@fabrikam.com');
    const run = await runChecks(web(), d, { only: ['token'] });
    expect(run.results[0]!.diagnosis!.code).toBe('aadsts-700082-refresh-expired');
  });
});
