import { z } from 'zod';
import type { CheckRun } from '../checks';
import type { Diagnosis } from '../diagnosis/types';
import type { SavedProfile } from '../saved-profile';

/**
 * Renew secret (issue 12, item 2): the desktop app's two-step rotation. No channel carries a secret:
 * the new Value goes from Graph into main's vault; the renderer sees its Secret ID, hint and expiry,
 * and copies the Value only through main (renew:copy, confirmed, clipboard cleared after a minute).
 */

const profileId = z.string().regex(/^[a-z0-9-]{6,64}$/);

/**
 * What a renewal step answers. Where it stands (which secret is new, which is current, their ids and
 * end dates) is `record.profile.rotation`, the saved connection main wrote; after the last step the
 * record's secretId / secretExpires are the new secret's.
 */
export type RenewStartView =
  | { status: 'proved' | 'not-proved'; summary: string; run: CheckRun; diagnosis?: Diagnosis; record: SavedProfile }
  | { status: 'failed'; diagnosis: Diagnosis; record: SavedProfile };

export type RenewFinishView = { status: 'finished'; summary: string; removedKeyId?: string; record: SavedProfile } | { status: 'failed'; diagnosis: Diagnosis; record: SavedProfile };

const returns = <T>() => undefined as unknown as T;

export const renewContract = {
  /** Adds a new client secret (an administrator with write rights must be signed in), proves it with the checks; resumes an open renewal. */
  'renew:start': { request: z.object({ profileId, months: z.union([z.literal(6), z.literal(12), z.literal(24)]).default(12) }).strict(), response: returns<RenewStartView>() },
  /** After the person confirmed the system has the new Value: makes it current, removes the old secret, reads back. */
  'renew:finish': { request: z.object({ profileId, confirmed: z.literal(true) }).strict(), response: returns<RenewFinishView>() },
  /** Copies the renewal's new Value to the clipboard from main, after a native confirmation; cleared after a minute. */
  'renew:copy': { request: z.object({ profileId }).strict(), response: returns<{ copied: boolean; reason?: 'no-secret' | 'declined'; clearsAfterMs: number }>() },
} as const;
