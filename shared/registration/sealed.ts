/**
 * The sealed hand-off of "Send the steps to my administrator" (issue 19, safe by default): the client
 * secret never travels back by mail or chat in the clear. The assistant keeps a key pair per connection
 * (main; the private key in the vault, electron/app/sealed-handoff.ts). The administrator's script
 * (shared/registration/scripts.ts) makes the secret and encrypts it to the public key, then writes a
 * small JSON file; only the assistant that made the script can open it (main decrypts, the secret goes
 * into the vault and never to the renderer).
 *
 * One format for both scripts, chosen so each runs with what the administrator already has:
 *   RSA-OAEP with SHA-256 as the OAEP hash AND as the MGF1 hash (RFC 8017 7.1), 4096-bit key, over the
 *   UTF-8 JSON payload directly (at most 446 bytes; the payload is about 250).
 *   - PowerShell: [System.Security.Cryptography.RSA]::Create() (RSACng in Windows PowerShell 5.1),
 *     ImportParameters(Modulus, Exponent), Encrypt(bytes, RSAEncryptionPadding::OaepSHA256): .NET's
 *     OaepSHA256 uses MGF1-SHA256. No Span-typed API (PowerShell cannot pass ReadOnlySpan), so it runs in
 *     PowerShell 7.x on Windows, macOS and Linux and in Windows PowerShell 5.1.
 *   - Azure CLI (sh): openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
 *     -pkeyopt rsa_mgf1_md:sha256 (OpenSSL 1.0.2 or later; Cloud Shell has it). `openssl enc` has no
 *     AES-GCM, which is why the payload is sealed with RSA-OAEP directly instead of a hybrid AES-GCM key.
 * RSA-OAEP is IND-CCA2: a changed byte makes decryption fail (refused: registration-handoff-tampered).
 * `kid` names the key the file was sealed to, so a file for another connection (or a key this
 * assistant no longer has) is told apart from a damaged one.
 */
import { z } from 'zod';

export const SEALED_FORMAT = 'mail-oauth-assistant/sealed-secret';
export const SEALED_VERSION = 1;
/** JOSE's name for RSA-OAEP with SHA-256 (and MGF1-SHA-256), RFC 7518 4.3. */
export const SEALED_ALG = 'RSA-OAEP-256';
export const SEALED_RSA_BITS = 4096;
/** The OAEP hash and the MGF1 hash (the same): what node's privateDecrypt is given as oaepHash. */
export const SEALED_HASH = 'sha256';
/** Largest file the assistant reads (a sealed file is under 1 kB). */
export const SEALED_MAX_BYTES = 16_384;

/** The public half as the scripts embed it (no secret): RSA modulus and exponent, base64 (big-endian, unsigned). */
export interface SealKey {
  kid: string;
  modulus: string;
  exponent: string;
  /** The same key as a PEM SubjectPublicKeyInfo (openssl pkeyutl -pubin reads it). */
  spkiPem: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The file the administrator sends back. Nothing in it is secret without the private key. */
export const SealedFileSchema = z
  .object({
    format: z.literal(SEALED_FORMAT),
    v: z.literal(SEALED_VERSION),
    alg: z.literal(SEALED_ALG),
    kid: z.string().min(8).max(64),
    ciphertext: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(2048),
  })
  .passthrough();

/** What is sealed inside: the new registration's ids and its secret. */
export const SealedPayloadSchema = z
  .object({
    v: z.literal(SEALED_VERSION),
    appId: z.string().regex(GUID),
    tenantId: z.string().regex(GUID),
    keyId: z.string().regex(GUID),
    secret: z.string().min(8).max(256),
    endDateTime: z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s))),
  })
  .strict();
export type SealedPayload = z.infer<typeof SealedPayloadSchema>;

/** The file name the scripts write (beside where they run) and the open dialog suggests. */
export const sealedFileName = (target: string): string => `${target.replace(/[^A-Za-z0-9._-]+/g, '-')}.sealed-secret.json`;
