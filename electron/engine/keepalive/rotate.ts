/**
 * Client secret rotation (issue 12 item 2), in two halves so that an interruption is always safe:
 *
 *   startRotation  → addPassword (a NEW secret; the old one stays valid), prove the new secret with the
 *                    real checks, record in the profile `rotation: { phase, current, old, new }`.
 *                    Both secrets work; the profile says the old one is current until the target has
 *                    the new one. The new value goes to the caller once (vault / 0600 file / screen).
 *   finishRotation → only after the user confirms the target has the new value: removePassword of the
 *                    old keyId, read back, profile.secretId / secretExpires = the new secret, rotation cleared.
 *
 * Re-running startRotation while a rotation is recorded does not add a third secret: it re-proves the
 * recorded one (its value from the caller). Through the registration engine's GraphClient (an
 * administrator signed in with Application.ReadWrite.All); REGISTRATION-FACTS 2.3 (addPassword,
 * removePassword; PATCH of passwordCredentials is refused).
 */
import type { CheckRun } from '../../../shared/checks';
import type { Profile } from '../../../shared/profile';
import { GraphError, type GraphClient } from '../registration/graph';
import { findApplication } from '../registration/read';

export type Rotation = NonNullable<Profile['rotation']>;

export class RotationError extends Error {
  constructor(
    readonly code: 'app-not-found' | 'no-rotation' | 'not-proved' | 'not-confirmed' | 'old-still-there' | 'new-missing',
    message: string,
  ) {
    super(message);
    this.name = 'RotationError';
  }
}

export interface StartOptions {
  /** Runs the checks with the given secret value (never logged). */
  prove: (profile: Profile, secret: string) => Promise<CheckRun>;
  /** Lifetime of the new secret in months (default 12; Graph's own default is 2 years). */
  months?: number;
  now?: Date;
  /** On a resumed rotation: the new secret's value, kept by the caller from the first run. */
  resumeSecret?: string;
  /** Called as soon as the new secret exists, before it is proved (persist the profile and the value here). */
  onAdded?: (profile: Profile, secret: string) => Promise<void>;
}

export interface StartResult {
  profile: Profile;
  /** The new secret's value, present only when this call created it. */
  secretText?: string;
  run: CheckRun | null;
  proved: boolean;
  /** Plain words for the person: what is valid now and what comes next. */
  summary: string;
}

const day = (iso: string) => iso.slice(0, 10);

async function appOf(graph: GraphClient, profile: Profile) {
  const app = await findApplication(graph, profile.clientId);
  if (!app) throw new RotationError('app-not-found', `no app registration with client ID ${profile.clientId} in this tenant`);
  return app;
}

export async function startRotation(graph: GraphClient, profile: Profile, o: StartOptions): Promise<StartResult> {
  const app = await appOf(graph, profile);
  let p: Profile = profile;
  let secretText: string | undefined;
  let secret: string;
  if (profile.rotation) {
    if (!app.passwordCredentials.some((c) => c.keyId === profile.rotation!.new.keyId)) throw new RotationError('new-missing', `the new secret recorded in the profile (${profile.rotation.new.keyId}) is no longer on the registration; remove "rotation" from the profile and start again`);
    if (!o.resumeSecret) throw new RotationError('not-proved', 'a rotation is recorded in the profile: give the new secret (from the first run) to prove it, or finish it');
    secret = o.resumeSecret;
  } else {
    const now = o.now ?? new Date();
    const end = new Date(now);
    end.setUTCMonth(end.getUTCMonth() + (o.months ?? 12));
    const old = profile.secretId ? app.passwordCredentials.find((c) => c.keyId === profile.secretId) : undefined;
    const r = await graph.post<{ keyId: string; secretText?: string; hint?: string; endDateTime?: string }>(`/applications/${encodeURIComponent(app.id)}/addPassword`, { passwordCredential: { displayName: `Mail OAuth Assistant ${day(now.toISOString())}`, endDateTime: end.toISOString() } });
    if (!r.secretText) throw new RotationError('new-missing', 'addPassword returned no secret text');
    secret = secretText = r.secretText;
    p = {
      ...profile,
      rotation: {
        phase: 'added',
        current: 'old',
        ...(profile.secretId ? { old: { keyId: profile.secretId, ...(old?.endDateTime ? { endDateTime: old.endDateTime } : profile.secretExpires ? { endDateTime: profile.secretExpires } : {}) } } : {}),
        new: { keyId: r.keyId, endDateTime: r.endDateTime ?? end.toISOString(), ...(r.hint ? { hint: r.hint.slice(0, 3) } : {}) },
        startedAt: now.toISOString(),
      },
    };
    await o.onAdded?.(p, secret);
  }
  const run = await o.prove({ ...p, secretId: p.rotation!.new.keyId }, secret);
  const rot = p.rotation!;
  if (!run.passed) {
    return { profile: p, ...(secretText ? { secretText } : {}), run, proved: false, summary: `A new secret (ID ${rot.new.keyId}) was added, but the checks did not pass with it. Both secrets are valid; the old one stays current. Fix what the checks say and run the rotation again (it reuses the new secret).` };
  }
  p = { ...p, rotation: { ...rot, phase: 'proved' } };
  return { profile: p, ...(secretText ? { secretText } : {}), run, proved: true, summary: `The new secret (ID ${rot.new.keyId}, valid until ${day(rot.new.endDateTime)}) works. Both secrets are valid now; the old one is still current. Give the new value to the system, then finish the rotation to remove the old one.` };
}

/** Removes the old secret after the person confirmed the target has the new one; reads back. */
export async function finishRotation(graph: GraphClient, profile: Profile, o: { confirmed: boolean }): Promise<{ profile: Profile; removedKeyId?: string; summary: string }> {
  const rot = profile.rotation;
  if (!rot) throw new RotationError('no-rotation', 'no rotation is recorded in this profile');
  if (rot.phase !== 'proved') throw new RotationError('not-proved', 'the new secret has not passed the checks yet: run the rotation again first');
  if (!o.confirmed) throw new RotationError('not-confirmed', 'the old secret is removed only after you confirm the system has the new one');
  const app = await appOf(graph, profile);
  if (!app.passwordCredentials.some((c) => c.keyId === rot.new.keyId)) throw new RotationError('new-missing', `the new secret ${rot.new.keyId} is not on the registration any more; nothing was removed`);
  let removedKeyId: string | undefined;
  if (rot.old && app.passwordCredentials.some((c) => c.keyId === rot.old!.keyId)) {
    try {
      await graph.post(`/applications/${encodeURIComponent(app.id)}/removePassword`, { keyId: rot.old.keyId });
    } catch (e) {
      if (!(e instanceof GraphError && e.status === 404)) throw e;
    }
    const after = await appOf(graph, profile);
    if (after.passwordCredentials.some((c) => c.keyId === rot.old!.keyId)) throw new RotationError('old-still-there', `the old secret ${rot.old.keyId} is still on the registration when read back`);
    removedKeyId = rot.old.keyId;
  }
  const { rotation: _done, ...rest } = profile;
  const next: Profile = { ...rest, secretId: rot.new.keyId, secretExpires: day(rot.new.endDateTime) };
  return { profile: next, ...(removedKeyId ? { removedKeyId } : {}), summary: `${removedKeyId ? `The old secret (ID ${removedKeyId}) was removed.` : 'There was no old secret to remove.'} The new secret (ID ${rot.new.keyId}) is current, valid until ${day(rot.new.endDateTime)}.` };
}
