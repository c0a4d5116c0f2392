/**
 * A certificate credential used from a profile (issue 12 item 1) by the CLI: `clientCertificate` holds
 * the public certificate PEM and a reference to the private key (a 0600 file or a MAIL_OAUTH_*
 * environment variable, never the key). `mail-oauth check` signs in with msal-node's certificate
 * credential against the emulator and runs app-only IMAP + SMTP; `mail-oauth status` reads the
 * certificate's end date from the registration (Graph, matched by thumbprint) or from the certificate
 * itself. A key readable by others, one that does not belong to the certificate, and a foreign host are
 * refused. No output carries key material (scanned).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, GRAPH_CLI_APP_ID, type Emulator } from '../../emulator/index';
import { sessionFromToken, findApplication } from '../../../electron/engine/registration';
import { generateCertificate, uploadCertificate, type GeneratedCertificate } from '../../../electron/engine/keepalive/certificate';
import { runCliInProcess } from '../helpers/cli';
import { DAEMON, TENANT, emuProfile } from '../helpers/fixtures';

const ROOT = path.resolve(__dirname, '../../..');
let emu: Emulator;
let dir: string;
let cert: GeneratedCertificate;
let stranger: GeneratedCertificate;
let keyFile: string;
const outputs: string[] = [];

beforeAll(async () => {
  [emu, cert, stranger] = await Promise.all([startEmulator(), generateCertificate({ subject: 'CN=Fabrikam daemon (CLI)' }), generateCertificate({ subject: 'CN=Stranger' })]);
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-certcli-'));
  emu.admin.setApp(DAEMON, {
    applicationPermissions: [
      { resource: 'outlook', name: 'IMAP.AccessAsApp' },
      { resource: 'outlook', name: 'SMTP.SendAsApp' },
      { resource: 'graph', name: 'Application.Read.All' },
    ],
    applicationAdminConsent: true,
  } as never);
  const token = emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: 'Application.ReadWrite.All' });
  const graph = sessionFromToken(emuProfile(emu), token, { purpose: 'write' }).graph;
  await uploadCertificate(graph, (await findApplication(graph, DAEMON))!.id, cert, 'Mail OAuth Assistant CLI');
  keyFile = path.join(dir, 'daemon.key');
  writeFileSync(keyFile, cert.privateKeyPem, { mode: 0o600 });
}, 60_000);
afterAll(async () => {
  await emu?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function profileObject(patch: Record<string, unknown>) {
  return {
    name: 'fabrikam-daemon-cert',
    target: 'app-only-imap-smtp',
    tenant: TENANT,
    clientId: DAEMON,
    clientSecret: { source: 'none' },
    clientCertificate: { certificatePem: cert.certPem, privateKey: { source: 'file', path: keyFile } },
    mailbox: 'info@fabrikam.com',
    flow: 'app-only',
    api: 'imap-smtp',
    endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
    caCerts: [emu.caPem],
    ...patch,
  };
}
let n = 0;
function profile(patch: Record<string, unknown> = {}): string {
  const file = path.join(dir, `p${n++}.json`);
  writeFileSync(file, JSON.stringify(profileObject(patch)));
  return file;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ exit: number; stdout: string; stderr: string }> {
  const { exit, stdout, stderr } = await runCliInProcess(args, { env: { MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', ...env } });
  outputs.push(stdout, stderr);
  return { exit: exit ?? 99, stdout, stderr };
}

/** Like a scheduler: the real CLI as a child, fd 0 closed, no TTY, only the environment. */
function spawned(args: string[], env: Record<string, string>): Promise<{ exit: number | null; stdout: string; stderr: string }> {
  const entry = process.env.MAIL_OAUTH_CLI === 'dist' ? [path.join(ROOT, 'dist/cli/mail-oauth.cjs')] : ['--import', 'tsx', path.join(ROOT, 'electron/cli/mail-oauth.ts')];
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `exec ${[process.execPath, ...entry, ...args].map(q).join(' ')} <&-`], { cwd: ROOT, env: { PATH: '/usr/bin:/bin', MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      outputs.push(stdout, stderr);
      resolve({ exit, stdout, stderr });
    });
  });
}

const keyBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));
const DAY = 86_400_000;
const daysLeft = (iso: string) => Math.floor(Date.parse(iso) / DAY) - Math.floor(Date.now() / DAY);

describe('a profile that signs in with a certificate, through the CLI', () => {
  it('check: app-only IMAP and SMTP pass with the private key from a 0600 file', async () => {
    const r = await cli(['check', profile(), '--only', 'network,token,imap,smtp', '--json']);
    const data = JSON.parse(r.stdout) as { validation: { findings: { code: string; severity: string }[] }; run: { passed: boolean; results: { id: string; status: string; diagnosis?: { code: string } }[] } };
    expect(data.validation.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(data.run.results.map((x) => [x.id, x.status, x.diagnosis?.code])).toEqual([['network', 'passed', undefined], ['token', 'passed', undefined], ['imap', 'passed', undefined], ['smtp', 'passed', undefined]]);
    expect(r.exit).toBe(0);
  });

  it('check: the private key from a MAIL_OAUTH_* environment variable (one line, \\n escaped), in a child process with no terminal', async () => {
    const file = profile({ clientCertificate: { certificatePem: cert.certPem, privateKey: { source: 'env', name: 'MAIL_OAUTH_CERT_KEY' } } });
    const r = await spawned(['check', file, '--only', 'token,imap', '--monitoring'], { MAIL_OAUTH_CERT_KEY: cert.privateKeyPem.replace(/\n/g, '\\n') });
    expect(r.stdout).toMatch(/^MAIL-OAUTH OK - 2 checks passed \(token, imap\) \| token_ms=\d+ms imap_ms=\d+ms\n$/);
    expect(r.exit).toBe(0);
  }, 60_000);

  it('the certificate the emulator does not know (another key pair) is refused with its AADSTS diagnosis', async () => {
    const strangerKey = path.join(dir, 'stranger.key');
    writeFileSync(strangerKey, stranger.privateKeyPem, { mode: 0o600 });
    const r = await cli(['check', profile({ clientCertificate: { certificatePem: stranger.certPem, privateKey: { source: 'file', path: strangerKey } } }), '--only', 'token', '--json']);
    const data = JSON.parse(r.stdout) as { run: { results: { id: string; status: string; diagnosis?: { code: string } }[] } };
    expect(data.run.results[0]).toMatchObject({ id: 'token', status: 'failed', diagnosis: { code: 'aadsts-700027-certificate-unknown' } });
    expect(r.exit).toBe(1);
  });

  it('refuses a key file others can read, a key that is not the certificate\'s, a non-MAIL_OAUTH_ variable and a foreign host', async () => {
    const open = path.join(dir, 'open.key');
    writeFileSync(open, cert.privateKeyPem);
    chmodSync(open, 0o644);
    const r1 = await cli(['check', profile({ clientCertificate: { certificatePem: cert.certPem, privateKey: { source: 'file', path: open } } })]);
    expect(r1.exit).toBe(2);
    expect(r1.stderr).toContain(`can be read by others (mode 644). Run: chmod 600 ${open}`);

    const wrong = path.join(dir, 'wrong.key');
    writeFileSync(wrong, stranger.privateKeyPem, { mode: 0o600 });
    const r2 = await cli(['check', profile({ clientCertificate: { certificatePem: cert.certPem, privateKey: { source: 'file', path: wrong } } })]);
    expect(r2.exit).toBe(2);
    expect(r2.stderr).toContain(`does not belong to the certificate ${cert.thumbprint}`);

    const r3 = await cli(['check', profile({ clientCertificate: { certificatePem: cert.certPem, privateKey: { source: 'env', name: 'HOME_KEY' } } })], { HOME_KEY: cert.privateKeyPem });
    expect(r3.exit).toBe(2);
    expect(r3.stderr).toContain('may only name variables starting with MAIL_OAUTH_');

    const r4 = await cli(['check', profile()], { MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '0' });
    expect(r4.exit).toBe(2);
    expect(r4.stderr).toContain('signs in with its certificate at');
  });

  it('a private key pasted into the profile itself is refused by the schema, and the key is not echoed', async () => {
    const r = await cli(['check', profile({ clientCertificate: { certificatePem: `${cert.certPem}${cert.privateKeyPem}`, privateKey: { source: 'file', path: keyFile } } })]);
    expect(r.exit).toBe(2);
    expect(r.stderr).toContain('a private key never goes in a profile');
  });

  it('status: the certificate\'s end date read from the registration through Graph (matched by thumbprint) with the certificate sign-in', async () => {
    const days = daysLeft(cert.notAfter);
    const r = await cli(['status', profile()]);
    expect(r.stdout).toBe(`MAIL-OAUTH OK - fabrikam-daemon-cert: certificate expires on ${cert.notAfter.slice(0, 10)} (in ${days} days) | days_left=${days};30;7\n`);
    expect(r.exit).toBe(0);
    const j = JSON.parse((await cli(['status', profile(), '--json'])).stdout) as { connections: { source: string; note?: string }[] };
    expect(j.connections[0]).toMatchObject({ source: 'graph' });
    expect(j.connections[0]!.note).toBeUndefined();
  });

  it('status --no-graph: the end date from the certificate in the profile; WARNING with a wider window', async () => {
    const days = daysLeft(cert.notAfter);
    const r = await cli(['status', profile(), '--no-graph', '--warning-days', '400', '--critical-days', '7']);
    expect(r.stdout).toBe(`MAIL-OAUTH WARNING - fabrikam-daemon-cert: certificate expires on ${cert.notAfter.slice(0, 10)} (in ${days} days) | days_left=${days};400;7\nsource: profile (--no-graph: expiry from the profile)\n`);
    expect(r.exit).toBe(1);
  });

  it('no output carries the private key', () => {
    const all = outputs.join('\n');
    expect(all.length).toBeGreaterThan(500);
    for (const k of [cert, stranger]) for (const line of keyBody(k.privateKeyPem)) expect(all).not.toContain(line);
    expect(all).not.toContain('PRIVATE KEY');
  });
});
