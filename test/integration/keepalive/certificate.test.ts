/**
 * Certificate credentials (issue 12 item 1) against the emulator: a key pair + self-signed certificate
 * made with @peculiar/x509, the private key kept in a vault only, the certificate uploaded through the
 * registration engine's GraphClient (PATCH keyCredentials, read back), then the engine's real checks
 * signing in with msal-node's certificate credential: app-only IMAP + SMTP (imapflow / nodemailer
 * against Dovecot / smtp-server) and Graph. An unknown, a wrongly signed and an expired certificate each
 * get their own diagnosis. Nothing but the vault ever holds the private key (scanned).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey, X509Certificate, createHash, randomUUID, sign as cryptoSign, constants } from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { caNetworkClient } from '../../emulator/index';
import { diagnose } from '../../../shared/diagnosis';
import { startEmulator, GRAPH_CLI_APP_ID, type Emulator } from '../../emulator/index';
import { MemoryVault, runChecks } from '../../../electron/engine';
import { sessionFromToken, findApplication } from '../../../electron/engine/registration';
import { clientCertificateFrom, exportPem, generateCertificate, portalUpload, removeCertificate, storeCertificate, uploadCertificate, type GeneratedCertificate, type PublicCertificate } from '../../../electron/engine/keepalive/certificate';
import { DAEMON, emuProfile } from '../helpers/fixtures';
import type { Profile } from '../../../shared/profile';

let emu: Emulator;
let good: GeneratedCertificate;
let other: GeneratedCertificate;
let expired: GeneratedCertificate;
let objectId: string;
const vault = new MemoryVault();
const outputs: string[] = [];
let graph: ReturnType<typeof sessionFromToken>['graph'];

beforeAll(async () => {
  [emu, good, other, expired] = await Promise.all([
    startEmulator(),
    generateCertificate({ subject: 'CN=Mail OAuth Assistant - Fabrikam daemon' }),
    generateCertificate({ subject: 'CN=Not uploaded' }),
    generateCertificate({ subject: 'CN=Old certificate', notBefore: new Date(Date.now() - 400 * 86_400_000), days: 399 }),
  ]);
  const base = emuProfile(emu);
  const token = emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: 'Application.ReadWrite.All' });
  graph = sessionFromToken(base, token, { purpose: 'write' }).graph;
  objectId = (await findApplication(graph, DAEMON))!.id;
}, 60_000);
afterAll(async () => {
  await emu?.stop();
});

const certProfile = (patch: Partial<Profile> = {}): Profile => emuProfile(emu, { clientSecret: { source: 'none' }, ...patch });
const keyBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');

describe('a certificate instead of a secret', () => {
  it('generates a 2048-bit RSA key and a self-signed certificate whose thumbprints match what Node computes', () => {
    const x = new X509Certificate(good.certPem);
    expect(x.subject).toBe('CN=Mail OAuth Assistant - Fabrikam daemon');
    expect(x.checkPrivateKey(createPrivateKey(good.privateKeyPem))).toBe(true);
    expect(createPrivateKey(good.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(good.thumbprint).toBe(createHash('sha1').update(x.raw).digest('hex').toUpperCase());
    expect(good.thumbprintSha256).toBe(createHash('sha256').update(x.raw).digest('hex'));
    expect(Date.parse(good.notAfter) - Date.now()).toBeGreaterThan(360 * 86_400_000);
  });

  it('keeps the private key in the vault only: what is returned and stored in a profile has no key', async () => {
    const pub = await storeCertificate(vault, 'fabrikam-daemon', good);
    expect(JSON.stringify(pub)).not.toContain(keyBody(good.privateKeyPem).slice(0, 40));
    expect(await vault.get(pub.vaultKey)).toBe(good.privateKeyPem);
    outputs.push(JSON.stringify(pub));
  });

  it('uploads the certificate with PATCH keyCredentials, reads it back, keeps other certificates, and does not add it twice', async () => {
    const first = await uploadCertificate(graph, objectId, good, 'Mail OAuth Assistant');
    expect(first.alreadyThere).toBe(false);
    expect(first.keyCredentials.some((k) => k.keyId === first.keyId)).toBe(true);
    const second = await uploadCertificate(graph, objectId, expired);
    expect(second.keyCredentials.map((k) => k.keyId)).toEqual(expect.arrayContaining([first.keyId, second.keyId]));
    const again = await uploadCertificate(graph, objectId, good);
    expect(again.alreadyThere).toBe(true);
    expect(again.keyCredentials).toHaveLength(second.keyCredentials.length);
    outputs.push(JSON.stringify([first, second, again]));
  });

  it('app-only IMAP and SMTP checks pass signing in with the certificate (client assertion)', async () => {
    const clientCertificate = await clientCertificateFrom(vault, (await storeCertificate(vault, 'fabrikam-daemon', good)).vaultKey, good);
    const run = await runChecks(certProfile(), { vault: new MemoryVault(), clientCertificate }, { only: ['network', 'token', 'imap', 'smtp'] });
    outputs.push(JSON.stringify(run));
    expect(run.results.map((r) => [r.id, r.status, r.diagnosis?.code])).toEqual([['network', 'passed', undefined], ['token', 'passed', undefined], ['imap', 'passed', undefined], ['smtp', 'passed', undefined]]);
  });

  it('the app-only Graph check passes with the certificate', async () => {
    const clientCertificate = { thumbprintSha256: good.thumbprintSha256, privateKey: good.privateKeyPem, x5c: good.certPem };
    const run = await runChecks(certProfile({ api: 'graph' }), { vault: new MemoryVault(), clientCertificate }, { only: ['network', 'token', 'graph'] });
    outputs.push(JSON.stringify(run));
    expect(run.results.map((r) => [r.id, r.status, r.diagnosis?.code])).toEqual([['network', 'passed', undefined], ['token', 'passed', undefined], ['graph', 'passed', undefined]]);
  });

  const tokenCode = async (cert: { thumbprintSha256: string; privateKey: string; x5c?: string }) => {
    const run = await runChecks(certProfile(), { vault: new MemoryVault(), clientCertificate: cert }, { only: ['token'] });
    outputs.push(JSON.stringify(run));
    return run.results[0]!.diagnosis;
  };

  it('an unknown certificate (never uploaded) → aadsts-700027-certificate-unknown', async () => {
    const d = await tokenCode({ thumbprintSha256: other.thumbprintSha256, privateKey: other.privateKeyPem, x5c: other.certPem });
    expect(d?.code).toBe('aadsts-700027-certificate-unknown');
    expect(d?.evidence.aadsts).toBe('700027');
    expect(d?.fix.map((f) => f.text).join(' ')).toContain('Upload certificate');
  });

  it('a wrongly signed assertion (registered thumbprint, another key) → aadsts-700027-signature-invalid', async () => {
    const d = await tokenCode({ thumbprintSha256: good.thumbprintSha256, privateKey: other.privateKeyPem, x5c: good.certPem });
    expect(d?.code).toBe('aadsts-700027-signature-invalid');
    expect(d?.evidence.text).toMatch(/signature/i);
  });

  it('an expired certificate → aadsts-700027-certificate-expired, with the renewal in the fix', async () => {
    const d = await tokenCode({ thumbprintSha256: expired.thumbprintSha256, privateKey: expired.privateKeyPem, x5c: expired.certPem });
    expect(d?.code).toBe('aadsts-700027-certificate-expired');
    expect(d?.fix[0]!.text).toContain('mail-oauth rotate');
  });

  it('an assertion outside its valid time (signed 20 minutes ago, expired) → aadsts-700024-assertion-time', async () => {
    const now = Math.floor(Date.now() / 1000) - 1200;
    const header = { alg: 'PS256', typ: 'JWT', 'x5t#S256': Buffer.from(good.thumbprintSha256, 'hex').toString('base64url') };
    const body = { aud: `${emu.loginUrl}/${emuProfile(emu).tenant}/oauth2/v2.0/token`, iss: DAEMON, sub: DAEMON, jti: randomUUID(), nbf: now, exp: now + 300 };
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
    const sig = cryptoSign('sha256', Buffer.from(input), { key: createPrivateKey(good.privateKeyPem), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    const cca = new ConfidentialClientApplication({ auth: { clientId: DAEMON, authority: `${emu.loginUrl}/${emuProfile(emu).tenant}`, knownAuthorities: [emu.loginHost], clientAssertion: `${input}.${sig.toString('base64url')}` }, system: { networkClient: caNetworkClient(emu.caPem) } });
    const e = await cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] }).then(() => null, (x: unknown) => x);
    const d = diagnose(e, { profile: certProfile(), check: 'token' });
    expect(d.code).toBe('aadsts-700024-assertion-time');
    expect(d.fix[0]!.text).toMatch(/clock/);
    outputs.push(JSON.stringify(d));
  });

  it('removes a certificate by keyId, keeps the other, reads back', async () => {
    const before = await uploadCertificate(graph, objectId, expired);
    const r = await removeCertificate(graph, objectId, before.keyId);
    expect(r.removed).toBe(true);
    const after = await uploadCertificate(graph, objectId, good);
    expect(after.alreadyThere).toBe(true);
    expect(after.keyCredentials.some((k) => k.keyId === before.keyId)).toBe(false);
  });

  it('without an administrator: a .cer (DER) and .pem file with the portal step; export PEM with the user\'s passphrase', () => {
    const p = portalUpload(good as PublicCertificate, DAEMON);
    const der = new X509Certificate(p.files[0]!.content as Buffer);
    expect(createHash('sha1').update(der.raw).digest('hex').toUpperCase()).toBe(good.thumbprint);
    expect(p.step).toContain('Certificates & secrets > Certificates > Upload certificate');
    expect(p.step).toContain(good.thumbprint);
    const e = exportPem(good, good.privateKeyPem, 'correct horse battery');
    expect(e.encryptedKeyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(e.encryptedKeyPem).not.toContain(keyBody(good.privateKeyPem).slice(0, 40));
    const back = createPrivateKey({ key: e.encryptedKeyPem, passphrase: 'correct horse battery' });
    expect(new X509Certificate(e.certificatePem).checkPrivateKey(back)).toBe(true);
    expect(() => createPrivateKey({ key: e.encryptedKeyPem, passphrase: 'wrong passphrase!' })).toThrow();
    expect(() => exportPem(good, good.privateKeyPem, 'short')).toThrow(/at least 8/);
    outputs.push(JSON.stringify(p.step), JSON.stringify(p.files.map((f) => f.content.toString())));
  });

  it('no private key in any result, diagnosis or upload answer (scan)', () => {
    const all = outputs.join('\n');
    expect(outputs.length).toBeGreaterThan(5);
    for (const c of [good, other, expired]) {
      expect(all).not.toContain(keyBody(c.privateKeyPem).slice(0, 40));
      expect(all).not.toContain('PRIVATE KEY');
    }
  });
});
