/**
 * Push tests: a proven profile (the engine signs in through the Playwright AuthWindow against the
 * Microsoft 365 emulator, as test/integration/targets does), a target stand-in (test/standins) wired to
 * the same emulator, and the engine's push. Every output is collected so the tests can scan it for
 * secrets.
 */
import { expect } from 'vitest';
import { signIn, type EngineDeps } from '../../../electron/engine';
import { push, planPush, refreshTokenFromVault, testTargetConnection, type Outcome, type PushOutcome, type PushPlan, type PushRequest, type TargetTestResult } from '../../../electron/engine/targets';
import type { Profile } from '../../../shared/profile';
import type { TargetConnection } from '../../../shared/saved-profile';
import type { Emulator } from '../../emulator/index';
import { deps as targetDeps, registration, secretOf, wizardProfile, type Deps, type WizardInput } from '../targets/helpers';
import type { Person } from '../helpers/authWindow';

export interface Proven {
  profile: Profile;
  secret: string;
  deps: Deps;
  /** The refresh token the sign-in left in the vault (to check it never shows up in any output). */
  refreshToken: string;
}

/** Signs the mailbox user in through the engine (the wizard's Sign-in step): the vault then holds the msal cache. */
export async function provenProfile(emu: Emulator, person: Person, w: WizardInput, clientId?: string): Promise<Proven> {
  const app = registration(emu, clientId);
  const secret = secretOf(app);
  const { profile, redirectUri } = wizardProfile(emu, w, secret);
  const d = targetDeps(person, secret);
  await signIn(profile, d, { timeoutMs: 20_000, ...(redirectUri ? { redirectUri } : {}) });
  const refreshToken = await refreshTokenFromVault(profile, d.vault);
  expect(refreshToken, 'the sign-in left a refresh token in the vault').toBeTruthy();
  return { profile, secret, deps: d, refreshToken: refreshToken! };
}

/** Collects everything the engine says (results, plans, progress, diagnoses) for the secret scan. */
export class Transcript {
  readonly lines: string[] = [];
  add(v: unknown): void {
    this.lines.push(typeof v === 'string' ? v : JSON.stringify(v));
  }
  text(): string {
    return this.lines.join('\n');
  }
  /** None of the given values, nor their base64, appears anywhere. */
  expectClean(secrets: Array<string | undefined>): void {
    const text = this.text();
    for (const s of secrets.filter((x): x is string => !!x && x.length >= 6)) {
      expect(text.includes(s), `a secret (${s.slice(0, 3)}…) leaked into the output`).toBe(false);
      expect(text.includes(Buffer.from(s).toString('base64')), 'a secret leaked base64-encoded').toBe(false);
    }
  }
}

export function request(p: Proven, profileId: string, connection: TargetConnection, credentials: PushRequest['credentials'], extra: Partial<PushRequest> = {}): PushRequest {
  return { profileId, profile: p.profile, connection, credentials, clientSecret: p.secret, timeoutMs: 10_000, settleMs: 15_000, ...extra };
}

export async function run(kind: 'test', req: PushRequest, d: EngineDeps, t: Transcript): Promise<Outcome<TargetTestResult>>;
export async function run(kind: 'plan', req: PushRequest, d: EngineDeps, t: Transcript): Promise<Outcome<PushPlan>>;
export async function run(kind: 'push', req: PushRequest, d: EngineDeps, t: Transcript): Promise<Outcome<PushOutcome>>;
export async function run(kind: 'test' | 'plan' | 'push', req: PushRequest, d: EngineDeps, t: Transcript): Promise<Outcome<unknown>> {
  const r = kind === 'test' ? await testTargetConnection(req, d) : kind === 'plan' ? await planPush(req, d) : await push(req, d, { onProgress: (m) => t.add(m) });
  t.add(r);
  return r;
}

/** The diagnosis code of a failed outcome (or 'ok'). */
export function codeOf(r: { ok: true } | { ok: false; diagnosis: { code: string } }): string {
  return r.ok ? 'ok' : r.diagnosis.code;
}
