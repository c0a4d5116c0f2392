/**
 * The registration engine against the emulator's Graph directory: a tenant with no app of its own
 * (scenario.json), administrators with and without Entra roles signing in through the Playwright
 * AuthWindow (the admin client: Microsoft Graph Command Line Tools, as the engine defaults to), the
 * nine catalogue entries' wizard inputs, and the proof that a created app works: the mailbox user
 * signs in through the engine's signIn (web redirect caught) and runChecks passes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../../emulator/index';
import { MemoryVault, runChecks, signIn } from '../../../electron/engine';
import { adminSignIn, type AdminSession } from '../../../electron/engine/registration/admin-signin';
import { findTarget, redirectUris, resolveTarget, targetHints, validationHints } from '../../../shared/catalogue';
import { ProfileSchema, type Profile, type ProfileInput } from '../../../shared/profile';
import { validateProfile } from '../../../shared/validation';
import type { CheckRun, ProgressEvent } from '../../../shared/checks';
import type { RegistrationProgress } from '../../../shared/registration/types';
import { playwrightAuthWindow, type Person } from '../helpers/authWindow';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCENARIO = path.join(ROOT, 'test/integration/registration/scenario.json');
export const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
export const GLOBAL_ADMIN: Person = { upn: 'admin@fabrikam.com', password: 'Admin-Pass-1' };
export const APP_ADMIN: Person = { upn: 'appadmin@fabrikam.com', password: 'AppAdmin-Pass-1' };
export const NO_ROLE: Person = { upn: 'nobody@fabrikam.com', password: 'Nobody-Pass-1' };

export function startRegistrationEmulator(): Promise<Emulator> {
  return startEmulator(SCENARIO);
}

export interface TargetCase {
  target: string;
  targetInputs: Record<string, string>;
  mailbox: string;
  /** The mailbox user who signs in for delegated targets. */
  person?: Person;
}

/** The nine catalogue entries, each with the inputs a person types in the wizard. */
export const CASES: TargetCase[] = [
  { target: 'flectra', targetInputs: { baseUrl: 'https://erp.fabrikam.com', audience: 'multi-personal' }, mailbox: 'reception@fabrikam.com', person: { upn: 'reception@fabrikam.com', password: 'Reception-Pass-1' } },
  { target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com', version: '17', audience: 'multi-personal' }, mailbox: 'sales@fabrikam.com', person: { upn: 'sales@fabrikam.com', password: 'Sales-Pass-1' } },
  { target: 'flexdeploy', targetInputs: { baseUrl: 'https://deploy.fabrikam.com', version: '7', audience: 'single' }, mailbox: 'deploy@fabrikam.com', person: { upn: 'deploy@fabrikam.com', password: 'Deploy-Pass-1' } },
  { target: 'emailengine', targetInputs: { baseUrl: 'https://emailengine.fabrikam.com', baseScope: 'imap', audience: 'single' }, mailbox: 'support@fabrikam.com', person: { upn: 'support@fabrikam.com', password: 'Support-Pass-1' } },
  { target: 'frappe', targetInputs: { baseUrl: 'https://erp.fabrikam.com', connectedAppName: 'a1b2c3d4e5', providerName: 'Microsoft 365', audience: 'single' }, mailbox: 'accounts@fabrikam.com', person: { upn: 'accounts@fabrikam.com', password: 'Accounts-Pass-1' } },
  { target: 'cxt', targetInputs: {}, mailbox: 'dispatch@fabrikam.com' },
  { target: 'generic-imap-smtp', targetInputs: { redirectUri: 'https://app.fabrikam.com/oauth/callback', audience: 'single' }, mailbox: 'app@fabrikam.com', person: { upn: 'app@fabrikam.com', password: 'App-Pass-1' } },
  { target: 'generic-graph', targetInputs: { flow: 'delegated', redirectUri: 'https://app.fabrikam.com/graph/callback', audience: 'single' }, mailbox: 'graphuser@fabrikam.com', person: { upn: 'graphuser@fabrikam.com', password: 'GraphUser-Pass-1' } },
  { target: 'app-only-imap-smtp', targetInputs: {}, mailbox: 'helpdesk@fabrikam.com' },
];

/**
 * The profile the wizard builds before the app exists (no client id yet), pointed at the emulator;
 * `clientId`/`tenant` are what register writes back.
 */
export function profileFor(emu: Emulator, c: TargetCase, patch: Partial<ProfileInput> = {}): Profile {
  if (!findTarget(c.target)) throw new Error(`no catalogue entry ${c.target}`);
  const hints = targetHints(c.target, c.targetInputs);
  const raw: ProfileInput = {
    version: 1,
    name: `Fabrikam - ${c.target}`,
    target: c.target,
    targetInputs: c.targetInputs,
    cloud: 'global',
    tenant: TENANT,
    clientId: '',
    clientSecret: { source: 'env', name: 'MAIL_OAUTH_REG_SECRET' },
    mailbox: c.mailbox,
    flow: hints.flow,
    api: hints.api,
    endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
    caCerts: [emu.caPem],
    ...patch,
  };
  const v = validateProfile(raw as Record<string, unknown>, { now: new Date(), target: validationHints(c.target, c.targetInputs) });
  const parsed = ProfileSchema.parse(raw);
  const profile = ProfileSchema.parse({ ...parsed, ...v.cleaned, clientId: parsed.clientId, targetInputs: { ...parsed.targetInputs, ...v.cleaned.targetInputs } });
  const resolved = resolveTarget(c.target, profile);
  return { ...profile, flow: resolved.flow, api: resolved.api };
}

/** The administrator signs in through the AuthWindow (a Playwright page on a fresh context). */
export async function adminSession(emu: Emulator, person: Person, purpose: 'read' | 'write', o: { lookupUser?: boolean; onRequest?: Parameters<typeof adminSignIn>[1]['onRequest'] } = {}): Promise<AdminSession & { window: ReturnType<typeof playwrightAuthWindow> }> {
  const window = playwrightAuthWindow(person);
  const base = profileFor(emu, CASES[0]!);
  const s = await adminSignIn(base, { purpose, authWindow: window, timeoutMs: 30_000, lookupUser: o.lookupUser ?? true, clock: emu.clock, ...(o.onRequest ? { onRequest: o.onRequest } : {}) });
  return Object.assign(s, { window });
}

/** Everything a run emitted, to scan for the secret. */
export class Captured {
  progress: RegistrationProgress[] = [];
  checks: ProgressEvent[] = [];
  text(): string {
    return JSON.stringify({ progress: this.progress, checks: this.checks });
  }
}

/**
 * The mailbox proof with the created app: delegated targets sign the mailbox user in through the
 * engine's signIn (the target's Web redirect caught by the window), then runChecks.
 */
export async function mailboxChecks(emu: Emulator, c: TargetCase, profile: Profile, secret: string | undefined, captured?: Captured): Promise<CheckRun> {
  const deps = { vault: new MemoryVault(), ...(secret ? { clientSecret: secret } : {}), ...(c.person ? { authWindow: playwrightAuthWindow(c.person) } : {}) };
  if (profile.flow === 'delegated') {
    const redirectUri = redirectUris(c.target, profile)[0];
    await signIn(profile, deps, { timeoutMs: 20_000, ...(redirectUri ? { redirectUri } : {}) });
  }
  void emu;
  return runChecks(profile, deps, { timeouts: 15_000, ...(captured ? { onProgress: (e) => captured.checks.push(e) } : {}) });
}

/** check id → 'passed' | 'skipped' | diagnosis code */
export function codes(run: CheckRun): Record<string, string> {
  return Object.fromEntries(run.results.map((r) => [r.id, r.diagnosis?.code ?? r.status]));
}
