import { cacheKey } from '../engine/auth';
import { pendingSecretKey } from '../engine/keepalive/renew';
import { fingerprintKey, targetCredentialsKey } from '../engine/targets/connection';

/**
 * Every vault key of a saved connection, named in one place (issue 18). The engine builds some of them
 * itself (the token cache, the renewal's pending secret, the target's credentials and fingerprints):
 * they are taken from the engine here, never spelled a second time, so deleting a connection finds all.
 */
export const vaultKeys = {
  /** The client secret's Value (`secrets:set`, Create it for me). */
  clientSecret: (id: string) => `profile:${id}:clientSecret`,
  /** A renewal's new Value while the old one is still current (Renew secret). */
  pendingSecret: (id: string) => pendingSecretKey(vaultKeys.clientSecret(id)),
  /** The msal token cache (the mailbox's refresh token) of the connection as the app signs it in. */
  tokenCache: (id: string) => cacheKey({ clientId: '', tenant: '', name: '', clientSecret: { source: 'vault', key: id } }),
  /** The token cache while a renewal proves its new Value (the engine profile names the secret's key). */
  renewalTokenCache: (id: string) => cacheKey({ clientId: '', tenant: '', name: '', clientSecret: { source: 'vault', key: vaultKeys.clientSecret(id) } }),
  /** The private key (PKCS#8 PEM) the administrator's script seals the new secret to (electron/app/sealed-handoff.ts). */
  handoffKey: (id: string) => `profile:${id}:handoffKey`,
  /** The target's API key / token / secret (Put it in the target). */
  targetCredentials: (id: string) => targetCredentialsKey(id),
  /** What the last push overwrote in the target (non-secret previous values), for "Restore the previous values". */
  targetPrevious: (id: string) => `target:${id}:previous`,
  /** What the target was last given, as fingerprints (never the value). */
  targetFingerprint: (id: string, name: string) => fingerprintKey(id, name),
} as const;

/** The fingerprint names the target clients write (electron/engine/targets). */
const FINGERPRINTS = ['emailengine-app-secret', 'frappe-client-secret'];

/** Every fixed key of a connection. */
export function connectionVaultKeys(id: string): string[] {
  return [
    vaultKeys.clientSecret(id),
    vaultKeys.pendingSecret(id),
    vaultKeys.tokenCache(id),
    vaultKeys.renewalTokenCache(id),
    vaultKeys.handoffKey(id),
    vaultKeys.targetCredentials(id),
    vaultKeys.targetPrevious(id),
    ...FINGERPRINTS.map((name) => vaultKeys.targetFingerprint(id, name)),
  ];
}

/** Whether a vault key (from a listing) belongs to this connection: any key built from its id. */
export function belongsTo(key: string, id: string): boolean {
  const prefixes = [`profile:${id}:`, `target:${id}:`, `certificate:${vaultKeys.clientSecret(id)}:`, `certificate:${id}:`];
  return connectionVaultKeys(id).includes(key) || prefixes.some((p) => key.startsWith(p));
}
