/**
 * Issue 19 item 3, safe by default: `mail-oauth register` for app-only Microsoft Graph mail (CXT) plans the
 * mail access scoped to the profile's mailbox (Exchange RBAC for Applications), and reaches every mailbox in
 * the organisation only with --every-mailbox; the plan and the script say the reach in plain words. main()
 * runs in this process (parsing, output and exit codes); the dry run signs the administrator in with a device
 * code against the emulator's Graph directory, as a person would, and changes nothing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser } from '../helpers/authWindow';
import { runCliInProcess } from '../helpers/cli';
import { CASES, GLOBAL_ADMIN, startRegistrationEmulator, TENANT } from './harness';

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-every-mailbox-'));
  emu = await startRegistrationEmulator();
  await launchBrowser();
}, 120_000);
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

/** main() in this process (the shared helper); a device code shown on stderr is completed by the global administrator. */
const run = (args: string[]) => runCliInProcess(args, { person: GLOBAL_ADMIN });

const cxt = CASES.find((c) => c.target === 'cxt')!;
function cxtProfile(): string {
  const file = path.join(dir, 'cxt.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'Fabrikam - CXT',
      target: 'cxt',
      targetInputs: cxt.targetInputs,
      tenant: TENANT,
      clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' },
      mailbox: cxt.mailbox,
      flow: 'app-only',
      api: 'graph',
      endpoints: { signInHost: emu.loginHost, graphUrl: emu.graphUrl },
      caCerts: [emu.caPath],
    }),
  );
  return file;
}
const SIGN_IN = ['--device-code', '--custom-endpoints'];
const EVERY = 'every mailbox in your organisation';

describe('mail-oauth register, app-only Graph mail (CXT): scoped to the mailbox unless --every-mailbox', () => {
  it('--script: the Exchange scope by default, no tenant-wide app role; --every-mailbox grants Mail.Read/Mail.Send tenant-wide and says so', async () => {
    const f = cxtProfile();
    const scoped = await run(['register', f, '--script', 'powershell']);
    expect(scoped.exit, scoped.stderr).toBe(0);
    expect(scoped.stdout).toContain(`# Mailboxes reached: Exchange role 'Application Mail.Read': only ${cxt.mailbox} (its management scope)`);
    expect(scoped.stdout).not.toContain(EVERY);
    expect(scoped.stdout).not.toMatch(/New-MgServicePrincipalAppRoleAssignment/);
    // The Exchange step is a step to run, not a commented-out "if it applies".
    expect(scoped.stdout).toMatch(/^New-ManagementRoleAssignment -App \S+ -Role 'Application Mail\.Send'/m);

    const every = await run(['register', f, '--script', 'powershell', '--every-mailbox']);
    expect(every.exit, every.stderr).toBe(0);
    expect(every.stdout).toContain(`Mail.Read (application): ${EVERY}; Mail.Send (application): ${EVERY}`);
    expect(every.stdout).toMatch(/New-MgServicePrincipalAppRoleAssignment .*'Mail\.Send' 'Role'/);
  });

  it('--dry-run: the plan grants no application permission and says the app reaches only the mailbox; --every-mailbox plans the consent and says every mailbox', async () => {
    const f = cxtProfile();
    const scoped = await run(['register', f, '--dry-run', ...SIGN_IN]);
    expect(scoped.exit, scoped.stdout + scoped.stderr).toBe(0);
    expect(scoped.stdout).toMatch(/^Plan: \d+ change\(s\)/m);
    expect(scoped.stdout).not.toMatch(/Grant .*Mail\.(Read|Send)/);
    expect(scoped.stdout).toContain(`Mailboxes the app reaches: Exchange role 'Application Mail.Read': only ${cxt.mailbox} (its management scope); Exchange role 'Application Mail.Send': only ${cxt.mailbox} (its management scope)`);
    expect(scoped.stdout).not.toContain(EVERY);
    // The Exchange step is listed as required, with who runs it.
    expect(scoped.stdout).toMatch(/\d+\. Limit the app to dispatch@fabrikam\.com \(Exchange RBAC for Applications\) - an Exchange administrator with the Organization Management role\n/);

    const every = await run(['register', f, '--dry-run', '--every-mailbox', ...SIGN_IN]);
    expect(every.exit, every.stdout + every.stderr).toBe(0);
    expect(every.stdout).toMatch(/Grant .*Mail\.Read/);
    expect(every.stdout).toContain(`Mailboxes the app reaches: Mail.Read (application): ${EVERY}; Mail.Send (application): ${EVERY}`);
    expect(every.stdout).toMatch(/Limit the app to dispatch@fabrikam\.com \(Exchange RBAC for Applications\) \(optional\)/);
    expect(emu.admin.directory(TENANT).apps.filter((a) => a.displayName === 'CXT Software mail')).toEqual([]);
  }, 120_000);
});
