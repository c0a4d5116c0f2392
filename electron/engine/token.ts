import { GRAPH_TOKEN_AUDIENCES, OUTLOOK_TOKEN_AUDIENCES, type ResolvedEndpoints } from '../../shared/endpoints';
import type { Profile } from '../../shared/profile';
import { findTarget, permissionsFor } from '../../shared/catalogue';
import { smtpSendRoute } from '../../shared/registration/derive';
import type { DiagnosisCode } from '../../shared/diagnosis';

/** What a token says about itself. Decoded, never trusted: the servers decide; this explains. */
export interface TokenInfo {
  audience: string;
  scopes: string[];
  roles: string[];
  tenantId?: string;
  /** Signed-in account (preferred_username / upn / unique_name); undefined for app-only tokens. */
  account?: string;
  appId?: string;
  kind: 'user' | 'app';
  expiresAt?: string;
  issuedAt?: string;
}

/** Decodes a JWT access token's claims without checking its signature. Throws on a non-JWT. */
export function decodeJwt(jwt: string): Record<string, unknown> {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1]) throw new Error('not a JWT (expected three dot-separated parts)');
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function inspectToken(jwt: string): TokenInfo {
  const c = decodeJwt(jwt);
  const str = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : undefined);
  const num = (k: string) => (typeof c[k] === 'number' ? new Date((c[k] as number) * 1000).toISOString() : undefined);
  const account = str('preferred_username') ?? str('upn') ?? str('unique_name') ?? str('email');
  const roles = Array.isArray(c.roles) ? (c.roles as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  const kind = str('idtyp') === 'app' || (!account && !str('scp')) ? 'app' : 'user';
  const info: TokenInfo = { audience: str('aud') ?? '', scopes: (str('scp') ?? '').split(' ').filter(Boolean), roles, kind };
  const tid = str('tid');
  if (tid) info.tenantId = tid;
  if (account && kind === 'user') info.account = account;
  const appId = str('appid') ?? str('azp');
  if (appId) info.appId = appId;
  const exp = num('exp');
  if (exp) info.expiresAt = exp;
  const iat = num('iat');
  if (iat) info.issuedAt = iat;
  return info;
}

const OUTLOOK_AUDIENCES = OUTLOOK_TOKEN_AUDIENCES;
const GRAPH_AUDIENCES = GRAPH_TOKEN_AUDIENCES;

export interface ClaimProblem {
  code: DiagnosisCode;
  text: string;
}

/**
 * Whether a token can do what the profile needs, judged from its claims. Returns the first problem,
 * or null. A signed-in account that is not the mailbox is a problem unless the profile says the
 * mailbox is reached through delegated (Full Access) rights: targetInputs.delegatedMailbox = "true".
 */
/**
 * The roles an app-only IMAP/SMTP token must carry, from the catalogue entry's permissions: a send-only
 * system on Exchange's RBAC for Applications route (shared/registration/derive.ts smtpSendRoute) gets no
 * SMTP.SendAsApp role in its token (Exchange's role assignment authorises it instead). Without a known
 * target: both roles.
 */
function appOnlyOutlookRoles(profile: Pick<Profile, 'target'> & Partial<Profile>): string[][] {
  const t = profile.target ? findTarget(profile.target) : undefined;
  if (!t) return [['IMAP.AccessAsApp'], ['SMTP.SendAsApp']];
  let perms: ReturnType<typeof permissionsFor>;
  try {
    perms = permissionsFor(t, profile as Profile);
  } catch {
    return [['IMAP.AccessAsApp'], ['SMTP.SendAsApp']];
  }
  const exo = perms.filter((p) => p.resource === 'Office 365 Exchange Online' && p.type === 'application');
  const rbac = smtpSendRoute(exo) === 'rbac';
  return exo.filter((p) => !(rbac && p.name === 'SMTP.SendAsApp')).map((p) => [p.name]);
}

export function judgeClaims(info: TokenInfo, profile: Pick<Profile, 'flow' | 'api' | 'mailbox' | 'tenant' | 'targetInputs'> & Partial<Pick<Profile, 'target' | 'mailboxScope'>>, ep?: Pick<ResolvedEndpoints, 'graphResource' | 'outlookResource'>): ClaimProblem | null {
  const aud = info.audience.replace(/\/$/, '').toLowerCase();
  const graph = profile.api === 'graph';
  const okAud = graph ? [...GRAPH_AUDIENCES, ep?.graphResource ?? ''].map((a) => a.toLowerCase()).includes(aud) : [...OUTLOOK_AUDIENCES, ep?.outlookResource ?? ''].map((a) => a.toLowerCase()).includes(aud);
  if (!okAud) return { code: 'token-wrong-audience', text: `token issued for audience ${info.audience || '(none)'}; ${graph ? 'Graph' : 'IMAP/SMTP'} needs ${graph ? 'https://graph.microsoft.com' : 'https://outlook.office.com'}` };
  if (/^[0-9a-f-]{36}$/i.test(profile.tenant) && info.tenantId && info.tenantId.toLowerCase() !== profile.tenant.toLowerCase()) {
    return { code: 'token-wrong-tenant', text: `token tenant ${info.tenantId}, profile tenant ${profile.tenant}` };
  }
  if (profile.flow === 'app-only') {
    // Scoped by Exchange RBAC for Applications: the token carries no Entra mail roles by design (Exchange
    // grants the mailbox); the mailbox checks that follow are the proof.
    if (graph && profile.mailboxScope === 'exchange-rbac' && !info.roles.some((r) => /^Mail\./.test(r))) return null;
    const need = graph ? [['Mail.Read', 'Mail.ReadWrite'], ['Mail.Send']] : appOnlyOutlookRoles({ ...profile, target: profile.target ?? '' });
    const missing = need.filter((alts) => !alts.some((r) => info.roles.includes(r))).map((alts) => alts.join(' or '));
    if (missing.length) return { code: 'token-missing-role', text: `app-only token roles [${info.roles.join(', ')}]; missing ${missing.join(', ')}` };
    return null;
  }
  const need = graph ? [['Mail.ReadWrite', 'Mail.Read'], ['Mail.Send']] : [['IMAP.AccessAsUser.All'], ['SMTP.Send']];
  const missing = need.filter((alts) => !alts.some((s) => info.scopes.includes(s))).map((alts) => alts.join(' or '));
  if (missing.length) return { code: 'token-missing-scope', text: `token scopes [${info.scopes.join(' ')}]; missing ${missing.join(', ')}` };
  const delegated = profile.targetInputs?.delegatedMailbox === 'true';
  if (info.account && profile.mailbox && info.account.toLowerCase() !== profile.mailbox.toLowerCase() && !delegated) {
    return { code: 'signed-in-wrong-account', text: `signed in as ${info.account}; the profile's mailbox is ${profile.mailbox}` };
  }
  return null;
}
