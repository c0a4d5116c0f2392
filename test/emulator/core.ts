import { createPrivateKey, createPublicKey, generateKeyPair, sign as cryptoSign, verify as cryptoVerify, randomBytes, type KeyObject } from 'node:crypto';
import type { App, Faults, Scenario, Tenant, User } from './scenario.js';
import { AppSchema, CONSUMERS_TENANT_ID, FaultsSchema } from './scenario.js';
import { EXCHANGE_APP_ID, GRAPH_APP_ID, EXCHANGE_RESOURCE, GRAPH_RESOURCE, GRAPH_CLI_APP_ID, MICROSOFT_TENANT_ID, resourceByKey, stableGuid, type EntraRole, type ResourceDef } from './resources.js';
import { b64url, guid } from './util.js';
import { VirtualClock } from './clock.js';

export { GRAPH_APP_ID, EXCHANGE_APP_ID } from './resources.js';
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** Permission names each resource publishes (resources.ts: the resource service principals' scopes and app roles). */
export const KNOWN_PERMISSIONS = {
  outlook: { delegated: EXCHANGE_RESOURCE.scopes.map((x) => x.value), application: EXCHANGE_RESOURCE.roles.map((x) => x.value) },
  graph: { delegated: GRAPH_RESOURCE.scopes.map((x) => x.value), application: GRAPH_RESOURCE.roles.map((x) => x.value) },
} as const;

export type ResourceKey = 'outlook' | 'graph';

/** Resource identifiers accepted in scopes, and the audience a token for them carries. */
export function resourceOf(prefix: string): ResourceKey | null {
  const p = prefix.toLowerCase().replace(/\/$/, '');
  if (['https://outlook.office.com', 'https://outlook.office365.com', EXCHANGE_APP_ID, 'https://ps.outlook.com'].includes(p)) return 'outlook';
  if (['https://graph.microsoft.com', GRAPH_APP_ID, 'https://graph.microsoft.us', 'https://dod-graph.microsoft.us', 'https://microsoftgraph.chinacloudapi.cn'].includes(p)) return 'graph';
  return null;
}

export interface JwtClaims {
  [k: string]: unknown;
  aud?: string;
  iss?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  scp?: string;
  roles?: string[];
  upn?: string;
  oid?: string;
  tid?: string;
  appid?: string;
  idtyp?: string;
}

async function newSigningKey(): Promise<{ privateKey: KeyObject; publicKey: KeyObject; kid: string }> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: string; publicKey: string }>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }, (err, pub, priv) =>
      err ? reject(err) : resolve({ privateKey: priv, publicKey: pub }),
    ),
  );
  return { privateKey: createPrivateKey(privateKey), publicKey: createPublicKey(publicKey), kid: b64url(randomBytes(15)) };
}

export class Signer {
  private constructor(private key: { privateKey: KeyObject; publicKey: KeyObject; kid: string }) {}
  get kid(): string {
    return this.key.kid;
  }
  get publicKey(): KeyObject {
    return this.key.publicKey;
  }
  static async create(): Promise<Signer> {
    return new Signer(await newSigningKey());
  }
  /** A new signing key (the emulator's reset): every token signed before is refused from now on ("signature"). */
  async rotate(): Promise<void> {
    this.key = await newSigningKey();
  }
  sign(claims: JwtClaims): string {
    const header = { typ: 'JWT', alg: 'RS256', x5t: this.kid, kid: this.kid };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(cryptoSign('RSA-SHA256', Buffer.from(input), this.key.privateKey))}`;
  }
  /** Verifies signature and time; returns the claims or a reason. */
  verify(token: string): { ok: true; claims: JwtClaims } | { ok: false; reason: string } {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed' };
    const [h, p, s] = parts as [string, string, string];
    let claims: JwtClaims;
    try {
      const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
      if (header.alg !== 'RS256') return { ok: false, reason: 'alg' };
      claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as JwtClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!cryptoVerify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url'))) return { ok: false, reason: 'signature' };
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp === 'number' && claims.exp < now) return { ok: false, reason: 'expired' };
    if (typeof claims.nbf === 'number' && claims.nbf > now + 300) return { ok: false, reason: 'not yet valid' };
    return { ok: true, claims };
  }
  jwks() {
    const jwk = this.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    return { keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' }] };
  }
}

export interface MailboxInfo {
  address: string;
  displayName: string;
  objectId: string;
  tenantId: string;
  kind: 'user' | 'shared';
  imapEnabled: boolean;
  smtpAuthDisabledOverride: boolean | null;
}

/** A delegated permission grant (oauth2PermissionGrant). clientId / resourceId are service principal object ids. */
export interface Grant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId: string | null;
  resourceId: string;
  resourceAppId: string;
  scope: string;
  /** scenario = derived from the app's delegatedAdminConsent; graph = POST /oauth2PermissionGrants; consent = the consent page. */
  origin: 'scenario' | 'graph' | 'consent';
}
/** An app role assignment (appRoleAssignment): an app role of `resourceId` granted to `principalId`. */
export interface Assignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'ServicePrincipal' | 'Group';
  principalDisplayName: string;
  resourceId: string;
  resourceDisplayName: string;
  createdDateTime: string;
  origin: 'scenario' | 'graph';
}
export const DEFAULT_ACCESS_ROLE = '00000000-0000-0000-0000-000000000000';

/** Delegated permissions of Exchange that the portal lists under Microsoft Graph: consent given there covers the outlook.office.com scopes. */
export const OUTLOOK_VIA_GRAPH = new Set(['IMAP.AccessAsUser.All', 'SMTP.Send', 'POP.AccessAsUser.All']);

/** Mutable run-time view of a scenario. */
export class Directory {
  faults!: Faults;
  readonly grants: Grant[] = [];
  readonly assignments: Assignment[] = [];
  /** Creation time (ms) of directory objects created through Graph, by object id and by appId (replication lag). */
  readonly createdAt = new Map<string, number>();
  /** Time for replication lag and device-code expiry: real time plus what the engine's sleeps skipped (clock.ts). */
  readonly clock = new VirtualClock();
  scenario!: Scenario;
  constructor(scenario: Scenario) {
    this.load(scenario);
  }

  /**
   * The directory as the scenario declares it, nothing else: its faults, no grant or assignment but the
   * scenario's, no object created since, the clock back on real time. The constructor, and the emulator's
   * reset with a freshly parsed scenario (the old one may have been changed by Graph writes or the admin API).
   */
  load(scenario: Scenario): void {
    this.scenario = scenario;
    this.faults = FaultsSchema.parse(structuredClone(scenario.faults));
    this.grants.length = 0;
    this.assignments.length = 0;
    this.createdAt.clear();
    this.clock.reset();
    if (!scenario.apps.some((a) => a.clientId === GRAPH_CLI_APP_ID)) {
      scenario.apps.push(
        AppSchema.parse({
          clientId: GRAPH_CLI_APP_ID,
          objectId: stableGuid('graph-cli-application'),
          servicePrincipalId: stableGuid('graph-cli-service-principal'),
          displayName: 'Microsoft Graph Command Line Tools',
          tenantId: MICROSOFT_TENANT_ID,
          signInAudience: 'AzureADMultipleOrgs',
          publicClientRedirectUris: ['http://localhost'],
          allowPublicClientFlows: true,
        }),
      );
    }
    for (const a of scenario.apps) this.deriveConsent(a);
  }

  /** Object id of a resource service principal (Microsoft Graph, Exchange Online) in a tenant: stable per tenant. */
  resourceSpId(tenantId: string, res: ResourceDef): string {
    return stableGuid(`${tenantId}|${res.appId}|sp`);
  }
  resourceBySpId(spId: string): { res: ResourceDef; tenantId: string } | null {
    for (const t of this.scenario.tenants) for (const res of [GRAPH_RESOURCE, EXCHANGE_RESOURCE]) if (this.resourceSpId(t.id, res) === spId) return { res, tenantId: t.id };
    return null;
  }
  /** Entra roles of a user (isAdmin without roles = Global Administrator). */
  rolesOf(u: User): EntraRole[] {
    if (u.roles.length) return u.roles;
    return u.isAdmin ? ['Global Administrator'] : [];
  }
  /** May consent to permissions that need an administrator (grant-admin-consent doc; Graph app roles excepted, see graphdir). */
  canConsentForAdmin(u: User): boolean {
    return this.rolesOf(u).some((r) => r !== 'Application Developer');
  }
  isFresh(id: string): boolean {
    const lag = this.faults.replicationLagSeconds;
    const at = this.createdAt.get(id);
    return lag > 0 && at !== undefined && this.clock.nowMs() - at < lag * 1000;
  }

  /** Re-create the grants / assignments a scenario-declared app stands for (delegatedAdminConsent, applicationAdminConsent, assignedUsers). */
  deriveConsent(app: App) {
    const sp = app.servicePrincipalId;
    const drop = <T extends { origin: string }>(list: T[], pred: (x: T) => boolean) => {
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.origin === 'scenario' && pred(list[i]!)) list.splice(i, 1);
    };
    drop(this.grants, (g) => g.clientId === sp);
    drop(this.assignments, (a) => a.principalId === sp || a.resourceId === sp);
    if (!app.hasServicePrincipal || !sp) return;
    const tenantId = this.tenantById(app.tenantId) ? app.tenantId : this.scenario.tenants[0]!.id;
    if (app.delegatedAdminConsent) {
      for (const key of ['graph', 'outlook'] as const) {
        const names = [...new Set(app.delegatedPermissions.filter((p) => p.resource === key).map((p) => p.name))];
        if (!names.length) continue;
        const res = resourceByKey(key);
        this.grants.push({ id: stableGuid(`grant|${sp}|${key}`), clientId: sp, consentType: 'AllPrincipals', principalId: null, resourceId: this.resourceSpId(tenantId, res), resourceAppId: res.appId, scope: names.join(' '), origin: 'scenario' });
      }
    }
    if (app.applicationAdminConsent) {
      for (const p of app.applicationPermissions) {
        const res = resourceByKey(p.resource);
        const role = res.roles.find((x) => x.value === p.name);
        if (!role) continue;
        this.assignments.push({ id: stableGuid(`ara|${sp}|${res.appId}|${role.id}`), appRoleId: role.id, principalId: sp, principalType: 'ServicePrincipal', principalDisplayName: app.displayName, resourceId: this.resourceSpId(tenantId, res), resourceDisplayName: res.displayName, createdDateTime: '2024-01-01T00:00:00Z', origin: 'scenario' });
      }
    }
    for (const who of app.assignedUsers) {
      const u = this.user(who) ?? this.userByOid(who);
      if (!u) continue;
      this.assignments.push({ id: stableGuid(`ara|${u.objectId}|${sp}`), appRoleId: DEFAULT_ACCESS_ROLE, principalId: u.objectId, principalType: 'User', principalDisplayName: u.displayName, resourceId: sp, resourceDisplayName: app.displayName, createdDateTime: '2024-01-01T00:00:00Z', origin: 'scenario' });
    }
  }

  /** Whether a grant covers a delegated permission for this user (AllPrincipals, or Principal = the user). Exchange's IMAP/SMTP/POP also count when granted on Microsoft Graph. */
  grantCovers(app: App, user: User, res: ResourceKey, name: string): boolean {
    const appIds = res === 'outlook' && OUTLOOK_VIA_GRAPH.has(name) ? [EXCHANGE_APP_ID, GRAPH_APP_ID] : [resourceByKey(res).appId];
    return this.grants.some(
      (g) => g.clientId === app.servicePrincipalId && appIds.includes(g.resourceAppId) && (g.consentType === 'AllPrincipals' || g.principalId === user.objectId) && g.scope.split(' ').includes(name),
    );
  }
  /** Application permissions (role values) granted to the app's service principal on a resource. */
  appRolesOn(app: App, res: ResourceKey): string[] {
    const def = resourceByKey(res);
    if (!app.hasServicePrincipal) return [];
    const ids = this.assignments.filter((a) => a.principalId === app.servicePrincipalId && this.resourceBySpId(a.resourceId)?.res.appId === def.appId).map((a) => a.appRoleId);
    return [...new Set(ids.map((id) => def.roles.find((r) => r.id === id)?.value).filter((v): v is string => !!v))];
  }
  /** Whether the user is assigned to the app's enterprise app (directly). */
  isAssigned(app: App, user: User): boolean {
    return this.assignments.some((a) => a.resourceId === app.servicePrincipalId && a.principalId === user.objectId);
  }
  /** Record a user's own consent on the consent page (a Principal grant, merged per resource). */
  addUserConsent(app: App, user: User, tenantId: string, res: ResourceKey, names: string[]) {
    if (!names.length) return;
    // Consent creates the enterprise application when it does not exist yet (Entra does so on first consent).
    if (!app.hasServicePrincipal) app.hasServicePrincipal = true;
    const def = resourceByKey(res);
    const tid = this.tenantById(tenantId) ? tenantId : this.scenario.tenants[0]!.id;
    const g = this.grants.find((x) => x.clientId === app.servicePrincipalId && x.resourceAppId === def.appId && x.consentType === 'Principal' && x.principalId === user.objectId);
    if (g) g.scope = [...new Set([...g.scope.split(' ').filter(Boolean), ...names])].join(' ');
    else this.grants.push({ id: b64url(randomBytes(24)), clientId: app.servicePrincipalId, consentType: 'Principal', principalId: user.objectId, resourceId: this.resourceSpId(tid, def), resourceAppId: def.appId, scope: names.join(' '), origin: 'consent' });
  }
  tenantBySegment(seg: string): Tenant | 'common' | 'organizations' | 'consumers' | null {
    const s = seg.toLowerCase();
    if (s === 'common' || s === 'organizations' || s === 'consumers') return s;
    return this.scenario.tenants.find((t) => t.id.toLowerCase() === s || t.domains.some((d) => d.toLowerCase() === s)) ?? null;
  }
  tenantById(id: string): Tenant | undefined {
    return this.scenario.tenants.find((t) => t.id === id);
  }
  user(upn: string): User | undefined {
    const u = upn.toLowerCase();
    return this.scenario.users.find((x) => x.upn.toLowerCase() === u);
  }
  userByOid(oid: string): User | undefined {
    return this.scenario.users.find((x) => x.objectId === oid);
  }
  app(clientId: string): App | undefined {
    const c = clientId.toLowerCase();
    return this.scenario.apps.find((a) => a.clientId.toLowerCase() === c);
  }
  appBySp(spId: string): App | undefined {
    return this.scenario.apps.find((a) => a.servicePrincipalId === spId);
  }
  mailbox(address: string): MailboxInfo | undefined {
    const m = this.mailboxRaw(address);
    if (m && this.faults.imapDisabled.some((x) => x.toLowerCase() === m.address)) m.imapEnabled = false;
    return m;
  }
  private mailboxRaw(address: string): MailboxInfo | undefined {
    const a = address.toLowerCase();
    const u = this.scenario.users.find((x) => x.upn.toLowerCase() === a && x.hasMailbox && x.kind !== 'personal');
    if (u) return { address: u.upn.toLowerCase(), displayName: u.displayName, objectId: u.objectId, tenantId: u.tenantId, kind: 'user', imapEnabled: u.mailbox.imapEnabled, smtpAuthDisabledOverride: u.mailbox.smtpAuthDisabled };
    const s = this.scenario.sharedMailboxes.find((x) => x.address.toLowerCase() === a);
    if (s) return { address: s.address.toLowerCase(), displayName: s.displayName, objectId: s.objectId, tenantId: s.tenantId, kind: 'shared', imapEnabled: s.mailbox.imapEnabled, smtpAuthDisabledOverride: s.mailbox.smtpAuthDisabled };
    return undefined;
  }
  allMailboxes(): MailboxInfo[] {
    const list: MailboxInfo[] = [];
    for (const u of this.scenario.users) { const m = this.mailbox(u.upn); if (m) list.push(m); }
    for (const s of this.scenario.sharedMailboxes) { const m = this.mailbox(s.address); if (m) list.push(m); }
    return list;
  }
  smtpAuthDisabled(m: MailboxInfo): 'tenant' | 'mailbox' | null {
    if (m.smtpAuthDisabledOverride === true || this.faults.smtpAuthDisabled.mailboxes.some((x) => x.toLowerCase() === m.address)) return 'mailbox';
    if (this.faults.smtpAuthDisabled.tenant) return 'tenant';
    if (m.smtpAuthDisabledOverride === false) return null;
    return this.tenantById(m.tenantId)?.smtpAuthDisabled ? 'tenant' : null;
  }
  /** Whether the user is a member or invited guest of the tenant. */
  userInTenant(u: User, tenantId: string): boolean {
    return u.tenantId === tenantId || u.guestOf.includes(tenantId);
  }
}

/** The principal a validated access token stands for. */
export type Principal =
  | { kind: 'user'; user: User; claims: JwtClaims; scopes: string[] }
  | { kind: 'app'; app: App; claims: JwtClaims; roles: string[] };

export function principalOf(dir: Directory, claims: JwtClaims): Principal | null {
  if (claims.idtyp === 'app' || (!claims.scp && Array.isArray(claims.roles))) {
    const app = dir.app(String(claims.appid ?? ''));
    return app ? { kind: 'app', app, claims, roles: (claims.roles ?? []).map(String) } : null;
  }
  const user = dir.userByOid(String(claims.oid ?? ''));
  return user ? { kind: 'user', user, claims, scopes: String(claims.scp ?? '').split(' ').filter(Boolean) } : null;
}

/** Mailbox access per Exchange: own mailbox, FullAccess (delegated) or app-only SP FullAccess. */
export function hasFullAccess(p: Principal, mailbox: string): boolean {
  const m = mailbox.toLowerCase();
  if (p.kind === 'user') return p.user.upn.toLowerCase() === m || p.user.fullAccess.some((x) => x.toLowerCase() === m);
  return p.app.exchangeServicePrincipal && p.app.mailboxFullAccess.some((x) => x.toLowerCase() === m);
}
export function hasSendAs(p: Principal, mailbox: string): boolean {
  const m = mailbox.toLowerCase();
  if (p.kind === 'user') return p.user.upn.toLowerCase() === m || p.user.sendAs.some((x) => x.toLowerCase() === m);
  return p.app.exchangeServicePrincipal && p.app.mailboxSendAs.some((x) => x.toLowerCase() === m);
}

export const isOutlookAudience = (aud: unknown) => aud === 'https://outlook.office.com' || aud === 'https://outlook.office365.com' || aud === EXCHANGE_APP_ID;
export const isGraphAudience = (aud: unknown) => aud === 'https://graph.microsoft.com' || aud === GRAPH_APP_ID;

export function newId(): string {
  return guid();
}

export { CONSUMERS_TENANT_ID };
