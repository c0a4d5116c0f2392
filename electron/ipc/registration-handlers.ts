import type { AdminPurpose, AdminSession, AdminSignInVia, AdminSignInOutcome, ApplyResult, LintReport, PlanChoices, PlanView, RegistrationMode, RemoveCreatedView, ScriptKind, SealedOpenView, SignInAppView } from '../../shared/ipc/registration';
import type { ManualStep, RegistrationProgress } from '../../shared/registration/types';
import type { RegistrationRecord, SavedProfile } from '../../shared/saved-profile';
import type { Channel } from '../../shared/ipc/contract';
import type { ResolvedConnection } from '../app/resolve-connection';
import { AppError, type Handler } from './dispatch';
import type { Confirm } from '../app/confirmations';
import type { CheckRun } from '../../shared/checks';
import type { Profile } from '../../shared/profile';
import type { HandoffKeys } from '../app/sealed-handoff';
import { SEALED_MAX_BYTES, sealedFileName, type SealKey } from '../../shared/registration/sealed';
import { diagnose } from '../../shared/diagnosis/diagnose';

/**
 * The registration side of the engine as the IPC handlers use it (issue 10). Built by
 * electron/ipc/registration-facade.ts from the registration engine (electron/engine/registration).
 * The administrator's token lives inside it, in main's memory only.
 */
export interface RegistrationEngine {
  adminSignIn(conn: ResolvedConnection, options: { purpose: AdminPurpose; via?: AdminSignInVia; signal: AbortSignal; onProgress: (message: string) => void }): Promise<AdminSignInOutcome>;
  adminStatus(): AdminSession | null;
  /** Whether the administrator can sign in in the system browser here (the host has one). */
  systemBrowser(): boolean;
  /** The application administrators sign in to (a setting; REGISTRATION-FACTS.md 1). */
  signInApp(): SignInAppView;
  adminSignOut(): Promise<void>;
  lint(conn: ResolvedConnection, options: { clientId?: string; secret?: string; signal: AbortSignal }): Promise<LintReport>;
  /** The plan as shown, with the digest of what it does (electron/app/plan-digest.ts). */
  plan(conn: ResolvedConnection, mode: RegistrationMode, options: { signal: AbortSignal; vaultKey?: string; choices?: PlanChoices }): Promise<PlanView & { digest: string }>;
  /**
   * Plans again, refuses (no Graph write) unless the plan's digest is `expectedDigest`, asks `confirm`
   * (a native question worded by main) before the first write, calls `beforeWrite`, then writes.
   * The new secret's text goes into the vault under `vaultKey`; it is never returned.
   */
  apply(
    conn: ResolvedConnection,
    mode: RegistrationMode,
    options: { vaultKey: string; signal: AbortSignal; onProgress: (progress: RegistrationProgress) => void; expectedDigest: string; confirm: Confirm; beforeWrite: () => void; choices?: PlanChoices },
  ): Promise<Omit<ApplyResult, 'record'>>;
  /**
   * "Remove what was created": asks `confirm` (main's native question naming the app and its id), then
   * deletes the app and its enterprise application and reads them back; null = declined, nothing removed.
   */
  removeCreated(conn: ResolvedConnection, created: { appId: string; displayName: string; confirm: Confirm }): Promise<Pick<RemoveCreatedView, 'removed'> & { stillThere: NonNullable<RemoveCreatedView['stillThere']> } | null>;
  /** The administrator's script; with `seal`, it seals the new secret to that key instead of printing it. */
  script(conn: ResolvedConnection, kind: ScriptKind, seal?: SealKey & { fileName: string }): { filename: string; content: string };
  /** What the administrator's script scopes mail access to (as Create it for me would): kept with the ids it sends back. */
  scriptScope?(conn: ResolvedConnection): 'tenant' | 'exchange-rbac';
  manualSteps(conn: ResolvedConnection): ManualStep[];
  /** Renew secret, step 1 (electron/engine/keepalive/renew.ts): the new Value goes to the vault beside `vaultKey`, never out. */
  renewStart(
    conn: ResolvedConnection,
    options: { vaultKey: string; months?: number; prove: (profile: Profile, secret: string) => Promise<CheckRun>; onAdded: (profile: Profile) => Promise<void> },
  ): Promise<{ profile: Profile; run: CheckRun | null; proved: boolean; summary: string }>;
  /** Renew secret, step 2: after the person's confirmation, the new Value becomes current and the old secret is removed. */
  renewFinish(conn: ResolvedConnection, options: { vaultKey: string; confirmed: boolean }): Promise<{ profile: Profile; removedKeyId?: string; summary: string }>;
}

export interface RegistrationHandlerDeps {
  /** The saved record (main's bookkeeping around an operation). */
  load(id: string): SavedProfile;
  /** The connection resolved for one operation, the endpoint policy enforced: what the engine is given. */
  resolve(id: string): ResolvedConnection;
  save(record: SavedProfile): SavedProfile;
  secret(profileId: string): Promise<string | undefined>;
  secretKey(profileId: string): string;
  engine: RegistrationEngine;
  emitProgress(progress: RegistrationProgress): void;
  saveFile(suggestedName: string, content: string): Promise<string | null>;
  /** The native question before the first Graph write. */
  confirm: Confirm;
  /** Forgets the client secret's Value kept for this connection (its app was removed). */
  forgetSecret(profileId: string): Promise<void>;
  /** The sealed hand-off: the connection's key pair (private key in the vault under `handoffKey(id)`). */
  handoff: HandoffKeys;
  handoffKey(profileId: string): string;
  /** Keeps a client secret's Value in the vault (the one opened from a sealed file). */
  storeSecret(profileId: string, value: string): Promise<void>;
  /** Asks which file to open (native dialog in the app); its text, or null when the person cancels. */
  openFile?(options: { title: string; suggestedName: string; maxBytes: number }): Promise<{ name: string; text: string } | null>;
}

/** The watch for the Exchange step has its own handlers (electron/ipc/reach-watch-handlers.ts). */
type RegistrationChannel = Exclude<Extract<Channel, `registration:${string}`>, 'registration:watchExchange' | 'registration:watchStop'>;
export type RegistrationHandlers = { [C in RegistrationChannel]: Handler<C> };

/** One operation at a time; a new one (or cancel) aborts the one still running. */
function exclusive() {
  let current: AbortController | undefined;
  return {
    async run<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
      current?.abort();
      const controller = new AbortController();
      current = controller;
      try {
        return await operation(controller.signal);
      } finally {
        if (current === controller) current = undefined;
      }
    },
    cancel(): boolean {
      const running = current !== undefined;
      current?.abort();
      return running;
    },
  };
}

const day = (iso: string) => iso.slice(0, 10);

export function createRegistrationHandlers(deps: RegistrationHandlerDeps): RegistrationHandlers {
  const work = exclusive();
  /** The plans shown, by id: apply takes one of these and nothing else. */
  const shown = new Map<string, { profileId: string; mode: RegistrationMode; digest: string; choices: PlanChoices }>();
  const withRecord = (saved: SavedProfile, patch: Partial<RegistrationRecord> & Pick<RegistrationRecord, 'method'>): SavedProfile =>
    deps.save({ ...saved, registration: { state: 'complete', ...saved.registration, ...patch }, updatedAt: new Date().toISOString() });

  return {
    'registration:adminSignIn': async ({ profileId, purpose, via }) => {
      const conn = deps.resolve(profileId);
      return work.run((signal) => deps.engine.adminSignIn(conn, { purpose, ...(via ? { via } : {}), signal, onProgress: (message) => deps.emitProgress({ stepIndex: 0, stepCount: 0, message, state: 'running' }) }));
    },
    'registration:adminStatus': () => ({ admin: deps.engine.adminStatus(), signInApp: deps.engine.signInApp(), systemBrowser: deps.engine.systemBrowser() }),
    'registration:adminSignOut': async () => {
      const had = deps.engine.adminStatus() !== null;
      await deps.engine.adminSignOut();
      return { signedOut: had };
    },

    'registration:lint': async ({ profileId, clientId, method, secret: typed }) => {
      const conn = deps.resolve(profileId);
      const secret = typed?.trim() || (await deps.secret(profileId));
      const report = await work.run((signal) => deps.engine.lint(conn, { ...(clientId ? { clientId } : {}), ...(secret ? { secret } : {}), signal }));
      const fresh = deps.load(profileId);
      // A lint of a typed, not yet stored secret is about that text only: it does not become the connection's status.
      if (typed?.trim()) return { ...report, record: fresh };
      const record = withRecord(fresh, {
        method: fresh.registration?.method ?? method ?? 'checked',
        ...(report.appFound ? { appId: report.clientId } : {}),
        ...(report.displayName ? { displayName: report.displayName } : {}),
        lintStatus: report.status,
        lintedAt: report.checkedAt,
      });
      return { ...report, record };
    },

    'registration:plan': async ({ profileId, mode, choices }) => {
      const conn = deps.resolve(profileId);
      const plan = await work.run((signal) => deps.engine.plan(conn, mode, { signal, vaultKey: deps.secretKey(profileId), ...(choices ? { choices } : {}) }));
      const planId = globalThis.crypto.randomUUID();
      // The choices travel with the shown plan: apply uses these, not whatever the page sends later.
      shown.set(planId, { profileId, mode, digest: plan.digest, choices: plan.choices });
      if (shown.size > 50) shown.delete(shown.keys().next().value as string);
      return { ...plan, planId };
    },

    'registration:apply': async ({ profileId, mode, planId }) => {
      const plan = shown.get(planId);
      if (!plan || plan.profileId !== profileId || plan.mode !== mode) {
        throw new AppError('registration-plan-unknown', 'This plan was not shown for this connection, so nothing was changed in the tenant. Look at the plan again and confirm it.');
      }
      const conn = deps.resolve(profileId);
      const saved = conn.saved;
      const admin = deps.engine.adminStatus();
      const result = await work.run((signal) =>
        deps.engine.apply(conn, mode, {
          vaultKey: deps.secretKey(profileId),
          signal,
          onProgress: deps.emitProgress,
          expectedDigest: plan.digest,
          confirm: deps.confirm,
          choices: plan.choices,
          // Recorded before the first change: closing the app mid-way leaves "in progress" to resume from.
          beforeWrite: () => void withRecord(deps.load(profileId), { method: mode === 'create' ? 'created' : (saved.registration?.method ?? 'checked'), state: 'in-progress', ...(admin ? { by: admin.account } : {}) }),
        }),
      );
      const fresh = deps.load(profileId);
      // What the app's mail access rests on: recorded by a creation, and by a fix that scoped it (or where one was recorded).
      const keepsScope = mode === 'create' || result.mailboxScope === 'exchange-rbac' || !!saved.registration?.mailboxScope;
      const errors = result.findings.filter((f) => f.severity === 'error').length;
      const warnings = result.findings.filter((f) => f.severity === 'warning').length;
      const p = fresh.profile;
      const profile = {
        ...p,
        ...(result.appId ? { clientId: result.appId } : {}),
        ...(result.tenantId ? { tenant: result.tenantId } : {}),
        ...(result.secret ? { secretId: result.secret.keyId, secretExpires: day(result.secret.endDateTime), clientSecret: { source: 'vault' as const, key: 'clientSecret' } } : {}),
        // What the created app's access rests on (a main field): the checks then expect no Entra mail roles.
        ...(result.appId && result.mailboxScope && keepsScope ? { mailboxScope: result.mailboxScope } : {}),
      };
      const record = withRecord(
        { ...fresh, profile },
        {
          method: fresh.registration?.method ?? (mode === 'create' ? 'created' : 'checked'),
          state: result.status === 'done' ? 'complete' : result.appId ? 'partial' : 'in-progress',
          displayName: result.displayName,
          ...(result.appId ? { appId: result.appId } : {}),
          ...(result.servicePrincipalId ? { servicePrincipalId: result.servicePrincipalId } : {}),
          ...(result.secret ? { secretKeyId: result.secret.keyId } : {}),
          ...(result.mailboxScope && result.appId && keepsScope ? { mailboxScope: result.mailboxScope } : {}),
          ...(result.status === 'done' || result.status === 'partial' ? { lintStatus: errors ? 'errors' : warnings ? 'warnings' : 'clean', lintedAt: new Date().toISOString() } : {}),
        },
      );
      return { ...result, record };
    },
    'registration:removeCreated': async ({ profileId }) => {
      const conn = deps.resolve(profileId);
      const saved = conn.saved;
      const reg = saved.registration;
      if (reg?.method !== 'created' || !reg.appId || !reg.displayName) {
        throw new AppError('registration-not-created', 'The assistant did not create an app registration for this connection, so it removes none. One made by hand is removed in the Entra admin center > App registrations.');
      }
      const created = { appId: reg.appId, displayName: reg.displayName };
      const r = await work.run(() => deps.engine.removeCreated(conn, { ...created, confirm: deps.confirm }));
      if (!r) return { status: 'declined', ...created, removed: [], stillThere: null, record: saved };
      const fresh = deps.load(profileId);
      let record = fresh;
      if (!r.stillThere.application && !r.stillThere.servicePrincipal) {
        // Gone, read back: the connection forgets the app's ids and its secret (they name nothing any more).
        const { registration: _gone, ...rest } = fresh;
        const { clientId: _c, secretId: _s, secretExpires: _e, clientSecret: _v, mailboxScope: _m, ...profile } = fresh.profile;
        record = deps.save({ ...rest, profile, updatedAt: new Date().toISOString() } as SavedProfile);
        await deps.forgetSecret(profileId);
      }
      return { status: 'removed', ...created, removed: r.removed, stillThere: r.stillThere, record };
    },
    'registration:manualSteps': ({ profileId }) => ({ steps: deps.engine.manualSteps(deps.resolve(profileId)) }),
    'registration:cancel': () => ({ cancelled: work.cancel() }),

    'registration:script': async ({ profileId, kind, save }) => {
      const conn = deps.resolve(profileId);
      // The script seals the new secret to this connection's public key: only this assistant opens what comes back.
      const seal = { ...(await deps.handoff.publicKey(deps.handoffKey(profileId))), fileName: sealedFileName(conn.profile.target ?? 'connection') };
      const file = deps.engine.script(conn, kind, seal);
      const savedTo = save ? await deps.saveFile(file.filename, file.content) : null;
      // Saved for the administrator = handed over: Start shows the connection as waiting until the sealed file is opened
      // (showing the script, to read or compare, hands nothing over).
      if (savedTo) deps.save({ ...deps.load(profileId), handoff: { kind, at: new Date().toISOString(), fileName: seal.fileName }, updatedAt: new Date().toISOString() });
      return { kind, ...file, savedTo };
    },

    'registration:openSealed': async ({ profileId }): Promise<SealedOpenView> => {
      const conn = deps.resolve(profileId);
      if (!deps.openFile) throw new AppError('registration-handoff-not-sealed', 'This window cannot open files.');
      const picked = await deps.openFile({ title: 'Open the sealed secret file from your administrator', suggestedName: sealedFileName(conn.profile.target ?? 'connection'), maxBytes: SEALED_MAX_BYTES });
      if (!picked) return { status: 'cancelled' };
      const opened = await deps.handoff.open(deps.handoffKey(profileId), picked.text);
      if (!opened.ok) {
        return { status: 'refused', fileName: picked.name, diagnosis: diagnose({ source: 'internal', text: `The sealed file ${picked.name} was refused (${opened.code}).`, hint: opened.code }, { profile: conn.profile }) };
      }
      const { appId, tenantId, keyId, secret, endDateTime } = opened.payload;
      await deps.storeSecret(profileId, secret);
      const { handoff: _waited, ...fresh } = deps.load(profileId);
      const scope = deps.engine.scriptScope?.(conn);
      const record = deps.save({
        ...fresh,
        profile: {
          ...fresh.profile,
          clientId: appId,
          tenant: tenantId,
          secretId: keyId,
          secretExpires: day(new Date(endDateTime).toISOString()),
          clientSecret: { source: 'vault', key: 'clientSecret' },
          ...(scope === 'exchange-rbac' ? { mailboxScope: scope } : {}),
        },
        updatedAt: new Date().toISOString(),
      });
      return { status: 'opened', appId, tenantId, secretId: keyId, secretExpires: record.profile.secretExpires ?? '', fileName: picked.name, record };
    },
  };
}
