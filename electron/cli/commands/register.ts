/**
 * `mail-oauth register <profile> [--dry-run] [--json] [--every-mailbox] [--device-code] [--admin-client-id ID]
 *   [--write-profile] [--secret-out FILE] [--secret-months N] [--allow-shorter-lifetime]`
 * and `mail-oauth register <profile> --script powershell|azure-cli` (no sign-in).
 *
 * The new client secret is never printed: the CLI keeps no vault, so a plan that creates a secret
 * needs `--secret-out FILE` (written with mode 0600, refusing to overwrite an existing file); without
 * it the CLI refuses to create a secret nobody could ever read (it would only be a liability).
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { redact } from '../../../shared/diagnosis';
import { getTarget } from '../../../shared/catalogue';
import type { Profile } from '../../../shared/profile';
import type { DesiredRegistration, ManualStep, PlanStep, RegistrationFinding, RegistrationPlan, RegistrationProgress } from '../../../shared/registration/types';
import { registrationScript } from '../../../shared/registration/scripts';
import { mailReach, mailReachLine } from '../../../shared/registration/reach';
import type { DesiredOptions } from '../../../shared/registration/desired';
import { MemoryVault } from '../../engine/ports';
import { loadProfileFile } from '../../engine/profileFile';
import { adminSignIn, DEFAULT_ADMIN_CLIENT_ID, DEFAULT_ADMIN_CLIENT_NAME, desiredFor, diagnoseAdminSignIn, diagnoseRegistrationError, planFor, registerRegistration, type AdminPurpose, type AdminSession } from '../../engine/registration';
import { formatDiagnosis } from '../output';
import { nonMicrosoftEndpoints } from '../../../shared/endpoint-policy';
import { ALLOW_CUSTOM_ENDPOINTS_ENV, UsageError } from '../secret';
import type { CliIo } from '../main';

export const REGISTER_HELP = `mail-oauth register <profile.json> [options]

Creates the profile's app registration in Microsoft Entra, or fixes it, through Microsoft Graph
with an administrator signed in once. Changes are planned first, made in order, read back and
checked again; a second run changes nothing.
  --dry-run                 print the plan (the list of changes) and change nothing
  --script <kind>           print a script that creates exactly this registration, no sign-in:
                            powershell (Microsoft Graph PowerShell) or azure-cli
  --device-code             sign the administrator in with a device code (shown on stderr);
                            Conditional Access may block device code. Default: the system browser
                            on a loopback address (http://localhost)
  --admin-client-id <id>    the public client the administrator signs in to (default
                            ${DEFAULT_ADMIN_CLIENT_ID}, ${DEFAULT_ADMIN_CLIENT_NAME};
                            or MAIL_OAUTH_ADMIN_CLIENT_ID)
  --secret-out <file>       where the new client secret's Value goes (created with mode 0600,
                            never overwritten). Required when the plan creates a secret: the
                            CLI never prints it and keeps no vault
  --secret-months <n>       lifetime of a new client secret (default 12)
  --every-mailbox           app-only Microsoft Graph mail (CXT, your own daemon): consent the mail
                            permissions tenant-wide, so the app reaches EVERY MAILBOX IN YOUR
                            ORGANISATION. Default: only the profile's mailbox, scoped by Exchange
                            (RBAC for Applications; an Exchange administrator runs that step)
  --allow-shorter-lifetime  if the tenant's policy caps secret lifetimes, use its maximum
  --custom-endpoints        allow a sign-in host / Graph URL other than Microsoft's (a test system,
                            a TLS proxy); or MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1
  --write-profile           write the client ID, tenant, Secret ID and expiry back into the profile
                            file (never the secret)
  --json                    one JSON document on stdout (no secret in it)
Exit 0 done and verified (or dry run), 1 something was not done or an error finding remains, 2 usage.
`;

export type Values = Record<string, string | boolean | undefined>;

export function parseOptions(args: string[], options: Record<string, { type: 'string' | 'boolean' }>): { values: Values; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    return { values: r.values as Values, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function profileArg(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('expected exactly one profile file');
  return positionals[0]!;
}

/** Opens a URL in the system browser (best effort; the URL is printed on stderr as well). */
function openSystemBrowser(url: string): Promise<void> {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
      child.on('error', () => resolve());
      child.unref();
      resolve();
    } catch {
      resolve();
    }
  });
}

/**
 * An administrator's token is as sensitive as a secret: a profile that points the sign-in or Graph at
 * servers other than Microsoft's for its cloud needs the operator's consent (the same rule as `check`).
 */
export function requireMicrosoftEndpoints(profile: Profile, values: Values, io: CliIo): void {
  const outside = nonMicrosoftEndpoints(profile);
  if (outside.length && !values['custom-endpoints'] && io.env[ALLOW_CUSTOM_ENDPOINTS_ENV] !== '1')
    throw new UsageError(`The profile sends the administrator's sign-in and Graph calls to ${outside.join(', ')}, not Microsoft's servers for its cloud. If that is intended (a test system, a TLS-inspecting proxy), run again with --custom-endpoints or ${ALLOW_CUSTOM_ENDPOINTS_ENV}=1.`);
}

/** The admin sign-in as the CLI does it: device code, or the system browser on a loopback port. */
export async function cliAdminSignIn(profile: Profile, values: Values, io: CliIo, purpose: AdminPurpose, lookupUser = false, extra: { scopes?: string[]; what?: string } = {}): Promise<AdminSession> {
  requireMicrosoftEndpoints(profile, values, io);
  const adminClientId = (typeof values['admin-client-id'] === 'string' ? values['admin-client-id'] : io.env.MAIL_OAUTH_ADMIN_CLIENT_ID)?.trim() || DEFAULT_ADMIN_CLIENT_ID;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(adminClientId)) throw new UsageError('--admin-client-id takes an application (client) ID, a GUID');
  io.stderr.write(`Administrator sign-in to ${adminClientId === DEFAULT_ADMIN_CLIENT_ID ? DEFAULT_ADMIN_CLIENT_NAME : 'your admin app'} (${adminClientId}) for ${extra.what ?? (purpose === 'read' ? 'reading app registrations' : 'changing app registrations')}.\n`);
  const session = await adminSignIn(profile, {
    purpose,
    adminClientId,
    lookupUser,
    ...(extra.scopes?.length ? { extraScopes: extra.scopes } : {}),
    method: values['device-code'] ? 'device-code' : 'loopback',
    onDeviceCode: (m) => io.stderr.write(`${m}\n`),
    openBrowser: async (url) => {
      io.stderr.write(`Opening the browser for the sign-in; if it does not open, visit:\n  ${url}\n`);
      await openSystemBrowser(url);
    },
    timeoutMs: 15 * 60_000,
  });
  io.stderr.write(`Signed in as ${session.account} (tenant ${session.tenantId}).\n`);
  return session;
}

/** A failed admin sign-in, diagnosed like every sign-in failure (consent for the admin client: its own code). */
/** The administrator's session, or the exit code once the sign-in failure was explained (a usage error is thrown). */
export async function adminSessionOrExit(profile: Profile, values: Values, io: CliIo, purpose: AdminPurpose, lookupUser = false, extra: { scopes?: string[]; what?: string } = {}): Promise<AdminSession | number> {
  try {
    return await cliAdminSignIn(profile, values, io, purpose, lookupUser, extra);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return signInFailure(e, profile, !!values.json, io);
  }
}

export function signInFailure(e: unknown, profile: Profile, json: boolean, io: CliIo): number {
  const d = diagnoseAdminSignIn(e, profile);
  if (json) io.stdout.write(`${JSON.stringify({ signIn: { diagnosis: d } }, null, 2)}\n`);
  else io.stdout.write(`Administrator sign-in failed.\n${formatDiagnosis(d, '  ')}`);
  return 1;
}

export function formatRegistrationFindings(findings: RegistrationFinding[]): string {
  if (!findings.length) return 'No finding: the registration is what this system needs.\n';
  return `${findings
    .map((f) => {
      const head = `${f.severity === 'error' ? 'error  ' : f.severity === 'warning' ? 'warning' : 'info   '} ${f.summary} (${f.code})${f.fixable ? ' [register fixes it]' : ''}`;
      const more = [f.expected ? `    expected: ${f.expected}` : '', f.found ? `    found:    ${f.found}` : '', !f.fixable && f.who ? `    who:      ${f.who}` : ''].filter(Boolean);
      return [head, ...more].join('\n');
    })
    .join('\n')}\n`;
}

export function formatManualSteps(steps: ManualStep[]): string {
  if (!steps.length) return '';
  return `\nSteps Microsoft Graph cannot do (${steps.length}):\n${steps.map((s, i) => `  ${i + 1}. ${s.title}${s.optional ? ' (optional)' : ''} - ${s.who}\n${s.command.split('\n').map((l) => `       ${l}`).join('\n')}`).join('\n')}\n`;
}

function formatPlan(plan: RegistrationPlan): string {
  const lines = plan.steps.length ? [`Plan: ${plan.steps.length} change(s)`, ...plan.steps.map((s, i) => `  ${i + 1}. ${s.summary}`)] : ['Plan: no change needed.'];
  if (plan.unfixable.length) lines.push('', 'Not fixable by the assistant:', ...plan.unfixable.map((f) => `  - ${f.summary} (${f.code})${f.who ? `: ${f.who}` : ''}`));
  return `${lines.join('\n')}\n`;
}

/** Which mailboxes the app reaches, in plain words ("every mailbox in your organisation" when not scoped). */
export function formatReach(desired: DesiredRegistration): string {
  return `Mailboxes the app reaches: ${mailReachLine(desired)}\n`;
}

function formatProgress(p: RegistrationProgress): string {
  const mark = { running: '…', waiting: '  ⧗', done: '✓', failed: '✗' }[p.state];
  return `${mark} ${p.stepCount ? `[${Math.min(p.stepIndex + 1, p.stepCount)}/${p.stepCount}] ` : ''}${p.message}\n`;
}

const SCRIPT_KINDS = ['powershell', 'azure-cli'] as const;

export async function registerCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    'dry-run': { type: 'boolean' },
    script: { type: 'string' },
    'device-code': { type: 'boolean' },
    'admin-client-id': { type: 'string' },
    'secret-out': { type: 'string' },
    'secret-months': { type: 'string' },
    'allow-shorter-lifetime': { type: 'boolean' },
    'write-profile': { type: 'boolean' },
    'custom-endpoints': { type: 'boolean' },
    'every-mailbox': { type: 'boolean' },
  });
  const file = profileArg(positionals);
  const json = !!values.json;
  const { profile, raw } = loadProfileFile(file);
  getTarget(profile.target);
  let months: number | undefined;
  if (values['secret-months'] !== undefined) {
    months = Number(values['secret-months']);
    if (!Number.isInteger(months) || months < 1 || months > 24) throw new UsageError('--secret-months is a whole number of months between 1 and 24');
  }
  // Safe by default (issue 19): app-only Graph mail is scoped to the mailbox unless --every-mailbox says otherwise.
  const desiredOpts: DesiredOptions = { ...(months ? { secretLifetimeMonths: months } : {}), mailboxScope: values['every-mailbox'] ? 'tenant' : 'exchange-rbac' };

  if (values.script !== undefined) {
    const kind = values.script as (typeof SCRIPT_KINDS)[number];
    if (!SCRIPT_KINDS.includes(kind)) throw new UsageError(`--script takes ${SCRIPT_KINDS.join(' or ')}`);
    const desired = desiredFor(profile, desiredOpts);
    const content = registrationScript(desired, kind);
    io.stdout.write(json ? `${JSON.stringify({ kind, script: content }, null, 2)}\n` : content.endsWith('\n') ? content : `${content}\n`);
    return 0;
  }

  const secretOut = typeof values['secret-out'] === 'string' ? values['secret-out'] : undefined;
  // Checked before anything is created: a secret made in Entra but not written anywhere is only a liability.
  if (secretOut && existsSync(secretOut)) throw new UsageError(`--secret-out ${secretOut} already exists; the CLI never overwrites a file with a secret. Name a new file.`);
  const dryRun = !!values['dry-run'];
  const desiredNeedsUser = desiredFor(profile, desiredOpts).assignment.assignMailbox;
  const session = await adminSessionOrExit(profile, values, io, dryRun ? 'read' : 'write', desiredNeedsUser);
  if (typeof session === 'number') return session;
  const secrets: string[] = [];
  try {
    const report = await planFor(session, profile, { desired: desiredOpts });
    if (dryRun) {
      if (json) io.stdout.write(`${JSON.stringify({ dryRun: true, plan: report.plan, reach: mailReach(report.desired), findings: report.findings, manualSteps: report.desired.manualSteps }, null, 2)}\n`);
      else io.stdout.write(`${formatPlan(report.plan)}${formatReach(report.desired)}${report.findings.length ? `\nFindings now:\n${formatRegistrationFindings(report.findings)}` : ''}${formatManualSteps(report.desired.manualSteps)}`);
      return 0;
    }
    if (report.plan.steps.some((s: PlanStep) => s.kind === 'add-password') && !secretOut) {
      throw new UsageError('the plan creates a client secret, and the CLI never prints one: pass --secret-out <file> (written with mode 0600) to receive its Value, or use --dry-run to see the plan');
    }
    const vault = new MemoryVault();
    const result = await registerRegistration(session, profile, {
      vault,
      plan: report,
      desired: desiredOpts,
      ...(values['allow-shorter-lifetime'] ? { allowShorterLifetime: true } : {}),
      onProgress: (p) => io.stderr.write(formatProgress(p)),
    });
    let secretNote = '';
    if (result.secret) {
      const value = await vault.get(result.secret.vaultKey);
      if (value) {
        secrets.push(value);
        writeFileSync(secretOut!, `${value}\n`, { mode: 0o600, flag: 'wx' });
        await vault.delete(result.secret.vaultKey);
        secretNote = `The new client secret's Value was written to ${secretOut} (mode 0600). Secret ID ${result.secret.keyId}, expires ${result.secret.endDateTime.slice(0, 10)}. Move it into your system, then delete the file.`;
      }
    }
    if (values['write-profile'] && result.appId) {
      const updated: Record<string, unknown> = { ...raw, clientId: result.appId, tenant: result.tenantId };
      if (result.secret) Object.assign(updated, { secretId: result.secret.keyId, secretExpires: result.secret.endDateTime.slice(0, 10) });
      writeFileSync(file, `${JSON.stringify(updated, null, 2)}\n`);
    }
    const ok = result.notDone.length === 0 && !result.findings.some((f) => f.severity === 'error');
    if (json) {
      const { actual: _a, ...outcome } = result;
      io.stdout.write(`${redact(JSON.stringify({ outcome, ...(secretNote ? { secretFile: secretOut } : {}), profileWritten: !!values['write-profile'] && !!result.appId }, null, 2), secrets)}\n`);
    } else {
      const lines = [
        result.applied.length ? `Done and verified (${result.applied.length}):\n${result.applied.map((s) => `  ✓ ${s.summary}`).join('\n')}` : 'Nothing needed changing.',
        `Application (client) ID: ${result.appId ?? '-'}   Tenant: ${result.tenantId}   Enterprise application object ID: ${result.servicePrincipalId ?? '-'}`,
      ];
      if (secretNote) lines.push(secretNote);
      if (values['write-profile'] && result.appId) lines.push(`Profile ${file} updated (client ID, tenant${result.secret ? ', Secret ID, expiry' : ''}; no secret).`);
      io.stdout.write(`${lines.join('\n')}\n${formatReach(result.desired)}`);
      for (const n of result.notDone) io.stdout.write(`✗ Not done: ${n.step.summary}\n${formatDiagnosis(diagnoseRegistrationError(Object.assign(new Error(n.message), { hint: n.code }), profile, { message: n.message, secrets }), '    ')}`);
      io.stdout.write(`\nLint after the changes:\n${formatRegistrationFindings(result.findings)}${formatManualSteps(result.manualSteps)}`);
    }
    return ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const d = diagnoseRegistrationError(e, profile, { secrets });
    if (json) io.stdout.write(`${JSON.stringify({ error: { diagnosis: d } }, null, 2)}\n`);
    else io.stdout.write(`Registration failed.\n${formatDiagnosis(d, '  ')}`);
    return 1;
  }
}
