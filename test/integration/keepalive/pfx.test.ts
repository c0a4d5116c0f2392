/**
 * PFX / PKCS#12 export with a passphrase the user chooses (issue 12 item 1), proved by the tool a
 * target's administrator would use: `openssl pkcs12` reads it back (passphrase from the environment,
 * never argv), names the protection (PBES2 / PBKDF2 / AES-256-CBC, MAC SHA-256), and returns the very
 * key and certificate that went in; a wrong passphrase fails the MAC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportPfx, generateCertificate, type GeneratedCertificate } from '../../../electron/engine/keepalive/certificate';

const PASS = 'Fabrikam pfx – passphrase 7';
let dir: string;
let cert: GeneratedCertificate;
let file: string;
let pfx: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-pfx-'));
  cert = await generateCertificate({ subject: 'CN=Fabrikam FlexDeploy' });
  pfx = await exportPfx(cert, cert.privateKeyPem, PASS);
  file = path.join(dir, 'fabrikam.pfx');
  writeFileSync(file, pfx, { mode: 0o600 });
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const openssl = (args: string[], pass: string) => spawnSync('openssl', ['pkcs12', '-in', file, '-passin', 'env:PFX_PASS', ...args], { env: { PATH: process.env.PATH, PFX_PASS: pass }, encoding: 'utf8' });

describe('PFX export with the user\'s passphrase', () => {
  it('openssl pkcs12 -info reads it with the passphrase and names the protection', () => {
    const r = openssl(['-info', '-noout'], PASS);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('MAC: sha256, Iteration 2048');
    expect(r.stderr).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/);
    expect(r.stderr).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 100000/);
  });

  it('gives back the same private key and the same certificate', () => {
    const key = openssl(['-nocerts', '-nodes'], PASS);
    expect(key.status).toBe(0);
    const keyPem = key.stdout.slice(key.stdout.indexOf('-----BEGIN PRIVATE KEY-----'));
    expect(createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem' })).toBe(createPrivateKey(cert.privateKeyPem).export({ type: 'pkcs8', format: 'pem' }));
    const crt = openssl(['-nokeys', '-clcerts'], PASS);
    expect(crt.status).toBe(0);
    const x = new X509Certificate(crt.stdout.slice(crt.stdout.indexOf('-----BEGIN CERTIFICATE-----')));
    expect(x.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(cert.thumbprintSha256);
    // The key and the certificate carry the same localKeyID (the certificate's SHA-1) and a friendlyName.
    const localKeyIds = [...(key.stdout + crt.stdout).matchAll(/localKeyID: ([0-9A-F ]+)/g)].map((m) => m[1]!.replace(/ /g, ''));
    expect(localKeyIds).toEqual([cert.thumbprint, cert.thumbprint]);
    expect(crt.stdout).toContain('friendlyName: Fabrikam FlexDeploy');
  });

  it('a wrong passphrase fails the MAC; nothing readable without it', () => {
    const r = openssl(['-info', '-nodes'], 'not the passphrase');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Mac verify error/);
    expect(r.stdout).not.toContain('PRIVATE KEY');
    const body = cert.privateKeyPem.split('\n')[1]!;
    expect(pfx.toString('latin1')).not.toContain(body);
    expect(pfx.toString('base64')).not.toContain(body.slice(0, 40));
  });

  it('refuses a passphrase shorter than 8 characters', async () => {
    await expect(exportPfx(cert, cert.privateKeyPem, 'short')).rejects.toThrow('at least 8 characters');
  });
});
