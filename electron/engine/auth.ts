import { randomBytes } from 'node:crypto';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  type ICachePlugin,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
  type TokenCacheContext,
} from '@azure/msal-node';
import { findTarget, hasPlaceholder, redirectUris } from '../../shared/catalogue';
import { scopesFor, type ResolvedEndpoints } from '../../shared/endpoints';
import type { Profile } from '../../shared/profile';
import type { DiagnosisCode } from '../../shared/diagnosis';
import { httpsRequest, type NetOptions } from './net';
import { netOptions, resolveNet } from './resolve-net';
import { systemClock, type Clock, type EngineDeps, type SecretVault } from './ports';
import { inspectToken, type TokenInfo } from './token';

/** A failure the engine already understands, carried to diagnose() as a hint with safe text. */
export class EngineError extends Error {
  constructor(
    readonly hint: DiagnosisCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface ThrottleRecord {
  status: number;
  retryAfterSeconds?: number;
  retried: boolean;
}

/**
 * msal-node's network client on https.request: the profile's extra CAs and proxy, a time bound, and
 * Retry-After honoured once (when the wait fits in the time left) for 429/503 answers.
 */
export class ProfileNetworkClient implements INetworkModule {
  lastThrottle: ThrottleRecord | undefined;
  constructor(
    private readonly net: NetOptions,
    private readonly clock: Clock = systemClock,
    private readonly deadline: number = Date.now() + (net.timeoutMs ?? 10_000),
  ) {}

  private async send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const once = async () => {
      const r = await httpsRequest(url, { method, headers: options?.headers ?? {}, ...(options?.body !== undefined ? { body: options.body } : {}) }, { ...this.net, timeoutMs: Math.max(1, this.deadline - Date.now()) });
      let body: unknown = {};
      try {
        body = r.body ? JSON.parse(r.body) : {};
      } catch {
        body = { error: 'invalid_response', error_description: `HTTP ${r.status}: ${r.body.slice(0, 300)}` };
      }
      return { status: r.status, headers: r.headers, body: body as T };
    };
    let res = await once();
    if (res.status === 429 || res.status === 503) {
      const ra = Number(res.headers['retry-after']);
      const waitMs = Number.isFinite(ra) ? ra * 1000 : 1000;
      this.lastThrottle = { status: res.status, ...(Number.isFinite(ra) ? { retryAfterSeconds: ra } : {}), retried: false };
      if (Date.now() + waitMs < this.deadline - 200) {
        await this.clock.sleep(waitMs, this.net.signal);
        this.lastThrottle.retried = true;
        res = await once();
        if (res.status !== 429 && res.status !== 503) this.lastThrottle = undefined;
      }
    }
    return res;
  }
  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options);
  }
  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }
}

/**
 * The vault key of a profile's token cache. A connection saved in the app (its secret in the vault
 * under the connection's id) keys it by that id, so a rename keeps the sign-in and deleting the
 * connection deletes its tokens (electron/ipc/hardening-handlers.ts tokenCacheKey).
 */
export function cacheKey(profile: Pick<Profile, 'clientId' | 'tenant' | 'name'> & { clientSecret?: Profile['clientSecret'] }): string {
  if (profile.clientSecret?.source === 'vault') return `token-cache:profile:${profile.clientSecret.key}`;
  return `token-cache:${profile.clientId}:${profile.tenant}:${profile.name}`;
}

/** The msal token cache lives only in the SecretVault (never in a file of our own). */
export function vaultCachePlugin(vault: SecretVault, key: string): ICachePlugin {
  return {
    async beforeCacheAccess(ctx: TokenCacheContext) {
      const data = await vault.get(key);
      if (data) ctx.tokenCache.deserialize(data);
    },
    async afterCacheAccess(ctx: TokenCacheContext) {
      if (ctx.cacheHasChanged) await vault.set(key, ctx.tokenCache.serialize());
    },
  };
}

export interface MsalSetup {
  endpoints: ResolvedEndpoints;
  /** The extra CAs and proxy every request of this setup uses. */
  net: NetOptions;
  network: ProfileNetworkClient;
  confidential: boolean;
  app: ConfidentialClientApplication | PublicClientApplication;
}

export function createMsal(profile: Profile, deps: EngineDeps, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): MsalSetup {
  const resolved = deps.net ?? resolveNet(profile);
  const endpoints = resolved.endpoints;
  const net = netOptions(resolved);
  const network = new ProfileNetworkClient({ ...net, timeoutMs: opts.timeoutMs ?? 10_000, ...(opts.signal ? { signal: opts.signal } : {}) }, deps.clock ?? systemClock);
  const confidential = !!deps.clientSecret || !!deps.clientCertificate;
  const config: Configuration = {
    auth: {
      clientId: profile.clientId,
      authority: endpoints.authority,
      knownAuthorities: [endpoints.signInHost],
      ...(deps.clientSecret ? { clientSecret: deps.clientSecret } : deps.clientCertificate ? { clientCertificate: deps.clientCertificate } : {}),
    },
    system: { networkClient: network, loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => {} } },
    cache: { cachePlugin: vaultCachePlugin(deps.vault, cacheKey(profile)) },
  };
  const app = confidential ? new ConfidentialClientApplication(config) : new PublicClientApplication(config);
  return { endpoints, net, network, confidential, app };
}

export interface TokenResult {
  accessToken: string;
  info: TokenInfo;
  /** Signed-in account for delegated tokens. */
  account?: string;
  expiresOn?: string;
  /** How the token was obtained. */
  via: 'client-credentials' | 'cache' | 'refresh' | 'auth-code' | 'device-code';
}

function toResult(r: AuthenticationResult | null, via: TokenResult['via']): TokenResult {
  if (!r?.accessToken) throw new EngineError('unrecognised', 'the token endpoint returned no access token');
  const info = inspectToken(r.accessToken);
  return { accessToken: r.accessToken, info, ...(r.account?.username ? { account: r.account.username } : {}), ...(r.expiresOn ? { expiresOn: r.expiresOn.toISOString() } : {}), via };
}

/**
 * msal reports a failed discovery document as `endpoints_resolution_error` and drops the server's
 * answer (AADSTS90002 for an unknown tenant, for instance). Fetch it once more to keep the evidence.
 */
async function explainDiscoveryFailure(e: unknown, m: MsalSetup, net: NetOptions): Promise<unknown> {
  const code = (e as { errorCode?: string } | null)?.errorCode;
  if (code !== 'endpoints_resolution_error') return e;
  try {
    const r = await httpsRequest(`${m.endpoints.authority}/v2.0/.well-known/openid-configuration`, {}, { ...net, timeoutMs: 3000 });
    if (r.status >= 400) {
      const body = JSON.parse(r.body) as { error?: string; error_description?: string };
      return Object.assign(new Error(`${body.error ?? 'error'}: ${body.error_description ?? r.body.slice(0, 300)}`), { errorCode: body.error, status: r.status });
    }
  } catch (inner) {
    return inner;
  }
  return e;
}

/** Adds what the network client saw (throttling) to an msal error before it reaches diagnose(). */
function annotate(e: unknown, network: ProfileNetworkClient): unknown {
  if (network.lastThrottle && e && typeof e === 'object') {
    Object.assign(e, { status: network.lastThrottle.status, ...(network.lastThrottle.retryAfterSeconds !== undefined ? { retryAfterSeconds: network.lastThrottle.retryAfterSeconds } : {}) });
  }
  return e;
}

export interface SignInOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** 'auth-code' (AuthWindow, PKCE) or 'device-code' (CLI). Default auth-code. */
  method?: 'auth-code' | 'device-code';
  /** Redirect URI for auth-code; default: the target's derived redirect, else http://localhost. */
  redirectUri?: string;
}

export interface SignInResult {
  account: string;
  token: TokenResult;
}

/**
 * Delegated sign-in. Auth code + PKCE through the AuthWindow: state and nonce are generated and
 * verified here, prompt=select_account and login_hint=mailbox; the redirect is caught by the window
 * and never loaded. Tokens land in the vault-backed cache only.
 */
export async function signIn(profile: Profile, deps: EngineDeps, opts: SignInOptions = {}): Promise<SignInResult> {
  if (profile.flow === 'app-only') throw new EngineError('unrecognised', 'app-only profiles do not sign in; use acquireToken');
  const timeoutMs = opts.timeoutMs ?? 180_000;
  const m = createMsal(profile, deps, { timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) });
  const scopes = scopesFor('delegated', profile.api, m.endpoints);
  try {
    if (opts.method === 'device-code') {
      if (!(m.app instanceof PublicClientApplication)) throw new EngineError('aadsts-7000218-secret-required', 'device code sign-in needs a public client (no secret): set the secret source to "none" and allow public client flows');
      const r = await m.app.acquireTokenByDeviceCode({
        scopes,
        timeout: Math.ceil(timeoutMs / 1000),
        deviceCodeCallback: (dc) => deps.onDeviceCode?.(dc.message),
      });
      const t = toResult(r, 'device-code');
      return { account: t.account ?? t.info.account ?? '', token: t };
    }
    if (!deps.authWindow) throw new EngineError('unrecognised', 'no sign-in window available on this host');
    const redirectUri = opts.redirectUri ?? profile.targetInputs.redirectUri ?? catalogueRedirect(profile) ?? 'http://localhost';
    const crypto = new CryptoProvider();
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const authUrl = new URL(await m.app.getAuthCodeUrl({ scopes, redirectUri, state, nonce, codeChallenge: challenge, codeChallengeMethod: 'S256', prompt: 'select_account' }));
    // msal drops login_hint next to prompt=select_account; the account picker still benefits from it
    // (the mailbox is preselected), so it is added here.
    if (profile.mailbox && !authUrl.searchParams.has('login_hint')) authUrl.searchParams.set('login_hint', profile.mailbox);
    const url = authUrl.toString();
    const redirect = await deps.authWindow.open(url, redirectUri, { timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) }).catch((e: unknown) => {
      const text = e instanceof Error ? e.message : 'the sign-in window was closed';
      // An error page (AADSTS50011, 500113, 700016 ...) never redirects: keep its text for diagnosis.
      if (/AADSTS\d+/.test(text)) throw new Error(text);
      throw new EngineError('sign-in-cancelled', text);
    });
    const q = redirect.searchParams.size ? redirect.searchParams : new URLSearchParams(redirect.hash.slice(1));
    if (q.get('error')) throw Object.assign(new Error(`${q.get('error')}: ${q.get('error_description') ?? ''}`), { errorCode: q.get('error') });
    if (q.get('state') !== state) throw new EngineError('sign-in-state-mismatch', 'state_mismatch: the state returned with the code is not the one sent');
    const code = q.get('code');
    if (!code) throw new EngineError('sign-in-cancelled', 'the redirect carried no code');
    const r = await m.app.acquireTokenByCode({ code, redirectUri, scopes, codeVerifier: verifier, state, nonce, ...(q.get('client_info') ? { clientInfo: q.get('client_info')! } : {}) } as Parameters<ConfidentialClientApplication['acquireTokenByCode']>[0]);
    const idNonce = (r.idTokenClaims as { nonce?: string } | undefined)?.nonce;
    if (idNonce !== undefined && idNonce !== nonce) {
      await m.app.getTokenCache().removeAccount(r.account as AccountInfo).catch(() => {});
      throw new EngineError('sign-in-nonce-mismatch', 'nonce_mismatch: the ID token does not carry the nonce sent');
    }
    const t = toResult(r, 'auth-code');
    return { account: t.account ?? t.info.account ?? '', token: t };
  } catch (e) {
    throw annotate(await explainDiscoveryFailure(e, m, m.net), m.network);
  }
}

/** The redirect the catalogue derives for the profile's target and inputs, when it has a complete one. */
export function catalogueRedirect(profile: Profile): string | undefined {
  const target = findTarget(profile.target);
  if (!target?.needsBaseUrl || !profile.targetInputs.baseUrl) return undefined;
  try {
    const uri = redirectUris(target, profile)[0];
    return uri && !hasPlaceholder(uri) ? uri : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the cached sign-in (tokens and refresh tokens) of a profile. */
export async function signOut(profile: Profile, deps: EngineDeps): Promise<void> {
  await deps.vault.delete(cacheKey(profile));
}

/**
 * A token for the profile's API without user interaction: client credentials (app-only), or the
 * cached sign-in refreshed silently (delegated; the account matching the mailbox first).
 */
export async function acquireToken(profile: Profile, deps: EngineDeps, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<TokenResult> {
  const m = createMsal(profile, deps, opts);
  const scopes = scopesFor(profile.flow, profile.api, m.endpoints);
  try {
    if (profile.flow === 'app-only') {
      if (!(m.app instanceof ConfidentialClientApplication)) throw new EngineError('aadsts-7000218-secret-required', 'app-only access needs the client secret');
      const r = await m.app.acquireTokenByClientCredential({ scopes, skipCache: true });
      return toResult(r, 'client-credentials');
    }
    const accounts = await m.app.getTokenCache().getAllAccounts();
    if (!accounts.length) throw new EngineError('sign-in-required', 'no saved sign-in for this profile');
    const account = accounts.find((a) => a.username.toLowerCase() === profile.mailbox.toLowerCase()) ?? accounts[0]!;
    const r = await m.app.acquireTokenSilent({ account, scopes, forceRefresh: true });
    return toResult(r, 'refresh');
  } catch (e) {
    throw annotate(await explainDiscoveryFailure(e, m, m.net), m.network);
  }
}
