/**
 * "Renew secret" for the desktop app (issue 12 item 2): the rotation engine (rotate.ts) with the
 * SecretVault as the only place the new value ever goes. The profile's clientSecret stays
 * `{source:'vault', key}`; while a rotation is open the new value waits under `pendingSecretKey(key)`
 * (the old one stays current under `key`, so the app's own checks keep working). After the person
 * confirms the system has the new value, it moves to `key` first and only then is the old secret
 * removed from the registration: an interruption at any point leaves a working secret in the vault.
 *
 * Wired to the app by electron/ipc/renew-handlers.ts (renew:start / renew:copy / renew:finish) with the
 * administrator session's GraphClient, and shown as "Renew the client secret" on the Done screen
 * (renderer/src/components/RenewSecret.tsx; journey: test/e2e/keepalive-renew.spec.ts).
 */
import type { CheckRun } from '../../../shared/checks';
import type { Profile } from '../../../shared/profile';
import type { SecretVault } from '../ports';
import type { GraphClient } from '../registration/graph';
import { finishRotation, RotationError, startRotation, type StartResult } from './rotate';

/** Where a rotation's new secret waits in the vault until the person confirms. */
export const pendingSecretKey = (vaultKey: string) => `${vaultKey}:rotation-new`;

function vaultKeyOf(profile: Profile): string {
  if (profile.clientSecret.source !== 'vault') throw new RotationError('no-rotation', 'Renew secret works on connections whose secret is kept in the app\'s vault.');
  return profile.clientSecret.key;
}

/** Adds and proves a new secret; its value goes to the vault only. Resumes an open rotation without adding a third secret. */
export async function renewStart(graph: GraphClient, profile: Profile, o: { vault: SecretVault; prove: (p: Profile, secret: string) => Promise<CheckRun>; months?: number; now?: Date; onAdded?: (p: Profile) => Promise<void> }): Promise<Omit<StartResult, 'secretText'>> {
  const key = vaultKeyOf(profile);
  const pending = pendingSecretKey(key);
  const resumeSecret = profile.rotation ? await o.vault.get(pending) : undefined;
  if (profile.rotation && !resumeSecret) throw new RotationError('new-missing', 'A renewal was started but its new secret is not in this app\'s vault; remove the new secret in the portal (Certificates & secrets) and start again.');
  const r = await startRotation(graph, profile, {
    prove: o.prove,
    ...(o.months ? { months: o.months } : {}),
    ...(o.now ? { now: o.now } : {}),
    ...(resumeSecret ? { resumeSecret } : {}),
    onAdded: async (p, secret) => {
      await o.vault.set(pending, secret);
      await o.onAdded?.(p);
    },
  });
  const { secretText: _inVault, ...rest } = r;
  return rest;
}

/** After the person confirmed the system has the new value: the new secret becomes current in the vault, then the old one is removed (read back). */
export async function renewFinish(graph: GraphClient, profile: Profile, o: { vault: SecretVault; confirmed: boolean }): Promise<{ profile: Profile; removedKeyId?: string; summary: string }> {
  const key = vaultKeyOf(profile);
  if (!profile.rotation) throw new RotationError('no-rotation', 'No renewal is open for this connection.');
  if (!o.confirmed) throw new RotationError('not-confirmed', 'The old secret is removed only after you confirm the system has the new one.');
  if (profile.rotation.phase !== 'proved') throw new RotationError('not-proved', 'The new secret has not passed the checks yet: run Renew secret again first.');
  const pending = pendingSecretKey(key);
  const fresh = await o.vault.get(pending);
  if (!fresh) throw new RotationError('new-missing', 'The new secret is not in this app\'s vault; nothing was removed.');
  await o.vault.set(key, fresh);
  const r = await finishRotation(graph, profile, { confirmed: true });
  await o.vault.delete(pending);
  return r;
}
