import { constants, createHash, createPrivateKey, createPublicKey, generateKeyPair, privateDecrypt, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { SEALED_HASH, SEALED_MAX_BYTES, SEALED_RSA_BITS, SealedFileSchema, SealedPayloadSchema, type SealKey, type SealedPayload } from '../../shared/registration/sealed';

/**
 * Main's half of the sealed hand-off (shared/registration/sealed.ts has the format): one RSA key pair
 * per connection, the private key (PKCS#8 PEM) in the vault under `vaultKey`, made the first time a
 * script is made for the connection and kept until the connection is deleted (so a file that comes
 * back days later still opens). open() decrypts a file the administrator's script wrote; the payload
 * (with the secret) stays in main: the handler puts the secret into the vault and answers only ids.
 */
export interface HandoffVault {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** Why a file is refused: each is a diagnosis code (shared/diagnosis/domains/registration.ts). */
export type HandoffRefusal = 'registration-handoff-not-sealed' | 'registration-handoff-other-key' | 'registration-handoff-tampered';

export type Opened = { ok: true; payload: SealedPayload } | { ok: false; code: HandoffRefusal };

const generate = promisify(generateKeyPair);

/** The key id: SHA-256 of the DER SubjectPublicKeyInfo, base64url, first 22 characters (128 bits). */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 22);
}

/** The public half as the scripts embed it. */
export function sealKeyOf(publicKey: KeyObject): SealKey {
  const jwk = publicKey.export({ format: 'jwk' });
  const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64url').toString('base64');
  return { kid: keyId(publicKey), modulus: b64(jwk.n), exponent: b64(jwk.e), spkiPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function createHandoffKeys(vault: HandoffVault) {
  /** One key generation at a time per vault key (two quick "make the script" calls share one pair). */
  const making = new Map<string, Promise<string>>();

  async function privatePem(vaultKey: string, create: boolean): Promise<string | undefined> {
    const have = await vault.get(vaultKey);
    if (have || !create) return have;
    let pending = making.get(vaultKey);
    if (!pending) {
      pending = generate('rsa', { modulusLength: SEALED_RSA_BITS, publicExponent: 0x10001 }).then(async ({ privateKey }) => {
        const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        await vault.set(vaultKey, pem);
        return pem;
      });
      making.set(vaultKey, pending);
      void pending.finally(() => making.delete(vaultKey)).catch(() => {});
    }
    return pending;
  }

  return {
    /** The connection's public key for a script (made and kept on first use). */
    async publicKey(vaultKey: string): Promise<SealKey> {
      const pem = (await privatePem(vaultKey, true))!;
      return sealKeyOf(createPublicKey(createPrivateKey(pem)));
    },

    /** Opens a file the administrator's script wrote: the payload, or why it is refused. Never throws. */
    async open(vaultKey: string, text: string): Promise<Opened> {
      if (Buffer.byteLength(text, 'utf8') > SEALED_MAX_BYTES) return { ok: false, code: 'registration-handoff-not-sealed' };
      let file;
      try {
        // Windows PowerShell 5.1 may write a byte order mark.
        file = SealedFileSchema.safeParse(JSON.parse(text.replace(/^\uFEFF/, '')));
      } catch {
        return { ok: false, code: 'registration-handoff-not-sealed' };
      }
      if (!file.success) return { ok: false, code: 'registration-handoff-not-sealed' };
      const pem = await privatePem(vaultKey, false);
      if (!pem) return { ok: false, code: 'registration-handoff-other-key' };
      const privateKey = createPrivateKey(pem);
      if (keyId(createPublicKey(privateKey)) !== file.data.kid) return { ok: false, code: 'registration-handoff-other-key' };
      let plain: Buffer;
      try {
        plain = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: SEALED_HASH }, Buffer.from(file.data.ciphertext, 'base64'));
      } catch {
        return { ok: false, code: 'registration-handoff-tampered' };
      }
      try {
        const payload = SealedPayloadSchema.safeParse(JSON.parse(plain.toString('utf8').replace(/^\uFEFF/, '')));
        return payload.success ? { ok: true, payload: payload.data } : { ok: false, code: 'registration-handoff-tampered' };
      } catch {
        return { ok: false, code: 'registration-handoff-tampered' };
      } finally {
        plain.fill(0);
      }
    },
  };
}
export type HandoffKeys = ReturnType<typeof createHandoffKeys>;
