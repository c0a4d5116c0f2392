/**
 * `mail-oauth inventory` against the emulator's Graph `auditLogs/signIns`: the --json report from the
 * real CLI bundle (dist/cli/mail-oauth.cjs, rebuilt when a source is newer) in a child process, the
 * other cases from the CLI's main() in this process (same code, no Node start per run). The data: the
 * registration scenario's tenant plus a few sign-in log rows (legacy and modern, inside and outside the
 * 30 days). The administrator completes the device code on /devicelogin in a Playwright page, as in
 * test/integration/registration/cli.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { ScenarioInput } from '../../emulator/scenario';
import { closeBrowser, launchBrowser } from '../helpers/authWindow';
import { ensureCliBundle, runCli, runCliInProcess, type CliOptions, type CliRun } from '../helpers/cli';
import { APP_ADMIN, GLOBAL_ADMIN, SCENARIO, TENANT } from '../registration/harness';

let emu: Emulator;
let dir: string;

/** Sign-in log rows: what the inventory must find, and what it must leave out. */
const SIGN_INS: NonNullable<ScenarioInput['signIns']> = [
  // A scanner with SMTP AUTH: relay. One of its sign-ins failed (wrong password).
  { userPrincipalName: 'scanner@fabrikam.com', tenantId: TENANT, appDisplayName: 'Authenticated SMTP', clientAppUsed: 'Authenticated SMTP', ipAddress: '192.0.2.10', daysAgo: 2, count: 3 },
  { userPrincipalName: 'scanner@fabrikam.com', tenantId: TENANT, appDisplayName: 'Authenticated SMTP', clientAppUsed: 'Authenticated SMTP', ipAddress: '192.0.2.11', daysAgo: 1.5, errorCode: 50126, failureReason: 'Invalid username or password or Invalid on-premise username or password.' },
  // Odoo fetching mail with IMAP and a password: a catalogue system → the wizard.
  { userPrincipalName: 'odoo@fabrikam.com', tenantId: TENANT, appDisplayName: 'Office 365 Exchange Online', clientAppUsed: 'IMAP4', ipAddress: '198.51.100.7', daysAgo: 4, count: 2 },
  // An ERP job submitting hundreds of messages: High Volume Email.
  { userPrincipalName: 'erp-batch@fabrikam.com', tenantId: TENANT, appDisplayName: 'Authenticated SMTP', clientAppUsed: 'Authenticated SMTP', ipAddress: '203.0.113.5', daysAgo: 3, count: 520 },
  // Left out: older than 30 days; a modern (OAuth) browser sign-in.
  { userPrincipalName: 'printer@fabrikam.com', tenantId: TENANT, appDisplayName: 'Authenticated SMTP', clientAppUsed: 'POP3', ipAddress: '192.0.2.99', daysAgo: 45 },
  { userPrincipalName: 'admin@fabrikam.com', tenantId: TENANT, appDisplayName: 'Microsoft Graph Command Line Tools', clientAppUsed: 'Browser', ipAddress: '192.0.2.1', daysAgo: 1 },
];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-inventory-cli-'));
  await ensureCliBundle();
  const scenario = JSON.parse(readFileSync(SCENARIO, 'utf8')) as ScenarioInput;
  emu = await startEmulator({ ...scenario, name: 'inventory', signIns: SIGN_INS });
  await launchBrowser();
}, 180_000);
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

/** Runs the CLI (in this process, or the bundle in a child with `spawned`); when it shows a device code, `person` completes it on /devicelogin. */
const envOf = (o: CliOptions) => ({ ...o, env: { PATH: process.env.PATH ?? '', HOME: dir, ...o.env } });
const cli = (args: string[], o: CliOptions = {}): Promise<CliRun> => runCliInProcess(args, envOf(o));
const spawned = (args: string[], o: CliOptions = {}): Promise<CliRun> => runCli(args, { cwd: dir, ...envOf(o) });

function profileFile(): string {
  const file = path.join(dir, 'profile.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'Fabrikam inventory',
      target: 'generic-imap-smtp',
      targetInputs: { redirectUri: 'https://app.fabrikam.com/oauth/callback', audience: 'single' },
      tenant: TENANT,
      clientSecret: { source: 'none' },
      mailbox: 'app@fabrikam.com',
      flow: 'delegated',
      api: 'imap-smtp',
      endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
      caCerts: [emu.caPath],
    }),
  );
  return file;
}
const SIGN_IN = ['--device-code', '--custom-endpoints'];

interface SenderJson {
  account: string;
  client: string;
  addresses: string[];
  count: number;
  failed: number;
  lastSeen: string;
  path: string;
  target?: string;
}

describe('mail-oauth inventory (emulator sign-in logs)', () => {
  it('usage: --help exits 0; a missing profile, a bad --days, no file: exit 2 without any sign-in', async () => {
    const help = await cli(['inventory', '--help']);
    expect(help.exit).toBe(0);
    expect(help.stdout).toContain('Exit 0 no sender signs in with a password, 1 senders still do, 2 usage');
    expect((await cli(['inventory'])).exit).toBe(2);
    expect((await cli(['inventory', path.join(dir, 'nope.json')])).exit).toBe(2);
    const days = await cli(['inventory', profileFile(), '--days', '99', ...SIGN_IN]);
    expect(days.exit).toBe(2);
    expect(days.stderr).toContain('--days');
    expect(days.stderr).not.toContain('devicelogin');
  });

  it('--json: each legacy sender with account, client, addresses, count, last seen and path; modern and old sign-ins left out; exit 1', async () => {
    const r = await spawned(['inventory', profileFile(), '--json', ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(r.exit, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('for reading the sign-in logs');
    expect(r.json?.source).toBe('sign-in-logs');
    expect(r.json?.tenantId).toBe(TENANT);
    const senders = r.json?.senders as SenderJson[];
    expect(senders.map((s) => [s.account, s.client, s.count, s.path])).toEqual([
      ['erp-batch@fabrikam.com', 'Authenticated SMTP', 520, 'high-volume-email'],
      ['scanner@fabrikam.com', 'Authenticated SMTP', 4, 'relay'],
      ['odoo@fabrikam.com', 'IMAP4', 2, 'wizard'],
    ]);
    const scanner = senders.find((s) => s.account === 'scanner@fabrikam.com')!;
    expect(scanner.addresses).toEqual(['192.0.2.11', '192.0.2.10']);
    expect(scanner.failed).toBe(1);
    expect(Date.now() - Date.parse(scanner.lastSeen)).toBeGreaterThan(1.5 * 86_400_000 - 60_000);
    expect(Date.now() - Date.parse(scanner.lastSeen)).toBeLessThan(1.5 * 86_400_000 + 60_000);
    expect(senders.find((s) => s.account === 'odoo@fabrikam.com')!.target).toBe('odoo');
    const exchange = r.json?.exchange as { report: { name: string; cmdlet: string | null }; powershell: string };
    expect(exchange.report.name).toBe('SMTP AUTH Clients report');
    expect(exchange.report.cmdlet).toBeNull();
    expect(exchange.powershell).toContain('Get-CASMailbox -ResultSize Unlimited');
  }, 120_000);

  it('human output names each sender and its next step; --days 1 finds nobody: exit 0', async () => {
    const r = await cli(['inventory', profileFile(), ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(r.exit).toBe(1);
    expect(r.stdout).toMatch(/^3 sender\(s\) still sign in with a password/);
    expect(r.stdout).toMatch(/scanner@fabrikam\.com {2}Authenticated SMTP {2}4 sign-in\(s\), 1 failed/);
    expect(r.stdout).toContain('next step: the wizard (OAuth in the system itself) - target "odoo"');
    expect(r.stdout).toContain('next step: `mail-oauth relay`');
    const none = await cli(['inventory', profileFile(), '--days', '1', '--json', ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(none.exit, none.stdout + none.stderr).toBe(0);
    expect(none.json?.senders).toEqual([]);
  }, 120_000);

  it('a tenant without Entra ID P1/P2: says so, prints the Exchange steps, exit 3 (not "none found")', async () => {
    await emu.admin.setFault('signInLogsUnlicensed', true);
    try {
      const j = await cli(['inventory', profileFile(), '--json', ...SIGN_IN], { person: GLOBAL_ADMIN });
      expect(j.exit, j.stdout + j.stderr).toBe(3);
      expect(j.json?.source).toBe('unlicensed');
      expect(j.json?.graphError).toEqual({ code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: "Neither tenant is B2C or tenant doesn't have premium license" });
      const h = await cli(['inventory', profileFile(), ...SIGN_IN], { person: GLOBAL_ADMIN });
      expect(h.exit).toBe(3);
      expect(h.stdout).toContain('needs a Microsoft Entra ID P1 or P2 licence');
      expect(h.stdout).toContain('SMTP AUTH Clients report');
      expect(h.stdout).toContain('Get-CASMailbox -ResultSize Unlimited | Select-Object PrimarySmtpAddress, SmtpClientAuthenticationDisabled');
      expect(h.stdout).toContain('No PowerShell cmdlet for this report was found');
    } finally {
      await emu.admin.setFault('signInLogsUnlicensed', false);
    }
  }, 120_000);

  it('an administrator without a role that may read sign-in logs: Graph refuses, diagnosed, exit 3', async () => {
    const r = await cli(['inventory', profileFile(), '--json', ...SIGN_IN], { person: APP_ADMIN });
    expect(r.exit, r.stdout + r.stderr).toBe(3);
    expect(JSON.stringify(r.json?.error)).toContain('diagnosis');
    expect(r.json?.senders).toBeUndefined();
  }, 120_000);
});
