/**
 * Certificate credentials instead of client secrets (issue 12 item 1). A 2048-bit RSA key pair and a
 * self-signed X.509 certificate are made with @peculiar/x509 on Node's WebCrypto; the private key goes
 * into the SecretVault only, never into a file, a log or a result. The public certificate is uploaded
 * to the app registration (`PATCH /applications/{id}` with `keyCredentials`: REGISTRATION-FACTS 2.4;
 * `addKey` cannot add a first certificate) through the registration engine's GraphClient, or written
 * as a .cer/.pem file with the portal step when no administrator is signed in. msal-node signs in with
 * `clientCertificate: { thumbprintSha256, privateKey, x5c }` (a client assertion, PS256).
 *
 * Export for a target: the certificate PEM and the private key as an encrypted PKCS#8 PEM with a
 * passphrase the user chooses (Node's crypto), or one PFX / PKCS#12 file (pkijs, PeculiarVentures; the
 * same maintainers as @peculiar/x509): key bag and certificate each under PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC), the file under an HMAC-SHA256 MAC: what `openssl pkcs12` 3.x and Windows 10+ read.
 */
import { createHash, createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import type { ContentEncryptionAlgorithm } from 'pkijs';
import { readFileSync, statSync } from 'node:fs';
import type { SecretVault } from '../ports';
import type { ClientCertificateRef } from '../../../shared/profile';
import type { GraphClient } from '../registration/graph';

/*
 * @peculiar/x509, pkijs and asn1js are loaded when a certificate is made or a PFX written, not when
 * the engine is imported: together about 0.35 s of CPU that every other CLI command and the app's
 * start would pay for nothing.
 */
let x509Loaded: Promise<typeof X509> | undefined;
function loadX509(): Promise<typeof X509> {
  x509Loaded ??= import('@peculiar/x509').then((x509) => {
    // Node's WebCrypto is the standard Crypto interface; the DOM and Node typings differ only in name.
    x509.cryptoProvider.set(webcrypto as never);
    return x509;
  });
  return x509Loaded;
}

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

/** What may be shown, stored in a profile or sent to Graph: no private key here. */
export interface PublicCertificate {
  /** PEM of the certificate (public). */
  certPem: string;
  /** Base64 DER, the `key` of a keyCredential. */
  derBase64: string;
  /** SHA-1 thumbprint, upper-case hex, as the portal's Thumbprint column shows it. */
  thumbprint: string;
  /** SHA-256 thumbprint, hex (msal-node's thumbprintSha256). */
  thumbprintSha256: string;
  subject: string;
  notBefore: string;
  notAfter: string;
}

export interface GeneratedCertificate extends PublicCertificate {
  /** PKCS#8 PEM. Goes into the vault and nowhere else. */
  privateKeyPem: string;
}

export function publicFacts(certPem: string): PublicCertificate {
  const c = new X509Certificate(certPem);
  return {
    certPem: c.toString(),
    derBase64: c.raw.toString('base64'),
    thumbprint: createHash('sha1').update(c.raw).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(c.raw).digest('hex'),
    subject: c.subject.replace(/\n/g, ', '),
    notBefore: new Date(c.validFrom).toISOString(),
    notAfter: new Date(c.validTo).toISOString(),
  };
}

/** A new key pair and self-signed certificate valid from `notBefore` (default: 5 minutes ago, clock skew) for `days`. */
export async function generateCertificate(o: { subject?: string; days?: number; notBefore?: Date } = {}): Promise<GeneratedCertificate> {
  const notBefore = o.notBefore ?? new Date(Date.now() - 5 * 60_000);
  const notAfter = new Date(notBefore.getTime() + (o.days ?? 365) * 86_400_000);
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)));
  serial[0] = serial[0]! & 0x7f;
  const x509 = await loadX509();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: o.subject ?? 'CN=Mail OAuth Assistant',
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { ...publicFacts(cert.toString('pem')), privateKeyPem };
}

/** Vault key of a certificate's private key. */
export const certificateVaultKey = (profileKey: string, thumbprint: string) => `certificate:${profileKey}:${thumbprint.toUpperCase()}`;

/** Keeps the private key in the vault; returns only the public facts. */
export async function storeCertificate(vault: SecretVault, profileKey: string, cert: GeneratedCertificate): Promise<PublicCertificate & { vaultKey: string }> {
  const vaultKey = certificateVaultKey(profileKey, cert.thumbprint);
  await vault.set(vaultKey, cert.privateKeyPem);
  const { privateKeyPem: _never, ...pub } = cert;
  return { ...pub, vaultKey };
}

/** The msal-node credential for a stored certificate (private key read from the vault). */
export async function clientCertificateFrom(vault: SecretVault, vaultKey: string, cert: Pick<PublicCertificate, 'thumbprintSha256' | 'certPem'>): Promise<{ thumbprintSha256: string; privateKey: string; x5c: string }> {
  const privateKey = await vault.get(vaultKey);
  if (!privateKey) throw new Error(`no private key in the vault for this certificate (${cert.thumbprintSha256.slice(0, 12)}…)`);
  return { thumbprintSha256: cert.thumbprintSha256, privateKey, x5c: cert.certPem };
}

/** The keyCredential Graph takes for a certificate (REGISTRATION-FACTS 2.4). */
export function keyCredentialFor(cert: PublicCertificate, displayName = cert.subject) {
  // customKeyIdentifier is left to Graph (it derives the thumbprint; the property is Edm.Binary).
  return { type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.derBase64, displayName, startDateTime: cert.notBefore, endDateTime: cert.notAfter };
}

interface KeyCred {
  keyId: string;
  key?: string | null;
  displayName?: string | null;
  type?: string;
  usage?: string;
  startDateTime?: string | null;
  endDateTime?: string | null;
  customKeyIdentifier?: string | null;
}

/** customKeyIdentifier as an upper-case hex SHA-1 thumbprint (Graph gives hex, or base64 of the 20 bytes). */
export function thumbprintOf(id: string | null | undefined): string {
  if (!id) return '';
  if (/^[0-9a-f]{40}$/i.test(id)) return id.toUpperCase();
  const b = Buffer.from(id, 'base64');
  return b.length === 20 ? b.toString('hex').toUpperCase() : id.toUpperCase();
}

export interface UploadResult {
  keyId: string;
  /** Every certificate the registration holds after the upload (read back). */
  keyCredentials: { keyId: string; displayName?: string | null; endDateTime?: string | null; customKeyIdentifier?: string | null }[];
  alreadyThere: boolean;
}

/**
 * Adds the certificate to the app's keyCredentials, keeping the ones already there (PATCH replaces the
 * collection; `$select=keyCredentials` is the only read that returns their `key`), then reads back.
 * Idempotent: a certificate already registered (same thumbprint) is not added twice.
 */
export async function uploadCertificate(graph: GraphClient, appObjectId: string, cert: PublicCertificate, displayName?: string): Promise<UploadResult> {
  const path = `/applications/${encodeURIComponent(appObjectId)}`;
  const current = (await graph.get<{ keyCredentials?: KeyCred[] }>(`${path}?$select=keyCredentials`)).keyCredentials ?? [];
  const thumb = (k: KeyCred) => (k.key && k.key === cert.derBase64 ? cert.thumbprint : thumbprintOf(k.customKeyIdentifier));
  const existing = current.find((k) => thumb(k) === cert.thumbprint);
  if (!existing) {
    const keep = current.map((k) => ({ keyId: k.keyId, type: k.type ?? 'AsymmetricX509Cert', usage: k.usage ?? 'Verify', key: k.key ?? undefined, displayName: k.displayName ?? undefined }));
    await graph.request('PATCH', path, { keyCredentials: [...keep, keyCredentialFor(cert, displayName)] });
  }
  const after = (await graph.get<{ keyCredentials?: KeyCred[] }>(`${path}?$select=id,keyCredentials`)).keyCredentials ?? [];
  const mine = after.find((k) => thumbprintOf(k.customKeyIdentifier) === cert.thumbprint || (k.key && k.key === cert.derBase64));
  if (!mine) throw new Error('the certificate was sent but is not among the registration\'s certificates when read back');
  return { keyId: mine.keyId, keyCredentials: after.map((k) => ({ keyId: k.keyId, displayName: k.displayName ?? null, endDateTime: k.endDateTime ?? null, customKeyIdentifier: k.customKeyIdentifier ?? null })), alreadyThere: !!existing };
}

/** Removes one certificate (by keyId) from the registration, keeping the others; reads back. */
export async function removeCertificate(graph: GraphClient, appObjectId: string, keyId: string): Promise<{ removed: boolean }> {
  const path = `/applications/${encodeURIComponent(appObjectId)}`;
  const current = (await graph.get<{ keyCredentials?: KeyCred[] }>(`${path}?$select=keyCredentials`)).keyCredentials ?? [];
  if (!current.some((k) => k.keyId === keyId)) return { removed: false };
  const keep = current.filter((k) => k.keyId !== keyId).map((k) => ({ keyId: k.keyId, type: k.type ?? 'AsymmetricX509Cert', usage: k.usage ?? 'Verify', key: k.key ?? undefined, displayName: k.displayName ?? undefined }));
  await graph.request('PATCH', path, { keyCredentials: keep });
  const after = (await graph.get<{ keyCredentials?: KeyCred[] }>(`${path}?$select=keyCredentials`)).keyCredentials ?? [];
  if (after.some((k) => k.keyId === keyId)) throw new Error('the certificate is still registered when read back');
  return { removed: true };
}

/** Without an administrator: the files to upload and the portal step, in the portal's words. `base` names the files (default from the thumbprint). */
export function portalUpload(cert: PublicCertificate, clientId: string, base = `mail-oauth-${cert.thumbprint.slice(0, 8).toLowerCase()}`): { files: { name: string; content: string | Buffer }[]; step: string } {
  return {
    files: [
      { name: `${base}.cer`, content: Buffer.from(cert.derBase64, 'base64') },
      { name: `${base}.pem`, content: cert.certPem },
    ],
    step: `In the Microsoft Entra admin center open App registrations > the app ${clientId} > Certificates & secrets > Certificates > Upload certificate, choose ${base}.cer, and check that the Thumbprint shown is ${cert.thumbprint}.`,
  };
}

/**
 * What a target that signs with the certificate itself needs: the certificate PEM and the private key
 * as encrypted PKCS#8 PEM ("BEGIN ENCRYPTED PRIVATE KEY", AES-256-CBC) under the user's passphrase.
 */
export function exportPem(cert: PublicCertificate, privateKeyPem: string, passphrase: string): { certificatePem: string; encryptedKeyPem: string } {
  if (passphrase.length < 8) throw new Error('choose a passphrase of at least 8 characters');
  const encryptedKeyPem = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
  return { certificatePem: cert.certPem, encryptedKeyPem };
}

/** Where the certificate credential of a profile failed to load: the message never holds key material. */
export class CertificateRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateRefError';
  }
}

export interface LoadCertificateIo {
  env: NodeJS.ProcessEnv;
  /** The vault when there is one (the desktop app); the CLI has none. */
  vault?: SecretVault;
  /** Platform, for the 0600 rule (not checked on Windows, which has no POSIX modes). */
  platform?: NodeJS.Platform;
}

/**
 * The msal-node credential for a profile's `clientCertificate`: the public facts from the certificate
 * PEM in the profile, the private key from the vault, an environment variable or a file readable by its
 * owner only (mode 0600 or stricter), and a proof that the key belongs to the certificate. Policy on
 * which environment names a profile may read is the caller's (the CLI's MAIL_OAUTH_* rule).
 */
export async function loadClientCertificate(ref: ClientCertificateRef, io: LoadCertificateIo): Promise<{ credential: { thumbprintSha256: string; privateKey: string; x5c: string }; certificate: PublicCertificate }> {
  let certificate: PublicCertificate;
  try {
    certificate = publicFacts(ref.certificatePem);
  } catch {
    throw new CertificateRefError('The profile\'s clientCertificate.certificatePem is not a readable X.509 certificate (PEM).');
  }
  const k = ref.privateKey;
  let privateKey: string | undefined;
  if (k.source === 'vault') {
    if (!io.vault) throw new CertificateRefError('The profile keeps the certificate\'s private key in the desktop app\'s vault, which the CLI cannot open. Use {"source":"env","name":"MAIL_OAUTH_CERT_KEY"} or {"source":"file","path":"…"} (mode 0600).');
    privateKey = (await io.vault.get(k.key)) ?? undefined;
    if (!privateKey) throw new CertificateRefError(`The vault has no private key under "${k.key}".`);
  } else if (k.source === 'env') {
    privateKey = io.env[k.name];
    if (!privateKey) throw new CertificateRefError(`The profile reads the certificate's private key from the environment variable ${k.name}, which is not set.`);
    // A PEM in one line (\n escaped), as many schedulers and .env files keep multi-line values.
    privateKey = privateKey.replace(/\\n/g, '\n');
  } else {
    let st;
    try {
      st = statSync(k.path);
    } catch {
      throw new CertificateRefError(`The certificate's private key file ${k.path} cannot be read.`);
    }
    if ((io.platform ?? process.platform) !== 'win32' && (st.mode & 0o077) !== 0)
      throw new CertificateRefError(`The certificate's private key file ${k.path} can be read by others (mode ${(st.mode & 0o777).toString(8)}). Run: chmod 600 ${k.path}`);
    privateKey = readFileSync(k.path, 'utf8');
  }
  let key;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    throw new CertificateRefError(`The certificate's private key (${k.source}) is not an unencrypted PEM private key.`);
  }
  if (!new X509Certificate(ref.certificatePem).checkPrivateKey(key))
    throw new CertificateRefError(`The private key (${k.source}) does not belong to the certificate ${certificate.thumbprint} in the profile.`);
  return { credential: { thumbprintSha256: certificate.thumbprintSha256, privateKey, x5c: certificate.certPem }, certificate };
}

/** PFX protection: PBKDF2 iterations for the key and certificate bags, PKCS#12 KDF iterations of the MAC. */
export const PFX_ITERATIONS = { pbkdf2: 100_000, mac: 2048 } as const;

const arrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const pemDer = (pem: string) => Buffer.from(pem.split(/\r?\n/).filter((l) => l && !l.startsWith('-----')).join(''), 'base64');

/**
 * The certificate and its private key as one PFX (PKCS#12) under a passphrase the user chooses, for a
 * target that imports a .pfx / .p12 (Windows certificate store, Java keystores, FlexDeploy). The
 * passphrase is never stored; the file is written by the caller where the user says (0600).
 */
export async function exportPfx(cert: Pick<PublicCertificate, 'certPem' | 'subject'>, privateKeyPem: string, passphrase: string): Promise<Buffer> {
  if (passphrase.length < 8) throw new Error('choose a passphrase of at least 8 characters');
  const [pkijs, asn1js] = await Promise.all([import('pkijs'), import('asn1js')]);
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never });
  const keyDer = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  const password = arrayBuffer(Buffer.from(passphrase, 'utf8'));
  const enc = { password, contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as unknown as ContentEncryptionAlgorithm /* pkijs makes the IV itself */, hmacHashAlgorithm: 'SHA-256', iterationCount: PFX_ITERATIONS.pbkdf2 };
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pkijs.PrivateKeyInfo.fromBER(arrayBuffer(keyDer)) });
  // localKeyID pairs the key with its certificate (Windows, Java keytool, `openssl pkcs12 -clcerts`); friendlyName is the label shown on import.
  const certDer = pemDer(cert.certPem);
  const bagAttributes = () => [
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.21', values: [new asn1js.OctetString({ valueHex: arrayBuffer(createHash('sha1').update(certDer).digest()) })] }),
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.20', values: [new asn1js.BmpString({ value: cert.subject.replace(/^CN=/, '') })] }),
  ];
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [new pkijs.SafeBag({ bagId: '1.2.840.113549.1.12.10.1.2', bagValue: keyBag, bagAttributes: bagAttributes() })] }) },
            { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: [new pkijs.SafeBag({ bagId: '1.2.840.113549.1.12.10.1.3', bagValue: new pkijs.CertBag({ parsedValue: pkijs.Certificate.fromBER(arrayBuffer(certDer)) }), bagAttributes: bagAttributes() })] }) },
          ],
        },
      }),
    },
  });
  await keyBag.makeInternalValues(enc, engine);
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [{}, enc] }, engine);
  await pfx.makeInternalValues({ password, iterations: PFX_ITERATIONS.mac, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' }, engine);
  return Buffer.from(pfx.toSchema().toBER(false));
}
