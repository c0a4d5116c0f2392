/**
 * The emulator's Graph directory (issue 9 section 6): /v1.0/applications, /servicePrincipals,
 * /oauth2PermissionGrants, appRoleAssignedTo / appRoleAssignments, /policies/defaultAppManagementPolicy,
 * /organization. Backed by the live scenario: a write here changes the App objects the sign-in pages, the
 * token endpoint, IMAP and SMTP read, and the grants / assignments Directory keeps. Behaviours and texts
 * with their sources: README.md "Graph directory".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomInt } from 'node:crypto';
import type { Assignment, Directory, Grant, Principal } from './core.js';
import { DEFAULT_ACCESS_ROLE } from './core.js';
import { AppSchema, type App, type Certificate } from './scenario.js';
import { EXCHANGE_RESOURCE, GRAPH_APP_ID, GRAPH_CLI_APP_ID, GRAPH_RESOURCE, RESOURCES, resourceByAppId, resourceByKey, type EntraRole, type ResourceDef } from './resources.js';
import { certWindow, parseCertificate, thumbprints } from './assertion.js';
import { guid } from './util.js';

export const GRAPH_TEXTS = {
  denied: 'Insufficient privileges to complete the operation.',
  usersMayNotRegister: 'Insufficient privileges to perform this operation. Please ask your administrator to allow users to register applications.',
  notFound: (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  noBackingApp: (appId: string) => `The appId '${appId}' of the service principal does not reference a valid application object.`,
  badReference: 'Not a valid reference update.',
  duplicateGrant: 'Permission entry already exists.',
  duplicateSp: 'Another object with the same value for property servicePrincipalNames already exists.',
  passwordInBody: 'New password credentials must be generated with service actions.',
  tokenVersion: 'Property api.requestedAccessTokenVersion is invalid.',
  invalidProperty: (prop: string, resource: string) => `Invalid value specified for property '${prop}' of resource '${resource}'.`,
  roleNotFound: (appId: string) => `Permission being assigned was not found on application '${appId}'.`,
  roleExists: 'Permission being assigned already exists on the object',
  lifetime: (policyId: string) => `Credential lifetime exceeds the max value allowed as per assigned policy ${policyId}.`,
  passwordBlocked: (policyId: string) => `Password credentials are not allowed as per assigned policy ${policyId}.`,
  audienceBlocked: (aud: string, policyId: string) => `The sign-in audience '${aud}' is not allowed as per assigned policy ${policyId}.`,
  throttled: 'Too many requests, please retry later.',
} as const;

export const DEFAULT_POLICY_ID = '00000000-0000-0000-0000-000000000000';
const AUDIENCES = ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'] as const;
const PERSONAL = new Set(['AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']);
const APP_READ = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All'];
const APP_WRITE = ['Application.ReadWrite.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All'];
const ADMIN_ROLES: EntraRole[] = ['Global Administrator', 'Application Administrator', 'Cloud Application Administrator'];
const CONSENT_ROLES: EntraRole[] = ['Global Administrator', 'Privileged Role Administrator', 'Application Administrator', 'Cloud Application Administrator'];
/** grant-admin-consent doc: only these may grant Microsoft Graph app roles (application permissions). */
const GRAPH_APP_ROLE_ROLES: EntraRole[] = ['Global Administrator', 'Privileged Role Administrator'];

class GraphFail {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly details?: { code: string; message: string; target?: string }[],
  ) {}
}
const fail = (status: number, code: string, message: string, details?: GraphFail['details']) => new GraphFail(status, code, message, details);
const notFound = (id: string) => fail(404, 'Request_ResourceNotFound', GRAPH_TEXTS.notFound(id));
const denied = () => fail(403, 'Authorization_RequestDenied', GRAPH_TEXTS.denied);
const invalid = (prop: string, resource = 'Application') => fail(400, 'Request_BadRequest', GRAPH_TEXTS.invalidProperty(prop, resource));

/** Graph's error body, with innerError date / request-id / client-request-id. */
export function writeGraphError(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}, details?: GraphFail['details']) {
  const requestId = guid();
  const clientRequestId = String(req.headers['client-request-id'] ?? requestId);
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, 'client-request-id': clientRequestId, date: new Date().toUTCString(), ...headers });
  res.end(JSON.stringify({ error: { code, message, ...(details ? { details } : {}), innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId } } }));
}

function parseJson(raw: string): Record<string, unknown> {
  if (!raw.trim()) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw fail(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
}

/** `$filter=a eq 'x' and b eq 'y'` -> pairs; anything else: Request_UnsupportedQuery. */
function parseFilter(filter: string | null, allowed: string[], resource: string): [string, string][] {
  if (!filter) return [];
  const out: [string, string][] = [];
  for (const clause of filter.split(/\s+and\s+/i)) {
    const m = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(clause);
    const prop = m?.[1] ?? clause.trim().split(/[\s(]/)[0] ?? '';
    if (!m || !allowed.map((a) => a.toLowerCase()).includes(prop.toLowerCase())) throw fail(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${resource}'.`);
    out.push([allowed.find((a) => a.toLowerCase() === prop.toLowerCase()) as string, (m[2] ?? '').replace(/''/g, "'")]);
  }
  return out;
}

function select<T extends Record<string, unknown>>(obj: T, sel: string | null): Record<string, unknown> {
  if (!sel) return obj;
  const want = sel.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k.startsWith('@odata') || want.includes(k.toLowerCase())) out[k] = v;
  return out;
}

/** ISO-8601 duration (PnYnMnDTnHnMnS) in milliseconds (months = 30 days, years = 365 days). */
export function durationMs(iso: string): number | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return null;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  return ((((y! * 365 + mo! * 30 + w! * 7 + d!) * 24 + h!) * 60 + mi!) * 60 + s!) * 1000;
}

/** A client secret like Entra's: 40 characters, "Q~" after the first four. */
function newSecretText(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const tail = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-';
  let out = '';
  for (let i = 0; i < 3; i++) out += alphabet[randomInt(alphabet.length)];
  out += String(randomInt(10)) + 'Q~';
  for (let i = 0; i < 34; i++) out += tail[randomInt(tail.length)];
  return out;
}
const assignmentId = () => randomBytes(32).toString('base64url').slice(0, 43);

export class GraphDirectoryApi {
  throttleRemaining: number | null = null;
  constructor(
    private readonly dir: Directory,
    private readonly graphUrl: () => string,
  ) {}

  /** True when the path belongs to the directory API (and was answered). */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, raw: string, p: Principal, parts: string[]): Promise<boolean> {
    const head = parts[1] ?? '';
    const isDir = /^(applications|servicePrincipals)(\(|$)/.test(head) || head === 'oauth2PermissionGrants' || head === 'policies' || head === 'organization';
    if (!isDir) return false;
    const th = this.dir.faults.graphThrottle;
    if (th && (th.count === null || (this.throttleRemaining ?? th.count) > 0)) {
      if (th.count !== null) this.throttleRemaining = (this.throttleRemaining ?? th.count) - 1;
      writeGraphError(req, res, 429, 'TooManyRequests', GRAPH_TEXTS.throttled, { 'retry-after': String(th.retryAfterSeconds) });
      return true;
    }
    try {
      const r = this.route(req.method ?? 'GET', parts.slice(1), url.searchParams, raw, p);
      if (r.status === 204) {
        res.writeHead(204, { 'request-id': guid(), 'client-request-id': String(req.headers['client-request-id'] ?? guid()) });
        res.end();
      } else {
        res.writeHead(r.status, { 'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8', 'request-id': guid(), 'client-request-id': String(req.headers['client-request-id'] ?? guid()), ...(r.status === 201 && r.location ? { location: r.location } : {}) });
        res.end(JSON.stringify(r.body));
      }
    } catch (e) {
      if (e instanceof GraphFail) writeGraphError(req, res, e.status, e.code, e.message, {}, e.details);
      else throw e;
    }
    return true;
  }

  // ------------------------------------------------------------------ helpers
  private tid(p: Principal): string {
    return String(p.claims.tid ?? '');
  }
  private has(p: Principal, names: string[]): boolean {
    return p.kind === 'user' ? names.some((n) => p.scopes.includes(n)) : names.some((n) => p.roles.includes(n));
  }
  private need(p: Principal, names: string[]) {
    if (!this.has(p, names)) throw denied();
  }
  private roles(p: Principal): EntraRole[] {
    return p.kind === 'user' ? this.dir.rolesOf(p.user) : [];
  }
  private hasRole(p: Principal, allowed: EntraRole[]): boolean {
    if (p.kind === 'app') return true; // app-only: the application permission decides
    return this.roles(p).some((r) => allowed.includes(r));
  }
  private isOwner(p: Principal, app: App): boolean {
    return p.kind === 'user' ? app.owners.includes(p.user.objectId) : p.app.clientId === app.clientId;
  }
  private tenantApps(p: Principal): App[] {
    const tid = this.tid(p);
    return this.dir.scenario.apps.filter((a) => a.tenantId === tid);
  }
  private ctx(entity: string): string {
    return `${this.graphUrl()}/v1.0/$metadata#${entity}`;
  }
  private visible(id: string): boolean {
    return !this.dir.isFresh(id);
  }

  /** The application addressed by `{id}` or `(appId='...')`, or 404 (also while replication lags). */
  private appAt(p: Principal, seg: string, sub?: string): App {
    const m = /^applications\(appId='([^']*)'\)$/i.exec(seg);
    const key = m ? m[1]! : sub ?? '';
    const app = this.tenantApps(p).find((a) => (m ? a.clientId.toLowerCase() === key.toLowerCase() : a.objectId === key));
    if (!app || !this.visible(app.objectId)) throw notFound(key);
    return app;
  }

  // ------------------------------------------------------------------ rendering
  private requiredResourceAccess(app: App) {
    const out: { resourceAppId: string; resourceAccess: { id: string; type: 'Scope' | 'Role' }[] }[] = [];
    const add = (res: ResourceDef, id: string | undefined, type: 'Scope' | 'Role') => {
      if (!id) return;
      let e = out.find((x) => x.resourceAppId === res.appId);
      if (!e) out.push((e = { resourceAppId: res.appId, resourceAccess: [] }));
      if (!e.resourceAccess.some((x) => x.id === id && x.type === type)) e.resourceAccess.push({ id, type });
    };
    for (const d of app.delegatedPermissions) {
      const res = resourceByKey(d.resource);
      add(res, res.scopes.find((x) => x.value === d.name)?.id, 'Scope');
    }
    for (const a of app.applicationPermissions) {
      const res = resourceByKey(a.resource);
      add(res, res.roles.find((x) => x.value === a.name)?.id, 'Role');
    }
    return out;
  }
  private keyCredentialsOf(app: App, withKey: boolean) {
    return app.certificates.map((c) => {
      const cert = parseCertificate(c.key);
      const win = cert ? certWindow(c, cert) : null;
      return {
        customKeyIdentifier: cert ? thumbprints(cert).sha1Hex : null,
        displayName: c.displayName,
        endDateTime: win?.end.toISOString() ?? c.endDateTime ?? null,
        key: withKey ? c.key : null,
        keyId: c.keyId,
        startDateTime: win?.start.toISOString() ?? c.startDateTime ?? null,
        type: c.type,
        usage: c.usage,
      };
    });
  }
  private application(app: App, sel: string | null, withContext = true): Record<string, unknown> {
    const tenant = this.dir.tenantById(app.tenantId);
    const withKey = (sel ?? '').toLowerCase().split(',').map((x) => x.trim()).includes('keycredentials');
    const obj: Record<string, unknown> = {
      ...(withContext ? { '@odata.context': this.ctx('applications/$entity') } : {}),
      id: app.objectId,
      deletedDateTime: null,
      appId: app.clientId,
      applicationTemplateId: null,
      createdDateTime: app.createdDateTime ?? '2024-01-01T00:00:00Z',
      description: null,
      displayName: app.displayName,
      groupMembershipClaims: null,
      identifierUris: app.identifierUris,
      isDeviceOnlyAuthSupported: null,
      isFallbackPublicClient: app.allowPublicClientFlows,
      notes: null,
      publisherDomain: tenant?.domains.find((d) => d.endsWith('.onmicrosoft.com')) ?? tenant?.domains[0] ?? null,
      serviceManagementReference: null,
      signInAudience: app.signInAudience,
      tags: [],
      tokenEncryptionKeyId: null,
      api: { acceptMappedClaims: null, knownClientApplications: [], requestedAccessTokenVersion: app.requestedAccessTokenVersion, oauth2PermissionScopes: [], preAuthorizedApplications: [] },
      appRoles: [],
      info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
      keyCredentials: this.keyCredentialsOf(app, withKey),
      optionalClaims: null,
      parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
      passwordCredentials: app.secrets.map((s) => ({ customKeyIdentifier: null, displayName: s.displayName, endDateTime: s.expires, hint: s.value.slice(0, 3), keyId: s.id, secretText: null, startDateTime: s.startDateTime ?? app.createdDateTime ?? '2024-01-01T00:00:00Z' })),
      publicClient: { redirectUris: app.publicClientRedirectUris },
      requiredResourceAccess: this.requiredResourceAccess(app),
      web: {
        homePageUrl: null,
        logoutUrl: null,
        redirectUris: app.webRedirectUris,
        implicitGrantSettings: { enableAccessTokenIssuance: app.implicitGrant.accessTokens, enableIdTokenIssuance: app.implicitGrant.idTokens },
        redirectUriSettings: app.webRedirectUris.map((uri) => ({ uri, index: null })),
      },
      spa: { redirectUris: app.spaRedirectUris },
    };
    return select(obj, sel);
  }
  private resourceSp(tid: string, res: ResourceDef, sel: string | null, withContext = true): Record<string, unknown> {
    const obj: Record<string, unknown> = {
      ...(withContext ? { '@odata.context': this.ctx('servicePrincipals/$entity') } : {}),
      id: this.dir.resourceSpId(tid, res),
      deletedDateTime: null,
      accountEnabled: true,
      appDisplayName: res.displayName,
      appId: res.appId,
      appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
      appRoleAssignmentRequired: false,
      displayName: res.displayName,
      servicePrincipalNames: res.servicePrincipalNames,
      servicePrincipalType: 'Application',
      signInAudience: 'AzureADMultipleOrgs',
      tags: [],
      appRoles: res.roles.map((r) => ({ allowedMemberTypes: ['Application'], description: `Allows the app to ${r.value} (emulator)`, displayName: r.value, id: r.id, isEnabled: true, origin: 'Application', value: r.value })),
      oauth2PermissionScopes: res.scopes.map((s) => ({ adminConsentDescription: `Allows the app to ${s.value} (emulator)`, adminConsentDisplayName: s.value, id: s.id, isEnabled: true, type: s.admin ? 'Admin' : 'User', userConsentDescription: `Allows the app to ${s.value} (emulator)`, userConsentDisplayName: s.value, value: s.value })),
      keyCredentials: [],
      passwordCredentials: [],
      replyUrls: [],
    };
    return select(obj, sel);
  }
  private appSp(app: App, sel: string | null, withContext = true): Record<string, unknown> {
    const obj: Record<string, unknown> = {
      ...(withContext ? { '@odata.context': this.ctx('servicePrincipals/$entity') } : {}),
      id: app.servicePrincipalId,
      deletedDateTime: null,
      accountEnabled: true,
      appDisplayName: app.displayName,
      appId: app.clientId,
      appOwnerOrganizationId: app.tenantId,
      appRoleAssignmentRequired: app.appRoleAssignmentRequired,
      displayName: app.displayName,
      servicePrincipalNames: [app.clientId, ...app.identifierUris],
      servicePrincipalType: 'Application',
      signInAudience: app.signInAudience,
      tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
      appRoles: [],
      oauth2PermissionScopes: [],
      keyCredentials: [],
      passwordCredentials: [],
      replyUrls: [...app.webRedirectUris, ...app.publicClientRedirectUris, ...app.spaRedirectUris],
    };
    return select(obj, sel);
  }
  private grantJson(g: Grant) {
    return { clientId: g.clientId, consentType: g.consentType, id: g.id, principalId: g.principalId, resourceId: g.resourceId, scope: g.scope };
  }
  private assignmentJson(a: Assignment) {
    return { id: a.id, deletedDateTime: null, appRoleId: a.appRoleId, createdDateTime: a.createdDateTime, principalDisplayName: a.principalDisplayName, principalId: a.principalId, principalType: a.principalType, resourceDisplayName: a.resourceDisplayName, resourceId: a.resourceId };
  }

  // ------------------------------------------------------------------ service principals
  /** Every service principal of the tenant: the resource SPs, then the tenant's apps' SPs (and the Graph CLI once consented). */
  private sps(p: Principal): ({ kind: 'resource'; res: ResourceDef; id: string; appId: string; displayName: string } | { kind: 'app'; app: App; id: string; appId: string; displayName: string })[] {
    const tid = this.tid(p);
    const out: ReturnType<GraphDirectoryApi['sps']> = RESOURCES.map((res) => ({ kind: 'resource' as const, res, id: this.dir.resourceSpId(tid, res), appId: res.appId, displayName: res.displayName }));
    for (const a of this.dir.scenario.apps) {
      if (!a.hasServicePrincipal) continue;
      if (a.tenantId !== tid && !(a.clientId === GRAPH_CLI_APP_ID)) continue;
      if (!this.visible(a.servicePrincipalId)) continue;
      out.push({ kind: 'app', app: a, id: a.servicePrincipalId, appId: a.clientId, displayName: a.displayName });
    }
    return out;
  }
  private spAt(p: Principal, seg: string, sub?: string) {
    const m = /^servicePrincipals\(appId='([^']*)'\)$/i.exec(seg);
    const key = m ? m[1]! : sub ?? '';
    const sp = this.sps(p).find((x) => (m ? x.appId.toLowerCase() === key.toLowerCase() : x.id === key));
    if (!sp) throw notFound(key);
    return sp;
  }
  private spJson(p: Principal, sp: ReturnType<GraphDirectoryApi['sps']>[number], sel: string | null, withContext = true) {
    return sp.kind === 'resource' ? this.resourceSp(this.tid(p), sp.res, sel, withContext) : this.appSp(sp.app, sel, withContext);
  }

  // ------------------------------------------------------------------ validation of application bodies
  private normalizeWebUri(u: string): string {
    // reply-url doc: a URI without a path comes back with a trailing slash.
    try {
      const x = new URL(u);
      if ((x.protocol === 'https:' || x.protocol === 'http:') && x.pathname === '/' && !u.endsWith('/') && !x.search && !x.hash) return `${u}/`;
    } catch {
      /* validated elsewhere */
    }
    return u;
  }
  private checkUris(list: unknown, platform: 'web' | 'publicClient' | 'spa'): string[] {
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) throw invalid(platform);
    const out: string[] = [];
    for (const raw of list as string[]) {
      if (raw.length > 256) throw invalid(platform);
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw invalid(platform);
      }
      const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
      if (platform === 'web') {
        if (raw === 'urn:ietf:wg:oauth:2.0:oob') {
          out.push(raw);
          continue;
        }
        if (!(u.protocol === 'https:' || (u.protocol === 'http:' && loopback))) throw invalid(platform);
        out.push(this.normalizeWebUri(raw));
      } else if (platform === 'spa') {
        if (!(u.protocol === 'https:' || (u.protocol === 'http:' && loopback))) throw invalid(platform);
        out.push(raw);
      } else {
        // mobile/desktop: http only for loopback; custom schemes (msal{id}://auth, ms-appx-web://) allowed
        if (u.protocol === 'http:' && !loopback) throw invalid(platform);
        out.push(raw);
      }
    }
    return [...new Set(out)];
  }
  private parseRra(v: unknown): { delegated: App['delegatedPermissions']; application: App['applicationPermissions'] } {
    if (!Array.isArray(v)) throw invalid('requiredResourceAccess');
    const delegated: App['delegatedPermissions'] = [];
    const application: App['applicationPermissions'] = [];
    for (const e of v as { resourceAppId?: unknown; resourceAccess?: unknown }[]) {
      const res = typeof e?.resourceAppId === 'string' ? resourceByAppId(e.resourceAppId) : undefined;
      if (!res || !Array.isArray(e.resourceAccess)) throw invalid('requiredResourceAccess');
      for (const a of e.resourceAccess as { id?: unknown; type?: unknown }[]) {
        const id = String(a?.id ?? '').toLowerCase();
        if (a?.type === 'Scope') {
          const s = res.scopes.find((x) => x.id === id);
          if (!s) throw invalid('requiredResourceAccess');
          delegated.push({ resource: res.key, name: s.value });
        } else if (a?.type === 'Role') {
          const r = res.roles.find((x) => x.id === id);
          if (!r) throw invalid('requiredResourceAccess');
          application.push({ resource: res.key, name: r.value });
        } else throw invalid('requiredResourceAccess');
      }
    }
    return { delegated, application };
  }
  private parseKeys(v: unknown, existing: Certificate[]): Certificate[] {
    if (!Array.isArray(v)) throw invalid('keyCredentials');
    return (v as Record<string, unknown>[]).map((k) => {
      const keyId = typeof k.keyId === 'string' ? k.keyId : guid();
      const old = existing.find((c) => c.keyId === keyId);
      const key = typeof k.key === 'string' && k.key ? k.key : old?.key;
      if (!key) throw invalid('keyCredentials');
      if ((k.type ?? 'AsymmetricX509Cert') !== 'AsymmetricX509Cert' || (k.usage ?? 'Verify') !== 'Verify') throw invalid('keyCredentials');
      const cert = parseCertificate(key);
      if (!cert) throw invalid('keyCredentials');
      const end = typeof k.endDateTime === 'string' ? k.endDateTime : undefined;
      if (end && Date.parse(end) > Date.parse(cert.validTo) + 1000) throw fail(400, 'Request_BadRequest', 'Key credential end date is invalid.');
      return { keyId, displayName: typeof k.displayName === 'string' ? k.displayName : cert.subject.replace(/\n/g, ', '), key, type: 'AsymmetricX509Cert', usage: 'Verify', startDateTime: typeof k.startDateTime === 'string' ? k.startDateTime : undefined, endDateTime: end };
    });
  }
  /** Apply a create / PATCH body to an application (validated as a whole before anything changes). */
  private applyBody(app: App, body: Record<string, unknown>, creating: boolean) {
    const next = structuredClone(app);
    if ('passwordCredentials' in body && !(Array.isArray(body.passwordCredentials) && body.passwordCredentials.length === 0 && creating))
      throw fail(400, 'Request_BadRequest', GRAPH_TEXTS.passwordInBody);
    if ('displayName' in body) {
      if (typeof body.displayName !== 'string' || !body.displayName.trim()) throw invalid('displayName');
      next.displayName = body.displayName;
    }
    if ('signInAudience' in body) {
      if (!AUDIENCES.includes(body.signInAudience as never)) throw invalid('signInAudience');
      next.signInAudience = body.signInAudience as App['signInAudience'];
    }
    if ('api' in body) {
      const api = (body.api ?? {}) as Record<string, unknown>;
      if ('requestedAccessTokenVersion' in api) {
        const v = api.requestedAccessTokenVersion;
        if (v !== null && v !== 1 && v !== 2) throw fail(400, 'InvalidAccessTokenVersion', GRAPH_TEXTS.tokenVersion, [{ code: 'InvalidAccessTokenVersion', message: GRAPH_TEXTS.tokenVersion, target: 'api.requestedAccessTokenVersion' }]);
        next.requestedAccessTokenVersion = v as number | null;
      }
    }
    if ('isFallbackPublicClient' in body) {
      if (body.isFallbackPublicClient !== null && typeof body.isFallbackPublicClient !== 'boolean') throw invalid('isFallbackPublicClient');
      next.allowPublicClientFlows = body.isFallbackPublicClient === true;
    }
    if ('web' in body) {
      const web = (body.web ?? {}) as Record<string, unknown>;
      if ('redirectUris' in web) next.webRedirectUris = this.checkUris(web.redirectUris, 'web');
      if (Array.isArray(web.redirectUriSettings)) next.webRedirectUris = this.checkUris((web.redirectUriSettings as { uri?: unknown }[]).map((x) => x.uri), 'web');
      const ig = web.implicitGrantSettings as Record<string, unknown> | undefined;
      if (ig) next.implicitGrant = { accessTokens: ig.enableAccessTokenIssuance === true, idTokens: ig.enableIdTokenIssuance === true };
    }
    if ('publicClient' in body) {
      const pc = (body.publicClient ?? {}) as Record<string, unknown>;
      if ('redirectUris' in pc) next.publicClientRedirectUris = this.checkUris(pc.redirectUris, 'publicClient');
    }
    if ('spa' in body) {
      const spa = (body.spa ?? {}) as Record<string, unknown>;
      if ('redirectUris' in spa) next.spaRedirectUris = this.checkUris(spa.redirectUris, 'spa');
    }
    if ('identifierUris' in body) {
      if (!Array.isArray(body.identifierUris) || body.identifierUris.some((x) => typeof x !== 'string')) throw invalid('identifierUris');
      next.identifierUris = body.identifierUris as string[];
    }
    if ('requiredResourceAccess' in body) {
      const r = this.parseRra(body.requiredResourceAccess);
      next.delegatedPermissions = r.delegated;
      next.applicationPermissions = r.application;
    }
    if ('keyCredentials' in body) next.certificates = this.parseKeys(body.keyCredentials, app.certificates);
    // Personal-account audiences need v2 access tokens (microsoft-graph-docs-contrib#1122).
    if (PERSONAL.has(next.signInAudience) && next.requestedAccessTokenVersion !== 2)
      throw fail(400, 'InvalidAccessTokenVersion', GRAPH_TEXTS.tokenVersion, [{ code: 'InvalidAccessTokenVersion', message: GRAPH_TEXTS.tokenVersion, target: 'api.requestedAccessTokenVersion' }]);
    const pol = this.dir.faults.appPolicy;
    if (pol?.allowedSignInAudiences && (creating || 'signInAudience' in body) && !pol.allowedSignInAudiences.includes(next.signInAudience))
      throw fail(400, 'SignInAudienceNotAllowedAsPerAppPolicy', GRAPH_TEXTS.audienceBlocked(next.signInAudience, DEFAULT_POLICY_ID));
    Object.assign(app, next);
  }

  // ------------------------------------------------------------------ routing
  private route(method: string, parts: string[], q: URLSearchParams, raw: string, p: Principal): { status: number; body?: unknown; location?: string } {
    const [seg = '', sub, action, actionSub] = parts;
    const sel = q.get('$select');
    const tid = this.tid(p);
    const tenant = this.dir.tenantById(tid);
    if (!tenant) throw fail(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');

    // ---------------- /organization
    if (seg === 'organization') {
      if (method !== 'GET') throw fail(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
      this.need(p, ['User.Read', 'Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All', 'Application.Read.All', 'Application.ReadWrite.All']);
      const org = {
        id: tenant.id,
        deletedDateTime: null,
        displayName: tenant.displayName,
        tenantType: 'AAD',
        countryLetterCode: 'US',
        verifiedDomains: tenant.domains.map((d, i) => ({ capabilities: 'Email, OfficeCommunicationsOnlineService', isDefault: i === 0, isInitial: d.endsWith('.onmicrosoft.com'), name: d, type: 'Managed' })),
      };
      if (sub) {
        if (sub !== tenant.id) throw notFound(sub);
        return { status: 200, body: { '@odata.context': this.ctx('organization/$entity'), ...select(org, sel) } };
      }
      return { status: 200, body: { '@odata.context': this.ctx('organization'), value: [select(org, sel)] } };
    }

    // ---------------- /policies/defaultAppManagementPolicy
    if (seg === 'policies') {
      if (sub !== 'defaultAppManagementPolicy' || method !== 'GET') throw fail(400, 'BadRequest', `Resource not found for the segment '${sub ?? ''}'.`);
      this.need(p, ['Policy.Read.All', 'Policy.ReadWrite.ApplicationConfiguration']);
      if (!this.hasRole(p, CONSENT_ROLES)) throw denied();
      const pol = this.dir.faults.appPolicy;
      const since = '2019-01-01T00:00:00Z';
      const passwordCredentials: Record<string, unknown>[] = [];
      if (pol?.passwordAdditionBlocked) passwordCredentials.push({ restrictionType: 'passwordAddition', state: 'enabled', maxLifetime: null, restrictForAppsCreatedAfterDateTime: since });
      if (pol?.maxPasswordLifetime) passwordCredentials.push({ restrictionType: 'passwordLifetime', state: 'enabled', maxLifetime: pol.maxPasswordLifetime, restrictForAppsCreatedAfterDateTime: since });
      const body = {
        '@odata.context': this.ctx('policies/defaultAppManagementPolicy/$entity'),
        id: DEFAULT_POLICY_ID,
        displayName: 'Default app management tenant policy',
        description: 'Default tenant policy that enforces app management restrictions on applications and service principals. To apply policy to targeted resources, create a new policy under appManagementPolicies collection.',
        isEnabled: !!pol && (passwordCredentials.length > 0 || !!pol.allowedSignInAudiences),
        applicationRestrictions: { passwordCredentials, keyCredentials: [] },
        servicePrincipalRestrictions: { passwordCredentials: [], keyCredentials: [] },
      };
      return { status: 200, body: select(body, sel) };
    }

    // ---------------- /applications
    if (seg === 'applications' && sub === undefined) {
      if (method === 'GET') {
        this.need(p, APP_READ);
        const f = parseFilter(q.get('$filter'), ['appId', 'displayName', 'id'], 'application');
        let list = this.tenantApps(p).filter((a) => this.visible(a.objectId));
        for (const [k, v] of f) list = list.filter((a) => (k === 'appId' ? a.clientId.toLowerCase() === v.toLowerCase() : k === 'id' ? a.objectId === v : a.displayName === v));
        const top = Number(q.get('$top') ?? '100');
        return { status: 200, body: { '@odata.context': this.ctx(sel ? `applications(${sel})` : 'applications'), value: list.slice(0, top > 0 ? top : 100).map((a) => this.application(a, sel, false)) } };
      }
      if (method === 'POST') return this.createApplication(p, parseJson(raw));
      throw fail(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    }
    if (/^applications/i.test(seg)) {
      const alt = /^applications\(appId=/i.test(seg);
      const app = this.appAt(p, seg, alt ? undefined : sub);
      const act = alt ? sub : action;
      if (act === undefined) {
        if (method === 'GET') {
          this.need(p, APP_READ);
          return { status: 200, body: this.application(app, sel) };
        }
        if (method === 'PATCH') {
          this.need(p, APP_WRITE);
          if (!this.hasRole(p, ADMIN_ROLES) && !this.isOwner(p, app)) throw denied();
          this.applyBody(app, parseJson(raw), false);
          return { status: 204 };
        }
        if (method === 'DELETE') {
          this.need(p, APP_WRITE);
          if (!this.hasRole(p, ADMIN_ROLES) && !this.isOwner(p, app)) throw denied();
          this.deleteApp(app);
          return { status: 204 };
        }
      }
      if (act === 'addPassword' && method === 'POST') return this.addPassword(p, app, parseJson(raw));
      if (act === 'removePassword' && method === 'POST') {
        this.need(p, APP_WRITE);
        if (!this.hasRole(p, ADMIN_ROLES) && !this.isOwner(p, app)) throw denied();
        const keyId = String(parseJson(raw).keyId ?? '');
        const i = app.secrets.findIndex((s) => s.id === keyId);
        if (i < 0) throw notFound(keyId);
        app.secrets.splice(i, 1);
        return { status: 204 };
      }
      throw fail(400, 'BadRequest', `Resource not found for the segment '${act ?? ''}'.`);
    }

    // ---------------- /servicePrincipals
    if (seg === 'servicePrincipals' && sub === undefined) {
      if (method === 'GET') {
        this.need(p, APP_READ);
        const f = parseFilter(q.get('$filter'), ['appId', 'displayName', 'id'], 'servicePrincipal');
        let list = this.sps(p);
        for (const [k, v] of f) list = list.filter((x) => (k === 'appId' ? x.appId.toLowerCase() === v.toLowerCase() : k === 'id' ? x.id === v : x.displayName === v));
        return { status: 200, body: { '@odata.context': this.ctx(sel ? `servicePrincipals(${sel})` : 'servicePrincipals'), value: list.map((x) => this.spJson(p, x, sel, false)) } };
      }
      if (method === 'POST') return this.createSp(p, parseJson(raw));
      throw fail(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    }
    if (/^servicePrincipals/i.test(seg)) {
      const alt = /^servicePrincipals\(appId=/i.test(seg);
      const sp = this.spAt(p, seg, alt ? undefined : sub);
      const act = alt ? sub : action;
      const actSub = alt ? action : actionSub;
      if (act === undefined) {
        if (method === 'GET') {
          this.need(p, APP_READ);
          return { status: 200, body: this.spJson(p, sp, sel) };
        }
        if (method === 'PATCH' || method === 'DELETE') {
          this.need(p, APP_WRITE);
          if (sp.kind !== 'app') throw denied();
          if (!this.hasRole(p, ADMIN_ROLES) && !this.isOwner(p, sp.app)) throw denied();
          if (method === 'DELETE') {
            this.deleteSp(sp.app);
            return { status: 204 };
          }
          const body = parseJson(raw);
          if ('appRoleAssignmentRequired' in body) {
            if (typeof body.appRoleAssignmentRequired !== 'boolean') throw invalid('appRoleAssignmentRequired', 'ServicePrincipal');
            sp.app.appRoleAssignmentRequired = body.appRoleAssignmentRequired;
          }
          return { status: 204 };
        }
      }
      if (act === 'appRoleAssignedTo' || act === 'appRoleAssignments') {
        const byResource = act === 'appRoleAssignedTo';
        if (method === 'GET' && actSub === undefined) {
          this.need(p, APP_READ);
          const list = this.dir.assignments.filter((a) => (byResource ? a.resourceId === sp.id : a.principalId === sp.id));
          return { status: 200, body: { '@odata.context': this.ctx(`servicePrincipals('${sp.id}')/${act}`), value: list.map((a) => this.assignmentJson(a)) } };
        }
        if (method === 'POST' && actSub === undefined) return this.createAssignment(p, sp, parseJson(raw), byResource);
        if (method === 'DELETE' && actSub) {
          this.need(p, ['AppRoleAssignment.ReadWrite.All', 'Directory.AccessAsUser.All']);
          const i = this.dir.assignments.findIndex((a) => a.id === actSub && (byResource ? a.resourceId === sp.id : a.principalId === sp.id));
          if (i < 0) throw notFound(actSub);
          const a = this.dir.assignments[i]!;
          if (!this.mayAssign(p, a.resourceId, a.appRoleId)) throw denied();
          this.dir.assignments.splice(i, 1);
          return { status: 204 };
        }
      }
      throw fail(400, 'BadRequest', `Resource not found for the segment '${act ?? ''}'.`);
    }

    // ---------------- /oauth2PermissionGrants
    if (seg === 'oauth2PermissionGrants') {
      const inTenant = (g: Grant) => this.sps(p).some((x) => x.id === g.clientId) && this.sps(p).some((x) => x.id === g.resourceId);
      if (sub === undefined && method === 'GET') {
        this.need(p, ['DelegatedPermissionGrant.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', ...APP_READ]);
        const f = parseFilter(q.get('$filter'), ['clientId', 'resourceId', 'consentType', 'principalId'], 'oAuth2PermissionGrant');
        let list = this.dir.grants.filter(inTenant).filter((g) => this.visible(g.id));
        for (const [k, v] of f) list = list.filter((g) => String(g[k as keyof Grant] ?? '') === v);
        return { status: 200, body: { '@odata.context': this.ctx('oauth2PermissionGrants'), value: list.map((g) => this.grantJson(g)) } };
      }
      if (sub === undefined && method === 'POST') return this.createGrant(p, parseJson(raw));
      if (sub !== undefined) {
        const g = this.dir.grants.find((x) => x.id === sub && inTenant(x));
        if (!g) throw notFound(sub);
        if (method === 'GET') {
          this.need(p, ['DelegatedPermissionGrant.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', ...APP_READ]);
          return { status: 200, body: { '@odata.context': this.ctx('oauth2PermissionGrants/$entity'), ...this.grantJson(g) } };
        }
        this.need(p, ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All']);
        if (!this.hasRole(p, CONSENT_ROLES)) throw denied();
        if (method === 'PATCH') {
          const body = parseJson(raw);
          if (typeof body.scope !== 'string') throw invalid('scope', 'OAuth2PermissionGrant');
          this.checkScopes(g.resourceAppId, body.scope);
          g.scope = body.scope.split(' ').filter(Boolean).join(' ');
          if (g.origin === 'scenario') g.origin = 'graph';
          return { status: 204 };
        }
        if (method === 'DELETE') {
          this.dir.grants.splice(this.dir.grants.indexOf(g), 1);
          return { status: 204 };
        }
      }
      throw fail(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    }
    throw fail(400, 'BadRequest', `Resource not found for the segment '${seg}'.`);
  }

  // ------------------------------------------------------------------ writes
  private createApplication(p: Principal, body: Record<string, unknown>) {
    this.need(p, [...APP_WRITE, 'Application.ReadWrite.OwnedBy']);
    const tid = this.tid(p);
    const tenant = this.dir.tenantById(tid)!;
    if (p.kind === 'user' && !this.hasRole(p, [...ADMIN_ROLES, 'Application Developer'])) {
      const allowed = tenant.usersCanRegisterApps && !this.dir.faults.usersCannotRegisterApps && p.user.kind === 'member' && p.user.tenantId === tid;
      if (!allowed) throw fail(403, 'Authorization_RequestDenied', GRAPH_TEXTS.usersMayNotRegister);
    }
    if (typeof body.displayName !== 'string' || !body.displayName.trim()) throw invalid('displayName');
    const app = AppSchema.parse({ clientId: guid(), objectId: guid(), servicePrincipalId: guid(), displayName: body.displayName, tenantId: tid, hasServicePrincipal: false, createdDateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
    this.applyBody(app, body, true);
    if (p.kind === 'user') app.owners.push(p.user.objectId);
    this.dir.scenario.apps.push(app);
    const now = this.dir.clock.nowMs();
    this.dir.createdAt.set(app.objectId, now);
    this.dir.createdAt.set(app.clientId, now);
    return { status: 201, body: this.application(app, null), location: `${this.graphUrl()}/v1.0/applications/${app.objectId}` };
  }

  private addPassword(p: Principal, app: App, body: Record<string, unknown>) {
    this.need(p, APP_WRITE);
    if (!this.hasRole(p, ADMIN_ROLES) && !this.isOwner(p, app)) throw denied();
    const pc = (body.passwordCredential ?? {}) as Record<string, unknown>;
    const start = typeof pc.startDateTime === 'string' ? new Date(pc.startDateTime) : new Date();
    const end = typeof pc.endDateTime === 'string' ? new Date(pc.endDateTime) : new Date(new Date(start).setUTCFullYear(start.getUTCFullYear() + 2));
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) throw invalid('passwordCredential', 'PasswordCredential');
    const pol = this.dir.faults.appPolicy;
    if (pol?.passwordAdditionBlocked) throw fail(400, 'CredentialTypeNotAllowedAsPerAppPolicy', GRAPH_TEXTS.passwordBlocked(DEFAULT_POLICY_ID));
    if (pol?.maxPasswordLifetime) {
      const max = durationMs(pol.maxPasswordLifetime);
      if (max !== null && end.getTime() - start.getTime() > max) throw fail(400, 'CredentialInvalidLifetimeAsPerAppPolicy', GRAPH_TEXTS.lifetime(DEFAULT_POLICY_ID));
    }
    const secretText = newSecretText();
    const keyId = guid();
    const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
    const displayName = typeof pc.displayName === 'string' ? pc.displayName : null;
    app.secrets.push({ id: keyId, value: secretText, displayName: displayName ?? 'secret', expires: iso(end), startDateTime: iso(start) });
    return { status: 200, body: { '@odata.context': this.ctx('microsoft.graph.passwordCredential'), customKeyIdentifier: null, displayName, endDateTime: iso(end), hint: secretText.slice(0, 3), keyId, secretText, startDateTime: iso(start) } };
  }

  private deleteApp(app: App) {
    this.deleteSp(app);
    const list = this.dir.scenario.apps;
    list.splice(list.indexOf(app), 1);
  }
  private deleteSp(app: App) {
    const sp = app.servicePrincipalId;
    for (let i = this.dir.grants.length - 1; i >= 0; i--) if (this.dir.grants[i]!.clientId === sp) this.dir.grants.splice(i, 1);
    for (let i = this.dir.assignments.length - 1; i >= 0; i--) if (this.dir.assignments[i]!.principalId === sp || this.dir.assignments[i]!.resourceId === sp) this.dir.assignments.splice(i, 1);
    app.hasServicePrincipal = false;
    app.exchangeServicePrincipal = false;
  }

  private createSp(p: Principal, body: Record<string, unknown>) {
    this.need(p, [...APP_WRITE, 'Application.ReadWrite.OwnedBy']);
    const appId = String(body.appId ?? '');
    const app = this.dir.scenario.apps.find((a) => a.clientId.toLowerCase() === appId.toLowerCase() && a.tenantId === this.tid(p));
    if (!app || this.dir.isFresh(app.clientId))
      throw fail(400, 'Request_BadRequest', GRAPH_TEXTS.noBackingApp(appId), [{ code: 'NoBackingApplicationObject', message: GRAPH_TEXTS.noBackingApp(appId), target: 'appId' }]);
    if (!this.hasRole(p, ADMIN_ROLES) && !this.isOwner(p, app)) throw denied();
    if (app.hasServicePrincipal) throw fail(409, 'Request_MultipleObjectsWithSameKeyValue', GRAPH_TEXTS.duplicateSp);
    app.hasServicePrincipal = true;
    if ('appRoleAssignmentRequired' in body) app.appRoleAssignmentRequired = body.appRoleAssignmentRequired === true;
    this.dir.createdAt.set(app.servicePrincipalId, this.dir.clock.nowMs());
    return { status: 201, body: this.appSp(app, null), location: `${this.graphUrl()}/v1.0/servicePrincipals/${app.servicePrincipalId}` };
  }

  /** Who may create / delete an app role assignment on a resource (grant-admin-consent doc, REGISTRATION-FACTS.md 2.9). */
  private mayAssign(p: Principal, resourceId: string, appRoleId: string): boolean {
    const r = this.dir.resourceBySpId(resourceId);
    if (r && r.res.appId === GRAPH_APP_ID && appRoleId !== DEFAULT_ACCESS_ROLE) return this.hasRole(p, GRAPH_APP_ROLE_ROLES);
    if (r) return this.hasRole(p, CONSENT_ROLES);
    const app = this.dir.appBySp(resourceId);
    return this.hasRole(p, CONSENT_ROLES) || (!!app && this.isOwner(p, app));
  }

  private createAssignment(p: Principal, sp: ReturnType<GraphDirectoryApi['sps']>[number], body: Record<string, unknown>, byResource: boolean) {
    // permissions-grant-via-msgraph.md: AppRoleAssignment.ReadWrite.All and Application.Read.All (or Directory.Read.All)
    this.need(p, ['AppRoleAssignment.ReadWrite.All', 'Directory.AccessAsUser.All']);
    this.need(p, APP_READ);
    const principalId = String(body.principalId ?? '');
    const resourceId = String(body.resourceId ?? '');
    const appRoleId = String(body.appRoleId ?? '').toLowerCase();
    if (byResource ? resourceId !== sp.id : principalId !== sp.id) throw fail(400, 'Request_BadRequest', GRAPH_TEXTS.badReference);
    const all = this.sps(p);
    const resSp = all.find((x) => x.id === resourceId);
    const principalSp = all.find((x) => x.id === principalId);
    const user = this.dir.userByOid(principalId);
    const freshSp = [principalId, resourceId].some((id) => this.dir.isFresh(id));
    if (freshSp || !resSp || (!principalSp && !user)) throw fail(400, 'Request_BadRequest', GRAPH_TEXTS.badReference);
    const roles = resSp.kind === 'resource' ? resSp.res.roles : [];
    if (appRoleId !== DEFAULT_ACCESS_ROLE && !roles.some((r) => r.id === appRoleId)) throw fail(400, 'Request_BadRequest', GRAPH_TEXTS.roleNotFound(resSp.appId));
    if (!this.mayAssign(p, resourceId, appRoleId)) throw denied();
    if (this.dir.assignments.some((a) => a.principalId === principalId && a.resourceId === resourceId && a.appRoleId === appRoleId)) throw fail(400, 'Request_BadRequest', GRAPH_TEXTS.roleExists);
    const a: Assignment = {
      id: assignmentId(),
      appRoleId,
      principalId,
      principalType: user ? 'User' : 'ServicePrincipal',
      principalDisplayName: user ? user.displayName : (principalSp?.displayName ?? ''),
      resourceId,
      resourceDisplayName: resSp.displayName,
      createdDateTime: new Date().toISOString(),
      origin: 'graph',
    };
    this.dir.assignments.push(a);
    return { status: 201, body: { '@odata.context': this.ctx(`servicePrincipals('${sp.id}')/${byResource ? 'appRoleAssignedTo' : 'appRoleAssignments'}/$entity`), ...this.assignmentJson(a) } };
  }

  private checkScopes(resourceAppId: string, scope: string) {
    const res = resourceByAppId(resourceAppId);
    for (const name of scope.split(' ').filter(Boolean))
      if (!res?.scopes.some((s) => s.value === name)) throw fail(400, 'Request_BadRequest', `Claim is invalid: ${name} does not exist on resource application ${resourceAppId}`);
  }

  private createGrant(p: Principal, body: Record<string, unknown>) {
    this.need(p, ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All']);
    const clientId = String(body.clientId ?? '');
    const resourceId = String(body.resourceId ?? '');
    const consentType = body.consentType;
    const principalId = body.principalId === undefined || body.principalId === null ? null : String(body.principalId);
    if (consentType !== 'AllPrincipals' && consentType !== 'Principal') throw invalid('consentType', 'OAuth2PermissionGrant');
    if (typeof body.scope !== 'string') throw invalid('scope', 'OAuth2PermissionGrant');
    const all = this.sps(p);
    const client = all.find((x) => x.id === clientId);
    const resource = all.find((x) => x.id === resourceId);
    if (!client || !resource || this.dir.isFresh(clientId) || this.dir.isFresh(resourceId)) throw fail(400, 'Request_BadRequest', GRAPH_TEXTS.badReference);
    if (consentType === 'Principal' && (!principalId || !this.dir.userByOid(principalId))) throw fail(400, 'Request_BadRequest', GRAPH_TEXTS.badReference);
    if (consentType === 'AllPrincipals' && principalId) throw invalid('principalId', 'OAuth2PermissionGrant');
    if (!this.hasRole(p, CONSENT_ROLES)) throw denied();
    if (resource.kind !== 'resource') throw fail(400, 'Request_BadRequest', `Claim is invalid: ${body.scope} does not exist on resource application ${resource.appId}`);
    this.checkScopes(resource.appId, body.scope);
    if (this.dir.grants.some((g) => g.clientId === clientId && g.resourceId === resourceId && g.consentType === consentType && (g.principalId ?? null) === principalId))
      throw fail(409, 'Request_MultipleObjectsWithSameKeyValue', GRAPH_TEXTS.duplicateGrant);
    const g: Grant = { id: randomBytes(24).toString('base64url'), clientId, consentType, principalId, resourceId, resourceAppId: resource.appId, scope: body.scope.split(' ').filter(Boolean).join(' '), origin: 'graph' };
    this.dir.grants.push(g);
    return { status: 201, body: { '@odata.context': this.ctx('oauth2PermissionGrants/$entity'), ...this.grantJson(g) } };
  }
}

export { EXCHANGE_RESOURCE, GRAPH_RESOURCE };
