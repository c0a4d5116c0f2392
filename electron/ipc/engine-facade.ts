import { findTarget, resolveTarget, validationHints } from '../../shared/catalogue';
import type { CheckRun } from '../../shared/checks';
import { diagnose } from '../../shared/diagnosis';
import type { SignInOutcome } from '../../shared/ipc/contract';
import { ProfileSchema, type Profile } from '../../shared/profile';
import { validateProfile } from '../../shared/validation';
import type { SavedProfile } from '../../shared/saved-profile';
import { acquireToken, EngineError, runChecks, signIn, signOut, type AuthWindow, type EngineDeps, type SecretVault } from '../engine';
import type { SystemBrowser } from '../engine/ports';
import { exportProfile } from '../engine/export';
import { ExportError } from '../engine/export/types';
import { AppError } from './dispatch';
import type { EngineFacade } from './handlers';
import { createRegistrationFacade } from './registration-facade';
import { createTargetFacade } from './target-facade';

/**
 * Builds the engine facade the IPC handlers use, from the engine (electron/engine) and the ports.
 * Shared by main.ts (Electron adapters) and the e2e test host (a Playwright page as the sign-in
 * window, the emulator's CA), so both run the same composition.
 */
export interface EnginePorts {
  authWindow: AuthWindow;
  /** The person's own browser, for the administrator's sign-in with a loopback redirect (RFC 8252); absent: the embedded window only. */
  systemBrowser?: SystemBrowser;
  vault: SecretVault;
  now: () => Date;
  /** Extra CA certificates (PEM) trusted for every connection, e.g. a corporate TLS proxy or the emulator. */
  extraCaPem?: string[] | (() => string[]);
  /** Per-check time bounds (ms); defaults from shared/checks. */
  checkTimeoutMs?: number;
  signInTimeoutMs?: number;
  /** The public client administrators sign in to (default Microsoft Graph Command Line Tools; REGISTRATION-FACTS.md 1). */
  adminClientId?: string | (() => string | undefined);
}

/**
 * The engine's profile from what the wizard saved: the catalogue decides flow, API and redirect URI.
 * With `secret` given, static validation runs first and its errors stop the operation with their own
 * words (the same findings the wizard shows inline), before anything goes on the network.
 */
export function toEngineProfile(saved: SavedProfile, extraCaPem: string[] = [], validation?: { secret: string | undefined; now: Date }): { profile: Profile; redirectUri: string | undefined } {
  const parsed = ProfileSchema.safeParse({ ...saved.profile, name: saved.profile.name || saved.id, clientSecret: { source: 'vault', key: saved.id } });
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'profile'))].join(', ');
    throw new AppError('profile-incomplete', `Some details are missing or not valid (${fields}). Go back and complete them.`);
  }
  let profile = parsed.data;
  if (extraCaPem.length) profile = { ...profile, caCerts: [...(profile.caCerts ?? []), ...extraCaPem] };
  const target = findTarget(profile.target);
  if (validation) {
    const hints = target ? validationHints(target, profile.targetInputs) : undefined;
    const { findings } = validateProfile(profile, { now: validation.now, ...(validation.secret ? { secretValue: validation.secret } : {}), ...(hints ? { target: hints } : {}) });
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length) throw new AppError('profile-invalid', errors.map((f) => f.message).join(' '));
  }
  if (!target) return { profile, redirectUri: profile.targetInputs.redirectUri };
  const resolved = resolveTarget(target, profile);
  return { profile: { ...profile, flow: resolved.flow, api: resolved.api }, redirectUri: resolved.redirectUris[0] ?? profile.targetInputs.redirectUri };
}

export function createEngineFacade(ports: EnginePorts): EngineFacade {
  // Read at each use: the app's CA setting can change while it runs.
  const extraCa = () => (typeof ports.extraCaPem === 'function' ? ports.extraCaPem() : ports.extraCaPem);
  const lastRuns = new Map<string, CheckRun>();
  const deps = (secret: string | undefined): EngineDeps => ({
    vault: ports.vault,
    authWindow: ports.authWindow,
    ...(secret ? { clientSecret: secret } : {}),
  });

  return {
    registration: createRegistrationFacade(ports, toEngineProfile),
    target: createTargetFacade(ports, toEngineProfile),

    async signIn(saved, secret, { signal, onProgress }): Promise<SignInOutcome> {
      const { profile, redirectUri } = toEngineProfile(saved, extraCa(), { secret, now: ports.now() });
      const mailbox = profile.mailbox.toLowerCase();
      try {
        if (profile.flow === 'app-only') {
          onProgress('Asking Microsoft Entra for an app-only token (client credentials)…');
          const token = await acquireToken(profile, deps(secret), { signal, timeoutMs: ports.signInTimeoutMs ?? 30_000 });
          return { status: 'signed-in', account: `App ${token.info.appId ?? profile.clientId}`, tenantId: token.info.tenantId ?? null, matchesMailbox: true, scopes: token.info.roles ?? token.info.scopes ?? [] };
        }
        onProgress('Opening the Microsoft sign-in window…');
        const result = await signIn(profile, deps(secret), { signal, timeoutMs: ports.signInTimeoutMs ?? 300_000, ...(redirectUri ? { redirectUri } : {}) });
        const account = result.account;
        const matchesMailbox = account.toLowerCase() === mailbox;
        const outcome: SignInOutcome = { status: 'signed-in', account, tenantId: result.token.info.tenantId ?? null, matchesMailbox, scopes: result.token.info.scopes ?? [] };
        if (!matchesMailbox) {
          outcome.diagnosis = diagnose(new EngineError('signed-in-wrong-account', `signed in as ${account}, the mailbox is ${profile.mailbox}`), {
            profile,
            check: 'token',
            signedInAs: account,
            ...(secret ? { secretValue: secret } : {}),
          });
        }
        return outcome;
      } catch (error) {
        if (error instanceof EngineError && error.hint === 'sign-in-cancelled') {
          return { status: 'cancelled', reason: /within|timed? ?out/i.test(error.message) ? 'timeout' : 'closed' };
        }
        return { status: 'failed', diagnosis: diagnose(error, { profile, check: 'token', ...(secret ? { secretValue: secret } : {}) }) };
      }
    },

    async signOut(saved) {
      const { profile } = toEngineProfile(saved);
      await signOut(profile, deps(undefined));
    },

    async runChecks(saved, secret, { only, signal, onProgress }) {
      const { profile } = toEngineProfile(saved, extraCa(), { secret, now: ports.now() });
      const run = await runChecks(profile, deps(secret), {
        ...(only ? { only } : {}),
        ...(ports.checkTimeoutMs ? { timeouts: ports.checkTimeoutMs } : {}),
        signal,
        onProgress,
      });
      lastRuns.set(saved.id, run);
      return run;
    },

    async makeExport(saved, secret, format, includeSecret) {
      const { profile } = toEngineProfile(saved);
      try {
        const run = lastRuns.get(saved.id);
        const file = exportProfile(profile, format, { includeSecret, now: ports.now(), ...(secret ? { secretValue: secret } : {}), ...(run ? { checkRun: run } : {}), ...(saved.registration ? { registration: saved.registration } : {}) });
        return { format, ...file };
      } catch (error) {
        if (error instanceof ExportError) throw new AppError(`export-${error.code}`, error.message);
        throw error;
      }
    },
  };
}
