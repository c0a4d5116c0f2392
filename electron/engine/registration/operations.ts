/**
 * The registration operations hosts call (wizard through electron/ipc, the CLI, tests, the bench):
 * lint (read + diff), plan (read + plan), register (read + plan + apply + read back + lint again).
 * Desired state, diff and plan are H2a's pure functions in shared/registration; this file only
 * reads, writes and verifies.
 */
import { getTarget } from '../../../shared/catalogue';
import type { DiagnosisCode } from '../../../shared/diagnosis/types';
import type { Profile } from '../../../shared/profile';
import { desiredRegistration, type DesiredOptions } from '../../../shared/registration/desired';
import { diffRegistration } from '../../../shared/registration/diff';
import { planRegistration } from '../../../shared/registration/plan';
import type { ActualRegistration, DesiredRegistration, PlanStep, RegistrationFinding, RegistrationOutcome, RegistrationPlan, RegistrationProgress } from '../../../shared/registration/types';
import type { SecretVault } from '../ports';
import type { AdminSession } from './admin-signin';
import { applyPlan } from './apply';
import { Budget, BudgetExhausted } from './graph';
import { readRegistration, readUserNames, type UserName } from './read';

export interface DesiredFor {
  /** Extra options for desiredRegistration (secret lifetime, display name, mailbox scope). */
  desired?: DesiredOptions;
}

/** The desired registration for a profile, with the ids known so far filled into the manual steps. */
export function desiredFor(profile: Profile, o: DesiredOptions = {}): DesiredRegistration {
  return desiredRegistration(getTarget(profile.target), profile, o);
}

export interface LintOptions extends DesiredFor {
  /** The secret Value the user typed: checked against the secrets' hints (no sign-in needed). */
  secretValue?: string;
  now?: Date;
  /** Client id to lint (default: the profile's). */
  clientId?: string;
  signal?: AbortSignal;
  /**
   * The client id is an app this assistant created (a resumed "Create it for me"): if Graph does not
   * show it yet, that is replication lag, not a missing app, so read again (bounded) instead of
   * planning a second app.
   */
  expectExisting?: boolean;
  /** This connection has no secret Value stored: plan one even if the app's secrets are valid. */
  needSecret?: boolean;
  /** The person opted in to "Require assignment" (issue 19): the plan assigns who signs in today, then turns it on. */
  requireAssignment?: boolean;
}

/** Longest wait for an app we created to become visible again when resuming. */
export const RESUME_MAX_WAIT_MS = 60_000;

export interface LintReport {
  desired: DesiredRegistration;
  actual: ActualRegistration;
  findings: RegistrationFinding[];
}

function diffOpts(o: { secretValue?: string; now?: Date }) {
  return { now: o.now ?? new Date(), ...(o.secretValue !== undefined ? { secretValue: o.secretValue } : {}) };
}

/** Read-only: what is wrong with the registration of this profile's client id, for its target. */
export async function lintRegistration(session: AdminSession, profile: Profile, o: LintOptions = {}): Promise<LintReport> {
  const graph = session.graph.withSignal(o.signal);
  const clientId = o.clientId ?? profile.clientId;
  const actual = await readRegistration(graph, clientId, { tenantId: session.tenantId, mailbox: profile.mailbox });
  const desired = desiredFor(profile, { ...o.desired, ids: { appId: actual.application?.appId ?? null, servicePrincipalId: actual.servicePrincipal?.id ?? null, tenantId: session.tenantId } });
  return { desired, actual, findings: diffRegistration(desired, actual, diffOpts(o)) };
}

export interface PlanReport extends LintReport {
  plan: RegistrationPlan;
  /** Who signs in to the enterprise application today, by user id, named from Graph (the assignment opt-in). */
  people?: Record<string, UserName>;
}

/** The users the directory shows using this enterprise application today: their own consent, an assignment, the mailbox. */
export function peopleUsing(actual: ActualRegistration): string[] {
  const sp = actual.servicePrincipal;
  if (!sp) return [];
  const ids = [
    ...actual.delegatedGrants.filter((g) => g.clientId === sp.id && g.consentType === 'Principal' && g.principalId).map((g) => g.principalId!),
    ...actual.assignedTo.filter((x) => x.resourceId === sp.id && x.principalType !== 'Group').map((x) => x.principalId),
    ...(actual.mailboxUserId ? [actual.mailboxUserId] : []),
  ];
  return [...new Set(ids)];
}

/** Names instead of object ids: an "assign the user <id>" step says who, as Graph names them. */
function namedSteps(plan: RegistrationPlan, people: Record<string, UserName>): RegistrationPlan {
  return {
    ...plan,
    steps: plan.steps.map((s) => {
      const who = s.kind === 'assign-user' && s.principalId && s.userPrincipalName === s.principalId ? people[s.principalId] : undefined;
      return who && s.kind === 'assign-user' ? { ...s, userPrincipalName: who.userPrincipalName, summary: s.summary.replace(`the user ${s.principalId}`, `${who.displayName} (${who.userPrincipalName})`) } : s;
    }),
  };
}

/**
 * What `register` would change: reads by the profile's client id, else (creating) by the desired
 * display name, so an app created by an earlier run is found and not created twice.
 */
export async function planFor(session: AdminSession, profile: Profile, o: LintOptions = {}): Promise<PlanReport> {
  const graph = session.graph.withSignal(o.signal);
  const clientId = o.clientId ?? profile.clientId;
  const first = desiredFor(profile, { ...o.desired, ids: { tenantId: session.tenantId } });
  const read = () => readRegistration(graph, clientId, { tenantId: session.tenantId, mailbox: profile.mailbox, displayName: first.displayName });
  let actual = await read();
  if (o.expectExisting && clientId && !actual.application) {
    const clock = session.graph.clock;
    const until = clock.now().getTime() + RESUME_MAX_WAIT_MS;
    while (!actual.application && clock.now().getTime() < until) {
      await clock.sleep(2_000, o.signal);
      actual = await read();
    }
  }
  const desired = desiredFor(profile, { ...o.desired, ids: { appId: actual.application?.appId ?? null, servicePrincipalId: actual.servicePrincipal?.id ?? null, tenantId: session.tenantId } });
  const plan = planRegistration(desired, actual, planOpts(o));
  // The assignment opt-in names who signs in today (issue 19): only when it is offered (assignment listed, and off).
  const offered = desired.assignment.required && actual.servicePrincipal && actual.servicePrincipal.appRoleAssignmentRequired !== true;
  if (!offered) return { desired, actual, findings: diffRegistration(desired, actual, diffOpts(o)), plan };
  const people = await readUserNames(graph, peopleUsing(actual));
  return { desired, actual, findings: diffRegistration(desired, actual, diffOpts(o)), plan: namedSteps(plan, people), people };
}

function planOpts(o: LintOptions): { needSecret?: boolean; requireAssignment?: boolean } {
  return { ...(o.needSecret ? { needSecret: true } : {}), ...(o.requireAssignment ? { requireAssignment: true } : {}) };
}

export interface RegisterOptions extends LintOptions {
  vault: SecretVault;
  /** Vault key for the new secret (`{appId}` / `{keyId}` are filled in). Default `registration:{appId}:{keyId}`. */
  vaultKey?: string;
  onProgress?: (p: RegistrationProgress) => void;
  /** Time budget for waits (replication, throttling) of apply and read-back. Default 180 s. */
  budgetMs?: number;
  /** Retry a refused secret lifetime with the policy's maximum. */
  allowShorterLifetime?: boolean;
  /** A plan computed earlier (shown to the person) to apply instead of planning again. */
  plan?: PlanReport;
  /** Clock port (tests). */
  budget?: Budget;
}

export interface RegisterResult extends RegistrationOutcome {
  /** The plan that was applied. */
  plan: RegistrationPlan;
  /** The desired registration with the real ids (manual steps ready to copy). */
  desired: DesiredRegistration;
  /** The registration as read back after the changes. */
  actual: ActualRegistration;
}

/** Longest wait for the read-back to show the changes (on top of the replication waits of apply). */
export const VERIFY_MAX_WAIT_MS = 60_000;

/** A key that says which part of the registration a step changes (to verify it after read-back). */
function stepKey(s: PlanStep): string {
  switch (s.kind) {
    case 'grant-delegated':
      return `${s.kind}:${s.resourceAppId}`;
    case 'assign-app-role':
      return `${s.kind}:${s.resourceAppId}:${s.role}`;
    case 'assign-user':
      return `${s.kind}:${s.userPrincipalName.toLowerCase()}`;
    case 'remove-password':
      return `${s.kind}:${s.keyId}`;
    default:
      return s.kind;
  }
}

/**
 * Create or fix: plan, apply in order, read back (retrying while Entra replicates, inside the budget)
 * and lint again. Only what the read-back shows is reported as applied; a change the directory does
 * not show yet moves to `notDone` with its diagnosis. The new secret's text is only in the vault.
 */
export async function registerRegistration(session: AdminSession, profile: Profile, o: RegisterOptions): Promise<RegisterResult> {
  const graph = session.graph.withSignal(o.signal);
  const budget = o.budget ?? new Budget(o.budgetMs ?? 180_000, session.graph.clock, o.signal);
  const report = o.plan ?? (await planFor(session, profile, o));
  const steps = report.plan.steps;
  const result = await applyPlan(graph, report.plan, {
    vault: o.vault,
    actual: report.actual,
    budget,
    ...(o.vaultKey ? { vaultKey: o.vaultKey } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.allowShorterLifetime ? { allowShorterLifetime: true } : {}),
  });
  const { state } = result;
  const appId = state.appId ?? report.actual.application?.appId ?? null;
  const emit = (message: string, s: RegistrationProgress['state'], waitedSeconds?: number) => o.onProgress?.({ stepIndex: steps.length, stepCount: steps.length, message, state: s, ...(waitedSeconds !== undefined ? { waitedSeconds } : {}) });

  // Read back until every applied change shows (reads lag writes in Entra: REGISTRATION-FACTS 2.8).
  let actual = report.actual;
  let desired = report.desired;
  let unverified: PlanStep[] = [];
  const notDone = [...result.notDone];
  if (appId) {
    emit('Reading the registration back', 'running');
    const t0 = budget.waitedMs;
    let delay = 1000;
    for (;;) {
      // Cancelled: one read-only look without the signal, so what was made is still reported truthfully.
      const cancelled = !!o.signal?.aborted;
      try {
        actual = cancelled
          ? await readRegistration(session.graph.withSignal(undefined), appId, { tenantId: session.tenantId, mailbox: profile.mailbox })
          : await readRegistration(graph, appId, { tenantId: session.tenantId, mailbox: profile.mailbox, budget, onWait: ({ nextMs }) => emit(`Waiting for Microsoft Entra to show the changes, ${Math.round((budget.waitedMs - t0 + nextMs) / 1000)} s`, 'waiting', Math.round((budget.waitedMs - t0 + nextMs) / 1000)) });
      } catch (e) {
        if (!(e instanceof BudgetExhausted)) throw e;
      }
      desired = desiredFor(profile, { ...o.desired, ids: { appId, servicePrincipalId: actual.servicePrincipal?.id ?? state.servicePrincipalId, tenantId: session.tenantId } });
      const remaining = new Set(planRegistration(desired, actual, o.requireAssignment ? { requireAssignment: true } : {}).steps.map(stepKey));
      const keyIds = new Set((actual.application?.passwordCredentials ?? []).map((c) => c.keyId));
      unverified = result.applied.filter((s) =>
        s.kind === 'add-password' ? !!state.secret && !keyIds.has(state.secret.keyId) : s.kind === 'remove-password' ? keyIds.has(s.keyId) : remaining.has(stepKey(s)),
      );
      if (!unverified.length || cancelled) break;
      const next = Math.min(delay, 8000);
      // Reads lag writes by seconds; a change still not shown after a minute is reported, not waited for.
      if (next > budget.leftMs() || budget.waitedMs - t0 + next > VERIFY_MAX_WAIT_MS) break;
      const waited = Math.round((budget.waitedMs - t0 + next) / 1000);
      emit(`Waiting for Microsoft Entra to show the changes, ${waited} s`, 'waiting', waited);
      try {
        await budget.clock.sleep(next, o.signal);
      } catch {
        break;
      }
      budget.waitedMs += next;
      delay *= 2;
    }
  }
  const applied = result.applied.filter((s) => !unverified.includes(s));
  for (const s of unverified) notDone.push({ step: s, code: 'registration-replication-timeout' as DiagnosisCode, message: `made, but the directory did not show it when read back within the time budget; created: ${state.created.join(', ') || 'nothing'} | still missing: ${s.summary}` });
  const findings = diffRegistration(desired, actual, diffOpts(o));
  emit(notDone.length ? `Registration incomplete: ${notDone.length} change(s) not done` : 'Registration verified', notDone.length ? 'failed' : 'done');
  return {
    appId,
    applicationObjectId: state.applicationObjectId ?? actual.application?.id ?? null,
    servicePrincipalId: actual.servicePrincipal?.id ?? state.servicePrincipalId ?? null,
    tenantId: session.tenantId,
    ...(state.secret ? { secret: state.secret } : {}),
    applied,
    notDone,
    findings,
    manualSteps: desired.manualSteps,
    plan: report.plan,
    desired,
    actual,
  };
}
