import { z } from 'zod';
import type { Diagnosis } from '../diagnosis/types';
import { TargetConnectionSchema } from '../saved-profile';

/**
 * The target channels of the IPC contract (issue 11: straight into the target). `target:test` and
 * `target:createConnectedApp` are the only ones that carry a secret (the target's API key / token / secret, from the field it was typed
 * into to the vault, as `secrets:set` does for the client secret); nothing secret ever comes back.
 */
/** Which catalogue targets can be configured through their API, and through which client. */
export const PUSH_TARGET_KIND: Record<string, 'emailengine' | 'odoo' | 'frappe'> = { emailengine: 'emailengine', odoo: 'odoo', flectra: 'odoo', frappe: 'frappe' };

const profileId = z.string().regex(/^[a-z0-9-]{6,64}$/);
const credential = z.string().trim().min(1).max(4096);

export const TargetCredentialsInputSchema = z.union([
  z.object({ kind: z.literal('emailengine'), accessToken: credential }).strict(),
  z.object({ kind: z.literal('odoo'), apiKey: credential }).strict(),
  z.object({ kind: z.literal('frappe'), apiKey: credential, apiSecret: credential }).strict(),
  // Frappe's own login (issue 19): the user is the connection's login, Administrator unless typed otherwise.
  z.object({ kind: z.literal('frappe'), password: credential }).strict(),
]);

/** What the renderer sees of a plan item (the engine's PlanItem; secret fields already masked). */
export interface TargetPlanItemView {
  id: string;
  action: 'create' | 'update' | 'unchanged' | 'skip';
  what: string;
  where: string;
  fields: Record<string, string>;
  changed: string[];
  note?: string;
  heldToken?: 'kept' | 'replaced';
  /** Said instead of the action's name ("install" a module). */
  verb?: 'install';
}
export interface TargetPlanView {
  target: string;
  version: string;
  items: TargetPlanItemView[];
  upToDate: boolean;
  button?: string;
  notes: string[];
}
export interface TargetPushView {
  plan: TargetPlanView;
  /** The push overwrote values that can be put back ("Restore the previous values"). */
  restorable?: boolean;
  status: 'configured' | 'partial' | 'failed';
  applied: string[];
  readBack: Record<string, boolean>;
  targetTest: { ran: boolean; passed: boolean; detail: string[] };
  button?: string;
  diagnosis?: Diagnosis;
  summary: string;
}

/** What the last push overwrote (issue 19 undo): shown before "Restore the previous values" writes anything. Never a secret. */
export interface TargetRestorePointView {
  target: string;
  at: string;
  items: Array<{ id: string; what: string; where: string; values: Record<string, string | number | boolean | null> }>;
  notRestorable: string[];
}
export interface TargetRestoreView {
  restored: string[];
  readBack: Record<string, boolean>;
  notRestorable: string[];
  summary: string;
}

export type TargetAnswer<T> = { ok: true; value: T } | { ok: false; diagnosis: Diagnosis };

const returns = <T>() => undefined as unknown as T;

export const targetContract = {
  /** Saves the connection (and the credentials into the vault, when given) and proves them: address, credentials, rights, version. Writes nothing to the target. */
  'target:test': {
    /**
     * `withPlan` (issue 19, a pasted key): the plan is read in the same step with the key just given for this address
     * (as the test itself is), so the stored key's first-use question can be asked once, at the push, with the plan in it.
     */
    request: z.object({ profileId, connection: TargetConnectionSchema.pick({ kind: true, url: true, database: true, login: true, connectedUser: true }).strict(), credentials: TargetCredentialsInputSchema.optional(), withPlan: z.boolean().optional() }).strict(),
    response: returns<TargetAnswer<{ version: string; user?: string; database?: string; notes: string[]; hasCredentials: boolean; plan?: TargetPlanView }>>(),
  },
  /** What a push would write, read from the target's current state. */
  'target:plan': { request: z.object({ profileId, replaceHeldToken: z.boolean().default(false) }).strict(), response: returns<TargetAnswer<TargetPlanView>>() },
  /** Writes what differs, reads it back and runs the target's own test. */
  /**
   * `ask` (issue 19): main asks its native question with the plan it last read (the changes, and the host's values the
   * first time) even when the host was allowed before; the page opens it by itself once a pasted key's plan is ready.
   */
  'target:push': { request: z.object({ profileId, handOverToken: z.boolean().default(true), replaceHeldToken: z.boolean().default(false), ask: z.boolean().default(false) }).strict(), response: returns<TargetAnswer<TargetPushView>>() },
  /** What "Restore the previous values" would write back: the values the last push overwrote (null = nothing recorded). Writes nothing. */
  'target:restorePlan': { request: z.object({ profileId }).strict(), response: returns<{ point: TargetRestorePointView | null }>() },
  /** Puts back the values the last push overwrote (the point shown), reads them back; the restore point is then used up. */
  'target:restore': { request: z.object({ profileId, at: z.string().max(64) }).strict(), response: returns<TargetAnswer<TargetRestoreView>>() },
  /**
   * Opens the target's own page where its access token is made (EmailEngine's Access Tokens > Create new,
   * /admin/tokens/new) in the person's browser, at the connection's address (issue 19). Main builds the address;
   * the page names nothing but the connection. Sends nothing, writes nothing.
   */
  'target:openTokenPage': { request: z.object({ profileId }).strict(), response: returns<{ opened: boolean; url: string }>() },
  /**
   * Frappe (issue 19): makes the Connected App the person used to make by hand before Details (POST /api/resource/
   * Connected App, Provider Name only), after main's native question; reads back Frappe's name for it and its
   * Redirect URI, keeps the password in the vault (as target:test does) and writes the site and the name into the
   * connection. Carries a secret in (the password), none back. Idempotent: this connection's Connected App at the
   * same site is read back, not made again.
   */
  'target:createConnectedApp': {
    request: z.object({ profileId, url: z.string().trim().min(1).max(2048), credentials: TargetCredentialsInputSchema, providerName: z.string().trim().max(140).optional() }).strict(),
    response: returns<TargetAnswer<{ name: string; redirectUri: string; site: string; created: boolean }>>(),
  },
} as const;

export const targetEvents = {
  'target:progress': z.object({ message: z.string() }),
} as const;
