import { diagnose, type Diagnosis, type DiagnosisCode } from '../../shared/diagnosis';
import type { AdminSession as AdminView, ApplyResult, AssignmentView, LintFinding, LintReport, LintStatus, PlanChoices, PlanView, RegistrationMode } from '../../shared/ipc/registration';
import { analyzeRegistration } from '../../shared/registration/analyze';
import { mailReach } from '../../shared/registration/reach';
import type { Profile } from '../../shared/profile';
import type { SavedProfile } from '../../shared/saved-profile';
import { planRegistration } from '../../shared/registration/plan';
import { registrationScript } from '../../shared/registration/scripts';
import type { ActualRegistration, DesiredRegistration, RegistrationFinding } from '../../shared/registration/types';
import type { ResolvedConnection } from '../app/resolve-connection';
import { EngineError, type AuthWindow } from '../engine';
import {
  adminSignIn,
  DEFAULT_ADMIN_CLIENT_ID,
  DEFAULT_ADMIN_CLIENT_NAME,
  desiredFor,
  diagnoseRegistrationError,
  lintRegistration,
  planFor,
  registerRegistration,
  removeCreated,
  RemoveRefused,
  type AdminSession,
} from '../engine/registration';
import { renewFinish, renewStart } from '../engine/keepalive/renew';
import { peopleUsing } from '../engine/registration/operations';
import type { UserName } from '../engine/registration/read';
import { AppError } from './dispatch';
import { registrationQuestion, removeCreatedQuestion } from '../app/confirmations';
import { planDigest } from '../app/plan-digest';
import type { EnginePorts } from './engine-facade';
import type { RegistrationEngine } from './registration-handlers';

/**
 * The registration engine (electron/engine/registration) behind the IPC handlers (issue 10). The
 * administrator's session, and with it the token, lives here, in main's memory, and dies with the
 * app or on sign-out; the renderer learns only the account. The sign-in window is the same AuthWindow
 * port as the mailbox sign-in, told which account should sign in now.
 */

const EMPTY_ACTUAL: ActualRegistration = { tenantId: '', application: null, servicePrincipal: null, resources: {}, delegatedGrants: [], appRoleAssignments: [], assignedTo: [], appManagementPolicy: null };

/**
 * For the preview before any sign-in: the resources the desired permissions name, each publishing
 * exactly those permissions (ids = names), so planRegistration words the consent steps too. Never
 * applied: apply plans again against the tenant as read, with the ids the tenant publishes.
 */
function previewResources(desired: DesiredRegistration): ActualRegistration['resources'] {
  const out: ActualRegistration['resources'] = {};
  for (const p of desired.permissions) {
    const r = (out[p.resourceAppId] ??= { id: `preview-${p.resourceAppId}`, appId: p.resourceAppId, displayName: p.resource, appRoles: [], oauth2PermissionScopes: [] });
    if (p.type === 'application') r.appRoles.push({ id: `preview-${p.name}`, value: p.name });
    else r.oauth2PermissionScopes.push({ id: `preview-${p.name}`, value: p.name });
  }
  return out;
}

/**
 * How far app-only mail access reaches for this plan (issue 19, safe by default): Create it for me scopes
 * it to the mailbox (Exchange RBAC for Applications) unless the person chose the whole organisation; a
 * fix keeps what the assistant created (never adds tenant-wide consent to an app it scoped).
 */
export function mailboxScopeFor(saved: Partial<Pick<SavedProfile, 'registration'>>, mode: RegistrationMode, choices: PlanChoices = {}): 'tenant' | 'exchange-rbac' {
  if (choices.mailAccess) return choices.mailAccess === 'organisation' ? 'tenant' : 'exchange-rbac';
  // Safe by default on both paths (issue 19): Create it for me and the Check/Fix path scope app-only mail to the
  // mailbox unless the person chose the whole organisation; a fix keeps what the connection recorded.
  void mode;
  return saved.registration?.mailboxScope ?? 'exchange-rbac';
}

/** The plan-screen facts about reach: what each grant reaches, and the scoping choice where there is one. */
function reachView(desired: DesiredRegistration, scopable: boolean): Pick<PlanView, 'reach' | 'mailAccess'> {
  const step = desired.manualSteps.find((m) => m.id === 'limit-mailbox-scope' && !m.optional);
  return {
    reach: mailReach(desired),
    ...(scopable ? { mailAccess: { chosen: desired.mailboxScope === 'exchange-rbac' ? ('mailbox' as const) : ('organisation' as const), ...(step ? { scopeStep: { id: step.id, title: step.title, who: step.who } } : {}) } } : {}),
  };
}

/** Who the "Require assignment" opt-in would lock out, read from the directory (their own consent, assignments). */
function assignmentView(desired: DesiredRegistration, actual: ActualRegistration, chosen: boolean, names: Record<string, UserName> = {}): AssignmentView | undefined {
  const sp = actual.servicePrincipal;
  if (!sp || !actual.application || !desired.assignment.required) return undefined;
  const a = analyzeRegistration(desired, actual);
  const required = sp.appRoleAssignmentRequired === true;
  const ids = peopleUsing(actual);
  const locked = new Set(a.lockedOutIfRequired.principalIds);
  const assigned = new Set(actual.assignedTo.filter((x) => x.resourceId === sp.id).map((x) => x.principalId));
  const people = ids.map((id) => ({ id, ...(names[id] ?? {}), assigned: assigned.has(id), lockedOut: locked.has(id), mailbox: id === actual.mailboxUserId }));
  return { required, offered: !required, chosen: chosen && !required, signingIn: ids.length, lockedOut: a.lockedOutIfRequired.principalIds.length, othersUnknown: a.lockedOutIfRequired.othersUnknown, people };
}

function statusOf(appFound: boolean, findings: readonly RegistrationFinding[]): LintStatus {
  if (!appFound) return 'not-found';
  if (findings.some((f) => f.severity === 'error')) return 'errors';
  return findings.some((f) => f.severity === 'warning') ? 'warnings' : 'clean';
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || /abort|cancel/i.test(e.message));
}

export function createRegistrationFacade(ports: EnginePorts): RegistrationEngine {
  let sessionHeld: AdminSession | undefined;
  // Read at each use: the app's setting can change while it runs (settings:setAdminClientId).
  const currentAdminClientId = () => (typeof ports.adminClientId === 'function' ? ports.adminClientId() : ports.adminClientId)?.trim().toLowerCase() || DEFAULT_ADMIN_CLIENT_ID;
  const signInAppNow = () => {
    const clientId = currentAdminClientId();
    const isDefault = clientId === DEFAULT_ADMIN_CLIENT_ID;
    return { name: isDefault ? DEFAULT_ADMIN_CLIENT_NAME : 'your organisation’s sign-in application', clientId, isDefault };
  };
  /** The administrator's session, unless it was made with an application that is no longer the one set. */
  const current = (): AdminSession | undefined => {
    if (sessionHeld && sessionHeld.adminClientId.toLowerCase() !== currentAdminClientId()) sessionHeld = undefined;
    return sessionHeld;
  };

  const view = (s: AdminSession): AdminView => ({ account: s.account, tenantId: s.tenantId, canWrite: s.purpose === 'write', signInApp: signInAppNow() });
  const needAdmin = (write: boolean): AdminSession => {
    const session = current();
    if (!session || (write && session.purpose !== 'write')) {
      throw new AppError('admin-required', write ? 'Sign in as an administrator first: changing the registration needs an administrator.' : 'Sign in as an administrator first.');
    }
    return session;
  };
  const findingView = (profile: Profile, f: RegistrationFinding): LintFinding => ({
    ...f,
    // The entries take the one-line summary as their evidence text (shared/diagnosis/domains/registration.ts).
    diagnosis: diagnose({ source: 'graph', text: f.summary, hint: f.code }, { profile }),
  });
  /** No secret Value stored for this connection (the key unknown counts as none). */
  const lacksSecret = async (vaultKey: string | undefined): Promise<boolean> => !vaultKey || (await ports.vault.get(vaultKey)) === undefined;
  const ids = (conn: ResolvedConnection, profile: Profile) => ({
    appId: conn.saved.registration?.appId ?? (profile.clientId || null),
    servicePrincipalId: conn.saved.registration?.servicePrincipalId ?? null,
    tenantId: profile.tenant || null,
  });

  return {
    signInApp: () => signInAppNow(),
    adminStatus: () => {
      const session = current();
      return session ? view(session) : null;
    },
    adminSignOut: async () => {
      sessionHeld = undefined;
    },
    systemBrowser: () => ports.systemBrowser !== undefined,

    async adminSignIn(conn, { purpose, via, signal, onProgress }) {
      const profile = conn.profile;
      const org = profile.mailbox.split('@')[1];
      const header = `Sign in as an administrator${org ? ` of ${org}` : ''} — not as the mailbox${profile.mailbox ? ` ${profile.mailbox}` : ''}`;
      const authWindow: AuthWindow = { open: (url, redirect, o) => ports.authWindow.open(url, redirect, { ...o, title: 'Administrator sign-in', header }) };
      // The system browser when asked and the host has one (RFC 8252 loopback redirect); else the embedded window.
      const inBrowser = via === 'browser' && ports.systemBrowser !== undefined;
      onProgress(inBrowser ? 'Continue in your browser: sign in there as an administrator…' : 'Opening the Microsoft sign-in window for an administrator…');
      try {
        // Assigning the mailbox user needs User.ReadBasic.All to look it up (write scopes only when the target asks for assignment).
        const lookupUser = purpose === 'write' && desiredFor(profile).assignment.assignMailbox;
        const s = await adminSignIn(profile, {
          purpose,
          ...(inBrowser ? { method: 'system-browser' as const, systemBrowser: ports.systemBrowser! } : { authWindow }),
          signal,
          adminClientId: currentAdminClientId(),
          lookupUser,
          timeoutMs: ports.signInTimeoutMs ?? 300_000,
          ...(ports.clock ? { clock: ports.clock } : {}),
        });
        sessionHeld = s;
        return { status: 'signed-in', admin: view(s) };
      } catch (error) {
        if (error instanceof EngineError && error.hint === 'sign-in-cancelled') {
          return { status: 'cancelled', reason: /within|timed? ?out/i.test(error.message) ? 'timeout' : 'closed' };
        }
        return { status: 'failed', diagnosis: diagnose(error, { profile, check: 'token' }) };
      }
    },

    async lint(conn, { clientId, secret, signal }): Promise<LintReport> {
      const s = needAdmin(false);
      const profile = conn.profile;
      const id = clientId ?? profile.clientId;
      try {
        // Checked against what the fix would make (issue 19): app-only mail scoped to the mailbox unless the connection chose
        // every mailbox, so the findings, the plan and the fix agree on the reach.
        const r = await lintRegistration(s, { ...profile, clientId: id }, { clientId: id, signal, desired: { mailboxScope: mailboxScopeFor(conn.saved, 'fix') }, ...(secret ? { secretValue: secret } : {}) });
        const appFound = r.actual.application !== null;
        return {
          clientId: id,
          tenantId: s.tenantId,
          appFound,
          ...(r.actual.application?.displayName ? { displayName: r.actual.application.displayName } : {}),
          status: statusOf(appFound, r.findings),
          findings: appFound ? r.findings.map((f) => findingView(profile, f)) : [],
          manualSteps: r.desired.manualSteps,
          checkedAt: new Date().toISOString(),
        };
      } catch (error) {
        const d = diagnoseRegistrationError(error, profile, { ...(secret ? { secrets: [secret] } : {}) });
        throw new AppError(d.code, `${d.title}. ${d.cause}`);
      }
    },

    async plan(conn, mode, { signal, vaultKey, choices = {} }): Promise<PlanView & { digest: string }> {
      const profile = conn.profile;
      const forCreate = mode === 'create' ? { ...profile, clientId: conn.saved.registration?.method === 'created' ? (conn.saved.registration.appId ?? '') : '' } : profile;
      const mailboxScope = mailboxScopeFor(conn.saved, mode, choices);
      // The reach is a choice only for app-only Graph mail (what Exchange RBAC for Applications can scope).
      const scopable = desiredFor(forCreate, { mailboxScope: 'exchange-rbac' }).mailboxScope === 'exchange-rbac';
      const requireAssignment = mode === 'fix' && choices.requireAssignment === true;
      const session = current();
      if (!session) {
        // No administrator yet: the plan from nothing (what "Create it for me" will do), from the desired state alone.
        const desired = desiredFor(forCreate, { ids: ids(conn, forCreate), mailboxScope });
        const plan = planRegistration(desired, { ...EMPTY_ACTUAL, tenantId: profile.tenant, resources: previewResources(desired) });
        return { mode, displayName: desired.displayName, readFromTenant: false, steps: plan.steps.map((x) => ({ kind: x.kind, summary: x.summary })), unfixable: [], manualSteps: desired.manualSteps, ...reachView(desired, scopable), choices: { mailAccess: desired.mailboxScope === 'exchange-rbac' ? 'mailbox' : 'organisation', requireAssignment }, digest: planDigest(mode, desired, { requireAssignment }) };
      }
      const r = await planFor(session, forCreate, { signal, expectExisting: mode === 'create' && !!forCreate.clientId, needSecret: mode === 'create' && (await lacksSecret(vaultKey)), desired: { mailboxScope }, requireAssignment });
      const assignment = mode === 'fix' ? assignmentView(r.desired, r.actual, requireAssignment, r.people) : undefined;
      return {
        mode,
        displayName: r.desired.displayName,
        readFromTenant: true,
        steps: r.plan.steps.map((x) => ({ kind: x.kind, summary: x.summary })),
        // "Assignment required? is No" is not left to someone else here: the opt-in beside the plan is its answer.
        unfixable: r.plan.unfixable.filter((f) => !(assignment?.offered && f.code === 'registration-assignment-not-required')).map((f) => findingView(profile, f)),
        manualSteps: r.plan.manualSteps,
        ...reachView(r.desired, scopable),
        ...(assignment ? { assignment } : {}),
        choices: { mailAccess: r.desired.mailboxScope === 'exchange-rbac' ? 'mailbox' : 'organisation', requireAssignment },
        digest: planDigest(mode, r.desired, { requireAssignment }),
      };
    },

    async apply(conn, mode, { vaultKey, signal, onProgress, expectedDigest, confirm, beforeWrite, choices = {} }): Promise<Omit<ApplyResult, 'record'>> {
      const s = needAdmin(true);
      const base = conn.profile;
      // "Create it for me" never adopts a client id typed for some other app; it finds its own by name.
      const profile = mode === 'create' ? { ...base, clientId: conn.saved.registration?.method === 'created' ? (conn.saved.registration.appId ?? '') : '' } : base;
      const mailboxScope = mailboxScopeFor(conn.saved, mode, choices);
      const requireAssignment = mode === 'fix' && choices.requireAssignment === true;
      const desiredName = desiredFor(profile, { ids: ids(conn, profile), mailboxScope }).displayName;
      const failed = (diagnosis: Diagnosis, status: ApplyResult['status'] = 'failed'): Omit<ApplyResult, 'record'> => ({
        status,
        appId: conn.saved.registration?.appId ?? null,
        servicePrincipalId: conn.saved.registration?.servicePrincipalId ?? null,
        tenantId: s.tenantId,
        displayName: desiredName,
        applied: [],
        notDone: [],
        findings: [],
        manualSteps: [],
        diagnosis,
      });
      try {
        // Created for this connection, the app found by name may be one an earlier connection made (same
        // system, same tenant): its secrets' Values are not ours to read, so this connection gets its own.
        const needSecret = mode === 'create' && (await lacksSecret(vaultKey));
        const expectExisting = mode === 'create' && !!profile.clientId;
        // Planned once, here: the plan checked against the one shown, asked about, and applied is this one.
        const report = await planFor(s, profile, { signal, expectExisting, needSecret, desired: { mailboxScope }, requireAssignment });
        if (planDigest(mode, report.desired, { requireAssignment }) !== expectedDigest) {
          throw new AppError('registration-plan-changed', 'The connection changed after its plan was shown, so nothing was changed in the tenant. Look at the plan again and confirm it.');
        }
        if (report.plan.steps.length && !(await confirm(registrationQuestion({ mode, desired: report.desired, steps: report.plan.steps, tenant: s.tenantId, admin: s.account })))) {
          throw new AppError('registration-declined', 'You declined the changes. Nothing was changed in the tenant.');
        }
        beforeWrite();
        const r = await registerRegistration(s, profile, { vault: ports.vault, vaultKey, signal, onProgress, expectExisting, needSecret, plan: report, desired: { mailboxScope }, requireAssignment });
        const diagnosisOf = (code: DiagnosisCode, message: string) => diagnoseRegistrationError({ hint: code }, profile, { message });
        const notDone = r.notDone.map((n) => ({ summary: n.step.summary, code: n.code, diagnosis: diagnosisOf(n.code, `${n.step.summary}: ${n.message}`) }));
        // The person pressed Cancel: whatever the engine made of the interrupted wait, it was a cancel.
        const cancelled = (signal.aborted && notDone.length > 0) || (notDone.length > 0 && notDone.every((n) => n.code === 'registration-cancelled' || n.code === 'registration-step-not-attempted') && notDone.some((n) => n.code === 'registration-cancelled'));
        // Done = every change made AND the read-back lint finds no error (a plan may leave out what policy forbids).
        const clean = !r.findings.some((f) => f.severity === 'error');
        const status: ApplyResult['status'] = cancelled ? 'cancelled' : notDone.length === 0 && clean ? 'done' : r.applied.length > 0 || r.appId ? 'partial' : 'failed';
        const first = cancelled ? undefined : notDone.find((n) => n.code !== 'registration-cancelled' && n.code !== 'registration-step-not-attempted');
        return {
          status,
          appId: r.appId,
          servicePrincipalId: r.servicePrincipalId,
          tenantId: r.tenantId,
          displayName: r.desired.displayName,
          ...(r.secret ? { secret: { keyId: r.secret.keyId, hint: r.secret.hint, endDateTime: r.secret.endDateTime } } : {}),
          applied: r.applied.map((x) => x.summary),
          notDone: cancelled ? [] : notDone.filter((n) => n.code !== 'registration-cancelled').map(({ summary, diagnosis }) => ({ summary, diagnosis })),
          // Not read back (cancelled, or stopped before): no lint to show, and never "no app" for the app just made.
          findings: cancelled ? [] : r.findings.filter((f) => !(r.appId && f.code === 'registration-app-missing')).map((f) => findingView(profile, f)),
          manualSteps: r.manualSteps,
          reach: mailReach(r.desired),
          mailboxScope: r.desired.mailboxScope ?? 'tenant',
          ...(first ? { diagnosis: first.diagnosis } : {}),
        };
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (signal.aborted || isAbort(error)) return failed(diagnoseRegistrationError({ hint: 'registration-cancelled' }, profile, { message: 'stopped before the registration was read' }), 'cancelled');
        return failed(diagnoseRegistrationError(error, profile));
      }
    },

    async removeCreated(conn, { appId, displayName, confirm }) {
      const s = needAdmin(true);
      if (!(await confirm(removeCreatedQuestion({ appId, displayName, tenant: s.tenantId, admin: s.account })))) return null;
      try {
        return await removeCreated(s, { appId, displayName });
      } catch (error) {
        if (error instanceof RemoveRefused) throw new AppError('registration-remove-refused', error.message);
        const d = diagnoseRegistrationError(error, conn.profile);
        throw new AppError(d.code, `${d.title}. ${d.cause}`);
      }
    },

    script(conn, kind, seal) {
      const profile = conn.profile;
      // The script an administrator runs instead of Create it for me: scoped by default, as the app's own plan.
      const desired = desiredFor(profile, { ids: ids(conn, profile), mailboxScope: mailboxScopeFor(conn.saved, 'create') });
      const content = registrationScript(desired, kind, seal ? { seal } : {});
      return { filename: `register-${profile.target}.${kind === 'powershell' ? 'ps1' : 'sh'}`, content };
    },

    scriptScope(conn) {
      return desiredFor(conn.profile, { ids: ids(conn, conn.profile), mailboxScope: mailboxScopeFor(conn.saved, 'create') }).mailboxScope === 'exchange-rbac' ? 'exchange-rbac' : 'tenant';
    },

    async renewStart(conn, { vaultKey, months, prove, onAdded }) {
      const s = needAdmin(true);
      const profile: Profile = { ...conn.profile, clientSecret: { source: 'vault', key: vaultKey } };
      return renewStart(s.graph, profile, { vault: ports.vault, prove, ...(months ? { months } : {}), onAdded });
    },

    async renewFinish(conn, { vaultKey, confirmed }) {
      const s = needAdmin(true);
      const profile: Profile = { ...conn.profile, clientSecret: { source: 'vault', key: vaultKey } };
      return renewFinish(s.graph, profile, { vault: ports.vault, confirmed });
    },

    manualSteps(conn) {
      const profile = conn.profile;
      return desiredFor(profile, { ids: ids(conn, profile), mailboxScope: mailboxScopeFor(conn.saved, 'fix') }).manualSteps;
    },
  };
}
