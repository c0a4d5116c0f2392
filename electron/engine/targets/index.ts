/**
 * Straight into the target (issue 11): test a target connection, plan the push, push, read back and
 * run the target's own test. EmailEngine (REST), Odoo (JSON-RPC for 15-18, JSON-2 from 19)/Flectra (JSON-RPC), Frappe (REST).
 *
 * Secrets: the client secret, the target credentials and the refresh token go from the vault into the
 * request bodies and nowhere else; every text that leaves (plan, progress, diagnosis) is redacted
 * against them, and plans show secret fields as SECRET_SHOWN.
 */
import { diagnose, redact, redactDeep, type Diagnosis } from '../../../shared/diagnosis';
import { findTarget } from '../../../shared/catalogue';
import type { Profile } from '../../../shared/profile';
import type { TargetConnection } from '../../../shared/saved-profile';
import { systemClock, type Clock, type SecretVault } from '../ports';
import { SECRET_SHOWN } from './types';
import { credentialValues, fingerprintKey, validateTargetUrl } from './connection';
import { emailEngineClient } from './emailengine';
import { TargetError } from './errors';
import { createFrappeConnectedApp, frappeClient, type CreatedConnectedApp } from './frappe';
import { odooClient } from './odoo';
import { refreshTokenFromVault } from './refresh-token';
import { KIND_OF_TARGET, type FingerprintStore, type PushOutcome, type PushPlan, type RestoreOutcome, type RestorePoint, type TargetClient, type TargetContextInput, type TargetCredentials, type TargetTestResult } from './types';

export * from './types';
export { validateTargetUrl, targetCredentialsKey, parseCredentials, credentialValues } from './connection';
export { refreshTokenFromVault } from './refresh-token';
export { TargetError } from './errors';
export type { CreatedConnectedApp } from './frappe';

export interface PushRequest {
  /** The saved connection's id (names the vault keys of this connection). */
  profileId: string;
  profile: Profile;
  connection: TargetConnection;
  credentials: TargetCredentials | undefined;
  clientSecret: string | undefined;
  /** Hand the proving sign-in's refresh token to the target (default true). */
  handOverToken?: boolean;
  /** Also replace a refresh token the target already holds (Odoo/Flectra servers, Frappe Token Cache; EmailEngine replaces an account's sign-in only when the account is not connected). Default false. */
  replaceHeldToken?: boolean;
  timeoutMs?: number;
  /** Bound for the target's asynchronous test (EmailEngine connecting the account). */
  settleMs?: number;
  signal?: AbortSignal;
  /**
   * The plan the person confirmed (main's question named it): the push reads the target again and writes
   * only when what it would write now is what that plan said (planWrites), else target-plan-changed, nothing written.
   */
  expected?: PlanShape;
}

/** What a plan writes: each item that is created or updated, with the fields it changes (order-free). */
export type PlanShape = { items: readonly { id: string; action: string; changed: readonly string[] }[] };
export function planWrites(plan: PlanShape): string[] {
  return plan.items.filter((i) => i.action === 'create' || i.action === 'update').map((i) => `${i.id} ${i.action} ${[...i.changed].sort().join(',')}`).sort();
}

export interface PushDeps {
  vault: SecretVault;
  /** Where secret fingerprints outlive the vault (the CLI's fingerprint file); default: the vault. */
  fingerprints?: FingerprintStore;
  clock?: Clock;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; diagnosis: Diagnosis };

async function contextFor(req: PushRequest, deps: PushDeps): Promise<{ input: TargetContextInput; client: TargetClient }> {
  const kind = KIND_OF_TARGET[req.profile.target];
  const name = findTarget(req.profile.target)?.displayName ?? req.profile.target;
  if (!kind) throw new TargetError('target-profile-unsupported', `${name} has no API the assistant can configure; use the paste card.`);
  if (kind !== req.connection.kind) throw new TargetError('target-profile-unsupported', `the target connection is for ${req.connection.kind}, the profile for ${name}`);
  const url = validateTargetUrl(req.connection.url);
  if (!req.credentials || req.credentials.kind !== kind) throw new TargetError('target-bad-credentials', `no ${kind === 'emailengine' ? 'access token' : 'API key'} is saved for this target connection`);
  const refreshToken = req.handOverToken === false || req.profile.flow === 'app-only' ? undefined : await refreshTokenFromVault(req.profile, deps.vault);
  const secrets = [...credentialValues(req.credentials), ...(req.clientSecret ? [req.clientSecret] : []), ...(refreshToken ? [refreshToken] : [])];
  const input: TargetContextInput = {
    profile: req.profile,
    connection: { ...req.connection, url },
    credentials: req.credentials,
    clientSecret: req.clientSecret,
    refreshToken,
    ...(req.replaceHeldToken && refreshToken ? { replaceHeldToken: true } : {}),
    secrets,
    timeoutMs: req.timeoutMs ?? 15_000,
    settleMs: req.settleMs ?? 20_000,
    ...(req.signal ? { signal: req.signal } : {}),
    clock: deps.clock ?? systemClock,
    fingerprints: deps.fingerprints ?? { matches: async (k, v) => (await deps.vault.get(fingerprintKey(req.profileId, k))) === v, set: (k, v) => deps.vault.set(fingerprintKey(req.profileId, k), v) },
  };
  const client = kind === 'emailengine' ? emailEngineClient(input) : kind === 'odoo' ? odooClient(input) : frappeClient(input);
  return { input, client };
}

/** A target failure as a diagnosis: stable code, cause and fix, the target's words as redacted evidence. */
export function diagnoseTarget(e: unknown, profile: Partial<Profile>, secrets: readonly string[]): Diagnosis {
  if (e instanceof TargetError) return diagnose({ source: 'internal', text: e.targetText, hint: e.hint, ...(e.host ? { host: e.host } : {}), ...(e.status ? { httpStatus: e.status } : {}) }, { profile, secrets });
  const d = diagnose(e, { profile, secrets });
  return d;
}

const secretsOf = (req: PushRequest): string[] => [...(req.credentials ? credentialValues(req.credentials) : []), ...(req.clientSecret ? [req.clientSecret] : [])];

/**
 * Frappe's Connected App, made through its REST API before the registration (issue 19: the person no longer
 * makes it by hand and copies its Redirect URI). The address is checked as every target address is; the
 * answer is redacted against the credentials; a failure is a diagnosis with its stable code.
 */
export async function createConnectedApp(req: { url: string; login?: string; credentials: TargetCredentials; provider: string; existing?: string; ca?: string[]; timeoutMs?: number; signal?: AbortSignal }): Promise<Outcome<CreatedConnectedApp>> {
  const secrets = credentialValues(req.credentials);
  try {
    const url = validateTargetUrl(req.url);
    if (req.credentials.kind !== 'frappe') throw new TargetError('target-bad-credentials', 'no Frappe password or API key was given');
    const made = await createFrappeConnectedApp({ url, login: req.login, credentials: req.credentials, ca: req.ca, timeoutMs: req.timeoutMs ?? 15_000, signal: req.signal }, req.provider, req.existing);
    return { ok: true, value: redactDeep(made, secrets) };
  } catch (e) {
    return { ok: false, diagnosis: diagnoseTarget(e, { target: 'frappe' }, secrets) };
  }
}

/** Test target connection: proves the address, the credentials, the rights and the version; writes nothing. */
export async function testTargetConnection(req: PushRequest, deps: PushDeps): Promise<Outcome<TargetTestResult>> {
  let secrets = secretsOf(req);
  try {
    const { input, client } = await contextFor(req, deps);
    secrets = input.secrets;
    return { ok: true, value: redactDeep(await client.test(), secrets) };
  } catch (e) {
    return { ok: false, diagnosis: diagnoseTarget(e, req.profile, secrets) };
  }
}

/** The writes a push would make, read from the target's current state. Writes nothing (--dry-run). */
export async function planPush(req: PushRequest, deps: PushDeps): Promise<Outcome<PushPlan>> {
  let secrets = secretsOf(req);
  try {
    const { input, client } = await contextFor(req, deps);
    secrets = input.secrets;
    return { ok: true, value: redactDeep(await client.plan(), secrets) };
  } catch (e) {
    return { ok: false, diagnosis: diagnoseTarget(e, req.profile, secrets) };
  }
}

/**
 * Plan, write what differs (idempotent: a second push finds everything unchanged), read back, and run
 * the target's own test. Where no refresh token can be handed over, configures the rest and names the
 * one button the user presses in the target.
 */
export async function push(req: PushRequest, deps: PushDeps, opts: { onProgress?: (message: string) => void } = {}): Promise<Outcome<PushOutcome>> {
  let secrets = secretsOf(req);
  let plan: PushPlan | undefined;
  try {
    const { input, client } = await contextFor(req, deps);
    secrets = input.secrets;
    const say = (m: string) => opts.onProgress?.(redact(m, secrets));
    say('Reading what the target holds now…');
    plan = await client.plan();
    if (req.expected) {
      const now = planWrites(plan);
      const confirmed = planWrites(req.expected);
      if (now.join('\n') !== confirmed.join('\n')) {
        const differs = [...now.filter((x) => !confirmed.includes(x)).map((x) => `now also: ${x}`), ...confirmed.filter((x) => !now.includes(x)).map((x) => `no longer: ${x}`)];
        throw new TargetError('target-plan-changed', `what the push would write differs from the confirmed plan (${differs.join('; ')})`);
      }
    }
    const r = await client.apply(plan, say);
    const unreadable = Object.entries(r.readBack).filter(([, ok]) => !ok).map(([id]) => id);
    const status: PushOutcome['status'] = unreadable.length ? 'partial' : r.status;
    const summary = summarise(plan, r.applied, status, r.button, unreadable);
    const point = restorePointOf(plan, r.applied, deps.clock ?? systemClock);
    const outcome: PushOutcome = { plan, ...r, status, summary, ...(point ? { restorePoint: point } : {}) };
    if (r.button) outcome.diagnosis = diagnoseTarget(new TargetError('target-token-not-available', `Press: ${r.button}`), req.profile, secrets);
    return { ok: true, value: redactDeep(outcome, secrets) };
  } catch (e) {
    const diagnosis = diagnoseTarget(e, req.profile, secrets);
    const partial = (e as { partial?: Pick<PushOutcome, 'applied' | 'readBack' | 'targetTest'> }).partial;
    if (partial && plan) {
      const outcome: PushOutcome = { plan, ...partial, status: 'failed', diagnosis, summary: `${plan.target}: written (${partial.applied.length} change${partial.applied.length === 1 ? '' : 's'}), but its own test failed: ${diagnosis.title}.` };
      return { ok: true, value: redactDeep(outcome, secrets) };
    }
    return { ok: false, diagnosis };
  }
}

/**
 * What this push overwrote, as a restore point: the previous non-secret values of each item it updated; what
 * cannot be put back is said in words (a secret the assistant never kept; a record the push created). Null
 * when the push overwrote nothing.
 */
export function restorePointOf(plan: PushPlan, applied: readonly string[], clock: Pick<Clock, 'now'>): RestorePoint | null {
  const items: RestorePoint['items'] = [];
  const notRestorable: string[] = [];
  for (const i of plan.items) {
    if (!applied.includes(i.id)) continue;
    if (i.notRestorable) {
      notRestorable.push(i.notRestorable);
      continue;
    }
    if (i.action === 'create') notRestorable.push(`${i.what}: created by the push, so there is nothing to put back; remove it in ${plan.target} if you no longer want it.`);
    if (i.action !== 'update') continue;
    if (i.previous && Object.keys(i.previous).length) items.push({ id: i.id, what: i.what, where: i.where, values: i.previous, ...(i.ref ? { ref: i.ref } : {}) });
    const secretChanged = i.changed.filter((k) => i.fields[k] === SECRET_SHOWN || k === 'clientSecret' || /refresh_?token/i.test(k));
    if (secretChanged.length) notRestorable.push(`${i.what}: the previous ${secretChanged.join(', ')} was a secret the assistant never kept, so it cannot be put back (the new one stays).`);
    else if (!i.previous || !Object.keys(i.previous).length) notRestorable.push(`${i.what}: its previous values were not recorded.`);
  }
  if (!items.length && !notRestorable.length) return null;
  return { target: plan.version || plan.target, at: new Date(clock.now()).toISOString(), items, notRestorable };
}

/** Puts back what a push overwrote (the restore point, shown to the person first) and reads it back. */
export async function restorePush(req: PushRequest, point: RestorePoint, deps: PushDeps, opts: { onProgress?: (message: string) => void } = {}): Promise<Outcome<RestoreOutcome>> {
  let secrets = secretsOf(req);
  try {
    const { input, client } = await contextFor({ ...req, handOverToken: false }, deps);
    secrets = input.secrets;
    const r = await client.restore(point, (m) => opts.onProgress?.(redact(m, secrets)));
    const failed = Object.entries(r.readBack).filter(([, ok]) => !ok).map(([id]) => id);
    const summary = r.restored.length
      ? `${point.target}: the previous values of ${r.restored.length} item${r.restored.length === 1 ? '' : 's'} put back${failed.length ? `; not confirmed by reading back: ${failed.join(', ')}` : ' and read back'}.`
      : `${point.target}: nothing to put back.`;
    return { ok: true, value: redactDeep({ ...r, notRestorable: point.notRestorable, summary }, secrets) };
  } catch (e) {
    return { ok: false, diagnosis: diagnoseTarget(e, req.profile, secrets) };
  }
}

function summarise(plan: PushPlan, applied: string[], status: PushOutcome['status'], button: string | undefined, unreadable: string[]): string {
  const parts = [applied.length ? `${plan.target}: ${applied.length} change${applied.length === 1 ? '' : 's'} written and read back` : `${plan.target}: already up to date, nothing written`];
  if (unreadable.length) parts.push(`not confirmed by reading back: ${unreadable.join(', ')}`);
  if (button) parts.push(`one thing left for you: press "${button}"`);
  else if (status === 'configured') parts.push("the target's own test passed");
  return `${parts.join('; ')}.`;
}
