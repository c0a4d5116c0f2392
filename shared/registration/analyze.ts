/**
 * Desired vs actual, compared once (issue 9 section 3). diffRegistration turns this analysis into
 * findings and planRegistration into changes, so the plan fixes exactly what the lint reports.
 *
 * Permission ids are resolved to names through the tenant's resource service principals
 * (actual.resources); the catalogue's well-known ids are used only to NAME an id when the tenant's
 * resource could not be read, never to write one.
 */
import { PERMISSIONS, RESOURCES } from '../catalogue/permissions';
import type {
  ActualRegistration,
  DesiredPermission,
  DesiredRegistration,
  GraphRequiredResourceAccess,
  GraphResourceServicePrincipal,
  Platform,
  SignInAudience,
} from './types';

export const SECRET_WARNING_DAYS = 30;
const DAY = 86_400_000;

export type AccessType = 'Scope' | 'Role';
export const accessType = (p: Pick<DesiredPermission, 'type'>): AccessType => (p.type === 'delegated' ? 'Scope' : 'Role');

export const resourceName = (appId: string): string =>
  (Object.entries(RESOURCES).find(([, id]) => id === appId)?.[0] as string | undefined) ?? `the API ${appId}`;

export interface DeclaredPermission {
  resourceAppId: string;
  id: string;
  type: AccessType;
  /** Resolved name, or null when it could not be resolved. */
  name: string | null;
}

export type RedirectDifference = 'case' | 'scheme' | 'port' | 'trailing-slash';

export interface RedirectIssue {
  uri: string;
  platform: Platform;
  kind: 'missing' | 'wrong-platform' | 'differs';
  /** Where the near-miss (or the same URI on another platform) is registered. */
  found?: { uri: string; platform: Platform };
  difference?: RedirectDifference;
}

export interface PermissionIssue {
  permission: DesiredPermission;
  kind: 'missing' | 'wrong-type' | 'wrong-resource';
  /** The declared entry that should be replaced (wrong type or resource). */
  found?: DeclaredPermission;
  /** The tenant's resource SP is missing or publishes no such permission: no id to write. */
  unresolvable: boolean;
}

export interface SecretState {
  /** Secrets with an end date in the future (or none), sorted latest end first. */
  valid: Array<{ keyId: string; hint: string | null; end: Date | null }>;
  expired: Array<{ keyId: string; hint: string | null; end: Date }>;
  /** The secret that lasts longest (what the plan judges). */
  current: { keyId: string; hint: string | null; end: Date | null } | null;
  /** Days until `current` ends (null when it never ends). */
  daysLeft: number | null;
  /** The valid secret the typed value matches by its hint, when it is not `current`, and its days left. */
  typed: { keyId: string; end: Date | null; daysLeft: number | null } | null;
  needsNew: 'none' | 'expired' | 'expiring' | null;
  /** Lifetime a new secret gets: the desired one, capped by the tenant policy. */
  lifetimeMonths: number;
  capped: boolean;
  blocked: boolean;
}

export interface Analysis {
  /** Desired values still holding a `<placeholder>` (a missing input): nothing can be created or fixed. */
  incomplete: string[];
  appMissing: boolean;
  redirects: RedirectIssue[];
  /** Redirect lists per platform after the fix (existing kept, near-misses replaced). */
  fixedRedirects: Record<Platform, string[]> | null;
  audience: { expected: SignInAudience; found: SignInAudience; kind: 'single-tenant' | 'no-personal' | 'mismatch' } | null;
  tokenVersionMissing: boolean;
  publicClientOff: boolean;
  implicitGrantOff: boolean;
  missingResources: string[];
  declared: DeclaredPermission[];
  permissions: PermissionIssue[];
  /** Declared or granted, not desired (User.Read, listed by default, excepted). */
  notNeeded: Array<{ resourceAppId: string; name: string; type: AccessType; declared: boolean; granted: boolean }>;
  servicePrincipalMissing: boolean;
  /** Desired permissions without consent, per resource. */
  consentMissing: Array<{ resourceAppId: string; type: AccessType; names: string[] }>;
  /** Granted and desired but not declared ("Other permissions granted"). */
  consentNotDeclared: DesiredPermission[];
  /** Existing AllPrincipals grants per resource appId: id and scopes. */
  grants: Record<string, { id: string; resourceId: string; scopes: string[] }>;
  assignmentNotRequired: boolean;
  /**
   * Who signs in to this app today and is not assigned: turning "Assignment required?" on would lock
   * them out (AADSTS50105). Read from the directory: users with their own consent grant (consentType
   * Principal: they signed in and consented), minus those assigned and the mailbox (the opt-in assigns it). With an
   * organisation-wide consent (AllPrincipals) anyone may have signed in without a grant of their own:
   * `othersUnknown` says so, as the directory does not list them (only the sign-in logs would).
   */
  lockedOutIfRequired: { principalIds: string[]; othersUnknown: boolean };
  /** Only while the enterprise application really requires assignment: the mailbox would get AADSTS50105. */
  mailboxNotAssigned: boolean;
  mailboxUserNotFound: boolean;
  secrets: SecretState | null;
}

function resourceById(actual: ActualRegistration, spId: string): GraphResourceServicePrincipal | undefined {
  return Object.values(actual.resources).find((r) => r.id === spId);
}

/** The id a resource publishes for a permission name and type, from the tenant's resource SP. */
export function resolvePermissionId(actual: Pick<ActualRegistration, 'resources'>, resourceAppId: string, name: string, type: AccessType): string | undefined {
  const res = actual.resources[resourceAppId];
  if (!res) return undefined;
  if (type === 'Scope') return res.oauth2PermissionScopes.find((s) => s.value === name && s.isEnabled !== false)?.id;
  return res.appRoles.find((r) => r.value === name && r.isEnabled !== false && (!r.allowedMemberTypes || r.allowedMemberTypes.includes('Application')))?.id;
}

/** The name of a declared permission id: the tenant's resource SP first, the catalogue only to name it. */
export function permissionName(actual: Pick<ActualRegistration, 'resources'>, resourceAppId: string, id: string, type: AccessType): string | null {
  const res = actual.resources[resourceAppId];
  if (res) {
    const list = type === 'Scope' ? res.oauth2PermissionScopes : res.appRoles;
    // The tenant's resource is the truth: an id it does not publish is unknown, whatever a table says.
    return list.find((x) => x.id.toLowerCase() === id.toLowerCase())?.value ?? null;
  }
  const known = Object.values(PERMISSIONS).find((p) => RESOURCES[p.resource] === resourceAppId && p.id.toLowerCase() === id.toLowerCase() && accessType(p) === type);
  return known?.name ?? null;
}

export function declaredPermissions(actual: ActualRegistration, rra: GraphRequiredResourceAccess[]): DeclaredPermission[] {
  return rra.flatMap((r) => r.resourceAccess.map((a) => ({ resourceAppId: r.resourceAppId, id: a.id, type: a.type, name: permissionName(actual, r.resourceAppId, a.id, a.type) })));
}

const isDefault = (resourceAppId: string, name: string, type: AccessType): boolean => resourceAppId === RESOURCES['Microsoft Graph'] && name === 'User.Read' && type === 'Scope';

/** `https://host` and `https://host/` are the same redirect (Graph adds the slash to a URI without path). */
function canonical(uri: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+$/i.test(uri) ? `${uri}/` : uri;
}

/**
 * The same redirect for Microsoft: equal after canonical(), or a loopback address that differs only in
 * the port ("a loopback port is ignored when matching", PORTAL-STEPS.md / reply-url).
 */
export function sameRedirect(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  const x = parse(canonical(a));
  const y = parse(canonical(b));
  return !!x && !!y && x.hostname === 'localhost' && y.hostname === 'localhost' && x.protocol === y.protocol && x.pathname === y.pathname && x.search === y.search;
}

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

/** The single way `found` differs from `wanted`, or null (equal, or several differences). */
export function redirectDifference(wanted: string, found: string): RedirectDifference | null {
  const w = canonical(wanted);
  const f = canonical(found);
  if (w === f) return null;
  if (w.toLowerCase() === f.toLowerCase()) return 'case';
  if (w.replace(/\/+$/, '') === f.replace(/\/+$/, '')) return 'trailing-slash';
  const a = parse(w);
  const b = parse(f);
  if (!a || !b) return null;
  const rest = (u: URL, parts: { scheme?: boolean; port?: boolean }) => `${parts.scheme ? '' : u.protocol}//${u.hostname}${parts.port ? '' : `:${u.port}`}${u.pathname}${u.search}`;
  if (a.protocol !== b.protocol && rest(a, { scheme: true, port: true }) === rest(b, { scheme: true, port: true }) && (a.port === b.port || (!a.port && !b.port) || portless(a, b))) return 'scheme';
  if (a.protocol === b.protocol && a.port !== b.port && rest(a, { port: true }) === rest(b, { port: true })) return 'port';
  return null;
}

/** http://x and https://x differ in scheme only, although their default ports differ. */
function portless(a: URL, b: URL): boolean {
  return (a.port === '' || a.port === '80' || a.port === '443') && (b.port === '' || b.port === '80' || b.port === '443');
}

const PLATFORM_KEYS: Platform[] = ['web', 'publicClient', 'spa'];

function actualRedirects(actual: ActualRegistration): Record<Platform, string[]> {
  const app = actual.application!;
  return { web: [...(app.web?.redirectUris ?? [])], publicClient: [...(app.publicClient?.redirectUris ?? [])], spa: [...(app.spa?.redirectUris ?? [])] };
}

function analyzeRedirects(desired: DesiredRegistration, actual: ActualRegistration): { issues: RedirectIssue[]; fixed: Record<Platform, string[]> } {
  const have = actualRedirects(actual);
  const fixed: Record<Platform, string[]> = { web: [...have.web], publicClient: [...have.publicClient], spa: [...have.spa] };
  const issues: RedirectIssue[] = [];
  const wantedAll = new Set(PLATFORM_KEYS.flatMap((p) => desired.redirectUris[p].map((u) => `${p} ${canonical(u)}`)));
  for (const platform of PLATFORM_KEYS) {
    for (const uri of desired.redirectUris[platform]) {
      if (have[platform].some((u) => sameRedirect(u, uri))) continue;
      const elsewhere = PLATFORM_KEYS.filter((p) => p !== platform).find((p) => have[p].some((u) => sameRedirect(u, uri)) && !wantedAll.has(`${p} ${canonical(uri)}`));
      if (elsewhere) {
        issues.push({ uri, platform, kind: 'wrong-platform', found: { uri, platform: elsewhere } });
        fixed[elsewhere] = fixed[elsewhere].filter((u) => !sameRedirect(u, uri));
        fixed[platform].push(uri);
        continue;
      }
      let near: { uri: string; platform: Platform; difference: RedirectDifference } | undefined;
      for (const p of PLATFORM_KEYS)
        for (const u of have[p]) {
          if (near || wantedAll.has(`${p} ${canonical(u)}`)) continue;
          const d = redirectDifference(uri, u);
          if (d) near = { uri: u, platform: p, difference: d };
        }
      if (near) {
        issues.push({ uri, platform, kind: 'differs', found: { uri: near.uri, platform: near.platform }, difference: near.difference });
        fixed[near.platform] = fixed[near.platform].filter((u) => u !== near!.uri);
        fixed[platform].push(uri);
        continue;
      }
      issues.push({ uri, platform, kind: 'missing' });
      fixed[platform].push(uri);
    }
  }
  return { issues, fixed };
}

const PERSONAL: SignInAudience[] = ['AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'];

function analyzeAudience(desired: DesiredRegistration, found: SignInAudience): Analysis['audience'] {
  const expected = desired.signInAudience;
  if (expected === found) return null;
  if (found === 'AzureADMyOrg') return { expected, found, kind: 'single-tenant' };
  if (PERSONAL.includes(expected) && !PERSONAL.includes(found)) return { expected, found, kind: 'no-personal' };
  return { expected, found, kind: 'mismatch' };
}

/** ISO-8601 duration (P180D, P6M, P1Y, P1Y6M) to whole months, rounded down; null when unreadable. */
export function durationMonths(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$/i.exec(iso.trim());
  if (!m) return null;
  const days = Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30.44 + Number(m[3] ?? 0) * 7 + Number(m[4] ?? 0);
  return Math.floor(days / 30.44 + 1e-9);
}

function analyzeSecrets(desired: DesiredRegistration, actual: ActualRegistration, now: Date, typed?: string): SecretState | null {
  if (desired.credential.kind !== 'secret') return null;
  const app = actual.application;
  const creds = app?.passwordCredentials ?? [];
  const valid: SecretState['valid'] = [];
  const expired: SecretState['expired'] = [];
  for (const c of creds) {
    const end = c.endDateTime ? new Date(c.endDateTime) : null;
    if (end && end.getTime() <= now.getTime()) expired.push({ keyId: c.keyId, hint: c.hint ?? null, end });
    else valid.push({ keyId: c.keyId, hint: c.hint ?? null, end });
  }
  valid.sort((a, b) => (b.end?.getTime() ?? Infinity) - (a.end?.getTime() ?? Infinity));
  const t = typed?.trim();
  const days = (end: Date | null) => (end ? Math.floor((end.getTime() - now.getTime()) / DAY) : null);
  const current = valid[0] ?? null;
  const daysLeft = current ? days(current.end) : null;
  const matched = t ? valid.find((s) => s.hint && t.startsWith(s.hint)) : undefined;
  const typedMatch = matched && matched !== current ? { keyId: matched.keyId, end: matched.end, daysLeft: days(matched.end) } : null;
  let needsNew: SecretState['needsNew'] = null;
  if (app) {
    if (creds.length === 0) needsNew = 'none';
    else if (valid.length === 0) needsNew = 'expired';
    else if (daysLeft !== null && daysLeft < SECRET_WARNING_DAYS) needsNew = 'expiring';
  }
  const policy = actual.appManagementPolicy;
  const max = durationMonths(policy?.maxPasswordLifetime);
  const lifetimeMonths = max !== null && max >= 1 && max < desired.credential.lifetimeMonths ? max : desired.credential.lifetimeMonths;
  return { valid, expired, current, daysLeft, typed: typedMatch, needsNew, lifetimeMonths, capped: lifetimeMonths !== desired.credential.lifetimeMonths, blocked: !!policy?.passwordAdditionBlocked };
}

export function analyzeRegistration(desired: DesiredRegistration, actual: ActualRegistration, opts: { now?: Date; typedSecret?: string; deviceCode?: boolean } = {}): Analysis {
  const now = opts.now ?? new Date();
  const needed = new Set(desired.permissions.map((p) => p.resourceAppId));
  const missingResources = [...needed].filter((id) => !actual.resources[id]);
  const app = actual.application;
  const incomplete = PLATFORM_KEYS.flatMap((p) => desired.redirectUris[p]).filter((u) => /<[^<>]+>/.test(u));
  const base: Analysis = {
    incomplete,
    appMissing: !app,
    redirects: [],
    fixedRedirects: null,
    audience: null,
    tokenVersionMissing: false,
    publicClientOff: false,
    implicitGrantOff: false,
    missingResources,
    declared: [],
    permissions: [],
    notNeeded: [],
    servicePrincipalMissing: !actual.servicePrincipal,
    consentMissing: [],
    consentNotDeclared: [],
    grants: {},
    assignmentNotRequired: false,
    lockedOutIfRequired: { principalIds: [], othersUnknown: false },
    mailboxNotAssigned: false,
    mailboxUserNotFound: desired.assignment.assignMailbox && actual.mailboxUserId === null,
    secrets: analyzeSecrets(desired, actual, now, opts.typedSecret),
  };
  if (!app) return base;

  const { issues, fixed } = analyzeRedirects(desired, actual);
  base.redirects = issues;
  base.fixedRedirects = fixed;
  base.audience = analyzeAudience(desired, app.signInAudience);
  base.tokenVersionMissing = desired.requestedAccessTokenVersion === 2 && app.api?.requestedAccessTokenVersion !== 2;
  base.publicClientOff = (desired.isFallbackPublicClient || !!opts.deviceCode) && app.isFallbackPublicClient !== true;
  const ig = app.web?.implicitGrantSettings;
  base.implicitGrantOff = (desired.implicitGrant.accessTokens && !ig?.enableAccessTokenIssuance) || (desired.implicitGrant.idTokens && !ig?.enableIdTokenIssuance);

  const declared = declaredPermissions(actual, app.requiredResourceAccess ?? []);
  base.declared = declared;
  const replaced = new Set<DeclaredPermission>();
  for (const p of desired.permissions) {
    const t = accessType(p);
    if (declared.some((d) => d.resourceAppId === p.resourceAppId && d.name === p.name && d.type === t)) continue;
    const unresolvable = !resolvePermissionId(actual, p.resourceAppId, p.name, t);
    const otherType = declared.find((d) => d.resourceAppId === p.resourceAppId && d.name === p.name && d.type !== t && !replaced.has(d));
    if (otherType) {
      replaced.add(otherType);
      base.permissions.push({ permission: p, kind: 'wrong-type', found: otherType, unresolvable });
      continue;
    }
    const otherResource = declared.find((d) => d.resourceAppId !== p.resourceAppId && d.name === p.name && !replaced.has(d) && !desired.permissions.some((q) => q.resourceAppId === d.resourceAppId && q.name === d.name && accessType(q) === d.type));
    if (otherResource) {
      replaced.add(otherResource);
      base.permissions.push({ permission: p, kind: 'wrong-resource', found: otherResource, unresolvable });
      continue;
    }
    base.permissions.push({ permission: p, kind: 'missing', unresolvable });
  }

  // Consent: delegated AllPrincipals grants and app role assignments of our service principal.
  const sp = actual.servicePrincipal;
  const granted: Array<{ resourceAppId: string; name: string; type: AccessType }> = [];
  if (sp) {
    for (const g of actual.delegatedGrants) {
      if (g.clientId !== sp.id || g.consentType !== 'AllPrincipals') continue;
      const res = resourceById(actual, g.resourceId);
      if (!res) continue;
      const scopes = g.scope.split(/\s+/).filter(Boolean);
      base.grants[res.appId] = { id: g.id, resourceId: g.resourceId, scopes };
      for (const s of scopes) granted.push({ resourceAppId: res.appId, name: s, type: 'Scope' });
    }
    for (const a of actual.appRoleAssignments) {
      if (a.principalId !== sp.id) continue;
      const res = resourceById(actual, a.resourceId);
      if (!res) continue;
      const name = res.appRoles.find((r) => r.id === a.appRoleId)?.value;
      if (name) granted.push({ resourceAppId: res.appId, name, type: 'Role' });
    }
    const isGranted = (p: DesiredPermission) => granted.some((g) => g.resourceAppId === p.resourceAppId && g.name === p.name && g.type === accessType(p));
    const byResource = new Map<string, { resourceAppId: string; type: AccessType; names: string[] }>();
    for (const p of desired.permissions) {
      const wanted = p.type === 'delegated' ? desired.consent.delegated : desired.consent.application;
      if (!wanted || isGranted(p) || !actual.resources[p.resourceAppId]) continue;
      const key = `${p.resourceAppId} ${accessType(p)}`;
      const entry = byResource.get(key) ?? { resourceAppId: p.resourceAppId, type: accessType(p), names: [] };
      entry.names.push(p.name);
      byResource.set(key, entry);
    }
    base.consentMissing = [...byResource.values()];
    const isDeclared = (p: DesiredPermission) => declared.some((d) => d.resourceAppId === p.resourceAppId && d.name === p.name && d.type === accessType(p));
    // One finding per permission: a wrong declaration says so; a missing one that is granted is "granted, not configured".
    const wrong = new Set(base.permissions.filter((x) => x.kind !== 'missing').map((x) => x.permission));
    base.consentNotDeclared = desired.permissions.filter((p) => isGranted(p) && !isDeclared(p) && !wrong.has(p));
    base.permissions = base.permissions.filter((x) => !(x.kind === 'missing' && base.consentNotDeclared.includes(x.permission)));

    // Assignment ("Users and groups"): only the sign-in of a delegated flow is affected.
    // Issue 19: the mailbox is "not assigned" only while the app really requires assignment (otherwise the
    // sign-in works and the finding would contradict "Assignment required? is No").
    base.assignmentNotRequired = desired.assignment.required && sp.appRoleAssignmentRequired !== true;
    const isAssigned = (id: string) => actual.assignedTo.some((a) => a.principalId === id && a.resourceId === sp.id);
    if (sp.appRoleAssignmentRequired === true && desired.assignment.assignMailbox && actual.mailboxUserId) base.mailboxNotAssigned = !isAssigned(actual.mailboxUserId);
    if (sp.appRoleAssignmentRequired !== true) {
      const ours = actual.delegatedGrants.filter((g) => g.clientId === sp.id);
      const people = new Set(ours.filter((g) => g.consentType === 'Principal' && g.principalId).map((g) => g.principalId!));
      base.lockedOutIfRequired = { principalIds: [...people].filter((id) => !isAssigned(id) && id !== actual.mailboxUserId).sort(), othersUnknown: ours.some((g) => g.consentType === 'AllPrincipals') };
    }
  }

  // Least privilege: declared or granted, not desired (User.Read, listed by default, excepted).
  const wantedKey = new Set(desired.permissions.map((p) => `${p.resourceAppId}|${accessType(p)}|${p.name}`));
  const extra = new Map<string, Analysis['notNeeded'][number]>();
  for (const d of declared) {
    if (!d.name) {
      // An id the tenant's resource does not publish ("Claim is invalid: ... does not exist on resource").
      if (actual.resources[d.resourceAppId]) extra.set(`${d.resourceAppId}|${d.type}|${d.id}`, { resourceAppId: d.resourceAppId, name: `unknown id ${d.id}`, type: d.type, declared: true, granted: false });
      continue;
    }
    if (replaced.has(d) || isDefault(d.resourceAppId, d.name, d.type)) continue;
    const key = `${d.resourceAppId}|${d.type}|${d.name}`;
    if (!wantedKey.has(key)) extra.set(key, { resourceAppId: d.resourceAppId, name: d.name, type: d.type, declared: true, granted: false });
  }
  for (const g of granted) {
    if (isDefault(g.resourceAppId, g.name, g.type)) continue;
    const key = `${g.resourceAppId}|${g.type}|${g.name}`;
    if (wantedKey.has(key)) continue;
    const e = extra.get(key) ?? { resourceAppId: g.resourceAppId, name: g.name, type: g.type, declared: false, granted: false };
    e.granted = true;
    extra.set(key, e);
  }
  base.notNeeded = [...extra.values()];
  return base;
}

/** The requiredResourceAccess after the fix: existing kept, replaced entries dropped, missing ones added (ids from the tenant). */
export function fixedRequiredResourceAccess(actual: ActualRegistration, a: Analysis): GraphRequiredResourceAccess[] {
  const current = actual.application?.requiredResourceAccess ?? [];
  const drop = new Set(a.permissions.filter((p) => p.found).map((p) => `${p.found!.resourceAppId}|${p.found!.id}|${p.found!.type}`));
  const out: GraphRequiredResourceAccess[] = current.map((r) => ({ resourceAppId: r.resourceAppId, resourceAccess: r.resourceAccess.filter((x) => !drop.has(`${r.resourceAppId}|${x.id}|${x.type}`)) }));
  const add = [...a.permissions.filter((p) => !p.unresolvable).map((p) => p.permission), ...a.consentNotDeclared];
  for (const p of add) {
    const t = accessType(p);
    const id = resolvePermissionId(actual, p.resourceAppId, p.name, t);
    if (!id) continue;
    let r = out.find((x) => x.resourceAppId === p.resourceAppId);
    if (!r) {
      r = { resourceAppId: p.resourceAppId, resourceAccess: [] };
      out.push(r);
    }
    if (!r.resourceAccess.some((x) => x.id === id && x.type === t)) r.resourceAccess.push({ id, type: t });
  }
  return out.filter((r) => r.resourceAccess.length > 0);
}
