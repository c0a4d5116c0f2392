/**
 * `mail-oauth init` writes a valid profile from flags (what a script for many customers uses), and
 * `validate --write` cleans what has one reading and says so.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfileSchema } from '../../../shared/profile';
import { runCli } from '../targets/helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const CLIENT = '7a3e0c11-0014-4b5c-8d6e-0000000000a1';

describe('mail-oauth init and validate --write', () => {
  it('init from flags writes a profile the schema accepts, cleaned (date, scheme, braces) and said', async () => {
    const file = path.join(dir, 'odoo.json');
    const r = await runCli(['init', file, '--target', 'odoo', '--tenant', TENANT, '--client-id', `{${CLIENT}}`, '--mailbox', 'sales@fabrikam.com', '--secret-env', 'MAIL_OAUTH_ODOO_SECRET', '--secret-expires', '31/12/2027', '--input', 'baseUrl=erp.fabrikam.com', '--input', 'version=17', '--json'], {});
    expect(r.exit, r.stdout + r.stderr).toBe(0);
    const profile = ProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(profile).toMatchObject({ target: 'odoo', tenant: TENANT, clientId: CLIENT, mailbox: 'sales@fabrikam.com', secretExpires: '2027-12-31', clientSecret: { source: 'env', name: 'MAIL_OAUTH_ODOO_SECRET' }, flow: 'delegated', api: 'imap-smtp' });
    expect(profile.targetInputs.baseUrl).toBe('https://erp.fabrikam.com');
    const codes = ((r.json as { findings?: Array<{ code: string }> })?.findings ?? []).map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['secret-expires-cleaned', 'base-url-scheme-added', 'client-id-cleaned']));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // and the written file validates clean
    const v = await runCli(['validate', file], {});
    expect(v.exit, v.stdout).toBe(0);
  }, 90_000);

  it('init refuses what has two readings and writes nothing; without a terminal, missing flags are a usage error', async () => {
    const file = path.join(dir, 'ambiguous.json');
    const r = await runCli(['init', file, '--target', 'odoo', '--tenant', TENANT, '--client-id', CLIENT, '--mailbox', 'sales@fabrikam.com', '--secret-expires', '03/04/2027', '--input', 'baseUrl=https://erp.fabrikam.com'], {});
    expect(r.exit).toBe(1);
    expect(r.stdout).toContain('could be 2027-04-03 or 2027-03-04');
    expect(() => statSync(file)).toThrow();
    const missing = await runCli(['init', file, '--target', 'odoo'], {});
    expect(missing.exit).toBe(2);
    expect(missing.stderr).toContain('--tenant, --client-id, --mailbox');
  }, 90_000);

  it('validate --write puts the cleaned values into a hand-written file', async () => {
    const file = path.join(dir, 'hand.json');
    writeFileSync(file, JSON.stringify({ name: 'Hand written', target: 'odoo', targetInputs: { baseUrl: 'erp.fabrikam.com' }, tenant: TENANT, clientId: CLIENT, clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' }, mailbox: 'sales@fabrikam.com', flow: 'delegated', api: 'imap-smtp', secretExpires: '31/12/2027' }));
    const r = await runCli(['validate', file, '--write'], {});
    expect(r.exit, r.stdout).toBe(0);
    expect(r.stdout).toContain('Read "31/12/2027" as 2027-12-31');
    const after = JSON.parse(readFileSync(file, 'utf8')) as { secretExpires: string; targetInputs: { baseUrl: string } };
    expect(after.secretExpires).toBe('2027-12-31');
    expect(after.targetInputs.baseUrl).toBe('https://erp.fabrikam.com');
  }, 90_000);
});
