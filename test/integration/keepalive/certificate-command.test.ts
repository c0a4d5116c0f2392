/**
 * `mail-oauth certificate` (issue 12 item 1) against the emulator: a profile moves from its client
 * secret to a certificate it generated. Without --upload the files and the portal step, and the check
 * says Microsoft does not know the certificate (AADSTS700027); with --upload (an administrator's Graph
 * session) the certificate is added to the registration, read back, and the checks pass with it; then
 * `mail-oauth check` on the rewritten profile passes on its own. Keys are never overwritten, a PFX needs
 * its passphrase from the environment, and no key or passphrase appears in any output (scanned).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { X509Certificate } from 'node:crypto';
import { startEmulator, GRAPH_CLI_APP_ID, type Emulator } from '../../emulator/index';
import { main } from '../../../electron/cli/main';
import { certificateWith, removeOldCertificate } from '../../../electron/cli/commands/certificate';
import { sessionFromToken } from '../../../electron/engine/registration';
import type { CliIo } from '../../../electron/cli/main';
import { DAEMON, DAEMON_SECRET, TENANT, emuProfile } from '../helpers/fixtures';

let emu: Emulator;
let dir: string;
const outputs: string[] = [];
const PASSPHRASE = 'correct horse battery staple';

beforeAll(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-certcmd-'));
  emu.admin.setApp(DAEMON, {
    applicationPermissions: [
      { resource: 'outlook', name: 'IMAP.AccessAsApp' },
      { resource: 'outlook', name: 'SMTP.SendAsApp' },
    ],
    applicationAdminConsent: true,
  } as never);
}, 60_000);
afterAll(async () => {
  await emu?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function profileFile(): string {
  const file = path.join(dir, `daemon-${n++}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name: 'Fabrikam daemon',
      target: 'app-only-imap-smtp',
      tenant: TENANT,
      clientId: DAEMON,
      clientSecret: { source: 'env', name: 'MAIL_OAUTH_DAEMON_SECRET' },
      mailbox: 'info@fabrikam.com',
      flow: 'app-only',
      api: 'imap-smtp',
      endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
      caCerts: [emu.caPem],
    }),
  );
  return file;
}

function io(env: Record<string, string> = {}): { io: CliIo; out: () => { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) => Object.assign(new Writable({ write(c, _e, cb) { add(String(c)); cb(); } }), { isTTY: false }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(Readable.from([]), { isTTY: false }) as unknown as NodeJS.ReadStream;
  return { io: { stdout: sink((x) => (stdout += x)), stderr: sink((x) => (stderr += x)), stdin, env: { MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', MAIL_OAUTH_DAEMON_SECRET: DAEMON_SECRET, ...env } } as CliIo, out: () => (outputs.push(stdout, stderr), { stdout, stderr }) };
}
async function cli(args: string[], env: Record<string, string> = {}) {
  const h = io(env);
  const exit = await main(args, h.io);
  return { exit, ...h.out() };
}

const keyBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));
const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);

describe('mail-oauth certificate: from a client secret to a certificate', () => {
  it('without --upload: key 0600, certificate .pem/.cer, the portal step; the profile now uses the certificate, which Microsoft does not know yet', async () => {
    const file = profileFile();
    const keyOut = path.join(dir, 'first.key');
    const r = await cli(['certificate', file, '--key-out', keyOut]);
    expect(r.exit, r.stdout + r.stderr).toBe(0);
    expect(mode(keyOut)).toBe('600');
    const pem = readFileSync(path.join(dir, 'first.pem'), 'utf8');
    const cert = new X509Certificate(pem);
    expect(cert.subject).toContain('Fabrikam daemon');
    expect(new X509Certificate(readFileSync(path.join(dir, 'first.cer'))).fingerprint).toBe(cert.fingerprint);
    expect(cert.checkPrivateKey(await import('node:crypto').then((c) => c.createPrivateKey(readFileSync(keyOut, 'utf8'))))).toBe(true);
    expect(r.stdout).toContain('Certificates & secrets > Certificates > Upload certificate, choose first.cer');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.clientSecret).toEqual({ source: 'none' });
    expect(saved.clientCertificate).toEqual({ certificatePem: pem, privateKey: { source: 'file', path: keyOut } });
    expect(readFileSync(file, 'utf8')).not.toContain('PRIVATE KEY');

    const check = await cli(['check', file, '--only', 'token', '--json']);
    const data = JSON.parse(check.stdout) as { run: { results: { id: string; status: string; diagnosis?: { code: string } }[] } };
    expect(data.run.results[0]).toMatchObject({ id: 'token', status: 'failed', diagnosis: { code: 'aadsts-700027-certificate-unknown' } });
    expect(check.exit).toBe(1);
  });

  it('with an administrator: uploaded through Graph and read back, proved by the checks, and `check` passes on the rewritten profile', async () => {
    const file = profileFile();
    const before = emu.scenario.apps.find((a) => a.clientId === DAEMON)!;
    const certsBefore = (before as unknown as { certificates?: unknown[] }).certificates?.length ?? 0;
    const token = emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: 'Application.ReadWrite.All' });
    const session = sessionFromToken(emuProfile(emu), token, { purpose: 'write' });
    const keyOut = path.join(dir, 'uploaded.key');
    const h = io({ MAIL_OAUTH_PFX_PASSPHRASE: PASSPHRASE });
    const exit = await certificateWith(session, file, { keyOut, pfxOut: path.join(dir, 'uploaded.pfx'), passphrase: PASSPHRASE, days: 180, json: true }, h.io);
    const { stdout } = h.out();
    expect(exit, stdout).toBe(0);
    const doc = JSON.parse(stdout) as { uploaded: boolean; proved: boolean; thumbprint: string; notAfter: string; run: { results: { id: string; status: string }[] } };
    expect(doc).toMatchObject({ uploaded: true, proved: true });
    expect(doc.run.results.map((x) => [x.id, x.status])).toEqual([['network', 'passed'], ['token', 'passed'], ['imap', 'passed'], ['smtp', 'passed']]);
    const days = Math.round((Date.parse(doc.notAfter) - Date.now()) / 86_400_000);
    expect(days).toBeGreaterThanOrEqual(179);
    expect(days).toBeLessThanOrEqual(180);
    const after = emu.scenario.apps.find((a) => a.clientId === DAEMON)! as unknown as { certificates?: { thumbprint?: string }[] };
    expect(after.certificates?.length ?? 0).toBe(certsBefore + 1);
    expect(mode(path.join(dir, 'uploaded.pfx'))).toBe('600');

    const check = await cli(['check', file, '--only', 'network,token,imap,smtp']);
    expect(check.exit, check.stdout).toBe(0);
  });

  it('rotation: a second certificate keeps the first working until --remove takes it off (never the current one)', async () => {
    const token = emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: 'Application.ReadWrite.All' });
    const session = sessionFromToken(emuProfile(emu), token, { purpose: 'write' });
    const file = profileFile();
    const first = io();
    expect(await certificateWith(session, file, { keyOut: path.join(dir, 'rot-a.key'), days: 30, json: true }, first.io)).toBe(0);
    const a = JSON.parse(first.out().stdout) as { thumbprint: string };
    const oldProfile = path.join(dir, 'still-on-a.json');
    writeFileSync(oldProfile, readFileSync(file)); // a system that still signs with A
    const second = io();
    expect(await certificateWith(session, file, { keyOut: path.join(dir, 'rot-b.key'), days: 30, json: true }, second.io)).toBe(0);
    const b = JSON.parse(second.out().stdout) as { thumbprint: string; previousThumbprint?: string };
    expect(b.previousThumbprint).toBe(a.thumbprint);
    const certs = () => ((emu.scenario.apps.find((x) => x.clientId === DAEMON)! as unknown as { certificates: unknown[] }).certificates ?? []).length;
    const both = certs();
    expect((await cli(['check', oldProfile, '--only', 'token'])).exit).toBe(0);
    expect((await cli(['check', file, '--only', 'token'])).exit).toBe(0);

    // Without --yes and without a terminal, nothing is removed.
    const asked = await cli(['certificate', file, '--remove', a.thumbprint]);
    expect(asked.exit).toBe(2);
    expect(asked.stderr).toContain('--yes');
    await expect(removeOldCertificate(session, file, b.thumbprint, false, io().io)).rejects.toThrow('signs in with');
    const removal = io();
    expect(await removeOldCertificate(session, file, a.thumbprint, true, removal.io)).toBe(0);
    expect(JSON.parse(removal.out().stdout)).toMatchObject({ removed: true, thumbprint: a.thumbprint });
    expect(certs()).toBe(both - 1);
    const stale = await cli(['check', oldProfile, '--only', 'token', '--json']);
    expect((JSON.parse(stale.stdout) as { run: { results: { diagnosis?: { code: string } }[] } }).run.results[0]!.diagnosis?.code).toBe('aadsts-700027-certificate-unknown');
    expect((await cli(['check', file, '--only', 'token'])).exit).toBe(0);
  });

  it('never overwrites a key, wants the PFX passphrase from the environment only, and refuses a bad --days', async () => {
    const file = profileFile();
    const keyOut = path.join(dir, 'taken.key');
    writeFileSync(keyOut, 'something else\n', { mode: 0o600 });
    const taken = await cli(['certificate', file, '--key-out', keyOut]);
    expect(taken.exit).toBe(2);
    expect(taken.stderr).toContain('already exists');
    expect(readFileSync(keyOut, 'utf8')).toBe('something else\n');
    const noPass = await cli(['certificate', file, '--key-out', path.join(dir, 'nopass.key'), '--pfx-out', path.join(dir, 'nopass.pfx')]);
    expect(noPass.exit).toBe(2);
    expect(noPass.stderr).toContain('MAIL_OAUTH_PFX_PASSPHRASE');
    expect(existsSync(path.join(dir, 'nopass.key'))).toBe(false);
    const badDays = await cli(['certificate', file, '--key-out', path.join(dir, 'days.key'), '--days', '5000']);
    expect(badDays.exit).toBe(2);
    // The profile was left as it was by every refusal.
    expect(JSON.parse(readFileSync(file, 'utf8')).clientSecret).toEqual({ source: 'env', name: 'MAIL_OAUTH_DAEMON_SECRET' });
  });

  it('no private key, key line or passphrase in any output', () => {
    const keys = ['first.key', 'uploaded.key', 'rot-a.key', 'rot-b.key'].map((f) => readFileSync(path.join(dir, f), 'utf8'));
    const all = outputs.join('\n');
    expect(all).not.toContain('PRIVATE KEY');
    expect(all).not.toContain(PASSPHRASE);
    for (const k of keys) for (const line of keyBody(k)) expect(all.includes(line)).toBe(false);
  });
});
