/**
 * The sealed hand-off of "Send the steps to my administrator" (issue 19, safe by default): the
 * administrator's script seals the new client secret to this connection's public key; only main,
 * with the private key from the vault, opens the file that comes back, and the secret goes into the
 * vault, never into an IPC answer or a log.
 *
 * Through the real handlers and the real engine facade (script generation needs no sign-in):
 *  - Azure CLI: the generated sh script is RUN by /bin/sh with real OpenSSL (`az` is a shell function
 *    answering fixed ids and a fixed secret: no Azure, no network); main opens the file it wrote.
 *  - PowerShell: pwsh is not on this machine, so the administrator's side is simulated with node's
 *    crypto using the parameters read FROM THE SCRIPT TEXT (modulus, exponent, key id, payload keys,
 *    file fields), and the test checks that the script names the same algorithm (OaepSHA256).
 *  - A changed byte, a file for another connection and a file that is not sealed are refused, each
 *    with its diagnosis code, and nothing is stored.
 */
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/ipc/dispatch';
import { createHandlers, secretKey } from '../../../../electron/ipc/handlers';
import { vaultKeys } from '../../../../electron/app/vault-keys';
import type { ScriptFile, SealedOpenView } from '../../../../shared/ipc/registration';
import { SEALED_ALG, SEALED_FORMAT } from '../../../../shared/registration/sealed';
import { createTestDeps } from '../../../e2e/host/appDeps';

const APP = '9988b778-6a10-4da9-a850-60fd1db85482';
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const KEY_ID = '46aa4a20-48f2-48e3-b384-5bd7b5cfe414';
const SECRET = 'Xy8Q~abcDEF.ghiJKL_mnoPQR-stuVWX0123456z';

function setUp() {
  const deps = createTestDeps();
  const handlers = createHandlers(deps);
  const logs: string[] = [];
  const answers: string[] = [];
  const call = async <T,>(channel: string, request?: unknown): Promise<T> => {
    const r = await dispatch(handlers, channel, request, { warn: (m) => logs.push(m) });
    answers.push(JSON.stringify(r));
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  return { deps, call, logs, answers };
}

const draft = (id: string, target = 'odoo') => ({
  id,
  profile: { name: 'Odoo', target, ...(target === 'odoo' ? { targetInputs: { baseUrl: 'https://erp.fabrikam.com' } } : {}), mailbox: 'reception@fabrikam.com' },
  wizard: { step: 'register', ticks: [] },
});

/** One single-quoted PowerShell literal after `prefix` in the script. */
function psLiteral(script: string, prefix: string): string {
  const at = script.indexOf(prefix);
  expect(at, `the script has ${prefix}`).toBeGreaterThan(-1);
  return /^'((?:[^']|'')*)'/.exec(script.slice(at + prefix.length))![1]!.replace(/''/g, "'");
}

/** The administrator's PowerShell, simulated: node crypto with the parameters the script itself carries. */
function sealAsThePowerShellScript(script: string, payloadValues: Record<string, string | number>): string {
  // The script's own algorithm: .NET RSA-OAEP with SHA-256 (OAEP and MGF1), the key from modulus + exponent.
  expect(script).toContain('$rsa.Encrypt([System.Text.Encoding]::UTF8.GetBytes($payload), [System.Security.Cryptography.RSAEncryptionPadding]::OaepSHA256)');
  expect(script).toContain('$rsa.ImportParameters($sealKey)');
  const modulus = psLiteral(script, '$sealKey.Modulus = [Convert]::FromBase64String(');
  const exponent = psLiteral(script, '$sealKey.Exponent = [Convert]::FromBase64String(');
  const kid = psLiteral(script, '$sealKid = ');
  // The payload's keys in the script's order ([ordered] hashtable; ConvertTo-Json -Compress keeps it).
  const table = /\$payload = \[ordered\]@\{([^}]*)\} \| ConvertTo-Json -Compress/.exec(script)![1]!;
  const keys = [...table.matchAll(/(?:^|;)\s*(\w+) = /g)].map((m) => m[1]!);
  expect(keys).toEqual(['v', 'appId', 'tenantId', 'keyId', 'secret', 'endDateTime']);
  const payload = JSON.stringify(Object.fromEntries(keys.map((k) => [k, payloadValues[k]])));
  const key = createPublicKey({ key: { kty: 'RSA', n: Buffer.from(modulus, 'base64').toString('base64url'), e: Buffer.from(exponent, 'base64').toString('base64url') }, format: 'jwk' });
  const ciphertext = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(payload, 'utf8')).toString('base64');
  // The file as the script writes it: the literals of its $sealJson line.
  const line = script.split('\n').find((l) => l.startsWith('$sealJson = '))!;
  expect(line).toContain(`format = '${SEALED_FORMAT}'; v = 1; alg = '${SEALED_ALG}'; kid = $sealKid; ciphertext = [Convert]::ToBase64String($sealed)`);
  return JSON.stringify({ format: psLiteral(line, 'format = '), v: 1, alg: psLiteral(line, 'alg = '), kid, ciphertext });
}

const az = (dir: string) =>
  [
    'az() {',
    '  case "$1 $2 $3 $4" in',
    '    "ad app list"*) printf \'\\n\' ;;',
    `    "account show"*) printf '%s\\n' '${TENANT}' ;;`,
    `    "ad app credential reset") printf '%s\\n' "$FAKE_SECRET" ;;`,
    `    "ad app credential list") printf '%s\\n' '${KEY_ID}' ;;`,
    `    "ad app show"*|"ad app create"*) printf '%s\\n' '${APP}' ;;`,
    `    *) printf '%s\\n' '11111111-2222-4333-8444-00000000abcd' ;;`,
    '  esac',
    `  printf '%s\\n' "$*" >> '${dir}/az-argv.log'`,
    '}',
  ].join('\n');

describe('sealed hand-off: the script seals, only main opens', () => {
  it('Azure CLI: the generated script, run by sh with real OpenSSL, writes a file main opens; the secret goes only into the vault', async () => {
    const { deps, call, logs, answers } = setUp();
    await call('profiles:save', draft('odoo-seal0001'));
    const file = await call<ScriptFile>('registration:script', { profileId: 'odoo-seal0001', kind: 'azure-cli' });
    expect(file.content).not.toMatch(/Client secret Value \(shown once/);
    // Shown only: nothing handed over yet. Saved for the administrator: Start shows the connection as waiting
    // (main's field) until the sealed file is opened.
    expect(deps.store.get('odoo-seal0001')!.handoff).toBeUndefined();
    await call<ScriptFile>('registration:script', { profileId: 'odoo-seal0001', kind: 'azure-cli', save: true });
    expect(deps.store.get('odoo-seal0001')!.handoff).toMatchObject({ kind: 'azure-cli', fileName: 'odoo.sealed-secret.json' });
    expect(file.content).toContain('openssl pkeyutl -encrypt -pubin -inkey "$SEAL_KEY" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256');
    // The private key stays in main's vault: the script and the answer carry the public half only.
    const pem = await deps.secrets.get(vaultKeys.handoffKey('odoo-seal0001'));
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(answers.join('\n')).not.toContain('PRIVATE KEY');
    expect(answers.join('\n')).not.toContain(pem!.split('\n')[5]!);

    const dir = mkdtempSync(path.join(tmpdir(), 'moa-seal-'));
    const sh = path.join(dir, 'register.sh');
    writeFileSync(sh, file.content.replace('#!/bin/sh\n', `#!/bin/sh\n${az(dir)}\n`));
    const out = execFileSync('sh', [sh], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', FAKE_SECRET: SECRET }, encoding: 'utf8' });
    const sealed = path.join(dir, 'odoo.sealed-secret.json');
    expect(existsSync(sealed)).toBe(true);
    expect(out).toContain(`sealed in ${sealed}`);
    expect(out).not.toContain(SECRET);
    expect(readFileSync(sealed, 'utf8')).not.toContain(SECRET);
    // The secret went to openssl through a pipe: never in an argv (of az or anything the script ran).
    expect(readFileSync(path.join(dir, 'az-argv.log'), 'utf8')).not.toContain(SECRET);

    deps.pickFiles.push(sealed);
    const opened = await call<SealedOpenView>('registration:openSealed', { profileId: 'odoo-seal0001' });
    expect(opened).toMatchObject({ status: 'opened', appId: APP, tenantId: TENANT, secretId: KEY_ID, fileName: 'odoo.sealed-secret.json' });
    expect(await deps.secrets.get(secretKey('odoo-seal0001'))).toBe(SECRET);
    expect(deps.store.get('odoo-seal0001')!.profile).toMatchObject({ clientId: APP, tenant: TENANT, secretId: KEY_ID, clientSecret: { source: 'vault', key: 'clientSecret' } });
    expect(deps.store.get('odoo-seal0001')!.handoff, 'no longer waiting once the file is opened').toBeUndefined();
    expect(answers.join('\n')).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(SECRET);
    expect(JSON.stringify(deps.store.get('odoo-seal0001'))).not.toContain(SECRET);
  });

  it('PowerShell: what the script does (simulated with the same parameters) is what main opens; the Value is never printed', async () => {
    const { deps, call, logs, answers } = setUp();
    await call('profiles:save', draft('cxt-seal0002', 'cxt'));
    const file = await call<ScriptFile>('registration:script', { profileId: 'cxt-seal0002', kind: 'powershell' });
    expect(file.content).not.toMatch(/SecretText\)/);
    expect(file.content).toContain("$rsa = if ($PSVersionTable.PSEdition -eq 'Desktop') { New-Object System.Security.Cryptography.RSACng } else { [System.Security.Cryptography.RSA]::Create() }");
    expect(file.content).toContain("$sealFile = Join-Path (Get-Location).Path 'cxt.sealed-secret.json'");
    // Only the sealing lines handle the Value, and none of them writes it out.
    for (const line of file.content.split('\n').filter((l) => /SecretText/.test(l))) expect(line).toMatch(/^\$payload = |\$secret\.SecretText = \$null/);

    const dir = mkdtempSync(path.join(tmpdir(), 'moa-seal-'));
    const sealed = path.join(dir, 'cxt.sealed-secret.json');
    writeFileSync(sealed, sealAsThePowerShellScript(file.content, { v: 1, appId: APP, tenantId: TENANT, keyId: KEY_ID, secret: SECRET, endDateTime: '2028-12-06T19:55:42Z' }));
    deps.pickFiles.push(sealed);
    const opened = await call<SealedOpenView>('registration:openSealed', { profileId: 'cxt-seal0002' });
    expect(opened).toMatchObject({ status: 'opened', appId: APP, tenantId: TENANT, secretId: KEY_ID, secretExpires: '2028-12-06' });
    expect(await deps.secrets.get(secretKey('cxt-seal0002'))).toBe(SECRET);
    // CXT: the script scopes mail to the mailbox (Exchange RBAC) as Create it for me does; the connection says so.
    expect(deps.store.get('cxt-seal0002')!.profile.mailboxScope).toBe('exchange-rbac');
    expect(answers.join('\n')).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('a changed byte, a file for another connection, not a sealed file: each refused with its code, nothing stored', async () => {
    const { deps, call, answers } = setUp();
    await call('profiles:save', draft('odoo-seal0003'));
    await call('profiles:save', draft('odoo-seal0004'));
    const script = (await call<ScriptFile>('registration:script', { profileId: 'odoo-seal0003', kind: 'powershell' })).content;
    const good = JSON.parse(sealAsThePowerShellScript(script, { v: 1, appId: APP, tenantId: TENANT, keyId: KEY_ID, secret: SECRET, endDateTime: '2028-12-06T19:55:42Z' })) as Record<string, string>;
    const ct = Buffer.from(good.ciphertext!, 'base64');
    ct[100] = ct[100]! ^ 0x01;
    const dir = mkdtempSync(path.join(tmpdir(), 'moa-seal-'));
    const write = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name));

    const refused = async (profileId: string, file: string) => {
      deps.pickFiles.push(file);
      const r = await call<SealedOpenView>('registration:openSealed', { profileId });
      expect(r.status).toBe('refused');
      return r.status === 'refused' ? r.diagnosis : undefined;
    };
    const tampered = await refused('odoo-seal0003', write('t.sealed-secret.json', JSON.stringify({ ...good, ciphertext: ct.toString('base64') })));
    expect(tampered).toMatchObject({ code: 'registration-handoff-tampered' });
    expect(tampered!.title).toMatch(/changed or damaged/);
    expect(tampered!.fix.length).toBeGreaterThan(0);
    // Sealed for odoo-seal0003: odoo-seal0004 (its own key, made now) cannot open it, and says why.
    await call('registration:script', { profileId: 'odoo-seal0004', kind: 'azure-cli' });
    expect(await refused('odoo-seal0004', write('good.sealed-secret.json', JSON.stringify(good)))).toMatchObject({ code: 'registration-handoff-other-key' });
    expect(await refused('odoo-seal0003', write('script.ps1', script))).toMatchObject({ code: 'registration-handoff-not-sealed' });
    expect(await refused('odoo-seal0003', write('big.json', 'x'.repeat(20_000)))).toMatchObject({ code: 'registration-handoff-not-sealed' });
    // The same key id with a well-formed but different ciphertext (a forged file of the right shape) is refused too.
    expect(await refused('odoo-seal0003', write('f.json', JSON.stringify({ ...good, ciphertext: Buffer.alloc(512, 7).toString('base64') })))).toMatchObject({ code: 'registration-handoff-tampered' });
    expect(await deps.secrets.get(secretKey('odoo-seal0003'))).toBeUndefined();
    expect(await deps.secrets.get(secretKey('odoo-seal0004'))).toBeUndefined();
    expect(deps.store.get('odoo-seal0003')!.profile.clientId || undefined).toBeUndefined();

    // Cancelled dialog: nothing happens. Then the good file opens (the key was kept between calls).
    expect(await call<SealedOpenView>('registration:openSealed', { profileId: 'odoo-seal0003' })).toEqual({ status: 'cancelled' });
    deps.pickFiles.push(path.join(dir, 'good.sealed-secret.json'));
    expect(await call<SealedOpenView>('registration:openSealed', { profileId: 'odoo-seal0003' })).toMatchObject({ status: 'opened' });
    expect(answers.join('\n')).not.toContain(SECRET);
  });

  it('deleting the connection deletes its hand-off key: a file that comes back later is refused, not opened', async () => {
    const { deps, call } = setUp();
    await call('profiles:save', draft('odoo-seal0005'));
    const script = (await call<ScriptFile>('registration:script', { profileId: 'odoo-seal0005', kind: 'powershell' })).content;
    const sealed = sealAsThePowerShellScript(script, { v: 1, appId: APP, tenantId: TENANT, keyId: KEY_ID, secret: SECRET, endDateTime: '2028-12-06T19:55:42Z' });
    await call('profiles:delete', { id: 'odoo-seal0005' });
    expect(await deps.secrets.get(vaultKeys.handoffKey('odoo-seal0005'))).toBeUndefined();
    await call('profiles:save', draft('odoo-seal0005'));
    const dir = mkdtempSync(path.join(tmpdir(), 'moa-seal-'));
    writeFileSync(path.join(dir, 'late.json'), sealed);
    deps.pickFiles.push(path.join(dir, 'late.json'));
    expect(await call<SealedOpenView>('registration:openSealed', { profileId: 'odoo-seal0005' })).toMatchObject({ status: 'refused', diagnosis: { code: 'registration-handoff-other-key' } });
  });
});
