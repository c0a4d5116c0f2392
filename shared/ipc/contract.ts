import { z } from 'zod';
import { CheckIdSchema, ProgressEventSchema, type CheckRun } from '../checks';
import type { Diagnosis } from '../diagnosis/types';
import { SavedProfileSchema, UserFieldsSchema, type SavedProfile } from '../saved-profile';
import { CHANNELS, EVENT_NAMES } from './channels';
import { hardeningContract } from './hardening';
import { registrationContract, registrationEvents } from './registration';
import { inventoryContract } from './inventory';
import { relayContract } from './relay';
import { renewContract } from './renew';
import { targetContract, targetEvents } from './target';

/**
 * The one IPC contract between the renderer and the Node side.
 *
 * Every request/response channel is named `domain:verb` and carries a zod schema for its request
 * (validated in main before the handler runs) and the TypeScript type of its response. The preload
 * exposes exactly these channels, one method each; the renderer's `window.mailOAuth` type is derived
 * from this file; main registers a handler for every entry through one wrapper.
 */

/** Marks the response type of a channel without a runtime schema (main is trusted). */
const returns = <T>() => undefined as unknown as T;

export interface AppInfo {
  name: string;
  version: string;
  electron: string | null;
  chrome: string | null;
  node: string;
  platform: string;
}

export interface AppStatus {
  /** false where the OS offers no encryption (Linux without a keyring): secrets live for this session only. */
  secretsPersist: boolean;
  /** A message to show once, e.g. the profile store was unreadable and was backed up. */
  notice?: string;
}

export interface ProfileSummary {
  record: SavedProfile;
  /** Whether a client secret is held for this profile (the value never crosses back to the renderer). */
  hasSecret: boolean;
}

export type SignInOutcome =
  | { status: 'signed-in'; account: string; tenantId: string | null; matchesMailbox: boolean; scopes: string[]; diagnosis?: Diagnosis }
  | { status: 'failed'; diagnosis: Diagnosis }
  | { status: 'cancelled'; reason: 'closed' | 'timeout' };

export interface ExportFile {
  format: string;
  filename: string;
  mediaType: string;
  content: string;
  warnings: string[];
}

const profileId = z.string().regex(/^[a-z0-9-]{6,64}$/);
const exportRequest = z.object({ profileId, format: z.string().min(1).max(64), includeSecret: z.boolean().default(false) }).strict();

export const contract = {
  'app:getInfo': { request: z.undefined(), response: returns<AppInfo>() },
  'app:getStatus': { request: z.undefined(), response: returns<AppStatus>() },
  'app:openExternal': { request: z.object({ url: z.string().max(2048) }).strict(), response: returns<{ opened: boolean }>() },

  'profiles:list': { request: z.undefined(), response: returns<ProfileSummary[]>() },
  /** The page's user fields only (shared/saved-profile.ts UserFieldsSchema): main keeps its own fields as it wrote them. */
  'profiles:save': { request: UserFieldsSchema, response: returns<ProfileSummary>() },
  /** Deletes the connection and every vault entry of it; `remains` says what is left in Entra and in the target, and how to remove it. */
  'profiles:delete': { request: z.object({ id: profileId }).strict(), response: returns<{ deleted: boolean; remains: string[] }>() },

  /** The only channel a secret crosses: from the field the user typed it into, to the vault. */
  'secrets:set': { request: z.object({ profileId, value: z.string().min(1).max(1024) }).strict(), response: returns<{ stored: true; persistent: boolean }>() },
  'secrets:status': { request: z.object({ profileId }).strict(), response: returns<{ present: boolean; persistent: boolean }>() },
  'secrets:clear': { request: z.object({ profileId }).strict(), response: returns<{ cleared: boolean }>() },
  /** Copy secret (Done screen): main copies the vault's secret after a native confirmation and clears it after a minute; the answer never holds it. */
  'secret:copy': { request: z.object({ profileId }).strict(), response: returns<{ copied: boolean; reason?: 'no-secret' | 'declined'; clearsAfterMs: number }>() },

  'signin:start': { request: z.object({ profileId }).strict(), response: returns<SignInOutcome>() },
  'signin:cancel': { request: z.undefined(), response: returns<{ cancelled: boolean }>() },
  'signin:signOut': { request: z.object({ profileId }).strict(), response: returns<{ signedOut: boolean }>() },

  'checks:run': {
    request: z.object({ profileId, only: z.array(CheckIdSchema).min(1).optional() }).strict(),
    response: returns<CheckRun>(),
  },
  'checks:cancel': { request: z.undefined(), response: returns<{ cancelled: boolean }>() },

  'export:make': { request: exportRequest, response: returns<ExportFile>() },
  /** Asks where to save (a native dialog) and writes the file; answers where it went, or null if the user cancelled. */
  /**
   * Saves the export: into the customer's own folder (one per customer, no dialog; `savedTo` says where)
   * when the host keeps one, or where the person picks (`elsewhere`, or a host without such folders).
   */
  'export:save': { request: z.object({ profileId, format: z.string().min(1).max(64), includeSecret: z.boolean().default(false), elsewhere: z.boolean().default(false) }).strict(), response: returns<{ savedTo: string | null; warnings: string[] }>() },

  ...registrationContract,
  ...renewContract,
  ...targetContract,
  ...hardeningContract,
  ...relayContract,
  ...inventoryContract,
} as const;

/** Streams from main to the renderer (progress of slow work). */
export const events = {
  'app:notice': z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
  'checks:progress': ProgressEventSchema,
  'signin:progress': z.object({ message: z.string() }),
  /** Main changed a saved connection (its own fields): the whole record, as stored. */
  'connections:changed': z.object({ record: SavedProfileSchema }),
  ...registrationEvents,
  ...targetEvents,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = Contract[C]['response'];

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time proof that channels.ts lists exactly the contract's channels and events. */
export const namesMatchContract: [Same<(typeof CHANNELS)[number], Channel>, Same<(typeof EVENT_NAMES)[number], EventName>] = [true, true];

export const channels: readonly Channel[] = CHANNELS;
export const eventNames: readonly EventName[] = EVENT_NAMES;
