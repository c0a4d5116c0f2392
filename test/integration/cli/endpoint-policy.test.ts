import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCertSet } from '../../emulator/certs';
import { ensureCliBundle, runCli, runCliInProcess } from '../helpers/cli';

// Issue 24 (endpoint policy through the CLI, custom endpoints OFF): the CLI refuses to read
// the client secret for a profile that points ANY field away from Microsoft — IMAP, SMTP, Graph, the
// proxy, extra CA certificates, the sign-in host — unless the operator passes --custom-endpoints or
// MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1. No variable holds the secret here, so a CLI that let a field
// through would stop at "not set" instead, before any network use: nothing here reaches any host.
// Most runs are the CLI's main() in this process (its environment is exactly the one given); one test
// runs the bundle in a child process, where the variable comes from the process environment.
let dir: string;
let caFile: string;

const envOf = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', HOME: dir, ...env });
const run = (args: string[], env: Record<string, string> = {}) => runCliInProcess(args, { env: envOf(env) });
const spawned = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env: envOf(env) });

const FIELDS: Record<string, { patch: () => Record<string, unknown>; named: string; api?: 'graph' }> = {
  imap: { patch: () => ({ endpoints: { imap: 'imap.fabrikam-test.net:993' } }), named: 'IMAP server imap.fabrikam-test.net:993' },
  smtp: { patch: () => ({ endpoints: { smtp: 'smtp.fabrikam-test.net:587' } }), named: 'SMTP server smtp.fabrikam-test.net:587' },
  graph: { patch: () => ({ endpoints: { graphUrl: 'https://graph.fabrikam-test.net/v1.0' } }), named: 'Graph address https://graph.fabrikam-test.net/v1.0', api: 'graph' },
  'sign-in': { patch: () => ({ endpoints: { signInHost: 'login.fabrikam-test.net' } }), named: 'sign-in host login.fabrikam-test.net' },
  proxy: { patch: () => ({ proxy: 'http://proxy.fabrikam.com:3128' }), named: 'proxy http://proxy.fabrikam.com:3128' },
  'CA certificates': { patch: () => ({ caCerts: [caFile] }), named: 'extra CA certificates' },
};

function profileFile(name: string, patch: Record<string, unknown>, api: 'imap-smtp' | 'graph' = 'imap-smtp'): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      target: api === 'graph' ? 'generic-graph' : 'generic',
      tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01',
      clientId: '11111111-2222-4333-8444-000000000003',
      clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' },
      mailbox: 'info@fabrikam.com',
      flow: 'app-only',
      api,
      ...patch,
    }),
  );
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-cli-policy-'));
  caFile = path.join(dir, 'inspection-ca.pem');
  writeFileSync(caFile, (await makeCertSet('Fabrikam inspection CA')).caPem);
  await ensureCliBundle();
}, 120_000);

describe('mail-oauth check, custom endpoints OFF: each non-Microsoft field alone keeps the secret', () => {
  for (const [field, f] of Object.entries(FIELDS)) {
    it(`${field}: exit 2, the field named, the way to allow it given`, { timeout: 90_000 }, async () => {
      const file = profileFile(`policy-${field.replace(/\W/g, '-')}`, f.patch(), f.api);
      const [r, ...allowedRuns] = await Promise.all([run(['check', file]), run(['check', file, '--custom-endpoints']), run(['check', file], { MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1' })]);
      expect(r.exit, r.stderr).toBe(2);
      expect(r.stderr).toContain(`The profile sends the client secret to ${f.named}, not Microsoft's servers for its cloud.`);
      expect(r.stderr).toContain('--custom-endpoints or MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1');
      // Allowed by the operator, the same profile gets past the policy (and stops at the missing secret).
      for (const allowed of allowedRuns) {
        expect(allowed.exit).toBe(2);
        expect(allowed.stderr).not.toContain('not Microsoft');
        expect(allowed.stderr).toContain('MAIL_OAUTH_SECRET, which is not set');
      }
    });
  }

  it("Microsoft's own hosts, as MICROSOFT-FACTS.md lists them, pass the policy", { timeout: 60_000 }, async () => {
    const file = profileFile('policy-microsoft', { endpoints: { signInHost: 'login.microsoftonline.com', imap: 'outlook.office365.com:993', smtp: 'smtp.office365.com:587' } });
    const r = await run(['check', file]);
    expect(r.exit).toBe(2);
    expect(r.stderr).not.toContain('not Microsoft');
    expect(r.stderr).toContain('MAIL_OAUTH_SECRET, which is not set');
  });

  it('the bundle in a child process: refused with exit 2; MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1 in its environment lets it through', { timeout: 60_000 }, async () => {
    const file = profileFile('policy-spawned', FIELDS.imap!.patch());
    const [refused, allowed] = await Promise.all([spawned(['check', file]), spawned(['check', file], { MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1' })]);
    expect(refused.exit, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`The profile sends the client secret to ${FIELDS.imap!.named}, not Microsoft's servers for its cloud.`);
    expect(allowed.exit).toBe(2);
    expect(allowed.stderr).not.toContain('not Microsoft');
    expect(allowed.stderr).toContain('MAIL_OAUTH_SECRET, which is not set');
  });
});
