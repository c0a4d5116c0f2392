import { z } from 'zod';
import type { Diagnosis } from '../diagnosis/types';
import type { ManualStep, PlanStep, RegistrationFinding } from '../registration/types';
import type { SavedProfile } from '../saved-profile';

/**
 * The registration channels of the IPC contract (issue 10: the wizard does the registration).
 * Requests are zod schemas (validated in main); responses are plain types. None of them carries a
 * secret: a new client secret goes from Graph into the vault, and the admin's token stays in main's
 * memory. The renderer only learns "an administrator is signed in as X".
 */

const profileId = z.string().regex(/^[a-z0-9-]{6,64}$/);
const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);

/** What the admin sign-in is for: reading (lint) asks for read scopes only; create/fix for write scopes. */
export const ADMIN_PURPOSES = ['read', 'write'] as const;
export type AdminPurpose = (typeof ADMIN_PURPOSES)[number];

/** Where the administrator signs in: the person's own browser (loopback redirect, RFC 8252) or the app's embedded window. */
export const ADMIN_SIGN_IN_VIA = ['browser', 'window'] as const;
export type AdminSignInVia = (typeof ADMIN_SIGN_IN_VIA)[number];

export const REGISTRATION_MODES = ['create', 'fix'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

export const SCRIPT_KINDS = ['powershell', 'azure-cli'] as const;
export type ScriptKind = (typeof SCRIPT_KINDS)[number];

/** The administrator who is signed in (main keeps the token; this is all the renderer sees). */
export interface AdminSession {
  account: string;
  tenantId: string;
  /** The organisation's name, when Graph told us. */
  tenantName?: string;
  /** Whether the session may change the registration (write scopes granted). */
  canWrite: boolean;
  /** The application the administrator signed in to, and why (REGISTRATION-FACTS.md 1). */
  signInApp: SignInAppView;
}

/** The application administrators sign in to; `isDefault` when it is Microsoft Graph Command Line Tools (no setting made). */
export interface SignInAppView {
  name: string;
  clientId: string;
  isDefault: boolean;
}

export type AdminSignInOutcome =
  | { status: 'signed-in'; admin: AdminSession }
  | { status: 'failed'; diagnosis: Diagnosis }
  | { status: 'cancelled'; reason: 'closed' | 'timeout' };

/** A finding with the diagnosis card that explains it (code, cause, fix). */
export interface LintFinding extends RegistrationFinding {
  diagnosis: Diagnosis;
}

export type LintStatus = 'clean' | 'warnings' | 'errors' | 'not-found';

export interface LintReport {
  clientId: string;
  tenantId: string;
  appFound: boolean;
  displayName?: string;
  status: LintStatus;
  findings: LintFinding[];
  manualSteps: ManualStep[];
  checkedAt: string;
}

/**
 * How far an app-only mail system's access reaches (issue 19, safe by default): 'mailbox' = Exchange RBAC
 * for Applications scopes it to the connection's mailbox (no tenant-wide admin consent for the mail
 * permissions; an Exchange administrator runs the scoping script); 'organisation' = tenant-wide admin consent.
 */
export const MAIL_ACCESS = ['mailbox', 'organisation'] as const;
export type MailAccess = (typeof MAIL_ACCESS)[number];

/** What the person chose on the plan screen; the plan (and its digest) is made with these, and apply uses the shown plan's. */
export const PlanChoicesSchema = z.object({ mailAccess: z.enum(MAIL_ACCESS).optional(), requireAssignment: z.boolean().optional() }).strict();
export type PlanChoices = z.infer<typeof PlanChoicesSchema>;

/** Who signs in to an existing enterprise application today, read from the directory, for the assignment opt-in. */
export interface AssignmentView {
  /** "Assignment required?" as read. */
  required: boolean;
  /** Whether the plan offers the opt-in (the system's guide lists assignment and it is off). */
  offered: boolean;
  /** The opt-in as chosen for this plan. */
  chosen: boolean;
  /** Users the directory shows using the app today (their own consent or an assignment), the mailbox included. */
  signingIn: number;
  /** Of those, how many are not assigned and would be locked out (they are assigned too when the opt-in is on). */
  lockedOut: number;
  /** Organisation-wide consent: others may sign in too, whom only the sign-in logs list. */
  othersUnknown: boolean;
  /** Each of them by name, as Graph has them (no name: the directory could not name them; the id then). */
  people: Array<{ id: string; displayName?: string; userPrincipalName?: string; assigned: boolean; lockedOut: boolean; mailbox: boolean }>;
}

/** A plan as the user reads it: what will change, in words (never a secret). */
export interface PlanView {
  mode: RegistrationMode;
  displayName: string;
  /** True when the plan was made against the tenant as read (an admin is signed in); false = from nothing. */
  readFromTenant: boolean;
  steps: Array<{ kind: PlanStep['kind']; summary: string }>;
  unfixable: LintFinding[];
  manualSteps: ManualStep[];
  /** Which mailboxes the app reaches, in plain words ("every mailbox in your organisation" when not scoped). */
  reach: Array<{ grant: string; reach: string; limited: boolean }>;
  /**
   * App-only Microsoft Graph mail (CXT): the reach is a choice, scoped to the mailbox by default. `scopeStep`
   * = the Exchange step that does the scoping, which Microsoft Graph cannot do: an Exchange administrator runs it.
   */
  mailAccess?: { chosen: MailAccess; scopeStep?: { id: string; title: string; who: string } };
  /** Fix: the "Require assignment" opt-in and who it would lock out. */
  assignment?: AssignmentView;
  /** The choices this plan was made with. */
  choices: PlanChoices;
}

export interface ApplyResult {
  status: 'done' | 'partial' | 'cancelled' | 'failed';
  appId: string | null;
  servicePrincipalId: string | null;
  tenantId: string | null;
  displayName: string;
  /** Metadata of a new secret (its text is in the vault, never here). */
  secret?: { keyId: string; hint: string; endDateTime: string };
  applied: string[];
  notDone: Array<{ summary: string; diagnosis: Diagnosis }>;
  findings: LintFinding[];
  manualSteps: ManualStep[];
  /** Why it stopped, when it did (no role, policy forbids secrets, replication budget...). */
  diagnosis?: Diagnosis;
  /** Which mailboxes the app reaches now, in plain words (read from the desired state as applied). */
  reach?: Array<{ grant: string; reach: string; limited: boolean }>;
  /** 'exchange-rbac' = the mail access waits for the Exchange scoping step (reaches no mailbox until then). */
  mailboxScope?: 'tenant' | 'exchange-rbac';
  /** The saved connection as main wrote it afterwards (ids, expiry, registration record; never the secret). */
  record: SavedProfile;
}

/** "Remove what was created" (issue 19): what was deleted, read back afterwards; `declined` = the person said no, nothing removed. */
export interface RemoveCreatedView {
  status: 'removed' | 'declined';
  appId: string;
  displayName: string;
  removed: string[];
  /** Read back after the deletions (null when declined: nothing was touched). */
  stillThere: { application: boolean; servicePrincipal: boolean } | null;
  record: SavedProfile;
}

export interface ScriptFile {
  kind: ScriptKind;
  filename: string;
  content: string;
  savedTo: string | null;
}

/**
 * "Open the sealed file" (the sealed hand-off): main reads the file the administrator's script wrote,
 * decrypts it with this connection's private key and keeps the secret in the vault. Never the secret here.
 */
export type SealedOpenView =
  | { status: 'opened'; appId: string; tenantId: string; secretId: string; secretExpires: string; fileName: string; record: SavedProfile }
  | { status: 'cancelled' }
  | { status: 'refused'; fileName: string; diagnosis: Diagnosis };

export const RegistrationProgressSchema = z.object({
  stepIndex: z.number().int().min(0),
  stepCount: z.number().int().min(0),
  message: z.string(),
  state: z.enum(['running', 'waiting', 'done', 'failed']),
  waitedSeconds: z.number().optional(),
});

/** The watch for the Exchange step (issue 19, auto-continue): main looks, the page shows where it is. */
export const ReachWatchProgressSchema = z.object({
  profileId,
  state: z.enum(['waiting', 'looking']),
  /** Looks made so far. */
  attempts: z.number().int().min(0),
  /** Waiting: seconds until the next look. */
  nextLookInSeconds: z.number().min(0).optional(),
  waitedSeconds: z.number().min(0),
  /** The checks the last look found not passing (their titles). */
  failing: z.array(z.string()),
});
export type ReachWatchProgressView = z.infer<typeof ReachWatchProgressSchema>;
export interface ReachWatchView {
  /** reached = every read-only check passed; cancelled = stopped (the page left, the connection was deleted, the window closed); timed-out = the limit passed. */
  status: 'reached' | 'cancelled' | 'timed-out';
  attempts: number;
  waitedSeconds: number;
  failing: string[];
}

const returns = <T>() => undefined as unknown as T;

export const registrationContract = {
  /**
   * Signs an administrator (not the mailbox) in: `via: 'browser'` in the person's own browser (a browser
   * already signed in to Microsoft 365 only asks to pick the account), `'window'` (default) in the embedded,
   * locked-down window. Starting one cancels the other still waiting.
   */
  'registration:adminSignIn': { request: z.object({ profileId, purpose: z.enum(ADMIN_PURPOSES), via: z.enum(ADMIN_SIGN_IN_VIA).optional() }).strict(), response: returns<AdminSignInOutcome>() },
  /** Who is signed in as administrator (if anyone), the application an administrator signs in to, and whether this host can open the system browser for it. */
  'registration:adminStatus': { request: z.undefined(), response: returns<{ admin: AdminSession | null; signInApp: SignInAppView; systemBrowser: boolean }>() },
  'registration:adminSignOut': { request: z.undefined(), response: returns<{ signedOut: boolean }>() },
  /** Reads the registration with this client id (or the profile's) and lists what is wrong for this target. */
  'registration:lint': {
    // `secret`: the Value typed on screen 5 and not stored yet, so its hint is compared before any sign-in (renderer -> main only).
    request: z.object({ profileId, clientId: guid.optional(), method: z.enum(['checked', 'manual']).optional(), secret: z.string().min(1).max(1024).optional() }).strict(),
    response: returns<LintReport & { record: SavedProfile }>(),
  },
  /** The plan as shown, with its id and the digest of what it does: apply takes the id. */
  'registration:plan': { request: z.object({ profileId, mode: z.enum(REGISTRATION_MODES), choices: PlanChoicesSchema.optional() }).strict(), response: returns<PlanView & { planId: string; digest: string }>() },
  /**
   * Creates or fixes the registration as the plan `planId` said; refuses, with no Graph write, when the
   * plan made now differs, and asks a native question before the first write. Progress streams as `registration:progress`.
   */
  'registration:apply': { request: z.object({ profileId, mode: z.enum(REGISTRATION_MODES), planId: z.string().uuid() }).strict(), response: returns<ApplyResult>() },
  /** What Graph cannot do (Exchange PowerShell, admin center), with the ids known so far filled in. */
  'registration:manualSteps': { request: z.object({ profileId }).strict(), response: returns<{ steps: ManualStep[] }>() },
  'registration:cancel': { request: z.undefined(), response: returns<{ cancelled: boolean }>() },
  /**
   * Deletes the app registration and enterprise application the assistant created for this connection,
   * after main's native question naming the app and its id; refuses a connection whose app it did not create.
   */
  'registration:removeCreated': { request: z.object({ profileId }).strict(), response: returns<RemoveCreatedView>() },
  /** The script an administrator runs themselves; `save: true` asks where to save it. */
  'registration:script': { request: z.object({ profileId, kind: z.enum(SCRIPT_KINDS), save: z.boolean().default(false) }).strict(), response: returns<ScriptFile>() },
  /** The person picks the sealed file the administrator sent back (native dialog, main); main opens it. */
  'registration:openSealed': { request: z.object({ profileId }).strict(), response: returns<SealedOpenView>() },
  /**
   * Created app-only and scoped to the mailbox (issue 19): main looks, with the connection's read-only checks (nothing
   * is sent or written), whether the app reaches the mailbox yet, 3 s at first and then once a minute, and answers when it
   * does, when it is stopped, or after its time limit. Progress streams as `registration:watch`. Starting it again for
   * the same connection stops the earlier one.
   */
  'registration:watchExchange': { request: z.object({ profileId }).strict(), response: returns<ReachWatchView>() },
  /** Stops the watch of this connection (the page left); false when none was running. */
  'registration:watchStop': { request: z.object({ profileId }).strict(), response: returns<{ stopped: boolean }>() },
} as const;

export const registrationEvents = {
  'registration:progress': RegistrationProgressSchema,
  'registration:watch': ReachWatchProgressSchema,
} as const;
