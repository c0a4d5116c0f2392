import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { App, Tenant, User } from './scenario.js';
import { CONSUMERS_TENANT_ID } from './scenario.js';
import { type Directory, type ResourceKey, type Signer, type JwtClaims, KNOWN_PERMISSIONS, OIDC_SCOPES, OUTLOOK_VIA_GRAPH, resourceOf, EXCHANGE_APP_ID, GRAPH_APP_ID } from './core.js';
import { ENTRA_ROLES, resourceByKey } from './resources.js';
import { verifyClientAssertion } from './assertion.js';
import { b64url, entraTimestamp, guid, sleep } from './util.js';

export interface EntraError {
  status: number;
  error: string;
  code: number | null;
  message: string;
}
const err = (status: number, error: string, code: number | null, message: string): EntraError => ({ status, error, code, message });

export function errorBody(e: EntraError, loginUrl: string) {
  const trace = guid();
  const corr = guid();
  const ts = entraTimestamp();
  const prefix = e.code === null ? '' : `AADSTS${e.code}: `;
  return {
    error: e.error,
    error_description: `${prefix}${e.message} Trace ID: ${trace} Correlation ID: ${corr} Timestamp: ${ts}`,
    error_codes: e.code === null ? [] : [e.code],
    timestamp: ts,
    trace_id: trace,
    correlation_id: corr,
    ...(e.code === null ? {} : { error_uri: `${loginUrl}/error?code=${e.code}` }),
  };
}

export interface ParsedScopes {
  resource: ResourceKey | null;
  /** The resource prefix as requested (e.g. https://outlook.office.com). */
  prefix: string;
  perms: string[];
  oidc: string[];
  isDefault: boolean;
}

const AUDIENCE: Record<ResourceKey, string> = { outlook: 'https://outlook.office.com', graph: 'https://graph.microsoft.com' };
const RESOURCE_APP_ID: Record<ResourceKey, string> = { outlook: EXCHANGE_APP_ID, graph: GRAPH_APP_ID };
const SCOPE_OK = /^[A-Za-z0-9._:/~\-]+$/;

export function parseScopes(scope: string | undefined, app: App, appOnly: boolean): ParsedScopes | EntraError {
  const items = (scope ?? '').split(' ').filter((s) => s.length > 0);
  if (items.length === 0) return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const out: ParsedScopes = { resource: null, prefix: '', perms: [], oidc: [], isDefault: false };
  for (const item of items) {
    if (!SCOPE_OK.test(item)) return err(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope '${item}' is not valid.`);
    if (OIDC_SCOPES.has(item)) {
      if (!appOnly) out.oidc.push(item);
      continue;
    }
    let prefix = 'https://graph.microsoft.com';
    let name = item;
    const slash = item.lastIndexOf('/');
    if (slash >= 0) {
      prefix = item.slice(0, slash);
      name = item.slice(slash + 1);
      if (!name || !prefix) return err(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope '${item}' is not valid.`);
    }
    const res = resourceOf(prefix);
    if (!res) return err(400, 'invalid_resource', 500011, `The resource principal named ${prefix} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
    if (out.resource && out.resource !== res) return err(400, 'invalid_scope', 700022, `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${items.join(' ')} is not valid.`);
    out.resource = res;
    out.prefix = prefix.replace(/\/$/, '');
    if (name === '.default') {
      out.isDefault = true;
      continue;
    }
    const known = (appOnly ? KNOWN_PERMISSIONS[res].application : KNOWN_PERMISSIONS[res].delegated) as readonly string[];
    const canonical = known.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!canonical) return err(400, 'invalid_client', 650053, `The application '${app.displayName}' asked for scope '${name}' that doesn't exist on the resource '${RESOURCE_APP_ID[res]}'. Contact the app vendor.`);
    out.perms.push(canonical);
  }
  if (appOnly) {
    if (!out.isDefault || out.perms.length > 0 || !out.resource)
      return err(400, 'invalid_scope', 1002012, `The provided value for scope ${items.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  if (!out.resource) {
    // Only OpenID scopes: Entra issues a Graph token (User.Read).
    out.resource = 'graph';
    out.prefix = 'https://graph.microsoft.com';
    out.perms = ['User.Read'];
  }
  return out;
}


/** Whether the registration lists a delegated permission for a resource (Exchange ones also under Graph). */
export function registers(app: App, res: ResourceKey, name: string): boolean {
  return app.delegatedPermissions.some((p) => p.name === name && (p.resource === res || (res === 'outlook' && p.resource === 'graph' && OUTLOOK_VIA_GRAPH.has(name))));
}

/** The delegated permissions a `.default` request for a resource stands for (OpenID scopes excluded). */
function registeredNames(app: App, res: ResourceKey): string[] {
  const names = app.delegatedPermissions.filter((p) => p.resource === res || (res === 'outlook' && p.resource === 'graph' && OUTLOOK_VIA_GRAPH.has(p.name))).map((p) => p.name);
  return [...new Set(names)].filter((n) => !OIDC_SCOPES.has(n));
}

interface CodeRecord {
  code: string;
  app: App;
  clientType: 'web' | 'public';
  redirectUri: string;
  user: User;
  tenantId: string;
  scopes: ParsedScopes;
  challenge: string | null;
  challengeMethod: string;
  nonce: string | null;
  used: boolean;
  expires: number;
  mfa: boolean;
}
interface RefreshRecord {
  token: string;
  app: App;
  clientType: 'web' | 'public';
  user: User;
  tenantId: string;
  issued: number;
  expires: number;
  revoked: boolean;
  mfa: boolean;
}
interface DeviceRecord {
  deviceCode: string;
  userCode: string;
  app: App;
  tenantSeg: string;
  scopes: ParsedScopes;
  expires: number;
  interval: number;
  lastPoll: number;
  state: 'pending' | 'approved' | 'declined' | 'redeemed';
  user: User | null;
  tenantId: string | null;
  error: EntraError | null;
  mfa: boolean;
}
interface Flow {
  id: string;
  kind: 'authorize' | 'device';
  tenantSeg: string;
  tenant: Tenant | 'common' | 'organizations' | 'consumers';
  app: App;
  clientType: 'web' | 'public';
  redirectUri: string;
  state: string | null;
  responseMode: string;
  scopes: ParsedScopes;
  challenge: string | null;
  challengeMethod: string;
  nonce: string | null;
  prompt: string | null;
  loginHint: string | null;
  user: User | null;
  device: DeviceRecord | null;
  sessionId: string;
  mfa: boolean;
}

export interface IssueOptions {
  /** delegated token for this user (omit for app-only) */
  upn?: string;
  /** 'outlook' (default: aud https://outlook.office.com, app-only https://outlook.office365.com) or 'graph' (aud https://graph.microsoft.com) */
  resource?: ResourceKey;
  clientId?: string;
  tenantId?: string;
  aud?: string;
  scp?: string;
  roles?: string[];
  lifetimeSeconds?: number;
  /** extra / overriding claims */
  claims?: Record<string, unknown>;
}

export class Entra {
  readonly codes = new Map<string, CodeRecord>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  readonly devices = new Map<string, DeviceRecord>();
  readonly flows = new Map<string, Flow>();
  readonly sessions = new Map<string, Set<string>>(); // session id -> user oids signed in
  /** set by admin: refresh tokens issued before this time (per user oid) are revoked */
  readonly tokensValidFrom = new Map<string, number>();
  throttleRemaining: number | null = null;

  /** Forget every code, token, device code, sign-in flow and browser session (the emulator's reset). */
  reset(): void {
    for (const m of [this.codes, this.refreshTokens, this.devices, this.flows, this.sessions, this.tokensValidFrom]) m.clear();
    this.throttleRemaining = null;
  }

  constructor(
    private readonly dir: Directory,
    private readonly signer: Signer,
    public loginUrl: string,
  ) {}

  // ---------- tokens ----------
  accessTokenFor(o: { mfa?: boolean; user?: User; app: App; tenantId: string; resource: ResourceKey; prefix?: string; scp?: string; roles?: string[]; appidacr: string; lifetime?: number }): string {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = o.lifetime ?? this.dir.scenario.settings.accessTokenLifetimeSeconds;
    let aud = AUDIENCE[o.resource];
    if (o.resource === 'outlook' && !o.user) aud = o.prefix?.toLowerCase() === 'https://outlook.office.com' ? 'https://outlook.office.com' : 'https://outlook.office365.com';
    const base: JwtClaims = {
      aud,
      iss: `https://sts.windows.net/${o.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      aio: b64url(randomBytes(24)),
      app_displayname: o.app.displayName,
      appid: o.app.clientId,
      appidacr: o.appidacr,
      idp: `https://sts.windows.net/${o.tenantId}/`,
      rh: `0.${b64url(randomBytes(12))}.`,
      tid: o.tenantId,
      uti: b64url(randomBytes(16)),
      ver: '1.0',
    };
    if (o.user) {
      const [given, ...rest] = o.user.displayName.split(' ');
      Object.assign(base, {
        acct: 0,
        acr: '1',
        amr: o.mfa ? ['pwd', 'mfa'] : ['pwd'],
        family_name: rest.join(' ') || given,
        given_name: given,
        idtyp: 'user',
        ipaddr: '127.0.0.1',
        name: o.user.displayName,
        oid: o.user.objectId,
        puid: createHash('sha1').update(o.user.objectId).digest('hex').slice(0, 16).toUpperCase(),
        scp: o.scp ?? '',
        sid: guid(),
        sub: b64url(createHash('sha256').update(`${o.user.objectId}|${o.app.clientId}|${o.resource}`).digest()).slice(0, 43),
        unique_name: o.user.upn,
        upn: o.user.upn,
        preferred_username: o.user.upn,
        wids: this.dir.rolesOf(o.user).length ? this.dir.rolesOf(o.user).map((r) => ENTRA_ROLES[r]) : undefined,
      });
    } else {
      Object.assign(base, {
        idtyp: 'app',
        oid: o.app.servicePrincipalId,
        sub: o.app.servicePrincipalId,
        roles: o.roles ?? [],
      });
      if (!o.roles || o.roles.length === 0) delete base.roles;
    }
    return this.signer.sign(base);
  }

  /** For tests: mint any access token (defaults: first Outlook-capable app, IMAP+SMTP scopes). */
  issueToken(opts: IssueOptions): string {
    const app = (opts.clientId && this.dir.app(opts.clientId)) || this.dir.scenario.apps[0];
    if (!app) throw new Error('scenario has no app registration');
    const now = Math.floor(Date.now() / 1000);
    let token: string;
    if (opts.upn) {
      const user = this.dir.user(opts.upn);
      if (!user) throw new Error(`unknown user ${opts.upn}`);
      const resource = opts.resource ?? 'outlook';
      const scp = opts.scp ?? (resource === 'graph' ? 'User.Read Mail.ReadWrite Mail.Send' : 'IMAP.AccessAsUser.All SMTP.Send');
      token = this.accessTokenFor({ user, app, tenantId: opts.tenantId ?? user.tenantId, resource, scp, appidacr: '1', lifetime: opts.lifetimeSeconds });
    } else {
      const resource = opts.resource ?? 'outlook';
      const roles = opts.roles ?? (resource === 'graph' ? ['Mail.Read', 'Mail.Send'] : ['IMAP.AccessAsApp', 'SMTP.SendAsApp']);
      token = this.accessTokenFor({ app, tenantId: opts.tenantId ?? app.tenantId, resource, roles, appidacr: '1', lifetime: opts.lifetimeSeconds });
    }
    if (opts.aud === undefined && opts.claims === undefined && opts.scp === undefined) return token;
    // re-sign with overrides
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as JwtClaims;
    if (opts.aud !== undefined) claims.aud = opts.aud;
    if (opts.scp !== undefined && opts.upn) claims.scp = opts.scp;
    Object.assign(claims, opts.claims ?? {});
    if (opts.lifetimeSeconds !== undefined) claims.exp = now + opts.lifetimeSeconds;
    return this.signer.sign(claims);
  }

  private idToken(user: User, app: App, tenantId: string, nonce: string | null): string {
    const now = Math.floor(Date.now() / 1000);
    return this.signer.sign({
      aud: app.clientId,
      iss: `${this.loginUrl}/${tenantId}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: user.displayName,
      nonce: nonce ?? undefined,
      oid: user.objectId,
      preferred_username: user.upn,
      rh: `0.${b64url(randomBytes(12))}.`,
      sub: b64url(createHash('sha256').update(`${user.objectId}|${app.clientId}`).digest()).slice(0, 43),
      tid: tenantId,
      uti: b64url(randomBytes(16)),
      ver: '2.0',
    });
  }

  /**
   * Whether the user holds every delegated permission the request asks for: admin consent for what the
   * registration lists, or the user's own consent. offline_access is a permission like the others
   * (Microsoft Graph > offline_access): a registration without it needs consent for it.
   */
  private grantedDelegated(user: User, app: App, s: ParsedScopes): boolean {
    if (!s.resource) return true;
    const res = s.resource;
    const wanted = s.isDefault ? registeredNames(app, res) : s.perms;
    // Consent = the tenant's oauth2PermissionGrants (AllPrincipals or this user's), as Graph shows them.
    const has = (r: ResourceKey, name: string) => this.dir.grantCovers(app, user, r, name);
    if (s.oidc.includes('offline_access') && !has('graph', 'offline_access')) return false;
    return wanted.every((name) => has(res, name));
  }
  private grant(user: User, app: App, s: ParsedScopes, tenantId: string) {
    const names = s.isDefault && s.resource ? registeredNames(app, s.resource) : s.perms;
    if (s.resource) this.dir.addUserConsent(app, user, tenantId, s.resource, names);
    if (s.oidc.includes('offline_access')) this.dir.addUserConsent(app, user, tenantId, 'graph', ['offline_access']);
  }
  /** Whether the request asks for a permission only an administrator may consent to (Application.ReadWrite.All ...). */
  private needsAdminConsent(app: App, s: ParsedScopes): boolean {
    if (!s.resource) return false;
    const names = s.isDefault ? registeredNames(app, s.resource) : s.perms;
    const defs = resourceByKey(s.resource).scopes;
    return names.some((n) => defs.find((d) => d.value === n)?.admin);
  }
  private delegatedScp(app: App, s: ParsedScopes): string {
    if (s.isDefault && s.resource) return registeredNames(app, s.resource).join(' ');
    return s.perms.join(' ');
  }

  private userTokens(user: User, app: App, tenantId: string, s: ParsedScopes, clientType: 'web' | 'public', nonce: string | null, mfa: boolean, oldRt?: RefreshRecord) {
    const res = s.resource ?? 'graph';
    const scp = this.delegatedScp(app, s);
    const access = this.accessTokenFor({ user, app, tenantId, resource: res, scp, mfa, appidacr: clientType === 'web' ? '1' : '0' });
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: [...scp.split(' ').filter(Boolean).map((p) => `${AUDIENCE[res]}/${p}`), ...s.oidc.filter((o) => o !== 'offline_access')].join(' '),
      expires_in: this.dir.scenario.settings.accessTokenLifetimeSeconds,
      ext_expires_in: this.dir.scenario.settings.accessTokenLifetimeSeconds,
      access_token: access,
    };
    if (s.oidc.includes('offline_access') || oldRt) {
      const rt = `1.${b64url(randomBytes(48))}`;
      this.refreshTokens.set(rt, { token: rt, app, clientType, user, tenantId, issued: Date.now(), expires: Date.now() + this.dir.scenario.settings.refreshTokenLifetimeSeconds * 1000, revoked: false, mfa });
      body.refresh_token = rt;
    }
    if (s.oidc.includes('openid')) body.id_token = this.idToken(user, app, tenantId, nonce);
    body.client_info = b64url(JSON.stringify({ uid: user.objectId, utid: tenantId }));
    return body;
  }

  // ---------- common checks ----------
  private resolveApp(tenantSeg: string, clientId: string | undefined): { tenant: Tenant | 'common' | 'organizations' | 'consumers'; app: App } | EntraError {
    const tenant = this.dir.tenantBySegment(tenantSeg);
    if (!tenant)
      return err(400, 'invalid_request', 90002, `Tenant '${tenantSeg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
    if (!clientId) return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    const app = this.dir.app(clientId);
    const tenantName = typeof tenant === 'string' ? tenantSeg : tenant.displayName;
    const notFound = err(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    if (!app) return notFound;
    const created = this.dir.createdAt.get(app.clientId);
    const lag = this.dir.faults.signInReplicationLagSeconds;
    if (lag > 0 && created !== undefined && this.dir.clock.nowMs() - created < lag * 1000) return notFound;
    if (typeof tenant !== 'string' && app.signInAudience === 'AzureADMyOrg' && app.tenantId !== tenant.id) return notFound;
    if (tenant === 'common' && app.signInAudience === 'AzureADMyOrg')
      return err(400, 'invalid_request', 50194, `Application '${app.clientId}'(${app.displayName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`);
    if (tenant === 'consumers' && (app.signInAudience === 'AzureADMyOrg' || app.signInAudience === 'AzureADMultipleOrgs')) return err(400, 'unauthorized_client', null, 'The client does not exist or is not enabled for consumers. If you are the application developer, configure a new application through the App Registrations in the Azure portal at https://go.microsoft.com/fwlink/?linkid=2083908.');
    return { tenant, app };
  }

  private clientAuth(app: App, clientType: 'web' | 'public', secret: string | undefined, assertion: string | undefined, ctx: { seg: string; assertionType?: string | null } = { seg: 'common' }): EntraError | null {
    if (secret || assertion) {
      if (clientType === 'public') return err(401, 'invalid_client', 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
      if (assertion && !secret) {
        if (ctx.assertionType !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
          return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_assertion_type'.");
        const r = verifyClientAssertion(assertion, app, `${this.loginUrl}/${ctx.seg}/oauth2/v2.0/token`);
        return r === null ? null : err(r.status, r.error, r.code, r.message);
      }
      if (!secret) return err(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
      if (app.secrets.some((s) => s.id.toLowerCase() === secret.toLowerCase()))
        return err(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
      const match = app.secrets.find((s) => s.value === secret);
      if (!match) return err(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
      if (this.dir.faults.secretExpired || Date.parse(match.expires) < Date.now())
        return err(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
      return null;
    }
    if (clientType === 'web') return err(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    return null;
  }

  /** Enterprise app "Assignment required": AADSTS50105 for a user not assigned (REGISTRATION-FACTS.md 2.7). */
  private assignmentRefusal(user: User, app: App): EntraError | null {
    if (!app.hasServicePrincipal || !app.appRoleAssignmentRequired || this.dir.isAssigned(app, user)) return null;
    return err(400, 'invalid_grant', 50105, `The signed in user '${user.upn}' is not assigned to a role for the application '${app.clientId}'(${app.displayName}).`);
  }

  private caBlocked(): EntraError | null {
    if (!this.dir.faults.conditionalAccess) return null;
    return err(400, 'invalid_grant', 53003, 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.');
  }

  /** Which tenant a user signs in to for this request, or an error. */
  private signInTenant(user: User, tenant: Flow['tenant'], app: App): string | EntraError {
    if (user.kind === 'personal') {
      if (app.signInAudience === 'AzureADMyOrg' || app.signInAudience === 'AzureADMultipleOrgs' || (typeof tenant !== 'string' || tenant === 'organizations'))
        return err(400, 'unauthorized_client', null, 'The client does not exist or is not enabled for consumers. If you are the application developer, configure a new application through the App Registrations in the Azure portal at https://go.microsoft.com/fwlink/?linkid=2083908.');
      return CONSUMERS_TENANT_ID;
    }
    if (tenant === 'consumers') return err(400, 'invalid_request', 50020, `User account '${user.upn}' from identity provider 'https://sts.windows.net/${user.tenantId}/' does not exist in tenant 'Microsoft Services' and cannot access the application '${app.clientId}'(${app.displayName}) in that tenant.`);
    if (app.signInAudience === 'PersonalMicrosoftAccount') return err(400, 'unauthorized_client', 50020, `User account '${user.upn}' cannot access the application '${app.clientId}'(${app.displayName}): it accepts personal Microsoft accounts only.`);
    const tid = typeof tenant === 'string' ? user.tenantId : tenant.id;
    const tenantName = this.dir.tenantById(tid)?.displayName ?? tid;
    if (!this.dir.userInTenant(user, tid) || (app.signInAudience === 'AzureADMyOrg' && tid !== app.tenantId))
      return err(400, 'invalid_request', 50020, `User account '${user.upn}' from identity provider 'https://sts.windows.net/${user.tenantId}/' does not exist in tenant '${tenantName}' and cannot access the application '${app.clientId}'(${app.displayName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`);
    return tid;
  }

  // ---------- HTTP ----------
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: URLSearchParams): Promise<boolean> {
    const lat = this.dir.faults.latencyMs.login;
    if (lat) await sleep(lat);
    const parts = url.pathname.split('/').filter(Boolean);
    const json = (status: number, obj: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(obj));
    };
    const fail = (e: EntraError) => json(e.status, errorBody(e, this.loginUrl));

    if (parts[0] === 'common' && parts[1] === 'discovery' && parts[2] === 'instance') {
      const host = new URL(this.loginUrl).host;
      json(200, {
        tenant_discovery_endpoint: `${this.loginUrl}/{tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
      return true;
    }
    if (parts[0] === 'devicelogin') {
      this.deviceLoginPage(req, res, body);
      return true;
    }
    if (parts[0] === '_flow' && req.method === 'POST') {
      await this.flowStep(req, res, body);
      return true;
    }
    const seg = parts[0];
    if (!seg) return false;
    const rest = parts.slice(1).join('/');
    if (rest === 'v2.0/.well-known/openid-configuration') {
      const t = this.dir.tenantBySegment(seg);
      if (!t) {
        fail(err(400, 'invalid_tenant', 90002, `Tenant '${seg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`));
        return true;
      }
      const tid = typeof t === 'string' ? (t === 'consumers' ? CONSUMERS_TENANT_ID : '{tenantid}') : t.id;
      const b = `${this.loginUrl}/${seg}`;
      json(200, {
        token_endpoint: `${b}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${b}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${this.loginUrl}/${tid}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `https://graph.microsoft.com/oidc/userinfo`,
        authorization_endpoint: `${b}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${b}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${b}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
        kerberos_endpoint: `${b}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      });
      return true;
    }
    if (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys') {
      json(200, this.signer.jwks());
      return true;
    }
    if (rest === 'oauth2/v2.0/authorize') {
      this.authorize(req, res, seg, url.searchParams);
      return true;
    }
    if (rest === 'oauth2/v2.0/logout') {
      this.page(res, 200, 'Signed out', '<p>You signed out of your account.</p>');
      return true;
    }
    if (rest === 'oauth2/v2.0/devicecode' && req.method === 'POST') {
      const r = this.resolveApp(seg, body.get('client_id') ?? undefined);
      if ('status' in r) return fail(r), true;
      const s = parseScopes(body.get('scope') ?? '', r.app, false);
      if ('status' in s) return fail(s), true;
      const userCode = randomBytes(6).toString('hex').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 9);
      const deviceCode = `DAQABIQEAAAB${b64url(randomBytes(64))}`;
      const st = this.dir.scenario.settings;
      const rec: DeviceRecord = { deviceCode, userCode, app: r.app, tenantSeg: seg, scopes: s, expires: this.dir.clock.nowMs() + st.deviceCodeExpiresSeconds * 1000, interval: st.deviceCodeIntervalSeconds, lastPoll: 0, state: 'pending', user: null, tenantId: null, error: null, mfa: false };
      this.devices.set(deviceCode, rec);
      const verification = `${this.loginUrl}/devicelogin`;
      json(200, {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: verification,
        expires_in: st.deviceCodeExpiresSeconds,
        interval: st.deviceCodeIntervalSeconds,
        message: `To sign in, use a web browser to open the page ${verification} and enter the code ${userCode} to authenticate.`,
      });
      return true;
    }
    if (rest === 'oauth2/v2.0/token' && req.method === 'POST') {
      const th = this.dir.faults.tokenThrottle;
      if (th && (th.count === null || (this.throttleRemaining ?? th.count) > 0)) {
        if (th.count !== null) this.throttleRemaining = (this.throttleRemaining ?? th.count) - 1;
        const e = th.status === 429
          ? err(429, 'temporarily_unavailable', 50196, 'The server terminated an operation because it encountered a client request loop. Please contact your app vendor.')
          : err(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.');
        json(e.status, errorBody(e, this.loginUrl), { 'retry-after': String(th.retryAfterSeconds) });
        return true;
      }
      const result = this.token(seg, body, req);
      if ('status' in result) fail(result as EntraError);
      else json(200, result);
      return true;
    }
    return false;
  }

  private basicAuth(req: IncomingMessage): { id?: string; secret?: string } {
    const h = req.headers.authorization;
    if (!h?.startsWith('Basic ')) return {};
    const [id, secret] = Buffer.from(h.slice(6), 'base64').toString().split(':');
    return { id: id ? decodeURIComponent(id) : undefined, secret: secret ? decodeURIComponent(secret) : undefined };
  }

  private token(seg: string, body: URLSearchParams, req: IncomingMessage): Record<string, unknown> | EntraError {
    const basic = this.basicAuth(req);
    const clientId = body.get('client_id') ?? basic.id;
    const secret = body.get('client_secret') ?? basic.secret;
    const assertion = body.get('client_assertion') ?? undefined;
    const r = this.resolveApp(seg, clientId ?? undefined);
    if ('status' in r) return r;
    const { app, tenant } = r;
    const actx = { seg, assertionType: body.get('client_assertion_type') };
    const grant = body.get('grant_type');
    if (grant === 'authorization_code') {
      const code = body.get('code') ?? '';
      const rec = this.codes.get(code);
      if (!rec) return err(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
      if (rec.app.clientId !== app.clientId) return err(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid. The code was issued to a different client.");
      const ca = this.clientAuth(app, rec.clientType, secret ?? undefined, assertion, actx);
      if (ca) return ca;
      if (rec.used) return err(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
      if (rec.expires < Date.now()) return err(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
      if ((body.get('redirect_uri') ?? '') !== rec.redirectUri) return err(400, 'invalid_grant', 70000, "The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.");
      if (rec.challenge) {
        const v = body.get('code_verifier') ?? '';
        const calc = rec.challengeMethod === 'S256' ? b64url(createHash('sha256').update(v).digest()) : v;
        if (!v || calc !== rec.challenge) return err(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
      }
      rec.used = true;
      const unassigned = this.assignmentRefusal(rec.user, app);
      if (unassigned) return unassigned;
      const blocked = this.caBlocked();
      if (blocked) return blocked;
      return this.userTokens(rec.user, app, rec.tenantId, rec.scopes, rec.clientType, rec.nonce, rec.mfa);
    }
    if (grant === 'refresh_token') {
      const rt = this.refreshTokens.get(body.get('refresh_token') ?? '');
      if (!rt) return err(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
      if (rt.app.clientId !== app.clientId) return err(400, 'invalid_grant', 70000, 'The provided value for the refresh_token is not valid. The refresh token was issued to a different client.');
      const ca = this.clientAuth(app, rt.clientType, secret ?? undefined, assertion, actx);
      if (ca) return ca;
      const validFrom = this.tokensValidFrom.get(rt.user.objectId);
      if (rt.revoked || (validFrom !== undefined && rt.issued < validFrom))
        return err(400, 'invalid_grant', 50173, `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${new Date(rt.issued).toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${new Date(validFrom ?? Date.now()).toISOString()}'.`);
      if (rt.expires < Date.now()) return err(400, 'invalid_grant', 700082, `The refresh token has expired due to inactivity. The token was issued on ${new Date(rt.issued).toISOString()} and was inactive for 90.00:00:00.`);
      const s = parseScopes(body.get('scope') ?? '', app, false);
      if ('status' in s) return s;
      if (!this.grantedDelegated(rt.user, app, s))
        return err(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`);
      const blocked = this.caBlocked();
      if (blocked) return blocked;
      return this.userTokens(rt.user, app, rt.tenantId, s, rt.clientType, null, rt.mfa, rt);
    }
    if (grant === 'client_credentials') {
      const ca = this.clientAuth(app, 'web', secret ?? undefined, assertion, actx);
      if (ca) return ca;
      if (typeof tenant === 'string') return err(400, 'invalid_request', 90009, `Application '${app.clientId}'(${app.displayName}) is requesting a token for itself. This scenario is supported only if resource is specified using the GUID based App Identifier. Use a tenant-specific endpoint for client credentials.`);
      const s = parseScopes(body.get('scope') ?? '', app, true);
      if ('status' in s) return s;
      const res = s.resource ?? 'graph';
      if (!app.hasServicePrincipal)
        return err(401, 'invalid_client', 7000229, `The client application ${app.clientId} is missing service principal in the tenant ${tenant.id}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`);
      // Roles = the app role assignments of the app's service principal on the resource (admin consent), as Graph shows them.
      const roles = this.dir.appRolesOn(app, res);
      const access = this.accessTokenFor({ app, tenantId: tenant.id, resource: res, prefix: s.prefix, roles, appidacr: '1' });
      return { token_type: 'Bearer', expires_in: this.dir.scenario.settings.accessTokenLifetimeSeconds, ext_expires_in: this.dir.scenario.settings.accessTokenLifetimeSeconds, access_token: access };
    }
    // RFC 8628 names the grant with its URN; msal-node sends the short form `device_code`. Entra takes both.
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code' || grant === 'device_code') {
      const rec = this.devices.get(body.get('device_code') ?? '');
      if (!rec || rec.app.clientId !== app.clientId) return err(400, 'invalid_grant', 70000, "The provided value for the 'device_code' parameter is not valid.");
      if (!app.allowPublicClientFlows) {
        const ca = this.clientAuth(app, 'web', secret ?? undefined, assertion, actx);
        if (ca) return ca;
      } else if (secret) {
        const ca = this.clientAuth(app, 'web', secret, assertion, actx);
        if (ca) return ca;
      }
      const now = this.dir.clock.nowMs();
      if (rec.expires < now) return err(400, 'expired_token', 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.");
      if (rec.state === 'redeemed') return err(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
      if (rec.state === 'declined') return rec.error ?? err(400, 'authorization_declined', 70019, 'The end user denied the authorization request.');
      if (rec.state === 'pending') {
        const tooFast = rec.lastPoll > 0 && now - rec.lastPoll < rec.interval * 1000 - 250;
        rec.lastPoll = now;
        if (tooFast) return err(400, 'slow_down', 70016, 'OAuth 2.0 device flow error. Polling too frequently: slow down.');
        return err(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
      }
      rec.state = 'redeemed';
      const blocked = this.caBlocked();
      if (blocked) return blocked;
      return this.userTokens(rec.user as User, app, rec.tenantId as string, rec.scopes, app.allowPublicClientFlows ? 'public' : 'web', null, rec.mfa);
    }
    if (grant === 'password') return err(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
    return err(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
  }

  // ---------- interactive pages ----------
  private page(res: ServerResponse, status: number, title: string, inner: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:Segoe UI,Arial,sans-serif;background:#f2f2f2;margin:0}.box{max-width:440px;margin:60px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600}input[type=text],input[type=email],input[type=password]{width:100%;padding:6px;font-size:15px;border:0;border-bottom:1px solid #666;margin:8px 0 16px}
button{background:#0067b8;color:#fff;border:0;padding:8px 28px;font-size:15px;cursor:pointer;margin:4px 4px 4px 0}button.secondary{background:#ccc;color:#000}.err{color:#e81123}.tile{display:block;width:100%;text-align:left;background:#fff;color:#000;border:1px solid #ccc}
.brand{font-weight:600;color:#737373;margin-bottom:12px}.small{font-size:12px;color:#666}</style></head>
<body><div class="box"><div class="brand">Microsoft (emulator)</div>${inner}</div></body></html>`);
  }

  private errorPage(res: ServerResponse, e: EntraError) {
    const b = errorBody(e, this.loginUrl);
    this.page(res, 400, 'Sign in to your account', `<h1>Sorry, but we’re having trouble signing you in.</h1><p id="errorCode" class="err">${esc(e.code === null ? e.error : `AADSTS${e.code}`)}: ${esc(e.message)}</p>
<div class="small"><p>Request Id: ${b.trace_id}</p><p>Correlation Id: ${b.correlation_id}</p><p>Timestamp: ${b.timestamp}</p></div>`);
  }

  private redirect(res: ServerResponse, flow: Flow, params: Record<string, string>) {
    const all = { ...params, ...(flow.state !== null ? { state: flow.state } : {}) };
    if (flow.responseMode === 'form_post') {
      const inputs = Object.entries(all).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
      this.page(res, 200, 'Working...', `<form method="POST" action="${esc(flow.redirectUri)}" id="f">${inputs}<noscript><button>Continue</button></noscript></form><script>document.getElementById('f').submit()</script>`);
      return;
    }
    const u = new URL(flow.redirectUri);
    for (const [k, v] of Object.entries(all)) u.searchParams.set(k, v);
    res.writeHead(302, { location: u.toString(), 'cache-control': 'no-store' });
    res.end();
  }
  private redirectError(res: ServerResponse, flow: Flow, e: EntraError, extra: Record<string, string> = {}) {
    const b = errorBody(e, this.loginUrl);
    this.redirect(res, flow, { error: e.error, error_description: b.error_description, ...(e.code ? { error_codes: String(e.code) } : {}), ...extra });
  }

  private sessionOf(req: IncomingMessage): string {
    const m = /(?:^|;\s*)ESTSAUTH=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '');
    return m?.[1] ?? b64url(randomBytes(18));
  }

  private authorize(req: IncomingMessage, res: ServerResponse, seg: string, q: URLSearchParams) {
    const r = this.resolveApp(seg, q.get('client_id') ?? undefined);
    if ('status' in r) return this.errorPage(res, r);
    const { app, tenant } = r;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (app.webRedirectUris.length === 0 && app.publicClientRedirectUris.length === 0)
      return this.errorPage(res, err(400, 'invalid_request', 500113, 'No reply address is registered for the application.'));
    const matchesLoopback = (list: string[]) => {
      // Entra ignores the port of http://localhost redirect URIs registered without a port (native apps).
      try {
        const u = new URL(redirectUri);
        return list.some((l) => {
          const x = new URL(l);
          return u.protocol === 'http:' && x.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1') && x.hostname === u.hostname && x.port === '' && x.pathname === u.pathname;
        });
      } catch {
        return false;
      }
    };
    let clientType: 'web' | 'public';
    // Entra ignores the port of http://localhost redirect URIs (any platform).
    if (app.webRedirectUris.includes(redirectUri) || matchesLoopback(app.webRedirectUris)) clientType = 'web';
    else if (app.publicClientRedirectUris.includes(redirectUri) || matchesLoopback(app.publicClientRedirectUris)) clientType = 'public';
    else
      return this.errorPage(res, err(400, 'invalid_request', 50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`));
    const sessionId = this.sessionOf(req);
    const flow: Flow = {
      id: b64url(randomBytes(18)),
      kind: 'authorize',
      tenantSeg: seg,
      tenant,
      app,
      clientType,
      redirectUri,
      state: q.get('state'),
      responseMode: q.get('response_mode') ?? 'query',
      scopes: { resource: null, prefix: '', perms: [], oidc: [], isDefault: false },
      challenge: q.get('code_challenge'),
      challengeMethod: q.get('code_challenge_method') ?? 'plain',
      nonce: q.get('nonce'),
      prompt: q.get('prompt'),
      loginHint: q.get('login_hint'),
      user: null,
      device: null,
      sessionId,
      mfa: false,
    };
    if ((q.get('response_type') ?? '') !== 'code') return this.redirectError(res, flow, err(400, 'unsupported_response_type', 700054, "The response_type 'id_token' is not enabled for the application."));
    const s = parseScopes(q.get('scope') ?? '', app, false);
    if ('status' in s) return this.redirectError(res, flow, s);
    flow.scopes = s;
    this.flows.set(flow.id, flow);
    const cookie = { 'set-cookie': `ESTSAUTH=${sessionId}; Path=/; Secure; HttpOnly; SameSite=None` };
    const signedIn = [...(this.sessions.get(sessionId) ?? [])].map((oid) => this.dir.userByOid(oid)).filter((u): u is User => !!u);
    if (flow.prompt === 'none') {
      const u = signedIn.find((x) => !flow.loginHint || x.upn.toLowerCase() === flow.loginHint.toLowerCase());
      if (!u) return this.redirectError(res, flow, err(400, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.'));
      flow.user = u;
      return this.afterAuthentication(res, flow, true);
    }
    if ((flow.prompt === 'select_account' && signedIn.length > 0) || (signedIn.length > 1 && !flow.loginHint && flow.prompt !== 'login'))
      return this.pickerPage(res, flow, signedIn, cookie);
    if (flow.prompt !== 'login') {
      const u = signedIn.find((x) => !flow.loginHint || x.upn.toLowerCase() === flow.loginHint.toLowerCase());
      if (u && (signedIn.length === 1 || flow.loginHint)) {
        flow.user = u;
        return this.afterAuthentication(res, flow, false, cookie);
      }
    }
    return this.usernamePage(res, flow, null, cookie);
  }

  private hidden(flow: Flow, step: string) {
    return `<input type="hidden" name="flow" value="${flow.id}"><input type="hidden" name="step" value="${step}">`;
  }
  private pickerPage(res: ServerResponse, flow: Flow, users: User[], headers: Record<string, string> = {}) {
    const tiles = users.map((u) => `<button class="tile" type="submit" name="account" value="${esc(u.upn)}" data-test-id="${esc(u.upn)}"><b>${esc(u.displayName)}</b><br>${esc(u.upn)}<br><span class="small">Signed in</span></button>`).join('');
    // As login.microsoftonline.com shows it for a browser with a session (prompt=select_account): "Pick an account",
    // "to continue to <app>", a tile per signed-in account ("Signed in"), then "Use another account".
    this.page(res, 200, 'Sign in to your account', `<h1>Pick an account</h1><div class="small">to continue to ${esc(flow.app.displayName)}</div><form method="POST" action="/_flow">${this.hidden(flow, 'pick')}${tiles}
<button class="tile" id="otherTile" type="submit" name="account" value="">Use another account</button></form>`, headers);
  }
  private usernamePage(res: ServerResponse, flow: Flow, error: string | null, headers: Record<string, string> = {}) {
    this.page(res, 200, 'Sign in to your account', `<h1 id="loginHeader">Sign in</h1><div class="small">to continue to ${esc(flow.app.displayName)}</div>${error ? `<p class="err" id="usernameError">${esc(error)}</p>` : ''}
<form method="POST" action="/_flow">${this.hidden(flow, 'username')}<input type="email" name="loginfmt" id="i0116" aria-label="Email, phone, or Skype" placeholder="Email, phone, or Skype" value="${esc(flow.loginHint ?? '')}" autofocus>
<button type="submit" id="idSIButton9">Next</button></form>`, headers);
  }
  private passwordPage(res: ServerResponse, flow: Flow, error: string | null) {
    this.page(res, 200, 'Sign in to your account', `<div id="displayName">${esc(flow.user?.upn ?? '')}</div><h1>Enter password</h1>${error ? `<p class="err" id="passwordError">${esc(error)}</p>` : ''}
<form method="POST" action="/_flow">${this.hidden(flow, 'password')}<input type="password" name="passwd" id="i0118" aria-label="Password" placeholder="Password" autofocus>
<button type="submit" id="idSIButton9">Sign in</button></form>`);
  }
  private mfaPage(res: ServerResponse, flow: Flow, error: string | null) {
    this.page(res, 200, 'Sign in to your account', `<div id="displayName">${esc(flow.user?.upn ?? '')}</div><h1>Enter code</h1><p>Enter the code displayed in the Microsoft Authenticator app on your mobile device (emulator: ${esc(this.dir.scenario.settings.mfaCode)}).</p>${error ? `<p class="err" id="mfaError">${esc(error)}</p>` : ''}
<form method="POST" action="/_flow">${this.hidden(flow, 'mfa')}<input type="text" name="otc" id="idTxtBx_SAOTCC_OTC" aria-label="Code" inputmode="numeric" autocomplete="off" autofocus>
<button type="submit" id="idSubmit_SAOTCC_Continue">Verify</button></form>`);
  }
  private consentPage(res: ServerResponse, flow: Flow) {
    const s = flow.scopes;
    const names = s.isDefault && s.resource ? registeredNames(flow.app, s.resource) : s.perms;
    const items = [...names.map((n) => `${s.resource === 'outlook' ? 'Office 365 Exchange Online' : 'Microsoft Graph'}: ${n}`), ...(s.oidc.includes('offline_access') ? ['Maintain access to data you have given it access to'] : []), ...(s.oidc.includes('openid') ? ['Sign you in and read your profile'] : [])];
    this.page(res, 200, 'Permissions requested', `<h1>Permissions requested</h1><p><b>${esc(flow.app.displayName)}</b></p><p>This app would like to:</p><ul id="permissions">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>
<form method="POST" action="/_flow">${this.hidden(flow, 'consent')}<button type="submit" name="accept" value="yes" id="idBtn_Accept">Accept</button><button class="secondary" type="submit" name="accept" value="no" id="idBtn_Back">Cancel</button></form>`);
  }

  private async flowStep(req: IncomingMessage, res: ServerResponse, body: URLSearchParams) {
    const flow = this.flows.get(body.get('flow') ?? '');
    if (!flow) return this.errorPage(res, err(400, 'invalid_request', 90014, 'The session has expired. Start the sign-in again.'));
    const step = body.get('step');
    if (step === 'pick') {
      const upn = body.get('account') ?? '';
      const u = upn ? this.dir.user(upn) : undefined;
      if (!u) return this.usernamePage(res, flow, null);
      flow.user = u;
      return this.afterAuthentication(res, flow, false);
    }
    if (step === 'username') {
      const upn = (body.get('loginfmt') ?? '').trim();
      const u = this.dir.user(upn);
      if (!u) return this.usernamePage(res, flow, "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin. (AADSTS50034)");
      flow.user = u;
      return this.passwordPage(res, flow, null);
    }
    if (!flow.user) return this.usernamePage(res, flow, null);
    if (step === 'password') {
      if ((body.get('passwd') ?? '') !== flow.user.password) return this.passwordPage(res, flow, 'Your account or password is incorrect. If you don\'t remember your password, reset it now. (AADSTS50126)');
      const tid = this.signInTenant(flow.user, flow.tenant, flow.app);
      if (typeof tid !== 'string') return this.finishError(res, flow, tid);
      if (flow.user.mfa || this.dir.faults.mfaRequired) {
        if (flow.user.kind === 'guest' || flow.user.tenantId !== tid) {
          if (this.dir.faults.mfaRequired && !flow.user.mfa) return this.finishError(res, flow, err(400, 'interaction_required', 90072, `User account '${flow.user.upn}' from identity provider 'https://sts.windows.net/${flow.user.tenantId}/' does not exist in tenant and cannot satisfy MFA.`));
        }
        return this.mfaPage(res, flow, null);
      }
      this.remember(flow);
      return this.afterAuthentication(res, flow, false);
    }
    if (step === 'mfa') {
      if ((body.get('otc') ?? '').trim() !== this.dir.scenario.settings.mfaCode) return this.mfaPage(res, flow, "That code didn't work. Check the code and try again.");
      flow.mfa = true;
      this.remember(flow);
      return this.afterAuthentication(res, flow, false);
    }
    if (step === 'consent') {
      if (body.get('accept') !== 'yes') return this.finishError(res, flow, err(400, 'access_denied', 65004, 'User declined to consent to access the app.'), { error_subcode: 'cancel' });
      this.grant(flow.user, flow.app, flow.scopes, this.signInTenant(flow.user, flow.tenant, flow.app) as string);
      return this.complete(res, flow);
    }
    return this.errorPage(res, err(400, 'invalid_request', 90014, 'Unexpected sign-in step.'));
  }

  private remember(flow: Flow) {
    if (!flow.user) return;
    const set = this.sessions.get(flow.sessionId) ?? new Set<string>();
    set.add(flow.user.objectId);
    this.sessions.set(flow.sessionId, set);
  }

  private afterAuthentication(res: ServerResponse, flow: Flow, silent: boolean, headers: Record<string, string> = {}) {
    const user = flow.user as User;
    const tid = this.signInTenant(user, flow.tenant, flow.app);
    if (typeof tid !== 'string') return this.finishError(res, flow, tid);
    if (this.dir.faults.conditionalAccess) return this.finishError(res, flow, err(400, 'access_denied', 53003, 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.'));
    const unassigned = this.assignmentRefusal(user, flow.app);
    if (unassigned) return this.finishError(res, flow, unassigned);
    const granted = this.grantedDelegated(user, flow.app, flow.scopes);
    if (!granted || flow.prompt === 'consent') {
      if (silent) return this.finishError(res, flow, err(400, 'consent_required', 65001, `The user or administrator has not consented to use the application with ID '${flow.app.clientId}' named '${flow.app.displayName}'. Send an interactive authorization request for this user and resource.`));
      const tenant = this.dir.tenantById(tid);
      const adminOnly = !granted && this.needsAdminConsent(flow.app, flow.scopes) && !this.dir.canConsentForAdmin(user);
      if (adminOnly || (tenant && !tenant.userConsentAllowed && !this.dir.canConsentForAdmin(user) && !granted))
        return this.finishError(res, flow, err(400, 'access_denied', 90094, `${flow.app.displayName} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.`));
      if (Object.keys(headers).length) res.setHeader('set-cookie', headers['set-cookie'] ?? '');
      return this.consentPage(res, flow);
    }
    if (headers['set-cookie']) res.setHeader('set-cookie', headers['set-cookie']);
    return this.complete(res, flow);
  }

  private finishError(res: ServerResponse, flow: Flow, e: EntraError, extra: Record<string, string> = {}) {
    this.flows.delete(flow.id);
    if (flow.kind === 'device' && flow.device) {
      flow.device.state = 'declined';
      flow.device.error = e;
      return this.errorPage(res, e);
    }
    // Entra shows these on its own page rather than redirecting.
    if (e.code === 50020 || e.code === 90072 || e.code === 50105) return this.errorPage(res, e);
    return this.redirectError(res, flow, e, extra);
  }

  private complete(res: ServerResponse, flow: Flow) {
    const user = flow.user as User;
    const tid = this.signInTenant(user, flow.tenant, flow.app) as string;
    this.flows.delete(flow.id);
    if (flow.kind === 'device' && flow.device) {
      flow.device.state = 'approved';
      flow.device.user = user;
      flow.device.tenantId = tid;
      flow.device.mfa = flow.mfa;
      return this.page(res, 200, 'Device sign-in', `<h1 id="deviceDone">${esc(flow.app.displayName)}</h1><p>You have signed in to the ${esc(flow.app.displayName)} application on your device. You may now close this window.</p>`);
    }
    const code = `1.${b64url(randomBytes(64))}`;
    this.codes.set(code, { code, app: flow.app, clientType: flow.clientType, redirectUri: flow.redirectUri, user, tenantId: tid, scopes: flow.scopes, challenge: flow.challenge, challengeMethod: flow.challengeMethod, nonce: flow.nonce, used: false, expires: Date.now() + 10 * 60_000, mfa: flow.mfa });
    const sessionState = guid();
    return this.redirect(res, flow, { code, session_state: sessionState });
  }

  private deviceLoginPage(req: IncomingMessage, res: ServerResponse, body: URLSearchParams) {
    if (req.method !== 'POST') {
      return this.page(res, 200, 'Enter code', `<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p><form method="POST" action="/devicelogin"><input type="text" name="otc" id="otc" aria-label="Code" autofocus><button type="submit" id="idSIButton9">Next</button></form>`);
    }
    const userCode = (body.get('otc') ?? '').trim().toUpperCase();
    const rec = [...this.devices.values()].find((d) => d.userCode === userCode);
    if (!rec || rec.state !== 'pending' || rec.expires < this.dir.clock.nowMs())
      return this.page(res, 200, 'Enter code', `<h1>Enter code</h1><p class="err" id="otcError">That code didn't work. Check the code and try again.</p><form method="POST" action="/devicelogin"><input type="text" name="otc" id="otc" aria-label="Code"><button type="submit" id="idSIButton9">Next</button></form>`);
    const tenant = this.dir.tenantBySegment(rec.tenantSeg) ?? 'common';
    const flow: Flow = { id: b64url(randomBytes(18)), kind: 'device', tenantSeg: rec.tenantSeg, tenant, app: rec.app, clientType: 'public', redirectUri: '', state: null, responseMode: 'query', scopes: rec.scopes, challenge: null, challengeMethod: 'plain', nonce: null, prompt: 'login', loginHint: null, user: null, device: rec, sessionId: this.sessionOf(req), mfa: false };
    this.flows.set(flow.id, flow);
    return this.usernamePage(res, flow, null);
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
