/**
 * The administrator's sign-in before our own app exists (REGISTRATION-FACTS.md 1.5, option 1): a
 * public client (default Microsoft Graph Command Line Tools 14d82eec-…, overridable per setting or
 * `--admin-client-id`), auth code + PKCE through the AuthWindow port with the loopback redirect
 * `http://localhost` caught and never loaded; device code as a fallback (Conditional Access may block
 * it); or, in the CLI, msal's own loopback server and the system browser. It asks only for what the
 * operation needs. The token stays in this process's memory (msal's in-memory cache, no vault).
 */
import { randomBytes } from 'node:crypto';
import { CryptoProvider, PublicClientApplication, type AuthenticationResult } from '@azure/msal-node';
import { findTarget } from '../../../shared/catalogue';
import type { ResolvedEndpoints } from '../../../shared/endpoints';
import { desiredRegistration } from '../../../shared/registration/desired';
import type { Profile } from '../../../shared/profile';
import { TENANT_ALIASES } from '../../../shared/profile';
import { EngineError, ProfileNetworkClient } from '../auth';
import type { NetOptions } from '../net';
import { netOptions, resolveNet } from '../resolve-net';
import { loopbackSignIn } from '../loopback';
import { systemClock, type AuthWindow, type Clock, type SystemBrowser } from '../ports';
import { decodeJwt } from '../token';
import { GraphClient, type GraphRequestRecord } from './graph';

/** Microsoft Graph Command Line Tools: a Microsoft tenant-owned public client that accepts dynamic Graph scopes. */
export const DEFAULT_ADMIN_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
export const DEFAULT_ADMIN_CLIENT_NAME = 'Microsoft Graph Command Line Tools';
export const ADMIN_REDIRECT_URI = 'http://localhost';

export type AdminPurpose = 'read' | 'write';

/**
 * Delegated Graph permissions per purpose (REGISTRATION-FACTS.md 2.9 / 3.1). Reading the policy
 * (Policy.Read.All) is asked for too, its absence only hides the policy (403 → null).
 * Write: Application.ReadWrite.All (apps, SPs, secrets), DelegatedPermissionGrant.ReadWrite.All
 * (oauth2PermissionGrants), AppRoleAssignment.ReadWrite.All (app roles, user assignment); plus
 * User.ReadBasic.All only when a mailbox user must be looked up for an assignment.
 */
export function adminScopes(purpose: AdminPurpose, o: { lookupUser?: boolean; readPolicy?: boolean } = {}): string[] {
  const base = purpose === 'read' ? ['Application.Read.All', 'Directory.Read.All'] : ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'];
  if (purpose === 'write' && o.lookupUser) base.push('User.ReadBasic.All');
  if (o.readPolicy !== false) base.push('Policy.Read.All');
  return base;
}

export interface AdminSession {
  /** The signed-in administrator (UPN). */
  account: string;
  /** The tenant the token is for (tid claim). */
  tenantId: string;
  /** Which client the admin signed in to. */
  adminClientId: string;
  purpose: AdminPurpose;
  /** Scopes granted (scp), as the token says. */
  scopes: string[];
  endpoints: ResolvedEndpoints;
  /** A Graph client carrying the admin's token (in memory only). */
  graph: GraphClient;
  expiresOn?: string;
}

export interface AdminSignInOptions {
  purpose: AdminPurpose;
  /** Default DEFAULT_ADMIN_CLIENT_ID. */
  adminClientId?: string;
  /**
   * 'auth-code' (AuthWindow, default), 'system-browser' (the person's browser through `systemBrowser`,
   * redirect to our one-shot loopback listener http://localhost:<port>, RFC 8252; the app), 'device-code',
   * or 'loopback' (msal's local server + the system browser; CLI).
   */
  method?: 'auth-code' | 'system-browser' | 'device-code' | 'loopback';
  authWindow?: AuthWindow;
  systemBrowser?: SystemBrowser;
  onDeviceCode?: (message: string) => void;
  /** loopback: open the URL in the system browser (the CLI prints it too). */
  openBrowser?: (url: string) => Promise<void>;
  /**
   * Ask for User.ReadBasic.All (write) to look up the mailbox user for an assignment. Default: when
   * the profile's target assigns the mailbox user (Flectra, Odoo), decided from the desired registration.
   */
  lookupUser?: boolean;
  /** Further delegated Graph permissions for this sign-in (e.g. AuditLog.Read.All for the inventory). */
  extraScopes?: string[];
  signal?: AbortSignal;
  timeoutMs?: number;
  clock?: Clock;
  /** Graph request log (bench, tests). */
  onRequest?: (r: GraphRequestRecord) => void;
}

/** The tenant segment for the admin's authority: the profile's tenant when it names one, else organizations. */
export function adminTenant(profile: Pick<Profile, 'tenant'>): string {
  const t = profile.tenant.trim();
  return !t || (TENANT_ALIASES as readonly string[]).includes(t.toLowerCase()) ? 'organizations' : t;
}

/** Whether `register` will have to look the mailbox user up (the target's guide assigns it to the app). */
export function needsUserLookup(profile: Partial<Profile>): boolean {
  const target = profile.target ? findTarget(profile.target) : undefined;
  if (!target) return false;
  try {
    return desiredRegistration(target, profile as Profile).assignment.assignMailbox;
  } catch {
    return false;
  }
}

export async function adminSignIn(profile: Pick<Profile, 'cloud' | 'tenant' | 'mailbox' | 'endpoints' | 'caCerts' | 'proxy'> & Partial<Profile>, o: AdminSignInOptions): Promise<AdminSession> {
  // The administrator's endpoints (their tenant), the connection's CAs and proxy: once (electron/engine/resolve-net.ts).
  const resolved = resolveNet({ ...profile, tenant: adminTenant(profile) });
  const ep = resolved.endpoints;
  const net: NetOptions = netOptions(resolved);
  const timeoutMs = o.timeoutMs ?? 300_000;
  const network = new ProfileNetworkClient({ ...net, timeoutMs, ...(o.signal ? { signal: o.signal } : {}) }, o.clock ?? systemClock);
  const clientId = o.adminClientId?.trim() || DEFAULT_ADMIN_CLIENT_ID;
  const app = new PublicClientApplication({
    auth: { clientId, authority: ep.authority, knownAuthorities: [ep.signInHost] },
    system: { networkClient: network, loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => {} } },
  });
  const scopes = [...adminScopes(o.purpose, { lookupUser: o.lookupUser ?? needsUserLookup(profile) }), ...(o.extraScopes ?? [])].map((s) => `${ep.graphResource}/${s}`);
  let r: AuthenticationResult | null;
  const method = o.method ?? 'auth-code';
  if (method === 'device-code') {
    r = await app.acquireTokenByDeviceCode({ scopes, timeout: Math.ceil(timeoutMs / 1000), deviceCodeCallback: (dc) => o.onDeviceCode?.(`${dc.message} (device code sign-in; Conditional Access may block it, then use the browser sign-in)`) });
  } else if (method === 'loopback') {
    if (!o.openBrowser) throw new EngineError('unrecognised', 'no browser to open for the sign-in');
    r = await app.acquireTokenInteractive({ scopes, openBrowser: o.openBrowser, prompt: 'select_account', successTemplate: 'Signed in. You can close this window and return to the terminal.', errorTemplate: 'Sign-in failed: {{error}}. Return to the terminal.' });
  } else {
    // Auth code + PKCE, in the embedded window (redirect http://localhost caught, never loaded) or in the
    // system browser (redirect to our loopback listener on an ephemeral port). State and nonce are checked here.
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const urlFor = (redirectUri: string) => app.getAuthCodeUrl({ scopes, redirectUri, state, nonce, codeChallenge: challenge, codeChallengeMethod: 'S256', prompt: 'select_account' });
    const cancelled = (e: unknown): never => {
      const text = e instanceof Error ? e.message : 'the sign-in window was closed';
      if (/AADSTS\d+/.test(text)) throw new Error(text);
      if (e instanceof EngineError) throw e;
      throw new EngineError('sign-in-cancelled', text);
    };
    let redirect: URL;
    let redirectUri = ADMIN_REDIRECT_URI;
    if (method === 'system-browser') {
      if (!o.systemBrowser) throw new EngineError('unrecognised', 'no system browser available on this host');
      const got = await loopbackSignIn({ authorizeUrl: urlFor, state, browser: o.systemBrowser, timeoutMs, ...(o.signal ? { signal: o.signal } : {}) }).catch(cancelled);
      redirect = got.redirect;
      redirectUri = got.redirectUri;
    } else {
      if (!o.authWindow) throw new EngineError('unrecognised', 'no sign-in window available on this host');
      redirect = await o.authWindow.open(await urlFor(ADMIN_REDIRECT_URI), ADMIN_REDIRECT_URI, { timeoutMs, ...(o.signal ? { signal: o.signal } : {}) }).catch(cancelled);
    }
    const q = redirect.searchParams.size ? redirect.searchParams : new URLSearchParams(redirect.hash.slice(1));
    if (q.get('error')) throw Object.assign(new Error(`${q.get('error')}: ${q.get('error_description') ?? ''}`), { errorCode: q.get('error') });
    if (q.get('state') !== state) throw new EngineError('sign-in-state-mismatch', 'state_mismatch: the state returned with the code is not the one sent');
    const code = q.get('code');
    if (!code) throw new EngineError('sign-in-cancelled', 'the redirect carried no code');
    r = await app.acquireTokenByCode({ code, redirectUri, scopes, codeVerifier: verifier, state, nonce, ...(q.get('client_info') ? { clientInfo: q.get('client_info')! } : {}) } as Parameters<PublicClientApplication['acquireTokenByCode']>[0]);
    const idNonce = (r?.idTokenClaims as { nonce?: string } | undefined)?.nonce;
    if (idNonce !== undefined && idNonce !== nonce) throw new EngineError('sign-in-nonce-mismatch', 'nonce_mismatch: the ID token does not carry the nonce sent');
  }
  if (!r?.accessToken) throw new EngineError('unrecognised', 'the token endpoint returned no access token');
  const claims = decodeJwt(r.accessToken) ?? {};
  const accessToken = r.accessToken;
  const tenantId = String(claims.tid ?? r.tenantId ?? '');
  const account = String(claims.upn ?? claims.preferred_username ?? r.account?.username ?? '');
  const graph = new GraphClient({ graphUrl: ep.graphUrl, token: accessToken, net, ...(o.clock ? { clock: o.clock } : {}), ...(o.onRequest ? { onRequest: o.onRequest } : {}) });
  return {
    account,
    tenantId,
    adminClientId: clientId,
    purpose: o.purpose,
    scopes: typeof claims.scp === 'string' ? claims.scp.split(' ') : [],
    endpoints: ep,
    graph,
    ...(r.expiresOn ? { expiresOn: r.expiresOn.toISOString() } : {}),
  };
}

/**
 * A session from a token the host already holds (tests, a host that signed the admin in another way).
 * The token stays in memory.
 */
export function sessionFromToken(profile: Pick<Profile, 'cloud' | 'tenant' | 'mailbox' | 'endpoints' | 'caCerts' | 'proxy'>, accessToken: string, o: { purpose: AdminPurpose; adminClientId?: string; clock?: Clock; onRequest?: (r: GraphRequestRecord) => void }): AdminSession {
  // The administrator's endpoints (their tenant), the connection's CAs and proxy: once (electron/engine/resolve-net.ts).
  const resolved = resolveNet({ ...profile, tenant: adminTenant(profile) });
  const ep = resolved.endpoints;
  const net: NetOptions = netOptions(resolved);
  const claims = decodeJwt(accessToken) ?? {};
  return {
    account: String(claims.upn ?? claims.preferred_username ?? ''),
    tenantId: String(claims.tid ?? ''),
    adminClientId: o.adminClientId ?? String(claims.appid ?? claims.azp ?? ''),
    purpose: o.purpose,
    scopes: typeof claims.scp === 'string' ? claims.scp.split(' ') : [],
    endpoints: ep,
    graph: new GraphClient({ graphUrl: ep.graphUrl, token: accessToken, net, ...(o.clock ? { clock: o.clock } : {}), ...(o.onRequest ? { onRequest: o.onRequest } : {}) }),
  };
}
