import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index';
import { ensureCliBundle, runCli, runCliInProcess } from '../helpers/cli';
import { DAEMON, DAEMON_SECRET, TENANT } from '../helpers/fixtures';

// The CLI's commands, options, output and exit codes. Most cases run its main() in this process (same
// code, no Node start per run); the secret-hygiene test and the exit codes as a shell sees them run the
// bundle from scripts/build-node.mjs as users do: a child process, real argv, real exit codes.
let emu: Emulator;
let dir: string;

const envOf = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', HOME: dir, MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', ...env });
const run = (args: string[], env: Record<string, string> = {}) => runCliInProcess(args, { env: envOf(env) });
const spawned = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env: envOf(env) });

function profileFile(name: string, patch: Record<string, unknown> = {}): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      target: 'generic',
      tenant: TENANT,
      clientId: DAEMON,
      clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' },
      mailbox: 'info@fabrikam.com',
      flow: 'app-only',
      api: 'imap-smtp',
      endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
      caCerts: [emu.caPath],
      ...patch,
    }),
  );
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-cli-'));
  await ensureCliBundle();
  emu = await startEmulator();
}, 120_000);
afterAll(async () => {
  await emu?.stop();
});

describe('mail-oauth CLI', () => {
  it('--help on every command, usage errors exit 2', async () => {
    for (const cmd of ['validate', 'check', 'export', 'schema']) {
      const r = await run([cmd, '--help']);
      expect(r.exit).toBe(0);
      expect(r.stdout).toContain(`mail-oauth ${cmd}`);
    }
    expect((await run([])).exit).toBe(2);
    expect((await run(['frobnicate'])).exit).toBe(2);
    expect((await run(['check'])).exit).toBe(2);
    expect((await run(['check', 'x.json', '--only', 'pop'])).exit).toBe(2);
    expect((await run(['check', 'x.json', '--bogus'])).exit).toBe(2);
  });

  it('the bundle in a child process: exit codes 0, 1 and 2 as a shell sees them', async () => {
    expect((await spawned(['check', '--help'])).exit).toBe(0);
    expect((await spawned(['validate', profileFile('bad-exit', { tenant: 'common' })], { MAIL_OAUTH_SECRET: DAEMON_SECRET })).exit).toBe(1);
    const usage = await spawned(['check', 'x.json', '--bogus']);
    expect(usage.exit).toBe(2);
    expect(usage.stderr).toContain('Run "mail-oauth check --help" for usage.');
  });

  it('schema prints the profile JSON Schema', async () => {
    const r = await run(['schema']);
    expect(r.exit).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['tenant', 'clientId', 'clientSecret', 'mailbox', 'flow', 'api', 'endpoints', 'caCerts', 'proxy']));
  });

  it('validate: unusable file exits 2, errors exit 1, clean exits 0', async () => {
    expect((await run(['validate', path.join(dir, 'missing.json')])).exit).toBe(2);
    writeFileSync(path.join(dir, 'broken.json'), '{ nope');
    expect((await run(['validate', path.join(dir, 'broken.json')])).exit).toBe(2);
    const bad = profileFile('bad', { tenant: 'common' });
    const r = await run(['validate', bad, '--json'], { MAIL_OAUTH_SECRET: '5a6b7c8d-0003-4e2f-9a3b-000000000053' });
    expect(r.exit).toBe(1);
    const codes = (JSON.parse(r.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['tenant-alias-app-only', 'secret-value-is-guid']));
    expect(r.stdout + r.stderr).not.toContain('5a6b7c8d-0003-4e2f-9a3b-000000000053');
    expect((await run(['validate', profileFile('good')], { MAIL_OAUTH_SECRET: DAEMON_SECRET })).exit).toBe(0);
  });

  it('check --json: one JSON document, exit 0 when everything passed', async () => {
    const r = await run(['check', profileFile('ok'), '--json'], { MAIL_OAUTH_SECRET: DAEMON_SECRET });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { run: { passed: boolean; results: { id: string; status: string }[] } };
    expect(doc.run.results.map((x) => `${x.id}:${x.status}`)).toEqual(['network:passed', 'token:passed', 'imap:passed', 'smtp:passed', 'roundtrip:passed']);
    expect(r.exit).toBe(0);
  });

  it('check: a failing check exits 1 and explains itself in human output', async () => {
    const r = await run(['check', profileFile('nosp', { mailbox: 'reception@fabrikam.com' }), '--only', 'imap,smtp', '--timeout', '3000'], { MAIL_OAUTH_SECRET: DAEMON_SECRET });
    expect(r.exit).toBe(1);
    expect(r.stdout).toContain('FAILED');
    expect(r.stdout).toContain('New-ServicePrincipal');
  });

  it('check: missing secret variable, or "ask" without a terminal, exits 2', async () => {
    expect((await run(['check', profileFile('noenv')])).exit).toBe(2);
    const r = await run(['check', profileFile('ask', { clientSecret: { source: 'ask' } }), '--json']);
    expect(r.exit).toBe(2);
    expect(r.stderr).toContain('no terminal');
  });

  it('check: delegated profile in the CLI without --device-code says how to sign in', async () => {
    const r = await run(['check', profileFile('deleg', { flow: 'delegated', clientId: '11111111-2222-4333-8444-000000000001', mailbox: 'reception@fabrikam.com' }), '--only', 'token', '--json'], { MAIL_OAUTH_SECRET: 'Erp~Secret.Value_0123456789abcdefGHIJ' });
    expect(r.exit).toBe(1);
    expect((JSON.parse(r.stdout) as { run: { results: { diagnosis: { code: string } }[] } }).run.results[0]!.diagnosis.code).toBe('sign-in-required');
  });

  it('export --format json prints the profile without a secret; unknown format exits 2', async () => {
    const file = profileFile('exp');
    const r = await run(['export', file, '--format', 'json'], { MAIL_OAUTH_SECRET: DAEMON_SECRET });
    expect(r.exit).toBe(0);
    expect((JSON.parse(r.stdout) as { clientId: string }).clientId).toBe(DAEMON);
    expect(r.stdout).not.toContain(DAEMON_SECRET);
    expect((await run(['export', file, '--format', 'nope'])).exit).toBe(2);
  });

  it('secrets: after a passing --json run and a failing run, no secret or token in stdout, stderr, files or the profile', async () => {
    const file = profileFile('secrets');
    const before = readFileSync(file, 'utf8');
    const outputs: string[] = [];
    for (const args of [
      ['check', file, '--json'],
      ['check', file],
      ['check', profileFile('secrets-bad', { mailbox: 'reception@fabrikam.com' }), '--json'],
    ]) {
      const r = await spawned(args, { MAIL_OAUTH_SECRET: DAEMON_SECRET });
      outputs.push(r.stdout, r.stderr);
    }
    // A wrong secret value: the server's AADSTS7000215 text must not echo it either.
    const wrong = 'Wrong~Secret.Value_DoNotLeakMe0123456';
    const r = await spawned(['check', file, '--json', '--only', 'token'], { MAIL_OAUTH_SECRET: wrong });
    expect(r.exit).toBe(1);
    outputs.push(r.stdout, r.stderr);
    const all = outputs.join('\n');
    expect(all).not.toContain(DAEMON_SECRET);
    expect(all).not.toContain(wrong);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/); // no JWT (access token)
    // Tokens the emulator issued during these runs are JWTs; none appears anywhere.
    // Files: the CLI writes no log, cache or store; the only files in its directory are the profiles we wrote.
    const files = readdirSync(dir, { recursive: true }).map(String);
    expect(files.every((f) => f.endsWith('.json'))).toBe(true);
    for (const f of files) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      expect(text).not.toContain(DAEMON_SECRET);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
