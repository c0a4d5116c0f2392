import type { Diagnosis } from '../../../shared/diagnosis';
import { PUSH_TARGET_KIND } from '../../../shared/ipc/target';
import type { Profile } from '../../../shared/profile';
import type { TargetConnection } from '../../../shared/saved-profile';
import type { Clock } from '../ports';

export type TargetKind = TargetConnection['kind'];

/** The secret half of a target connection, kept only in the SecretVault. */
export type TargetCredentials =
  | { kind: 'emailengine'; accessToken: string }
  | { kind: 'odoo'; apiKey: string }
  | { kind: 'frappe'; apiKey: string; apiSecret: string }
  /** Frappe's login and password (issue 19): the login is the connection's `login` (Administrator by default). */
  | { kind: 'frappe'; password: string };

/** Which catalogue targets go through which client (one table, shared with the renderer). */
export const KIND_OF_TARGET: Record<string, TargetKind> = PUSH_TARGET_KIND;

/** What Test target connection proved. */
export interface TargetTestResult {
  ok: true;
  /** "Odoo 17.0", "Flectra 2.0", "EmailEngine 2.79.2", "Frappe 15.40.1". */
  version: string;
  /** Who the credentials sign in as. */
  user?: string;
  /** Odoo / Flectra: the database used (found by the test when the server has only one). */
  database?: string;
  notes: string[];
}

export type PlanAction = 'create' | 'update' | 'unchanged' | 'skip';

/** One write the push would make, described before it is made. Never carries a secret value. */
export interface PlanItem {
  id: string;
  action: PlanAction;
  /** In words: 'Outgoing mail server "sales@fabrikam.com (Outlook)"'. */
  what: string;
  /** Where in the target: 'ir.mail_server', 'POST /v1/oauth2', 'Connected App ms365'. */
  where: string;
  /** Field → value as it will be written; secret fields show as SECRET_SHOWN. */
  fields: Record<string, string>;
  /** Fields that differ from what the target holds now (update), or all (create). */
  changed: string[];
  /** Why it is skipped or what it means. */
  note?: string;
  /** The target already holds a refresh token here: 'kept' (default) or 'replaced' (the user asked, replaceHeldToken). */
  heldToken?: 'kept' | 'replaced';
  /**
   * Update: what the target holds now in the changed fields that are not secrets (issue 19, "Restore the
   * previous values"). Secret fields (client secret, refresh token) are never read back or kept.
   */
  previous?: Record<string, RestoreValue>;
  /** Where the record lives, for a later restore (EmailEngine's app id; Odoo's module id). */
  ref?: string;
  /** Said instead of the action's name where "update" would not say it (a module installed: an update of its state). */
  verb?: 'install';
  /** What the restore point says for this item instead of putting anything back (a module installed stays installed). */
  notRestorable?: string;
}

export type RestoreValue = string | number | boolean | null;

/**
 * What a push overwrote (issue 19 undo): per updated item, the non-secret values the target held before.
 * Kept in the vault (never a plain file); it holds no secret: a previous secret was never kept, so it
 * cannot be put back, and `notRestorable` says so in words, as it does for what the push created.
 */
export interface RestorePoint {
  /** The target as tested when the push ran ("Odoo 17.0"). */
  target: string;
  at: string;
  items: Array<{ id: string; what: string; where: string; values: Record<string, RestoreValue>; ref?: string }>;
  notRestorable: string[];
}

/** A restore, done and read back. */
export interface RestoreOutcome {
  restored: string[];
  /** item id → the target holds the previous values again (read back). */
  readBack: Record<string, boolean>;
  notRestorable: string[];
  summary: string;
}

export const SECRET_SHOWN = '•••• (from the vault)';

export interface PushPlan {
  target: string;
  version: string;
  items: PlanItem[];
  /** Nothing to write. */
  upToDate: boolean;
  /** When no refresh token can be handed over: the one thing to press in the target. */
  button?: string;
  notes: string[];
}

export interface PushOutcome {
  plan: PushPlan;
  /** What the push overwrote, to restore later; absent when it overwrote nothing. */
  restorePoint?: RestorePoint;
  /** 'configured' = written, read back and the target's own test passed; 'partial' = written, something is left to the user. */
  status: 'configured' | 'partial' | 'failed';
  applied: string[];
  /** Read back after writing: item id → true when the target holds what was written. */
  readBack: Record<string, boolean>;
  /** The target's own test (Odoo test_smtp_connection / button_confirm_login, EmailEngine account state, Frappe Email Account save). */
  targetTest: { ran: boolean; passed: boolean; detail: string[] };
  button?: string;
  diagnosis?: Diagnosis;
  summary: string;
}

/**
 * Where the fingerprints of secrets a target will not show back are kept between pushes: the app's
 * vault, or the CLI's fingerprint file (a salted hash only). `matches` says whether the value last
 * written under `key` is `value`.
 */
export interface FingerprintStore {
  matches(key: string, value: string): Promise<boolean>;
  set(key: string, value: string): Promise<void>;
}

/** Everything a target client needs for one operation. */
export interface TargetContextInput {
  profile: Profile;
  connection: TargetConnection;
  credentials: TargetCredentials;
  /** The client secret Value (pushed into the target; never shown). */
  clientSecret: string | undefined;
  /** The refresh token of the proving sign-in, when it may be handed over. */
  refreshToken: string | undefined;
  /** Overwrite a refresh token the target already holds (when that one no longer works); off by default. */
  replaceHeldToken?: boolean;
  /** Values to keep out of every text (secret, credentials, token). */
  secrets: string[];
  timeoutMs: number;
  /** How long to wait for the target's own asynchronous test (EmailEngine account state). */
  settleMs: number;
  signal?: AbortSignal;
  clock: Clock;
  /** Remembered fingerprints of secrets the target will not show back (EmailEngine, Frappe). */
  fingerprints: FingerprintStore;
}

export interface TargetClient {
  test(): Promise<TargetTestResult>;
  plan(): Promise<PushPlan>;
  apply(plan: PushPlan, onProgress: (message: string) => void): Promise<Omit<PushOutcome, 'plan' | 'summary' | 'diagnosis'>>;
  /** Writes the previous values back (only the fields the push changed) and reads them back. */
  restore(point: RestorePoint, onProgress: (message: string) => void): Promise<{ restored: string[]; readBack: Record<string, boolean> }>;
}
