/**
 * `mail-oauth explain` as users run it (issue 20): text as an argument or on stdin, real exit codes.
 * Most cases run the CLI's main() in this process; the stdin case runs the built bundle
 * (dist/cli/mail-oauth.cjs) in a child process, its text through a real pipe. Nothing is sent
 * anywhere, so no emulator is needed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBundle, runCli, runCliInProcess, type CliOptions } from '../helpers/cli';

let dir: string;

const optsOf = (o: CliOptions) => ({ ...o, env: { PATH: process.env.PATH ?? '', HOME: dir, ...o.env } });
const run = (args: string[], o: CliOptions = {}) => runCliInProcess(args, optsOf(o));
const spawned = (args: string[], o: CliOptions = {}) => runCli(args, { cwd: dir, ...optsOf(o) });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-explain-'));
  await ensureCliBundle();
}, 120_000);

// A JWT-shaped token and a secret that must never be echoed back.
const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbSIsInJvbGVzIjpbXX0.c2lnbmF0dXJlc2lnbmF0dXJl';
const SECRET = 'Xy8Q~abcDEFghiJKLmnoPQRstuVWXyz0123456789';

describe('mail-oauth explain', () => {
  it('a text argument: the diagnosis with its code, cause and fix; exit 0', async () => {
    const r = await run(['explain', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.']);
    expect(r.exit).toBe(0);
    expect(r.stdout).toMatch(/^1\. \[smtp-auth-disabled-tenant\] Microsoft 365 refused to let this organisation send mail over SMTP/);
    expect(r.stdout).toContain('Why: ');
    expect(r.stdout).toContain('Set-TransportConfig -SmtpClientAuthenticationDisabled $false');
  });

  it('a whole Odoo dialog on stdin (the bundle, a real pipe), most specific first', async () => {
    // The follow-on 5.7.57 comes first in the log; the cause (security defaults) is listed first.
    const dialog = "Connection Test Failed! Here is what we got instead:\n 530 5.7.57 Client not authenticated to send mail.\n 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.";
    const r = await spawned(['explain', '--json', '-'], { stdin: dialog });
    expect(r.exit).toBe(0);
    const doc = JSON.parse(r.stdout) as { diagnoses: Array<{ code: string; title: string; cause: string; fix: Array<{ text: string }> }>; recognised: boolean };
    expect(doc.recognised).toBe(true);
    expect(doc.diagnoses.map((d) => d.code)).toEqual(['smtp-security-defaults', 'smtp-client-not-authenticated']);
    for (const d of doc.diagnoses) expect(Object.keys(d)).toEqual(expect.arrayContaining(['code', 'title', 'cause', 'fix']));
  });

  it('--json: diagnosis codes are never redacted, tokens and secrets never shown', async () => {
    const text = `POST https://graph.microsoft.com/v1.0/users/info@fabrikam.com/sendMail\nAuthorization: Bearer ${JWT}\nclient_secret=${SECRET}\n{"error":{"code":"ErrorInvalidUser","message":"The requested user 'info@fabrikam.com' is invalid."}}`;
    const r = await run(['explain', '--json', '-'], { stdin: text });
    expect(r.exit).toBe(0);
    const doc = JSON.parse(r.stdout) as { diagnoses: Array<{ code: string; evidence: { text: string } }> };
    expect(doc.diagnoses[0]!.code).toBe('graph-mailbox-not-found');
    expect(r.stdout).not.toContain('"code": "[redacted]"');
    expect(r.stdout).not.toContain(JWT.slice(0, 40));
    expect(r.stdout).not.toContain(SECRET);
  });

  it('--profile fills the fixes and its secret (from its environment variable) is redacted from the text', async () => {
    const file = path.join(dir, 'sales.json');
    writeFileSync(file, JSON.stringify({ name: 'sales', target: 'generic', tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01', clientId: '11111111-2222-4333-8444-000000000001', clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' }, mailbox: 'sales@fabrikam.com', flow: 'app-only', api: 'imap-smtp' }));
    const secret = 'plainsecretvalue-4242';
    const r = await run(['explain', '--profile', file, `430 4.2.0 STOREDRV; mailbox logon failure; MapiExceptionLogonFailed; Cannot open mailbox (password ${secret})`], { env: { MAIL_OAUTH_SECRET: secret } });
    expect(r.exit).toBe(0);
    expect(r.stdout).toContain('[smtp-app-only-mailbox-logon-failed]');
    expect(r.stdout).toContain("New-ManagementScope -Name 'sales@fabrikam.com SMTP' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''sales@fabrikam.com'''");
    expect(r.stdout).toContain("Connect-ExchangeOnline -Organization '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01'");
    expect(r.stdout).not.toContain(secret);
  });

  it('not recognised: says so, names Microsoft\'s error lookup for an AADSTS number; exit 1', async () => {
    const r = await run(['explain', 'AADSTS9999999: Something new happened. Trace ID: 0a1b2c3d-0000-4000-8000-000000000001']);
    expect(r.exit).toBe(1);
    expect(r.stdout).toContain('Not recognised');
    expect(r.stdout).toContain('https://login.microsoftonline.com/error?code=9999999');
    const json = await run(['explain', '--json', 'the printer is on fire']);
    expect(json.exit).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ diagnoses: [], recognised: false, aadsts: [] });
  });

  it('usage: no text exits 2; --help', async () => {
    expect((await run(['explain'])).exit).toBe(2);
    const help = await run(['explain', '--help']);
    expect(help.exit).toBe(0);
    expect(help.stdout).toContain('mail-oauth explain [--json] [--profile <profile.json>] <TEXT | ->');
  });
});
