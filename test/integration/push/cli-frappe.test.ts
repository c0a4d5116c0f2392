/**
 * `mail-oauth push` for Frappe with the Administrator's own password (issue 19), as the app signs in
 * (POST /api/method/login, frappe/auth.py LoginManager): from MAIL_OAUTH_TARGET_PASSWORD or the first line
 * of stdin with --password-stdin, never from argv. A child process against the Frappe stand-in, real exit
 * codes: the CLI holds no sign-in, so everything but the Token Cache is written and it exits 3.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { startFrappe, type FrappeStandIn } from '../../standins/frappe';
import { microsoftFrom } from '../../standins/microsoft';
import { profileFile, registration, spawnCli, SECRET_ENV, secretOf, startTarget, TENANT, wizardProfile } from '../targets/helpers';

const APP = '7a3e0c11-0016-4b5c-8d6e-000000000016';
const ADMIN_PASSWORD = 'frappe-cli-admin-password-5e0a';
const wizard = { target: 'frappe', name: 'Fabrikam - ERPNext CLI', targetInputs: { baseUrl: 'https://erp.fabrikam.com', connectedAppName: 'a1b2c3d4e5', providerName: 'Microsoft 365', audience: 'single' }, tenant: TENANT, clientId: APP, mailbox: 'accounts@fabrikam.com' };

let emu: Emulator;
let secret: string;
let file: { file: string; cleanup: () => void };
let state: string;
const standIns: FrappeStandIn[] = [];
const outputs: string[] = [];
beforeAll(async () => {
  emu = await startTarget('frappe');
  secret = secretOf(registration(emu, APP));
  file = profileFile(wizardProfile(emu, wizard).raw);
  state = mkdtempSync(path.join(tmpdir(), 'mail-oauth-state-'));
}, 60_000);
afterAll(async () => {
  const all = outputs.join('\n');
  for (const s of [secret, ADMIN_PASSWORD]) if (s) expect(all.includes(s), 'a secret reached stdout/stderr').toBe(false);
  await Promise.all(standIns.map((s) => s.stop()));
  await emu?.stop();
  file?.cleanup();
  if (state) rmSync(state, { recursive: true, force: true });
});

async function frappe(): Promise<FrappeStandIn> {
  const s = await startFrappe({
    microsoft: microsoftFrom(emu),
    siteUrl: 'https://erp.fabrikam.com',
    // Keys the test never gives the CLI: only the password can get in.
    users: [{ name: 'Administrator', apiKey: 'unused0key0abcd', apiSecret: 'unused0secret0abcdef0123456789', roles: ['System Manager'], password: ADMIN_PASSWORD }],
    connectedApps: [{ name: 'a1b2c3d4e5', provider_name: 'Microsoft 365' }],
  });
  standIns.push(s);
  return s;
}
type Out = { exit: number | null; stdout: string; stderr: string; json: { test?: { user?: string; diagnosis?: { code: string } }; outcome?: { status?: string; applied?: string[]; button?: string } } | undefined };
const push = async (s: FrappeStandIn, env: Record<string, string>, extra: string[] = [], input?: string): Promise<Out> => {
  const r = await spawnCli(['push', file.file, '--target-url', s.url, '--json', ...extra], { [SECRET_ENV]: secret, MAIL_OAUTH_STATE_DIR: state, ...env }, input);
  outputs.push(r.stdout, r.stderr);
  return r as Out;
};

describe('mail-oauth push to Frappe with the Administrator password (no API key made first)', () => {
  it('MAIL_OAUTH_TARGET_PASSWORD: signs in through /api/method/login, writes the Connected App, leaves the sign-in to its button → exit 3', async () => {
    const s = await frappe();
    const r = await push(s, { MAIL_OAUTH_TARGET_PASSWORD: ADMIN_PASSWORD });
    expect(r.exit, r.stdout + r.stderr).toBe(3);
    expect(r.json?.test?.user).toBe('Administrator');
    expect(r.json?.outcome).toMatchObject({ status: 'partial', applied: ['connected-app'], button: expect.stringContaining('Connect to Microsoft 365') });
    expect(s.docs['Connected App']!.get('a1b2c3d4e5')).toMatchObject({ client_id: APP });
    expect(s.passwords.get('Connected App|a1b2c3d4e5|client_secret')).toBe(secret);
  }, 60_000);

  it('--password-stdin with --login: the first line of stdin; a wrong one → exit 1, target-bad-credentials, nothing written', async () => {
    const s = await frappe();
    const ok = await push(s, {}, ['--password-stdin', '--login', 'Administrator', '--dry-run'], `${ADMIN_PASSWORD}\n`);
    expect(ok.exit, ok.stdout + ok.stderr).toBe(0);
    expect(ok.json?.test?.user).toBe('Administrator');
    const wrong = await push(s, {}, ['--password-stdin'], 'not-the-password\n');
    expect(wrong.exit).toBe(1);
    expect(wrong.json?.test?.diagnosis?.code).toBe('target-bad-credentials');
    expect(s.writes()).toBe(0);
  }, 60_000);

  it('usage: no credentials, an empty stdin, or a password and a key together → exit 2; a password is never taken from argv', async () => {
    const s = await frappe();
    const none = await push(s, {});
    expect(none.exit).toBe(2);
    expect(none.stderr).toMatch(/MAIL_OAUTH_TARGET_PASSWORD/);
    expect((await push(s, {}, ['--password-stdin'], '')).exit).toBe(2);
    expect((await push(s, { MAIL_OAUTH_TARGET_PASSWORD: ADMIN_PASSWORD, MAIL_OAUTH_TARGET_API_KEY: 'k' })).exit).toBe(2);
    const argv = await push(s, {}, ['--password', ADMIN_PASSWORD]);
    expect(argv.exit, 'no --password option').toBe(2);
    expect(s.writes()).toBe(0);
  }, 60_000);
});
