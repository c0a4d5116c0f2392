import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The SecretVault port, kept encrypted at rest by an OS-backed encryptor (Electron's safeStorage).
 * Where no real encryption is available (Linux without a keyring: safeStorage falls back to a
 * hard-coded key) secrets are kept for this session only, and `persistent` says so to the user.
 * Only ciphertext is written to disk.
 */
export interface Encryptor {
  /** true only when encryption is backed by the OS (Keychain, DPAPI, a Secret Service keyring). */
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export interface FileSecretVault {
  readonly persistent: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every key held (never a value): deleting a connection removes all of its entries. */
  keys(): Promise<string[]>;
}

export function createSecretVault(file: string, encryptor: Encryptor): FileSecretVault {
  const persistent = encryptor.isAvailable();
  const memory = new Map<string, string>();
  let onDisk: Record<string, string> = {};
  if (persistent && existsSync(file)) {
    try {
      onDisk = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      renameSync(file, `${file}.unreadable-${Date.now()}`);
      onDisk = {};
    }
  }
  const flush = () => {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(onDisk), { mode: 0o600 });
    renameSync(tmp, file);
  };
  return {
    persistent,
    async get(key) {
      if (!persistent) return memory.get(key);
      const blob = onDisk[key];
      if (blob === undefined) return undefined;
      try {
        return encryptor.decrypt(Buffer.from(blob, 'base64'));
      } catch {
        return undefined; // encrypted by another OS user or keyring: as good as absent
      }
    },
    async set(key, value) {
      if (!persistent) {
        memory.set(key, value);
        return;
      }
      onDisk[key] = encryptor.encrypt(value).toString('base64');
      flush();
    },
    async keys() {
      return persistent ? Object.keys(onDisk) : [...memory.keys()];
    },
    async delete(key) {
      memory.delete(key);
      if (persistent && key in onDisk) {
        delete onDisk[key];
        flush();
      }
    },
  };
}
