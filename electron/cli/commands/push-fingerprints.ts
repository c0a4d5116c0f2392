/**
 * The CLI's memory of which client secret it last wrote into a target that will not show it back
 * (EmailEngine shows `******`, Frappe masks Password fields), so a second `mail-oauth push` with the
 * same secret plans nothing and writes nothing.
 *
 * The file holds, per target and item, a random salt and sha256(salt + the engine's fingerprint):
 * never the secret, nothing from which the secret could be checked without the salt *and* the file.
 * Location: $MAIL_OAUTH_STATE_DIR, else $XDG_STATE_HOME/mail-oauth, else ~/.local/state/mail-oauth;
 * the file is `push-fingerprints.json`, mode 0600 in a 0700 folder.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { FingerprintStore } from '../../engine/targets';

export const FINGERPRINT_FILE = 'push-fingerprints.json';

export function cliStateDir(env: NodeJS.ProcessEnv): string {
  if (env.MAIL_OAUTH_STATE_DIR?.trim()) return path.resolve(env.MAIL_OAUTH_STATE_DIR.trim());
  if (env.XDG_STATE_HOME?.trim()) return path.join(path.resolve(env.XDG_STATE_HOME.trim()), 'mail-oauth');
  return path.join(env.HOME?.trim() || homedir(), '.local', 'state', 'mail-oauth');
}

interface Entry {
  salt: string;
  hash: string;
  at: string;
}

const salted = (salt: string, value: string) => createHash('sha256').update(`${salt}:${value}`).digest('hex');

/** A FingerprintStore for one target connection (`scope`: kind, address, database), kept in the state file. */
export function fileFingerprints(env: NodeJS.ProcessEnv, scope: string): FingerprintStore {
  const dir = cliStateDir(env);
  const file = path.join(dir, FINGERPRINT_FILE);
  const read = (): Record<string, Entry> => {
    if (!existsSync(file)) return {};
    try {
      const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Entry>) : {};
    } catch {
      return {}; // an unreadable file only costs one re-send of the secret
    }
  };
  const keyOf = (key: string) => `${scope}|${key}`;
  return {
    async matches(key, value) {
      const e = read()[keyOf(key)];
      if (!e || typeof e.salt !== 'string' || typeof e.hash !== 'string') return false;
      const a = Buffer.from(salted(e.salt, value), 'hex');
      const b = Buffer.from(e.hash, 'hex');
      return a.length === b.length && timingSafeEqual(a, b);
    },
    async set(key, value) {
      const all = read();
      const salt = randomBytes(16).toString('hex');
      all[keyOf(key)] = { salt, hash: salted(salt, value), at: new Date().toISOString() };
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, file);
    },
  };
}
