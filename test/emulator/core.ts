import { createPrivateKey, createPublicKey, generateKeyPair, sign as cryptoSign, verify as cryptoVerify, randomBytes, type KeyObject } from 'node:crypto';
import type { App, Faults, Scenario, Tenant, User } from './scenario.js';
import { CONSUMERS_TENANT_ID, FaultsSchema } from './scenario.js';
import { b64url, guid } from './util.js';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

export const KNOWN_PERMISSIONS = {
  outlook: {
    delegated: ['IMAP.AccessAsUser.All', 'SMTP.Send', 'POP.AccessAsUser.All', 'EWS.AccessAsUser.All', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Send', 'User.Read'],
    application: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp', 'full_access_as_app', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Send'],
  },
  graph: {
    delegated: ['User.Read', 'User.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Send', 'IMAP.AccessAsUser.All', 'SMTP.Send', 'POP.AccessAsUser.All', 'offline_access', 'openid', 'profile', 'email', 'Application.ReadWrite.All', 'Directory.Read.All'],
    application: ['Mail.Read', 'Mail.ReadWrite', 'Mail.Send', 'User.Read.All', 'Application.ReadWrite.All'],
  },
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

export class Signer {
  readonly kid: string;
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
  ) {
    this.kid = b64url(randomBytes(15));
  }
  static async create(): Promise<Signer> {
    const { privateKey, publicKey } = await new Promise<{ privateKey: string; publicKey: string }>((resolve, reject) =>
      generateKeyPair('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }, (err, pub, priv) =>
        err ? reject(err) : resolve({ privateKey: priv, publicKey: pub }),
      ),
    );
    return new Signer(createPrivateKey(privateKey), createPublicKey(publicKey));
  }
  sign(claims: JwtClaims): string {
    const header = { typ: 'JWT', alg: 'RS256', x5t: this.kid, kid: this.kid };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(cryptoSign('RSA-SHA256', Buffer.from(input), this.privateKey))}`;
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

/** Mutable run-time view of a scenario. */
export class Directory {
  faults: Faults;
  constructor(public scenario: Scenario) {
    this.faults = FaultsSchema.parse(structuredClone(scenario.faults));
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
