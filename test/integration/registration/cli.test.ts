/**
 * The `register` and `lint` commands of the CLI against the emulator's Graph directory. The run that
 * creates a secret (and lints, fixes and re-runs) is the real bundle (dist/cli/mail-oauth.cjs, rebuilt
 * by scripts/build-node.mjs when a bundled source is newer) in a child process, as users run it: the
 * secret only in its 0600 file, never in the output. Usage, scripts and plans run the CLI's main() in
 * this process (same code, no Node start per run). The administrator completes the device code on
 * /devicelogin in a Playwright page, as a person would.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser } from '../helpers/authWindow';
import { ensureCliBundle, runCli, runCliInProcess, type CliOptions, type CliRun } from '../helpers/cli';
import { CASES, GLOBAL_ADMIN, startRegistrationEmulator, TENANT } from './harness';

let emu: Emulator;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-register-cli-'));
  await ensureCliBundle();
  emu = await startRegistrationEmulator();
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

const odoo = CASES.find((c) => c.target === 'odoo')!;
function profileFile(name: string, patch: Record<string, unknown> = {}): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        name: `Fabrikam - Odoo (${name})`,
        target: 'odoo',
        targetInputs: odoo.targetInputs,
        tenant: TENANT,
        clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' },
        mailbox: odoo.mailbox,
        flow: 'delegated',
        api: 'imap-smtp',
        endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
        caCerts: [emu.caPath],
        ...patch,
      },
      null,
      2,
    ),
  );
  return file;
}
const SIGN_IN = ['--device-code', '--custom-endpoints'];
const appsNamed = (name: string) => emu.admin.directory(TENANT).apps.filter((a) => a.displayName === name);

describe('mail-oauth register / lint', () => {
  it('--help for both; usage errors exit 2', async () => {
    for (const cmd of ['register', 'lint']) {
      const r = await cli([cmd, '--help']);
      expect(r.exit).toBe(0);
      expect(r.stdout).toContain(`mail-oauth ${cmd}`);
    }
    expect((await cli(['register'])).exit).toBe(2);
    expect((await cli(['register', profileFile('x'), '--script', 'bash'])).exit).toBe(2);
    expect((await cli(['register', profileFile('x'), '--secret-months', '99'])).exit).toBe(2);
    expect((await cli(['lint', profileFile('x')])).exit).toBe(2); // no clientId yet
  });

  it('--script powershell | azure-cli: the script for exactly this registration, no sign-in', async () => {
    const f = profileFile('script');
    const ps = await cli(['register', f, '--script', 'powershell']);
    expect(ps.exit, ps.stderr).toBe(0);
    expect(ps.stdout).toContain('New-MgApplication');
    expect(ps.stdout).toContain('https://erp.fabrikam.com/microsoft_outlook/confirm');
    expect(ps.stderr).not.toContain('sign-in');
    const az = await cli(['register', f, '--script', 'azure-cli', '--json']);
    expect(az.exit, az.stderr).toBe(0);
    expect(String(az.json?.script)).toContain('az ad app create');
  });

  it('an emulator (non-Microsoft) sign-in host needs --custom-endpoints: the admin token goes nowhere else by default', async () => {
    const r = await cli(['register', profileFile('noflag'), '--dry-run', '--device-code']);
    expect(r.exit).toBe(2);
    expect(r.stderr).toContain('--custom-endpoints');
  });

  it('--dry-run --json prints the plan and changes nothing; without --secret-out a secret-creating run is refused before any change', async () => {
    const f = profileFile('dry');
    const name = 'Fabrikam - Odoo (dry)';
    const dry = await cli(['register', f, '--dry-run', '--json', ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(dry.exit, dry.stderr).toBe(0);
    const plan = dry.json?.plan as { steps: { kind: string; summary: string }[] };
    expect(plan.steps.map((s) => s.kind)).toEqual(expect.arrayContaining(['create-application', 'create-service-principal', 'add-password', 'grant-delegated']));
    expect(dry.stderr).toMatch(/Signed in as admin@fabrikam\.com/);
    const human = await cli(['register', f, '--dry-run', ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(human.exit).toBe(0);
    expect(human.stdout).toMatch(/^Plan: \d+ change\(s\)\n  1\. Create the app registration/m);
    const refused = await cli(['register', f, ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(refused.exit).toBe(2);
    expect(refused.stderr).toContain('--secret-out');
    const existing = path.join(dir, 'already-there.txt');
    writeFileSync(existing, 'keep me');
    const clash = await cli(['register', f, '--secret-out', existing, ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(clash.exit).toBe(2);
    expect(clash.stderr).toContain('never overwrites');
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    expect(appsNamed(name)).toEqual([]);
  }, 120_000);

  it('register --secret-out --write-profile --json: creates and verifies; the secret only in the 0600 file; then lint exits 0, and 1 once broken; a second run changes nothing', async () => {
    const f = profileFile('real');
    const out = path.join(dir, 'secret.txt');
    const r = await spawned(['register', f, '--secret-out', out, '--write-profile', '--json', ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(r.exit, r.stdout + r.stderr).toBe(0);
    const outcome = r.json?.outcome as { appId: string; notDone: unknown[]; findings: unknown[]; secret: { keyId: string; endDateTime: string } };
    expect(outcome.notDone).toEqual([]);
    const secret = readFileSync(out, 'utf8').trim();
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const app = emu.admin.directory(TENANT).apps.find((a) => a.clientId === outcome.appId)!;
    expect(app.secrets.map((s) => s.value)).toContain(secret);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stderr).toMatch(/✓ .*Create the app registration/);
    const written = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
    expect(written.clientId).toBe(outcome.appId);
    expect(written.tenant).toBe(TENANT);
    expect(written.secretId).toBe(outcome.secret.keyId);
    expect(written.secretExpires).toBe(outcome.secret.endDateTime.slice(0, 10));
    expect(JSON.stringify(written)).not.toContain(secret);

    // lint: clean (exit 0) with the secret compared against the hints; broken redirect: exit 1 with its code.
    const env = { MAIL_OAUTH_SECRET: secret };
    const clean = await spawned(['lint', f, '--json', ...SIGN_IN], { person: GLOBAL_ADMIN, env });
    expect(clean.exit, clean.stdout + clean.stderr).toBe(0);
    expect(clean.json?.findings).toEqual([]);
    expect(clean.stdout + clean.stderr).not.toContain(secret);
    emu.admin.setApp(outcome.appId, { webRedirectUris: ['https://erp.fabrikam.com/microsoft_outlook/confirm/'] });
    const broken = await spawned(['lint', f, ...SIGN_IN], { person: GLOBAL_ADMIN, env });
    expect(broken.exit).toBe(1);
    expect(broken.stdout).toContain('(registration-redirect-differs-trailing-slash) [register fixes it]');

    // register fixes it (no secret needed now), then nothing is left to change.
    const fix = await spawned(['register', f, ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(fix.exit, fix.stdout + fix.stderr).toBe(0);
    expect(fix.stdout).toContain('Done and verified (1)');
    const again = await spawned(['register', f, '--json', ...SIGN_IN], { person: GLOBAL_ADMIN });
    expect(again.exit).toBe(0);
    expect((again.json?.outcome as { applied: unknown[] }).applied).toEqual([]);
    expect(appsNamed(app.displayName)).toHaveLength(1);
    expect(emu.admin.directory(TENANT).apps.find((a) => a.clientId === outcome.appId)!.secrets).toHaveLength(1);
  }, 180_000);
});
