/**
 * `mail-oauth status` and `check --monitoring` (issue 12 item 3) as a monitoring system runs them: the
 * real CLI as a child process (tsx entry, or the bundle with MAIL_OAUTH_CLI=dist), stdin closed, no
 * TTY, only the environment. The expiry comes from the emulator's Graph directory (the app's own
 * registration, read with its app-only token) and, where Graph cannot be used, from the profile.
 * Golden lines: each state's exact first line and exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index';
import { runCliInProcess } from '../helpers/cli';
import { DAEMON, DAEMON_SECRET, NOCONSENT, NOCONSENT_SECRET, TENANT, WEB } from '../helpers/fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const SECRET_ID = '5a6b7c8d-0003-4e2f-9a3b-000000000053';
let emu: Emulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-status-'));
});
afterAll(async () => {
  await emu?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** End of the day `offset` days from today, as Graph returns it: calendar days left = offset. */
const endOfDay = (offset: number) => `${day(offset)}T23:59:59Z`;

function daemonInGraph(expiresIn: number, extraRoles: string[] = ['Application.Read.All']) {
  emu.admin.setApp(DAEMON, {
    applicationPermissions: [
      { resource: 'outlook', name: 'IMAP.AccessAsApp' },
      { resource: 'outlook', name: 'SMTP.SendAsApp' },
      { resource: 'graph', name: 'Mail.Read' },
      { resource: 'graph', name: 'Mail.Send' },
      ...extraRoles.map((name) => ({ resource: 'graph' as const, name })),
    ],
    applicationAdminConsent: true,
    secrets: [
      { id: SECRET_ID, value: DAEMON_SECRET, displayName: 'daemon', expires: endOfDay(expiresIn) },
      { id: '5a6b7c8d-0003-4e2f-9a3b-0000000000aa', value: 'Older~Secret.Value_zzzzzzzzzzzzzzzzzz', displayName: 'older', expires: endOfDay(400) },
    ],
  } as never);
}

let n = 0;
function profile(patch: Record<string, unknown>): string {
  const file = path.join(dir, `p${n++}.json`);
  const raw = {
    name: 'fabrikam-daemon',
    target: 'app-only-imap-smtp',
    tenant: TENANT,
    clientId: DAEMON,
    clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' },
    secretId: SECRET_ID,
    // Deliberately stale: when Graph can be read, its end date wins over the profile's.
    secretExpires: '2020-01-01',
    mailbox: 'info@fabrikam.com',
    flow: 'app-only',
    api: 'imap-smtp',
    endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
    caCerts: [emu.caPem],
    ...patch,
  };
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

/** Like cron or a monitoring agent: fd 0 closed (`<&-`), no TTY, a bare environment, output piped. */
function monitor(args: string[], env: Record<string, string> = {}): Promise<{ exit: number | null; stdout: string; stderr: string }> {
  const entry = process.env.MAIL_OAUTH_CLI === 'dist' ? [path.join(ROOT, 'dist/cli/mail-oauth.cjs')] : ['--import', 'tsx', path.join(ROOT, 'electron/cli/mail-oauth.ts')];
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = `exec ${[process.execPath, ...entry, ...args].map(q).join(' ')} <&-`;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', cmd], { cwd: ROOT, env: { PATH: '/usr/bin:/bin', MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      resolve({ exit, stdout, stderr });
    });
  });
}

/** The same CLI in this process (fast): stdout/stderr captured, stdin a closed non-TTY stream, an explicit environment. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ exit: number; stdout: string; stderr: string }> {
  const r = await runCliInProcess(args, { env: { MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', ...env } });
  return { exit: r.exit ?? 99, stdout: r.stdout, stderr: r.stderr };
}

const withSecret = { MAIL_OAUTH_SECRET: DAEMON_SECRET };
const noSecretLeak = (r: { stdout: string; stderr: string }) => {
  expect(r.stdout + r.stderr).not.toContain(DAEMON_SECRET);
  expect(r.stdout + r.stderr).not.toContain(NOCONSENT_SECRET);
};

describe('mail-oauth status: golden lines per state, run like a monitoring system', () => {
  it('OK: the end date is read from the registration through Graph (the profile\'s stale date is ignored)', async () => {
    daemonInGraph(200);
    const r = await monitor(['status', profile({})], withSecret);
    expect(r.stdout).toBe(`MAIL-OAUTH OK - fabrikam-daemon: client secret expires on ${day(200)} (in 200 days) | days_left=200;30;7\n`);
    expect(r.exit).toBe(0);
    expect(r.stderr).toBe('');
    noSecretLeak(r);
  });

  it('WARNING inside the warning window; the thresholds follow --warning-days / --critical-days', async () => {
    daemonInGraph(20);
    const r = await cli(['status', profile({})], withSecret);
    expect(r.stdout).toBe(`MAIL-OAUTH WARNING - fabrikam-daemon: client secret expires on ${day(20)} (in 20 days) | days_left=20;30;7\n`);
    expect(r.exit).toBe(1);
    const r2 = await cli(['status', profile({}), '--warning-days', '14', '--critical-days', '3'], withSecret);
    expect(r2.stdout).toBe(`MAIL-OAUTH OK - fabrikam-daemon: client secret expires on ${day(20)} (in 20 days) | days_left=20;14;3\n`);
    expect(r2.exit).toBe(0);
  });

  it('CRITICAL inside the critical window, and CRITICAL when the sign-in with the secret fails (AADSTS7000222)', async () => {
    daemonInGraph(5);
    const r = await cli(['status', profile({})], withSecret);
    expect(r.stdout).toBe(`MAIL-OAUTH CRITICAL - fabrikam-daemon: client secret expires on ${day(5)} (in 5 days) | days_left=5;30;7\n`);
    expect(r.exit).toBe(2);
    emu.admin.setFault('secretExpired', true);
    try {
      const r2 = await cli(['status', profile({ secretExpires: day(90) })], withSecret);
      expect(r2.stdout).toMatch(/^MAIL-OAUTH CRITICAL - fabrikam-daemon: sign-in fails: .+ \(aadsts-7000222-secret-expired\) \| days_left=90;30;7\n/);
      expect(r2.exit).toBe(2);
      noSecretLeak(r2);
    } finally {
      emu.admin.setFault('secretExpired', false);
    }
  });

  it('CRITICAL for an end date in the past (profile only, --no-graph), with days_left negative', async () => {
    const r = await cli(['status', profile({ secretExpires: day(-3) }), '--no-graph']);
    expect(r.stdout).toBe(`MAIL-OAUTH CRITICAL - fabrikam-daemon: client secret expired on ${day(-3)} (3 days ago) | days_left=-3;30;7\nsource: profile (--no-graph: expiry from the profile)\n`);
    expect(r.exit).toBe(2);
  });

  it('UNKNOWN: no end date anywhere (delegated, no secretExpires), an unreadable file, a usage error', async () => {
    const r = await cli(['status', profile({ name: 'odoo-reception', clientId: WEB, flow: 'delegated', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, secretExpires: undefined })]);
    expect(r.stdout.split('\n')[0]).toBe('MAIL-OAUTH UNKNOWN - odoo-reception: expiry unknown: delegated profile: expiry from the profile (Graph needs an administrator to read the registration: mail-oauth lint)');
    expect(r.exit).toBe(3);
    const r2 = await cli(['status', path.join(dir, 'missing.json')]);
    expect(r2.stdout).toMatch(/^MAIL-OAUTH UNKNOWN - 1 of 1|^MAIL-OAUTH UNKNOWN - .*missing\.json: profile not usable: /);
    expect(r2.exit).toBe(3);
    const r3 = await monitor(['status', profile({}), '--warning-days', 'soon']);
    expect(r3.stdout).toBe('MAIL-OAUTH UNKNOWN - --warning-days takes a whole number from 0 to 3650\n');
    expect(r3.exit).toBe(3);
  });

  it('falls back to the profile when the app may not read its registration (no Application.Read.All), and says so', async () => {
    daemonInGraph(200, []);
    const r = await cli(['status', profile({ secretExpires: day(60) })], withSecret);
    expect(r.stdout).toBe(`MAIL-OAUTH OK - fabrikam-daemon: client secret expires on ${day(60)} (in 60 days) | days_left=60;30;7\nsource: profile (the app has no Application.Read.All (application permission) to read its own registration: expiry from the profile)\n`);
    expect(r.exit).toBe(0);
  });

  it('several profiles: the worst state wins, one perf value per profile, one line each; --json carries the same', async () => {
    daemonInGraph(200);
    const files = [profile({}), profile({ name: 'expiring', secretExpires: day(10) }), profile({ name: 'unknown', flow: 'delegated', clientId: WEB, secretExpires: undefined })];
    const r = await cli(['status', ...files, '--no-graph']);
    const lines = r.stdout.trim().split('\n');
    const ago = Math.floor(Date.now() / 86_400_000) - Math.floor(Date.UTC(2020, 0, 1) / 86_400_000);
    expect(lines[0]).toBe(`MAIL-OAUTH CRITICAL - 1 of 3 connections CRITICAL: fabrikam-daemon: client secret expired on 2020-01-01 (${ago} days ago) | days_left=-${ago};30;7 fabrikam-daemon_days_left=-${ago};30;7 expiring_days_left=10;30;7`);
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual(['CRITICAL', 'WARNING', 'UNKNOWN']);
    expect(r.exit).toBe(2);
    const j = await cli(['status', ...files, '--no-graph', '--json']);
    const doc = JSON.parse(j.stdout) as { state: string; exit: number; connections: { profile: string; state: string; daysLeft: number | null }[] };
    expect(doc.state).toBe('CRITICAL');
    expect(doc.exit).toBe(2);
    expect(doc.connections.map((c) => [c.profile, c.state, c.daysLeft === null ? null : typeof c.daysLeft])).toEqual([['fabrikam-daemon', 'CRITICAL', 'number'], ['expiring', 'WARNING', 'number'], ['unknown', 'UNKNOWN', null]]);
    expect(j.exit).toBe(2);
  });
});

describe('mail-oauth check --monitoring', () => {
  it('OK (exit 0) when the app-only IMAP/SMTP checks pass; CRITICAL (exit 2) naming the failing check; UNKNOWN (3) for usage', async () => {
    daemonInGraph(200);
    const ok = await monitor(['check', profile({ secretExpires: day(200) }), '--only', 'network,token,imap,smtp', '--monitoring'], withSecret);
    expect(ok.stdout).toMatch(/^MAIL-OAUTH OK - 4 checks passed \(network, token, imap, smtp\) \| network_ms=\d+ms token_ms=\d+ms imap_ms=\d+ms smtp_ms=\d+ms\n$/);
    expect(ok.exit).toBe(0);
    const bad = await cli(['check', profile({ clientId: NOCONSENT, secretId: undefined, secretExpires: day(200) }), '--only', 'network,token,imap', '--monitoring'], { MAIL_OAUTH_SECRET: NOCONSENT_SECRET });
    expect(bad.stdout).toMatch(/^MAIL-OAUTH CRITICAL - (token|imap) failed: .+ \([a-z0-9-]+\)/);
    expect(bad.exit).toBe(2);
    noSecretLeak(bad);
    const usage = await cli(['check', profile({}), '--only', 'nothing', '--monitoring'], withSecret);
    expect(usage.stdout).toMatch(/^MAIL-OAUTH UNKNOWN - --only takes /);
    expect(usage.exit).toBe(3);
  });

  it('WARNING (exit 1) when the checks pass but the profile warns (the secret expires within the validation window)', async () => {
    daemonInGraph(200);
    const r = await cli(['check', profile({ secretExpires: day(10) }), '--only', 'network,token', '--monitoring', '--json'], withSecret);
    const doc = JSON.parse(r.stdout) as { monitoring: { state: string; exit: number; line: string } };
    expect(doc.monitoring.state).toBe('WARNING');
    expect(doc.monitoring.line).toMatch(/^MAIL-OAUTH WARNING - 2 checks passed; /);
    expect(r.exit).toBe(1);
  });
});
