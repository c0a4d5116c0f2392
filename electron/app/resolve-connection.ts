import { findTarget, resolveTarget, validationHints, type TargetEntry } from '../../shared/catalogue';
import type { CheckId } from '../../shared/checks';
import { caCertsProblem, nonMicrosoftEndpoints } from '../../shared/endpoint-policy';
import { ProfileSchema, type Profile } from '../../shared/profile';
import type { SavedProfile } from '../../shared/saved-profile';
import { validateProfile } from '../../shared/validation';
import { applicableChecks } from '../engine/run';
import type { ResolvedNet } from '../engine/ports';
import { resolveNet } from '../engine/resolve-net';
import { AppError } from './app-error';
import { vaultKeys } from './vault-keys';

/**
 * Resolve once (issue 18). Everything an operation on a connection needs, worked out once when the
 * operation starts and passed down: the IPC handlers call `resolve()` once per operation and give the
 * answer to the engine facades, which derive nothing from the saved record themselves; the CLI builds
 * the same core from a profile file with `resolveProfile()`. The saved record becomes an engine
 * profile here and nowhere else (test/lint/one-conversion.test.ts keeps it so).
 */

/** What the catalogue says about the connection's target system (undefined for an unknown target). */
export interface TargetFacts {
  id: string;
  displayName: string;
  flow: Profile['flow'];
  api: Profile['api'];
  /** The redirect URIs the registration needs (may hold `<placeholders>` while inputs are missing). */
  redirectUris: string[];
}

/** Whether the connection may be sent anywhere: Microsoft's hosts only, unless the app's setting allows others. */
export interface EndpointDecision {
  customEndpointsAllowed: boolean;
  /** The fields that point elsewhere than Microsoft's servers for the connection's cloud, in words. */
  outside: string[];
  allowed: boolean;
}

/** The core both the app and the CLI build: from a valid engine profile. */
export interface ResolvedProfile {
  /** The engine's profile: flow and API as the catalogue decides, the app's trusted CAs added. */
  profile: Profile;
  /** The redirect URI of the mailbox sign-in. */
  redirectUri: string | undefined;
  /** The checks that prove this connection: the catalogue's list for its target (the API's default for an unknown one). */
  checks: CheckId[];
  /** Endpoints, extra CAs (loaded) and proxy: the engine takes these as `EngineDeps.net` and resolves nothing again. */
  net: ResolvedNet;
  target: TargetFacts | undefined;
  policy: EndpointDecision;
}

/** A saved connection, resolved for one operation. */
export interface ResolvedConnection extends ResolvedProfile {
  id: string;
  /** The record as loaded when the operation started (main's fields: registration, targetConnection...). */
  saved: SavedProfile;
  /** The engine profile as the connection itself defines it (without the app's trusted CAs): what an export shows. */
  ownProfile: Profile;
  /** Every vault key of this connection (electron/app/vault-keys.ts). */
  vaultKeys: { clientSecret: string; pendingSecret: string; tokenCache: string; targetCredentials: string };
}

export interface ResolveOptions {
  /** Refuse (before anything else) a connection the endpoint policy does not allow: every operation that sends the secret or a token. */
  enforcePolicy?: boolean;
  /** Static validation first, with the secret about to be used: its errors stop the operation with their own words. */
  validate?: { secret: string | undefined };
}

export interface ResolverEnv {
  /** Extra CA certificates (PEM) the app trusts for every connection (its setting, the emulator's CA in tests). */
  extraCaPem?: string[] | (() => string[]);
  /** The app's "Allow servers other than Microsoft's" setting, read at each resolution. */
  customEndpoints: () => boolean;
  now?: () => Date;
}

export type ConnectionResolver = ((saved: SavedProfile, options?: ResolveOptions) => ResolvedConnection) & {
  /**
   * The CA certificates a request for this connection trusts (its own, then the app's), as the full resolution
   * adds them to the profile; for a connection not complete yet (Frappe's Connected App, made on Details).
   */
  trust(saved: SavedProfile): string[];
};

/** The connection's own CAs, then the CAs the app trusts for every connection: one list, wherever a request is built. */
function withAppCas(own: readonly string[] | undefined, extra: readonly string[] | undefined): string[] {
  return [...(own ?? []), ...(extra ?? [])];
}

function decide(fields: Pick<Profile, 'cloud' | 'endpoints' | 'proxy' | 'caCerts'> | SavedProfile['profile'], customEndpointsAllowed: boolean): EndpointDecision {
  const outside = nonMicrosoftEndpoints(fields as Parameters<typeof nonMicrosoftEndpoints>[0]);
  return { customEndpointsAllowed, outside, allowed: customEndpointsAllowed || outside.length === 0 };
}

/** The refusal of a connection the endpoint policy does not allow (nothing was sent). */
export function refuseOutside(policy: EndpointDecision): void {
  if (policy.allowed) return;
  const { outside } = policy;
  throw new AppError(
    'endpoints-not-allowed',
    `This connection points at ${outside.join(', ')}, which ${outside.length === 1 ? 'is' : 'are'} not Microsoft's servers for its cloud. Nothing was sent. To use other servers (a test system, a TLS-inspecting proxy), turn on "Allow servers other than Microsoft's" in Details > Advanced, or clear those fields.`,
  );
}

function targetFacts(target: TargetEntry, profile: Profile): { facts: TargetFacts; checks: CheckId[] } {
  const r = resolveTarget(target, profile);
  return { facts: { id: target.id, displayName: target.displayName, flow: r.flow, api: r.api, redirectUris: r.redirectUris }, checks: r.checks };
}

/**
 * The shared core: from a valid engine profile to everything an operation needs. `own` is the profile
 * as its source defines it; `extraCaPem` the CAs the host trusts on top. Endpoints and CAs are resolved
 * here once (resolveNet); the catalogue is asked once.
 */
export function resolveProfile(
  own: Profile,
  options: {
    extraCaPem?: string[];
    customEndpoints: boolean;
    policyFields?: Parameters<typeof decide>[0];
    /** The app: the catalogue decides flow and API (default). A profile file (the CLI) states its own; the catalogue's checks apply when its API agrees. */
    catalogueDecides?: boolean;
  },
): ResolvedProfile {
  const policy = decide(options.policyFields ?? own, options.customEndpoints);
  let profile = options.extraCaPem?.length ? { ...own, caCerts: withAppCas(own.caCerts, options.extraCaPem) } : own;
  const target = findTarget(profile.target);
  let redirectUri = profile.targetInputs.redirectUri;
  let facts: TargetFacts | undefined;
  let checks: CheckId[];
  if (target) {
    const t = targetFacts(target, profile);
    facts = t.facts;
    if (options.catalogueDecides !== false) {
      profile = { ...profile, flow: t.facts.flow, api: t.facts.api };
      redirectUri = t.facts.redirectUris[0] ?? redirectUri;
    }
    checks = t.facts.api === profile.api ? t.checks : applicableChecks(profile);
  } else checks = applicableChecks(profile);
  return { profile, redirectUri, checks, net: resolveNet(profile), target: facts, policy };
}

/** The engine profile of a saved connection: the one conversion (the secret stays a vault reference named by the id). */
function toEngineProfile(saved: SavedProfile): Profile {
  const parsed = ProfileSchema.safeParse({ ...saved.profile, name: saved.profile.name || saved.id, clientSecret: { source: 'vault', key: saved.id } });
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'profile'))].join(', ');
    throw new AppError('profile-incomplete', `Some details are missing or not valid (${fields}). Go back and complete them.`);
  }
  return parsed.data;
}

/**
 * The CLI's sibling of a saved connection's resolution: a profile read from a file (electron/engine/profileFile.ts)
 * and cleaned by validation, through the same core. The file states its own flow and API.
 */
export function resolveProfileFile(profile: Profile, options: { customEndpoints: boolean }): ResolvedProfile {
  return resolveProfile(profile, { customEndpoints: options.customEndpoints, catalogueDecides: false });
}

/** Resolves saved connections with the app's settings; main.ts and the test hosts build one. */
export function createConnectionResolver(env: ResolverEnv): ConnectionResolver {
  const extraCa = () => (typeof env.extraCaPem === 'function' ? env.extraCaPem() : (env.extraCaPem ?? []));
  const ownCas = (saved: SavedProfile) => {
    const ca = caCertsProblem(saved.profile.caCerts);
    if (ca) throw new AppError('ca-certs-invalid', ca);
    return saved.profile.caCerts;
  };
  const resolve = (saved: SavedProfile, options: ResolveOptions = {}): ResolvedConnection => {
    // The policy first: a refused connection is refused whatever else is wrong with it.
    ownCas(saved);
    const policy = decide(saved.profile, env.customEndpoints());
    if (options.enforcePolicy) refuseOutside(policy);
    const own = toEngineProfile(saved);
    if (options.validate) {
      const target = findTarget(own.target);
      const hints = target ? validationHints(target, own.targetInputs) : undefined;
      const { secret } = options.validate;
      const { findings } = validateProfile(own, { now: env.now?.() ?? new Date(), ...(secret ? { secretValue: secret } : {}), ...(hints ? { target: hints } : {}) });
      const errors = findings.filter((f) => f.severity === 'error');
      if (errors.length) throw new AppError('profile-invalid', errors.map((f) => f.message).join(' '));
    }
    const core = resolveProfile(own, { extraCaPem: extraCa(), customEndpoints: policy.customEndpointsAllowed, policyFields: saved.profile });
    return {
      ...core,
      id: saved.id,
      saved,
      ownProfile: own,
      vaultKeys: { clientSecret: vaultKeys.clientSecret(saved.id), pendingSecret: vaultKeys.pendingSecret(saved.id), tokenCache: vaultKeys.tokenCache(saved.id), targetCredentials: vaultKeys.targetCredentials(saved.id) },
    };
  };
  return Object.assign(resolve, { trust: (saved: SavedProfile) => withAppCas(ownCas(saved), extraCa()) });
}
