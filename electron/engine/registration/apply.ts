/**
 * Executes a registration plan (PlanStep[]) in order through Graph (REGISTRATION-FACTS.md 2.1-2.8):
 * create the application, its service principal, a client secret, the delegated grant (409 → PATCH the
 * existing grant's scope), application role assignments, the SP patch ("assignment required") and the
 * mailbox user's assignment. Replication lag after a create is retried inside one time budget and
 * streamed as progress. The new secret's text goes straight into the SecretVault and nowhere else.
 * Failures are recorded with a diagnosis code; steps that depend on a failed one are not attempted.
 */
import type { DiagnosisCode } from '../../../shared/diagnosis/types';
import { RESOURCES } from '../../../shared/catalogue/permissions';
import type { ActualRegistration, PlanStep, RegistrationPlan, RegistrationProgress } from '../../../shared/registration/types';
import type { SecretVault } from '../ports';
import { Budget, BudgetExhausted, GraphError, odataString, retryReplication, type GraphClient } from './graph';
import { DEFAULT_APP_ROLE_ID, findUserId, readResources } from './read';
import { graphErrorCode } from './errors';

export interface ApplyOptions {
  vault: SecretVault;
  /** Where the new secret's text goes; default `registration:<appId>:<keyId>`. `{appId}` / `{keyId}` are filled in. */
  vaultKey?: string;
  onProgress?: (p: RegistrationProgress) => void;
  signal?: AbortSignal;
  /** Time budget for every wait (replication lag, throttling) of this apply. Default 180 s. */
  budgetMs?: number;
  /** The actual registration the plan was computed against (ids of app, SP, resources, grants). */
  actual?: ActualRegistration;
  /**
   * On CredentialInvalidLifetimeAsPerAppPolicy, retry once with the policy's maximum lifetime (read from
   * defaultAppManagementPolicy, or from the error text). Default false: the caller is told and decides.
   */
  allowShorterLifetime?: boolean;
  /** For the Clock port (tests). */
  budget?: Budget;
}

export interface ApplyState {
  appId: string | null;
  applicationObjectId: string | null;
  servicePrincipalId: string | null;
  secret?: { keyId: string; hint: string; endDateTime: string; vaultKey: string };
  /** What was created in this apply (for the replication-timeout diagnosis). */
  created: string[];
}

export interface ApplyResult {
  state: ApplyState;
  applied: PlanStep[];
  notDone: Array<{ step: PlanStep; code: DiagnosisCode; message: string }>;
}

interface AddPasswordResult {
  keyId: string;
  hint?: string;
  endDateTime: string;
  secretText?: string;
}

/** Months → end date, from now. */
export function endDateFor(months: number, now: Date): Date {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** ISO 8601 duration (P90D, P1Y, P6M, P2W, PT12H) → milliseconds; null when unreadable. */
export function parseIsoDuration(s: string | null | undefined): number | null {
  if (!s) return null;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, w, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  return ((((y! * 365 + mo! * 30 + w! * 7 + d!) * 24 + h!) * 60 + mi!) * 60 + se!) * 1000;
}

const DEPENDS_ON_APP: PlanStep['kind'][] = ['patch-application', 'create-service-principal', 'add-password', 'remove-password', 'grant-delegated', 'assign-app-role', 'patch-service-principal', 'assign-user'];
const DEPENDS_ON_SP: PlanStep['kind'][] = ['grant-delegated', 'assign-app-role', 'patch-service-principal', 'assign-user'];

export async function applyPlan(graph: GraphClient, plan: RegistrationPlan | PlanStep[], o: ApplyOptions): Promise<ApplyResult> {
  const steps = Array.isArray(plan) ? plan : plan.steps;
  const g = graph.withSignal(o.signal ?? graph.signal);
  const budget = o.budget ?? new Budget(o.budgetMs ?? 180_000, graph.clock, o.signal);
  const actual = o.actual;
  const state: ApplyState = {
    appId: actual?.application?.appId ?? null,
    applicationObjectId: actual?.application?.id ?? null,
    servicePrincipalId: actual?.servicePrincipal?.id ?? null,
    created: [],
  };
  let resources = actual?.resources ?? {};
  const applied: PlanStep[] = [];
  const notDone: ApplyResult['notDone'] = [];
  let stepIndex = 0;
  const emit = (message: string, s: RegistrationProgress['state'], waitedSeconds?: number) => o.onProgress?.({ stepIndex, stepCount: steps.length, message, state: s, ...(waitedSeconds !== undefined ? { waitedSeconds } : {}) });
  // One running total of the seconds waited per step, reported as "…, 12 s".
  let stepWaitStart = 0;
  const onWait = (what: string) => (info: { reason: 'replication' | 'throttled'; nextMs: number }) => {
    const waited = Math.round((budget.waitedMs - stepWaitStart + info.nextMs) / 1000);
    emit(info.reason === 'replication' ? `Waiting for Microsoft Entra to replicate ${what}, ${waited} s` : `Microsoft Graph asked to slow down; waiting ${Math.round(info.nextMs / 1000)} s`, 'waiting', waited);
  };
  const retry = <T>(what: string, fn: () => Promise<T>) => retryReplication(fn, { budget, onWait: onWait(what) });
  const req = { budget, onWait: onWait('the change') };

  const resourceSp = async (resourceAppId: string) => {
    if (!resources[resourceAppId]) resources = { ...resources, ...(await readResources(g)) };
    const r = resources[resourceAppId];
    if (!r) throw new GraphError({ status: 404, code: 'Request_ResourceNotFound', message: `The resource service principal ${resourceAppId} was not found in this tenant`, method: 'GET', path: '/servicePrincipals' });
    return r;
  };

  let failedApp = false;
  let failedSp = false;
  for (const [i, step] of steps.entries()) {
    stepIndex = i;
    if (o.signal?.aborted) {
      notDone.push(...steps.slice(i).map((s) => ({ step: s, code: 'registration-cancelled' as DiagnosisCode, message: 'cancelled before this change' })));
      break;
    }
    if ((failedApp && DEPENDS_ON_APP.includes(step.kind)) || (failedSp && DEPENDS_ON_SP.includes(step.kind))) {
      notDone.push({ step, code: 'registration-step-not-attempted', message: `not attempted: ${failedApp ? 'the app registration' : 'the enterprise application'} was not created` });
      continue;
    }
    emit(step.summary, 'running');
    stepWaitStart = budget.waitedMs;
    try {
      await runStep(step);
      applied.push(step);
      emit(step.summary, 'done');
    } catch (e) {
      const code = codeOf(e, step);
      notDone.push({ step, code, message: describeFailure(e, step, state, steps.slice(i)) });
      emit(`${step.summary}: failed`, 'failed');
      if (step.kind === 'create-application') failedApp = true;
      if (step.kind === 'create-service-principal') failedSp = true;
      if (code === 'registration-cancelled') {
        notDone.push(...steps.slice(i + 1).map((s) => ({ step: s, code: 'registration-cancelled' as DiagnosisCode, message: 'cancelled before this change' })));
        break;
      }
      if (e instanceof BudgetExhausted) {
        // The time budget is spent: no further call could succeed in it.
        notDone.push(...steps.slice(i + 1).map((s) => ({ step: s, code: 'registration-step-not-attempted' as DiagnosisCode, message: `not attempted: the time budget was used up waiting for Microsoft ${e.reason === 'replication' ? 'Entra to replicate' : 'Graph (throttling)'}` })));
        break;
      }
    }
  }
  return { state, applied, notDone };

  async function runStep(step: PlanStep): Promise<void> {
    const appPath = () => {
      if (!state.applicationObjectId) throw new GraphError({ status: 404, code: 'Request_ResourceNotFound', message: 'no application to change', method: 'PATCH', path: '/applications' });
      return `/applications/${state.applicationObjectId}`;
    };
    const spId = () => {
      if (!state.servicePrincipalId) throw new GraphError({ status: 404, code: 'Request_ResourceNotFound', message: 'no service principal', method: 'POST', path: '/servicePrincipals' });
      return state.servicePrincipalId;
    };
    switch (step.kind) {
      case 'create-application': {
        // Idempotent: an app with this display name created by an earlier, interrupted run is reused.
        const name = typeof step.body.displayName === 'string' ? step.body.displayName : undefined;
        if (name && !state.applicationObjectId) {
          const found = await g.list<{ id: string; appId: string }>(`/applications?$filter=${encodeURIComponent(`displayName eq ${odataString(name)}`)}&$select=id,appId`, req);
          if (found[0]) {
            state.applicationObjectId = found[0].id;
            state.appId = found[0].appId;
            await retry('the app', () => g.patch(`/applications/${found[0]!.id}`, bodyForPatch(step.body), req));
            return;
          }
        }
        const app = await g.post<{ id: string; appId: string }>('/applications', step.body, req);
        state.applicationObjectId = app.id;
        state.appId = app.appId;
        state.created.push(`app registration ${app.appId}`);
        return;
      }
      case 'patch-application':
        await retry('the app', () => g.patch(appPath(), step.patch, req));
        return;
      case 'create-service-principal': {
        const appId = state.appId!;
        const sp = await retry('the new app', async () => {
          try {
            return await g.post<{ id: string }>('/servicePrincipals', { appId }, req);
          } catch (e) {
            // Already there (an earlier run): use it.
            if (e instanceof GraphError && (e.status === 409 || /already exists|ObjectConflict|MultipleObjectsWithSameKeyValue/i.test(e.code + e.graphMessage))) {
              const existing = await g.getOrNull<{ id: string }>(`/servicePrincipals(appId=${odataString(appId)})?$select=id`, req);
              if (existing) return existing;
            }
            throw e;
          }
        });
        state.servicePrincipalId = sp.id;
        state.created.push(`enterprise application ${sp.id}`);
        return;
      }
      case 'add-password': {
        const now = budget.clock.now();
        let end = endDateFor(step.lifetimeMonths, now);
        const add = () => retry('the app', () => g.post<AddPasswordResult>(`${appPath()}/addPassword`, { passwordCredential: { displayName: step.displayName, endDateTime: end.toISOString() } }, req));
        let r: AddPasswordResult;
        try {
          r = await add();
        } catch (e) {
          const max = e instanceof GraphError && e.code === 'CredentialInvalidLifetimeAsPerAppPolicy' ? maxLifetimeMs(e) : null;
          if (!o.allowShorterLifetime || max === null) throw e;
          end = new Date(now.getTime() + max - 60_000);
          r = await add();
        }
        const secretText = r.secretText;
        delete r.secretText;
        if (!secretText) throw new GraphError({ status: 500, code: 'NoSecretText', message: 'addPassword returned no secret text', method: 'POST', path: '/addPassword' });
        const key = (o.vaultKey ?? 'registration:{appId}:{keyId}').replace('{appId}', state.appId ?? '').replace('{keyId}', r.keyId);
        await o.vault.set(key, secretText);
        state.secret = { keyId: r.keyId, hint: r.hint ?? secretText.slice(0, 3), endDateTime: r.endDateTime, vaultKey: key };
        state.created.push(`client secret ${r.keyId}`);
        return;
      }
      case 'remove-password':
        await g.post(`${appPath()}/removePassword`, { keyId: step.keyId }, req);
        return;
      case 'grant-delegated': {
        const resourceId = step.resourceId ?? (await resourceSp(step.resourceAppId)).id;
        const scope = step.scopes.join(' ');
        const patchExisting = async (grantId?: string) => {
          const id =
            grantId ??
            (await g.list<{ id: string; resourceId: string; consentType: string }>(`/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq ${odataString(spId())}`)}`, req)).find((x) => x.resourceId === resourceId && x.consentType === 'AllPrincipals')?.id;
          if (!id) throw new GraphError({ status: 409, code: 'Request_MultipleObjectsWithSameKeyValue', message: 'Permission entry already exists, but it could not be read back', method: 'POST', path: '/oauth2PermissionGrants' });
          await g.patch(`/oauth2PermissionGrants/${id}`, { scope }, req);
        };
        const existing = step.grantId ?? actual?.delegatedGrants.find((x) => x.resourceId === resourceId && x.consentType === 'AllPrincipals' && x.clientId === state.servicePrincipalId)?.id;
        if (existing) return patchExisting(existing);
        await retry('the new enterprise application', async () => {
          try {
            await g.post('/oauth2PermissionGrants', { clientId: spId(), consentType: 'AllPrincipals', resourceId, scope }, req);
          } catch (e) {
            // One grant per (client, resource, principal): 409 → PATCH its scope (terraform-provider-azuread#690).
            if (e instanceof GraphError && e.status === 409) return patchExisting();
            throw e;
          }
        });
        state.created.push(`delegated grant on ${resourceName(step.resourceAppId)}`);
        return;
      }
      case 'assign-app-role': {
        const res = await resourceSp(step.resourceAppId);
        const appRoleId = step.appRoleId ?? res.appRoles.find((r) => r.value === step.role)?.id;
        if (!appRoleId) throw new GraphError({ status: 400, code: 'Request_BadRequest', message: `${resourceName(step.resourceAppId)} publishes no application permission named ${step.role}`, method: 'POST', path: '/appRoleAssignedTo' });
        await retry('the new enterprise application', async () => {
          try {
            await g.post(`/servicePrincipals/${step.resourceId ?? res.id}/appRoleAssignedTo`, { principalId: spId(), resourceId: step.resourceId ?? res.id, appRoleId }, req);
          } catch (e) {
            if (e instanceof GraphError && e.status === 409) return; // already assigned
            throw e;
          }
        });
        state.created.push(`application permission ${step.role} on ${resourceName(step.resourceAppId)}`);
        return;
      }
      case 'patch-service-principal':
        await retry('the new enterprise application', () => g.patch(`/servicePrincipals/${spId()}`, step.patch, req));
        return;
      case 'assign-user': {
        const principalId = step.principalId ?? (await findUserId(g, step.userPrincipalName));
        if (!principalId) throw new GraphError({ status: 404, code: 'Request_ResourceNotFound', message: `No user ${step.userPrincipalName} in this tenant`, method: 'GET', path: '/users' });
        await retry('the new enterprise application', async () => {
          try {
            await g.post(`/servicePrincipals/${spId()}/appRoleAssignedTo`, { principalId, resourceId: spId(), appRoleId: DEFAULT_APP_ROLE_ID }, req);
          } catch (e) {
            if (e instanceof GraphError && e.status === 409) return;
            throw e;
          }
        });
        state.created.push(`assignment of ${step.userPrincipalName}`);
        return;
      }
    }
  }

  function maxLifetimeMs(e: GraphError): number | null {
    return parseIsoDuration(actual?.appManagementPolicy?.maxPasswordLifetime) ?? parseIsoDuration(/\bP(?:\d+[YMWD])+(?:T[\dHMS]+)?\b/.exec(e.graphMessage)?.[0]);
  }
}

function bodyForPatch(body: Record<string, unknown>): Record<string, unknown> {
  const { displayName: _d, ...rest } = body;
  return rest;
}

export function resourceName(resourceAppId: string): string {
  return Object.entries(RESOURCES).find(([, id]) => id === resourceAppId)?.[0] ?? resourceAppId;
}

function codeOf(e: unknown, step: PlanStep): DiagnosisCode {
  if (e instanceof BudgetExhausted) return e.reason === 'replication' ? 'registration-replication-timeout' : 'registration-throttled';
  if ((e as { name?: string } | null)?.name === 'AbortError' || /aborted|cancelled/i.test(String((e as Error)?.message)) && !(e instanceof GraphError)) return 'registration-cancelled';
  return graphErrorCode(e, step);
}

/** Safe text for notDone: the Graph error (code, message, request id) plus what the step was doing. */
function describeFailure(e: unknown, step: PlanStep, state: ApplyState, rest: PlanStep[]): string {
  const what = `(while ${stepWords(step)})`;
  if (e instanceof BudgetExhausted) {
    const created = state.created.length ? state.created.join(', ') : 'nothing';
    const missing = rest.map((s) => s.summary).join('; ');
    return `${e.message} ${what}; created: ${created} | still missing: ${missing}`;
  }
  return `${e instanceof Error ? e.message : String(e)} ${what}`;
}

export function stepWords(step: PlanStep): string {
  switch (step.kind) {
    case 'create-application':
      return 'creating the app registration';
    case 'patch-application':
      return 'changing the app registration';
    case 'create-service-principal':
      return 'creating the enterprise application';
    case 'patch-service-principal':
      return 'changing the enterprise application';
    case 'add-password':
      return 'adding a client secret';
    case 'remove-password':
      return 'removing a client secret';
    case 'grant-delegated':
      return `granting admin consent for delegated ${resourceName(step.resourceAppId)} permissions ${step.scopes.join(' ')}`;
    case 'assign-app-role':
      return `granting the ${resourceName(step.resourceAppId)} application permission ${step.role}`;
    case 'assign-user':
      return `assigning ${step.userPrincipalName} to the enterprise application`;
  }
}
