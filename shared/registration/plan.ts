/**
 * planRegistration(desired, actual): the changes that make the tenant's registration what the target
 * needs, each described in plain words before anything is written (issue 9 section 4, pure half).
 * Create from nothing, or fix what diffRegistration reports as fixable; an empty plan when nothing
 * differs (running it twice changes nothing). Never removes a secret, a permission or a grant by
 * itself; an expired or expiring secret gets a new one next to it.
 */
import { ACCOUNT_TYPES } from '../catalogue/account-types';
import { accessType, analyzeRegistration, fixedRequiredResourceAccess, resolvePermissionId, resourceName, type Analysis } from './analyze';
import { findingsOf } from './diff';
import type { DiagnosisCode } from '../diagnosis/types';
import type { ActualRegistration, DesiredRegistration, GraphRequiredResourceAccess, PlanStep, Platform, RegistrationPlan } from './types';

export interface PlanOptions {
  now?: Date;
  /** The profile signs in with a device code: public client flows must be on. */
  deviceCode?: boolean;
  /**
   * This connection holds no secret Value (the assistant's store is empty for it): an app whose
   * secrets are all valid still needs one more, because a Value can never be read back from Graph.
   */
  needSecret?: boolean;
  /**
   * Turn "Assignment required?" on for an existing app (issue 19: never silently). Off by default: the
   * fix path assigns the mailbox as the guide says but leaves the switch alone; when asked, the plan also
   * assigns everyone the directory shows signing in to the app today, so no one is locked out.
   */
  requireAssignment?: boolean;
}

const q = (s: string): string => `“${s}”`;
const list = (xs: string[]): string => xs.join(', ');
const PLATFORM_WORDS: Record<Platform, string> = { web: 'Web', publicClient: 'Mobile and desktop', spa: 'Single-page application' };

/** requiredResourceAccess with every desired permission, ids resolved from the tenant's resource SPs. */
export function requiredResourceAccessFor(desired: DesiredRegistration, actual: Pick<ActualRegistration, 'resources'>): GraphRequiredResourceAccess[] {
  const out: GraphRequiredResourceAccess[] = [];
  for (const p of desired.permissions) {
    const type = accessType(p);
    const id = resolvePermissionId(actual, p.resourceAppId, p.name, type);
    if (!id) continue;
    let r = out.find((x) => x.resourceAppId === p.resourceAppId);
    if (!r) out.push((r = { resourceAppId: p.resourceAppId, resourceAccess: [] }));
    if (!r.resourceAccess.some((x) => x.id === id)) r.resourceAccess.push({ id, type });
  }
  return out;
}

/** The POST /applications body (REGISTRATION-FACTS 2.2). No secret: addPassword comes after. */
export function applicationBody(desired: DesiredRegistration, actual: Pick<ActualRegistration, 'resources'>): Record<string, unknown> {
  const body: Record<string, unknown> = { displayName: desired.displayName, signInAudience: desired.signInAudience };
  if (desired.requestedAccessTokenVersion === 2) body.api = { requestedAccessTokenVersion: 2 };
  if (desired.isFallbackPublicClient) body.isFallbackPublicClient = true;
  const ig = desired.implicitGrant;
  if (desired.redirectUris.web.length || ig.accessTokens || ig.idTokens)
    body.web = { redirectUris: [...desired.redirectUris.web], implicitGrantSettings: { enableAccessTokenIssuance: ig.accessTokens, enableIdTokenIssuance: ig.idTokens } };
  if (desired.redirectUris.publicClient.length) body.publicClient = { redirectUris: [...desired.redirectUris.publicClient] };
  if (desired.redirectUris.spa.length) body.spa = { redirectUris: [...desired.redirectUris.spa] };
  body.requiredResourceAccess = requiredResourceAccessFor(desired, actual);
  return body;
}

function delegatedByResource(desired: DesiredRegistration): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of desired.permissions) if (p.type === 'delegated') m.set(p.resourceAppId, [...(m.get(p.resourceAppId) ?? []), p.name]);
  return m;
}

function consentSteps(desired: DesiredRegistration, actual: ActualRegistration, a: Analysis | null): PlanStep[] {
  const steps: PlanStep[] = [];
  if (desired.consent.delegated)
    for (const [resourceAppId, names] of delegatedByResource(desired)) {
      const res = actual.resources[resourceAppId];
      if (!res) continue;
      const existing = a?.grants[resourceAppId];
      const have = existing?.scopes ?? [];
      const added = names.filter((n) => !have.includes(n));
      if (added.length === 0) continue;
      steps.push({
        kind: 'grant-delegated',
        resourceAppId,
        scopes: [...have, ...added],
        added,
        resourceId: res.id,
        ...(existing ? { grantId: existing.id } : {}),
        summary: `Grant admin consent for ${list(added)} (${resourceName(resourceAppId)}, delegated, for everyone in the organisation)`,
      });
    }
  if (desired.consent.application) {
    const missing = a ? new Set(a.consentMissing.filter((c) => c.type === 'Role').flatMap((c) => c.names.map((n) => `${c.resourceAppId}|${n}`))) : null;
    for (const p of desired.permissions) {
      if (p.type !== 'application') continue;
      const res = actual.resources[p.resourceAppId];
      const appRoleId = resolvePermissionId(actual, p.resourceAppId, p.name, 'Role');
      if (!res || !appRoleId) continue;
      if (missing && !missing.has(`${p.resourceAppId}|${p.name}`)) continue;
      steps.push({
        kind: 'assign-app-role',
        resourceAppId: p.resourceAppId,
        role: p.name,
        appRoleId,
        resourceId: res.id,
        summary: `Grant admin consent for the application permission ${p.name} (${p.resource})`,
      });
    }
  }
  return steps;
}

/**
 * `assign`: create path (assign by UPN), or fix path (only when the mailbox user was found and is not assigned).
 * `require`: turn "Assignment required?" on (a new app: no one signs in yet; an existing one: only when asked),
 * assigning `others` (those who sign in today) first so that no one is locked out.
 */
function assignSteps(desired: DesiredRegistration, actual: ActualRegistration, spRequires: boolean, assign: boolean, require: boolean, others: string[] = []): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const principalId of others)
    steps.push({ kind: 'assign-user', userPrincipalName: principalId, principalId, summary: `Assign the user ${principalId} (who signs in to this app today) to the enterprise application, so that requiring assignment does not lock them out` });
  if (assign && desired.assignment.assignMailbox && desired.mailbox && actual.mailboxUserId !== null)
    steps.push({
      kind: 'assign-user',
      userPrincipalName: desired.mailbox,
      ...(actual.mailboxUserId ? { principalId: actual.mailboxUserId } : {}),
      summary: `Assign ${desired.mailbox} to the enterprise application (Users and groups)`,
    });
  // Last, once everyone who uses the app is assigned: no moment in which one of them is locked out.
  if (require && desired.assignment.required && !spRequires)
    steps.push({ kind: 'patch-service-principal', patch: { appRoleAssignmentRequired: true }, summary: 'Require assignment on the enterprise application (only assigned users may sign in)' });
  return steps;
}

function passwordStep(desired: DesiredRegistration, lifetimeMonths: number, why: string): PlanStep[] {
  if (desired.credential.kind !== 'secret') return [];
  return [
    {
      kind: 'add-password',
      displayName: desired.credential.displayName,
      lifetimeMonths,
      summary: `${why} “${desired.credential.displayName}” valid for ${lifetimeMonths} months (its Value goes straight into the protected store)`,
    },
  ];
}

export function planRegistration(desired: DesiredRegistration, actual: ActualRegistration, opts: PlanOptions = {}): RegistrationPlan {
  const a = analyzeRegistration(desired, actual, { now: opts.now, deviceCode: opts.deviceCode });
  const unfixable = findingsOf(desired, actual, a, { deviceCode: opts.deviceCode }).filter((f) => !f.fixable);
  const steps: PlanStep[] = [];
  const secrets = a.secrets;
  const lifetime = secrets?.lifetimeMonths ?? (desired.credential.kind === 'secret' ? desired.credential.lifetimeMonths : 0);
  // A missing input (a redirect still `<...>`): nothing is written until the profile is complete.
  if (a.incomplete.length > 0) return { steps, unfixable, manualSteps: desired.manualSteps };

  if (a.appMissing) {
    steps.push({ kind: 'create-application', body: applicationBody(desired, actual), summary: `Create the app registration ${q(desired.displayName)} (${ACCOUNT_TYPES[desired.audience].short})` });
    steps.push({ kind: 'create-service-principal', summary: `Create its enterprise application (service principal)` });
    if (!secrets?.blocked) steps.push(...passwordStep(desired, lifetime, 'Create the client secret'));
    steps.push(...consentSteps(desired, actual, null));
    steps.push(...assignSteps(desired, actual, false, true, true));
    return { steps, unfixable, manualSteps: desired.manualSteps };
  }

  const app = actual.application!;
  const patch: Record<string, unknown> = {};
  const fixes: DiagnosisCode[] = [];
  const said: string[] = [];
  if (a.redirects.length > 0 && a.fixedRedirects) {
    const fixed = a.fixedRedirects;
    const touched = new Set<Platform>();
    for (const r of a.redirects) {
      touched.add(r.platform);
      if (r.found) touched.add(r.found.platform);
      said.push(r.found && r.found.uri !== r.uri ? `replace redirect URI ${r.found.uri} with ${r.uri}` : r.found ? `move redirect URI ${r.uri} to ${PLATFORM_WORDS[r.platform]}` : `add redirect URI ${r.uri} (${PLATFORM_WORDS[r.platform]})`);
    }
    if (touched.has('web')) patch.web = webPatch(desired, app, fixed.web, a.implicitGrantOff);
    if (touched.has('publicClient')) patch.publicClient = { redirectUris: fixed.publicClient };
    if (touched.has('spa')) patch.spa = { redirectUris: fixed.spa };
    fixes.push(
      ...a.redirects.map((r): DiagnosisCode =>
        r.kind === 'missing' ? 'registration-redirect-missing' : r.kind === 'wrong-platform' ? 'registration-redirect-wrong-platform' : (`registration-redirect-differs-${r.difference!}` as DiagnosisCode),
      ),
    );
  }
  if (a.implicitGrantOff) {
    patch.web = webPatch(desired, app, (patch.web as { redirectUris?: string[] } | undefined)?.redirectUris ?? app.web?.redirectUris ?? [], true);
    said.push('turn on implicit grant access and ID tokens');
    fixes.push('registration-implicit-grant-off');
  }
  if (a.audience) {
    patch.signInAudience = desired.signInAudience;
    said.push(`accept ${ACCOUNT_TYPES[desired.audience].short}`);
    fixes.push(a.audience.kind === 'single-tenant' ? 'registration-audience-single-tenant' : a.audience.kind === 'no-personal' ? 'registration-audience-no-personal' : 'registration-audience-mismatch');
  }
  if (a.tokenVersionMissing) {
    // Sent together with the audience: Graph refuses a personal audience without v2 tokens.
    patch.api = { requestedAccessTokenVersion: 2 };
    said.push('ask for version 2 access tokens');
    fixes.push('registration-token-version-missing');
  }
  if (a.publicClientOff && (desired.isFallbackPublicClient || opts.deviceCode)) {
    patch.isFallbackPublicClient = true;
    said.push('allow public client flows');
    fixes.push('registration-public-client-off');
  }
  const permFixes = a.permissions.filter((p) => !p.unresolvable);
  if (permFixes.length > 0 || a.consentNotDeclared.length > 0) {
    patch.requiredResourceAccess = fixedRequiredResourceAccess(actual, a);
    for (const p of permFixes) {
      said.push(p.kind === 'missing' ? `add permission ${p.permission.name} (${p.permission.resource}, ${p.permission.type})` : `replace ${p.permission.name} (${resourceName(p.found!.resourceAppId)}, ${p.found!.type === 'Scope' ? 'delegated' : 'application'}) with ${p.permission.name} (${p.permission.resource}, ${p.permission.type})`);
      fixes.push(p.kind === 'missing' ? 'registration-permission-missing' : p.kind === 'wrong-type' ? 'registration-permission-wrong-type' : 'registration-permission-wrong-resource');
    }
    for (const p of a.consentNotDeclared) {
      said.push(`list the granted ${p.name} (${p.resource}, ${p.type}) under configured permissions`);
      fixes.push('registration-consent-not-declared');
    }
  }
  if (Object.keys(patch).length > 0) steps.push({ kind: 'patch-application', patch, fixes: [...new Set(fixes)], summary: `Change the app registration ${q(desired.displayName)}: ${said.join('; ')}` });

  if (a.servicePrincipalMissing) steps.push({ kind: 'create-service-principal', summary: `Create the enterprise application (service principal) of ${q(desired.displayName)}` });
  if (secrets?.needsNew && !secrets.blocked) {
    const why = secrets.needsNew === 'none' ? 'Create a client secret' : secrets.needsNew === 'expired' ? 'Add a new client secret (the old ones have expired; they are kept until you remove them)' : 'Add a new client secret before the current one expires (the current one is kept)';
    steps.push(...passwordStep(desired, lifetime, why));
  } else if (opts.needSecret && !secrets?.blocked) {
    steps.push(...passwordStep(desired, lifetime, 'Add a client secret for this connection (the existing ones are kept; their Values cannot be read back)'));
  }
  steps.push(...consentSteps(desired, actual, a.servicePrincipalMissing ? null : a));
  const sp = actual.servicePrincipal;
  const assign = a.servicePrincipalMissing ? !!actual.mailboxUserId : a.mailboxNotAssigned || (!!actual.mailboxUserId && desired.assignment.assignMailbox && !assigned(actual));
  // A new enterprise application (no one signs in to it yet) follows the guide; an existing one keeps its
  // "Assignment required?" unless the person opted in, and then everyone who signs in today is assigned too.
  const require = a.servicePrincipalMissing || opts.requireAssignment === true;
  steps.push(...assignSteps(desired, actual, sp?.appRoleAssignmentRequired === true, assign, require, require && !a.servicePrincipalMissing ? a.lockedOutIfRequired.principalIds : []));
  return { steps, unfixable, manualSteps: desired.manualSteps };
}

function assigned(actual: ActualRegistration): boolean {
  const sp = actual.servicePrincipal;
  return !!sp && !!actual.mailboxUserId && actual.assignedTo.some((x) => x.principalId === actual.mailboxUserId && x.resourceId === sp.id);
}

function webPatch(desired: DesiredRegistration, app: NonNullable<ActualRegistration['application']>, redirectUris: string[], implicit: boolean): Record<string, unknown> {
  // PATCH replaces the whole `web` value: send the implicit grant settings with the redirect URIs.
  const ig = app.web?.implicitGrantSettings ?? {};
  return {
    redirectUris,
    implicitGrantSettings: {
      enableAccessTokenIssuance: implicit ? desired.implicitGrant.accessTokens || !!ig.enableAccessTokenIssuance : !!ig.enableAccessTokenIssuance,
      enableIdTokenIssuance: implicit ? desired.implicitGrant.idTokens || !!ig.enableIdTokenIssuance : !!ig.enableIdTokenIssuance,
    },
  };
}
