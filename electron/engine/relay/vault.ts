import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { SecretVault } from '../ports';
import { writeJsonAtomic } from './config';

/**
 * The relay's encrypted store for a delegated sign-in (msal's token cache with the refresh token):
 * one file, AES-256-GCM under a key derived with scrypt from a passphrase the service gets from its
 * environment (MAIL_OAUTH_RELAY_VAULT_KEY, e.g. systemd EnvironmentFile=, mode 600). Without the
 * passphrase the file is useless; a wrong one fails the GCM tag check instead of reading garbage.
 */
export const VAULT_KEY_ENV = 'MAIL_OAUTH_RELAY_VAULT_KEY';

interface Sealed {
  v: 1;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export class EncryptedFileVault implements SecretVault {
  readonly persistent = true;
  private readonly key: Buffer;
  private readonly salt: Buffer;
  private map: Record<string, string>;

  constructor(
    private readonly file: string,
    passphrase: string,
  ) {
    if (passphrase.length < 16) throw new Error(`${VAULT_KEY_ENV} must hold at least 16 characters`);
    let sealed: Sealed | undefined;
    if (existsSync(file)) sealed = JSON.parse(readFileSync(file, 'utf8')) as Sealed;
    this.salt = sealed ? Buffer.from(sealed.salt, 'base64') : randomBytes(16);
    this.key = scryptSync(passphrase, this.salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    this.map = {};
    if (sealed) {
      const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
      d.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      try {
        this.map = JSON.parse(Buffer.concat([d.update(Buffer.from(sealed.data, 'base64')), d.final()]).toString('utf8')) as Record<string, string>;
      } catch {
        throw new Error(`the relay's sign-in store ${file} cannot be opened with this ${VAULT_KEY_ENV} (wrong passphrase or damaged file)`);
      }
    }
  }

  private save(): void {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([c.update(JSON.stringify(this.map), 'utf8'), c.final()]);
    writeJsonAtomic(this.file, { v: 1, salt: this.salt.toString('base64'), iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') } satisfies Sealed);
  }

  async get(key: string) {
    return this.map[key];
  }
  async set(key: string, value: string) {
    this.map[key] = value;
    this.save();
  }
  async delete(key: string) {
    delete this.map[key];
    this.save();
  }
}
