/**
 * Helpers for the per-target tests: one emulator scenario per seed system
 * (test/emulator/scenarios/targets/<id>.json, the registration exactly as that system's guide says),
 * the profile the wizard builds for it, the engine sign-in through the Playwright AuthWindow, and the
 * `mail-oauth` CLI run on a profile file (its main() in this process, or the real CLI in a child).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type App, type Emulator } from '../../emulator/index';
import { diagnose, MemoryVault, runChecks, signIn, type EngineDeps } from '../../../electron/engine';
import { redirectUris, resolveTarget, targetHints, validationHints } from '../../../shared/catalogue';
import { ProfileSchema, type Profile, type ProfileInput } from '../../../shared/profile';
import { validateProfile } from '../../../shared/validation';
import type { CheckRun } from '../../../shared/checks';
import { playwrightAuthWindow, type Person } from '../helpers/authWindow';
import { runCliInProcess } from '../helpers/cli';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
export const ADMIN: Person = { upn: 'admin@fabrikam.com', password: 'Admin-Pass-1' };
/** The environment variable every target profile names for its client secret. */
export const SECRET_ENV = 'MAIL_OAUTH_TARGET_SECRET';

export function scenarioPath(id: string): string {
  return path.join(ROOT, 'test/emulator/scenarios/targets', `${id}.json`);
}

export function startTarget(id: string): Promise<Emulator> {
  return startEmulator(scenarioPath(id));
}

/** The registration of the scenario (the first app unless a client id is given). */
export function registration(emu: Emulator, clientId?: string): App {
  const app = clientId ? emu.scenario.apps.find((a) => a.clientId === clientId) : emu.scenario.apps[0];
  if (!app) throw new Error(`no app ${clientId ?? ''} in scenario ${emu.scenario.name}`);
  return app;
}

export function secretOf(app: App): string {
  const s = app.secrets[0];
  if (!s) throw new Error(`app ${app.displayName} has no secret`);
  return s.value;
}

/**
 * Changes the registration for one test and puts it back afterwards: a deviation from the guide is a
 * patch on the guide-conformant registration.
 */
export async function withRegistration<T>(emu: Emulator, clientId: string, patch: Partial<App>, fn: () => Promise<T>): Promise<T> {
  const app = registration(emu, clientId);
  const before = structuredClone(Object.fromEntries(Object.keys(patch).map((k) => [k, app[k as keyof App]]))) as Partial<App>;
  emu.admin.setApp(clientId, patch);
  try {
    return await fn();
  } finally {
    emu.admin.setApp(clientId, before);
  }
}

export interface WizardInput {
  target: string;
  name: string;
  targetInputs: Record<string, string>;
  tenant: string;
  clientId: string;
  mailbox: string;
  secretId?: string;
}

/**
 * The profile the wizard builds (flow and API decided by the catalogue from the target's inputs),
 * pointed at the emulator (endpoint overrides + its CA), the secret referenced by an environment
 * variable, then cleaned by the same validation the CLI runs.
 */
export function wizardProfile(emu: Emulator, w: WizardInput, secretValue?: string): { raw: ProfileInput; profile: Profile; redirectUri: string | undefined; findings: ReturnType<typeof validateProfile>['findings'] } {
  const hints = targetHints(w.target, w.targetInputs);
  const raw: ProfileInput = {
    version: 1,
    name: w.name,
    target: w.target,
    targetInputs: w.targetInputs,
    cloud: 'global',
    tenant: w.tenant,
    clientId: w.clientId,
    clientSecret: { source: 'env', name: SECRET_ENV },
    ...(w.secretId ? { secretId: w.secretId } : {}),
    secretExpires: '2099-12-31',
    mailbox: w.mailbox,
    flow: hints.flow,
    api: hints.api,
    endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
    caCerts: [emu.caPem],
  };
  // The wizard validates with the catalogue's hints for these inputs (renderer/src/catalogue.ts hintsFor).
  const v = validateProfile(raw as Record<string, unknown>, { now: new Date(), target: validationHints(w.target, w.targetInputs), ...(secretValue !== undefined ? { secretValue } : {}) });
  const parsed = ProfileSchema.parse(raw);
  const profile = ProfileSchema.parse({ ...parsed, ...v.cleaned, targetInputs: { ...parsed.targetInputs, ...v.cleaned.targetInputs } });
  const resolved = resolveTarget(w.target, profile);
  return { raw, profile: { ...profile, flow: resolved.flow, api: resolved.api }, redirectUri: redirectUris(w.target, profile)[0], findings: v.findings };
}

export type Deps = EngineDeps & { authWindow: ReturnType<typeof playwrightAuthWindow> };
export function deps(person: Person, secret: string): Deps {
  return { vault: new MemoryVault(), clientSecret: secret, authWindow: playwrightAuthWindow(person) };
}

/** The diagnosis code of a sign-in (as the wizard's Sign-in screen would show it), or 'signed-in'. */
export async function signInCode(profile: Profile, d: Deps, redirectUri: string | undefined): Promise<{ code: string; aadsts?: string; text: string; advice: string }> {
  try {
    await signIn(profile, d, { timeoutMs: 20_000, ...(redirectUri ? { redirectUri } : {}) });
    return { code: 'signed-in', text: '', advice: '' };
  } catch (e) {
    const dg = diagnose(e, { profile, check: 'token', ...(d.clientSecret ? { secretValue: d.clientSecret } : {}) });
    const advice = [dg.title, dg.cause, ...dg.fix.map((f) => f.text)].join('\n');
    return { code: dg.code, ...(dg.evidence.aadsts ? { aadsts: dg.evidence.aadsts } : {}), text: dg.evidence.text, advice };
  }
}

/** check id → 'passed' | 'skipped' | diagnosis code */
export function codes(run: CheckRun | null | undefined): Record<string, string> {
  return Object.fromEntries((run?.results ?? []).map((r) => [r.id, r.diagnosis?.code ?? r.status]));
}

export async function signInAndRun(profile: Profile, d: Deps, redirectUri: string | undefined): Promise<CheckRun> {
  await signIn(profile, d, { timeoutMs: 20_000, ...(redirectUri ? { redirectUri } : {}) });
  return runChecks(profile, d, { timeouts: 15_000 });
}

export interface CliResult {
  exit: number | null;
  stdout: string;
  stderr: string;
  json: { validation?: unknown; cleaned?: { targetInputs?: Record<string, string> }; findings?: { severity: string; code: string }[]; run?: CheckRun | null; signIn?: { diagnosis: { code: string } } } | undefined;
}

const cliEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', ...env });

/**
 * The CLI on a profile file, its main() in this process with the environment spawnCli gives the child:
 * the same command code without a Node start per run (test/integration/cli/cli.test.ts runs the bundle
 * for the exit codes and secret hygiene as a process shows them). `input`: the CLI's stdin, then closed.
 */
export async function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return (await runCliInProcess(args, { env: cliEnv(env), ...(input === undefined ? {} : { stdin: input }) })) as CliResult;
}

/**
 * The real CLI on a profile file in a child process: `node dist/cli/mail-oauth.cjs` when
 * MAIL_OAUTH_CLI=dist (after `npm run build:node`), else its entry point through tsx (same code, no build step).
 * `input`: written to the child's stdin (then closed), a real pipe.
 */
export function spawnCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  const entry = process.env.MAIL_OAUTH_CLI === 'dist' ? [path.join(ROOT, 'dist/cli/mail-oauth.cjs')] : ['--import', 'tsx', path.join(ROOT, 'electron/cli/mail-oauth.ts')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], { cwd: ROOT, env: cliEnv(env), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      let json: CliResult['json'];
      try {
        json = JSON.parse(stdout) as CliResult['json'];
      } catch {
        json = undefined;
      }
      resolve({ exit, stdout, stderr, json });
    });
  });
}

/** Writes the profile file the wizard would export (JSON, no secret) into a fresh temp dir. */
export function profileFile(raw: ProfileInput): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-target-'));
  const file = path.join(dir, 'profile.json');
  writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
