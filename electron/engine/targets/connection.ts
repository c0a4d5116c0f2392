import { createHash } from 'node:crypto';
import { TargetError } from './errors';
import type { TargetCredentials } from './types';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The target's address under the same rules as the base URL: https, or http only on this computer;
 * no user name or password in it, no query or fragment. Returns it without trailing slashes.
 */
export function validateTargetUrl(raw: string): string {
  const text = raw.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new TargetError('target-address-invalid', `"${text.slice(0, 200)}" is not a web address`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) throw new TargetError('target-address-invalid', `${u.protocol}//${u.host}: only https:// is allowed (http:// only for localhost)`);
  if (u.username || u.password) throw new TargetError('target-address-invalid', 'the address contains a user name or password');
  if (u.search || u.hash) throw new TargetError('target-address-invalid', 'the address contains a query (?) or fragment (#)');
  return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, '');
}

/** Vault key of a saved connection's target credentials. */
export const targetCredentialsKey = (profileId: string) => `target:${profileId}:credentials`;
/** Vault key prefix of the fingerprints of secrets a target does not show back. */
export const fingerprintKey = (profileId: string, name: string) => `target:${profileId}:fingerprint:${name}`;

export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The secret values of a credential set (for redaction). */
export function credentialValues(c: TargetCredentials): string[] {
  switch (c.kind) {
    case 'emailengine':
      return [c.accessToken];
    case 'odoo':
      return [c.apiKey];
    case 'frappe':
      return 'password' in c ? [c.password] : [c.apiKey, c.apiSecret, `${c.apiKey}:${c.apiSecret}`];
  }
}

export function parseCredentials(raw: string | undefined): TargetCredentials | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as TargetCredentials;
    return v && typeof v === 'object' && 'kind' in v ? v : undefined;
  } catch {
    return undefined;
  }
}
