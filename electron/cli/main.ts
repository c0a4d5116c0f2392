import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CHECK_IDS, type CheckId, type ProgressEvent } from '../../shared/checks';
import { redact } from '../../shared/diagnosis';
import { findTarget, validationHints } from '../../shared/catalogue';
import { ProfileSchema, type Profile } from '../../shared/profile';
import { validateProfile, type Finding } from '../../shared/validation';
import { MemoryVault, runChecks, signIn, type EngineDeps } from '../engine';
import { loadProfileFile, ProfileFileError } from '../engine/profileFile';
import { formatDiagnosis, formatFindings, formatProgress, formatRun } from './output';
import { ALLOW_CUSTOM_ENDPOINTS_ENV, envNameAllowed, resolveSecret, UsageError } from './secret';
import { resolveProfileFile, type ResolvedProfile } from '../app/resolve-connection';
import { LINT_HELP, lintCommand } from './commands/lint';
import { REGISTER_HELP, registerCommand } from './commands/register';
import { PUSH_HELP, pushCommand } from './commands/push';
import { INIT_HELP, initCommand } from './commands/init';
import { STATUS_HELP, statusCommand, monitoringCheck, resolveCertificate } from './commands/status';
import { ROTATE_HELP, rotateCommand } from './commands/rotate';
import { CERTIFICATE_HELP, certificateCommand } from './commands/certificate';
import { EXPLAIN_HELP, explainCommand } from './commands/explain';
import { RELAY_HELP, relayCommand } from './commands/relay';
import { INVENTORY_HELP, inventoryCommand } from './commands/inventory';

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const HELP: Record<string, string> = {
  main: `mail-oauth: check and export Microsoft 365 / Outlook.com OAuth mail profiles.

Usage:
  mail-oauth init <profile.json> [--target id --tenant t --client-id id --mailbox m ...]   (asks on a terminal)
  mail-oauth validate <profile.json> [--write] [--json]
  mail-oauth check <profile.json> [--only network,token,imap,smtp,roundtrip,graph] [--timeout ms] [--device-code] [--json]
  mail-oauth export <profile.json> --format <format> [--json]
  mail-oauth schema
  mail-oauth register <profile.json> [--dry-run] [--script powershell|azure-cli] [--every-mailbox] [--device-code] [--secret-out file] [--write-profile] [--json]
  mail-oauth lint <profile.json> [--device-code] [--json]
  mail-oauth push <profile.json> --target-url <url> [--database db --login user] [--dry-run] [--json]
  mail-oauth status <profile.json>... [--warning-days N] [--critical-days N] [--json]   (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)
  mail-oauth rotate <profile.json> --secret-out file [--finish [--yes]] [--device-code] [--json]
  mail-oauth certificate <profile.json> --key-out file [--upload] [--pfx-out file] [--days N] [--json]   (or --remove <thumbprint> [--yes])
  mail-oauth explain [--json] [--profile <profile.json>] <TEXT | ->   (what an error text means and how to fix it)
  mail-oauth relay <profile.json> [--config relay.json] | relay device add | relay status | relay --install   (SMTP relay for devices without OAuth)
  mail-oauth inventory <profile.json> [--days N] [--device-code] [--json]   (who still signs in with a password; exit 0 none, 1 some, 3 unknown)
  mail-oauth <command> --help

The client secret is never given on the command line: a profile names an environment variable
({"source":"env","name":"VAR"}), or {"source":"ask"} to type it (hidden) on a terminal.
Exit codes: 0 all passed, 1 a check failed or validation found errors, 2 unusable input or usage.
`,
  validate: `mail-oauth validate <profile.json> [--write] [--json]

Static validation before any network traffic: ids, secret (when its environment variable is set),
expiry, tenant vs flow and mailbox, base URL and redirect, endpoints. Exit 1 when an error is found.
What has one reading is cleaned and said (a warning): 31/12/2027 is 2027-12-31, erp.fabrikam.com is
https://erp.fabrikam.com, braces around a GUID go; 03/04/2027 has two readings and stays an error.
  --write  write the cleaned values back into the file (only when there is no error)
  --json   one JSON document on stdout: {"findings": [...], "cleaned": {...}}
`,
  init: INIT_HELP,
  check: `mail-oauth check <profile.json> [options]

Runs the checks in parallel, each with its own time bound, and explains every failure.
  --only <ids>       comma-separated subset of: ${CHECK_IDS.join(', ')}
  --timeout <ms>     time bound per check (default: a few seconds per check)
  --secret-env <NAME>  read the secret from NAME although it does not start with MAIL_OAUTH_
  --custom-endpoints   allow servers other than Microsoft's (a test system, a TLS proxy); or MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1
  --device-code      delegated profiles: sign in first with a device code (shown on stderr);
                     without it a delegated profile has no saved sign-in in the CLI (the CLI keeps
                     tokens in memory only and refuses to persist them) and the token check says so
  --json             one JSON document on stdout: {"validation": {...}, "run": {...}}
  --monitoring       monitoring-plugin exit codes and one line "MAIL-OAUTH <STATE> - ...": 0 OK, 1 WARNING,
                     2 CRITICAL (a check failed), 3 UNKNOWN (usage, unreadable profile)
Progress goes to stderr on a terminal. Exit 0 all passed, 1 a check failed, 2 unusable input.
`,
  export: `mail-oauth export <profile.json> --format <format>

Prints the profile in a target system's own terms on stdout. Formats: json (the profile, no secret)
and the catalogue's formats (see the list printed for an unknown format). The secret is never included.
`,
  register: REGISTER_HELP,
  lint: LINT_HELP,
  push: PUSH_HELP,
  status: STATUS_HELP,
  rotate: ROTATE_HELP,
  certificate: CERTIFICATE_HELP,
  explain: EXPLAIN_HELP,
  relay: RELAY_HELP,
  inventory: INVENTORY_HELP,
  schema: `mail-oauth schema

Prints the JSON Schema of a profile file.
`,
};

class Usage extends Error {}

type Values = Record<string, string | boolean | undefined>;
type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parse(args: string[], options: OptionSpec): { values: Values; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    return { values: r.values as Values, positionals: r.positionals };
  } catch (e) {
    throw new Usage((e as Error).message);
  }
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const write = (s: string) => io.stdout.write(s);
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      (command ? io.stdout : io.stderr).write(HELP.main!);
      return command ? EXIT.ok : EXIT.usage;
    }
    if (!(command in HELP) || command === 'main') throw new Usage(`unknown command "${command}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      write(HELP[command]!);
      return EXIT.ok;
    }
    switch (command) {
      case 'schema': {
        parse(rest, {});
        write(`${JSON.stringify(z.toJSONSchema(ProfileSchema, { io: 'input' }), null, 2)}\n`);
        return EXIT.ok;
      }
      case 'validate':
        return await validateCommand(rest, io);
      case 'init':
        return await initCommand(rest, io);
      case 'check':
        return rest.includes('--monitoring') ? await monitoringCheck(rest.filter((a) => a !== '--monitoring'), io, checkCommand) : await checkCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'register':
        return await registerCommand(rest, io);
      case 'lint':
        return await lintCommand(rest, io);
      case 'push':
        return await pushCommand(rest, io);
      case 'status':
        return await statusCommand(rest, io);
      case 'rotate':
        return await rotateCommand(rest, io);
      case 'certificate':
        return await certificateCommand(rest, io);
      case 'explain':
        return await explainCommand(rest, io);
      case 'relay':
        return await relayCommand(rest, io);
      case 'inventory':
        return await inventoryCommand(rest, io);
    }
    throw new Usage(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof Usage || e instanceof UsageError || e instanceof ProfileFileError) {
      io.stderr.write(`mail-oauth: ${e.message}\n`);
      if (e instanceof Usage) io.stderr.write(`Run "mail-oauth ${command && command in HELP ? `${command} ` : ''}--help" for usage.\n`);
      return EXIT.usage;
    }
    io.stderr.write(`mail-oauth: unexpected failure: ${redact(e instanceof Error ? e.message : String(e))}\n`);
    return EXIT.usage;
  }
}

function onePositional(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new Usage(`expected exactly one ${what}`);
  return positionals[0]!;
}

async function loadWithSecret(path: string, io: CliIo, opts: { ask: boolean; allowEnvName?: string; customEndpoints?: boolean }) {
  const { profile, raw } = loadProfileFile(path);
  let secret: string | undefined;
  if (profile.clientSecret.source === 'env' || profile.clientSecret.source === 'none' || opts.ask) {
    secret = await resolveSecret(
      profile.clientSecret,
      { env: io.env, stdin: io.stdin, stderr: io.stderr, interactive: opts.ask && !!io.stdin.isTTY, ...(opts.allowEnvName ? { allowEnvName: opts.allowEnvName } : {}), ...(opts.customEndpoints ? { customEndpoints: true } : {}) },
      profile,
    );
  }
  return { profile, raw, secret };
}

/** Static validation with the catalogue's hints for the profile's target and inputs (redirect path per version, Connected App name...). */
function validation(raw: Record<string, unknown>, secret: string | undefined) {
  const target = typeof raw.target === 'string' ? findTarget(raw.target.trim()) : undefined;
  const inputs: Record<string, string> = {};
  if (raw.targetInputs && typeof raw.targetInputs === 'object') for (const [k, v] of Object.entries(raw.targetInputs)) if (typeof v === 'string') inputs[k] = v;
  return validateProfile(raw, { now: new Date(), ...(secret !== undefined ? { secretValue: secret } : {}), ...(target ? { target: validationHints(target, inputs) } : {}) });
}

async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { write: { type: 'boolean' } });
  const path = onePositional(positionals, 'profile file');
  const { profile, raw } = loadProfileFile(path);
  // validate never prompts: the secret is checked only when its environment variable is set.
  const secret = profile.clientSecret.source === 'env' && envNameAllowed(profile.clientSecret.name) ? io.env[profile.clientSecret.name] : undefined;
  const result = validation(raw, secret);
  const failed = result.findings.some((f) => f.severity === 'error');
  const cleaned = !failed && values.write ? cleanedProfileFile(path, raw, result.cleaned) : undefined;
  if (values.json) io.stdout.write(`${JSON.stringify({ ...result, ...(values.write ? { written: !!cleaned } : {}) }, null, 2)}\n`);
  else io.stdout.write(`${formatFindings(result.findings, io.stdout)}${values.write ? (cleaned ? `Wrote the cleaned values into ${path}.\n` : 'Nothing written: fix the errors first.\n') : ''}`);
  return failed ? EXIT.failed : EXIT.ok;
}

/** validate --write: the file's own keys, with each cleaned value in place (the secret reference untouched). */
function cleanedProfileFile(path: string, raw: Record<string, unknown>, cleaned: Record<string, unknown>): boolean {
  const next: Record<string, unknown> = { ...raw };
  for (const [k, v] of Object.entries(cleaned)) if (k !== 'clientSecret' && v !== undefined) next[k] = k === 'targetInputs' ? { ...(raw.targetInputs as Record<string, unknown>), ...(v as Record<string, unknown>) } : v;
  writeFileSync(path, `${JSON.stringify(next, null, 2)}\n`);
  return true;
}

async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { only: { type: 'string' }, timeout: { type: 'string' }, 'device-code': { type: 'boolean' }, 'secret-env': { type: 'string' }, 'custom-endpoints': { type: 'boolean' } });
  const path = onePositional(positionals, 'profile file');
  let only: CheckId[] | undefined;
  if (typeof values.only === 'string') {
    only = values.only.split(',').map((s) => s.trim()).filter(Boolean) as CheckId[];
    const bad = only.filter((c) => !(CHECK_IDS as readonly string[]).includes(c));
    if (bad.length || !only.length) throw new Usage(`--only takes ${CHECK_IDS.join(', ')}; got ${bad.join(', ') || 'nothing'}`);
  }
  let timeout: number | undefined;
  if (values.timeout !== undefined) {
    timeout = Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout < 100 || timeout > 600_000) throw new Usage('--timeout is a number of milliseconds between 100 and 600000');
  }
  const json = !!values.json;
  const { profile, raw, secret } = await loadWithSecret(path, io, { ask: true, ...(typeof values['secret-env'] === 'string' ? { allowEnvName: values['secret-env'] } : {}), customEndpoints: !!values['custom-endpoints'] });
  const secrets = secret ? [secret] : [];
  const certificate = await resolveCertificate(profile, io, { ...(typeof values['secret-env'] === 'string' ? { allowEnvName: values['secret-env'] } : {}), customEndpoints: !!values['custom-endpoints'] });
  if (certificate) secrets.push(certificate.privateKey);
  const v = validation(raw, secret);
  const errors = v.findings.filter((f: Finding) => f.severity === 'error');
  if (errors.length) {
    if (json) io.stdout.write(`${JSON.stringify({ validation: v, run: null }, null, 2)}\n`);
    else io.stdout.write(`The profile has errors; no check was run.\n${formatFindings(v.findings, io.stdout)}`);
    return EXIT.failed;
  }
  const clean: Profile = ProfileSchema.parse({ ...profile, ...v.cleaned, targetInputs: { ...profile.targetInputs, ...v.cleaned.targetInputs } });
  // The same core as the app's resolution (electron/app/resolve-connection.ts): endpoints, CAs and proxy
  // once, the catalogue's checks. A CA file that cannot be read is left to runChecks, which reports it as
  // every check's diagnosis.
  let resolved: ResolvedProfile | undefined;
  try {
    resolved = resolveProfileFile(clean, { customEndpoints: !!values['custom-endpoints'] || io.env[ALLOW_CUSTOM_ENDPOINTS_ENV] === '1' });
  } catch {
    resolved = undefined;
  }
  const deps: EngineDeps = { vault: new MemoryVault(), ...(resolved ? { net: resolved.net } : {}), ...(secret ? { clientSecret: secret } : {}), ...(certificate ? { clientCertificate: { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKey, x5c: certificate.x5c } } : {}), onDeviceCode: (m) => io.stderr.write(`${m}\n`) };
  const progress = !json && io.stderr.isTTY;
  if (values['device-code']) {
    if (clean.flow !== 'delegated') throw new Usage('--device-code is for delegated profiles; app-only profiles need no sign-in');
    try {
      const r = await signIn(clean, deps, { method: 'device-code', timeoutMs: 15 * 60_000 });
      io.stderr.write(`Signed in as ${r.account}.\n`);
    } catch (e) {
      const { diagnose } = await import('../../shared/diagnosis');
      const d = diagnose(e, { profile: clean, check: 'token', secrets, ...(secret ? { secretValue: secret } : {}) });
      if (json) io.stdout.write(`${JSON.stringify({ validation: v, signIn: { diagnosis: d }, run: null }, null, 2)}\n`);
      else io.stdout.write(`Sign-in failed.\n${formatDiagnosis(d, '  ')}`);
      return EXIT.failed;
    }
  }
  const run = await runChecks(clean, deps, {
    ...(only ? { only } : resolved ? { only: resolved.checks } : {}),
    ...(timeout ? { timeouts: timeout } : {}),
    onProgress: (e: ProgressEvent) => {
      if (progress) io.stderr.write(formatProgress(e));
    },
  });
  if (json) io.stdout.write(`${JSON.stringify({ validation: v, run }, null, 2)}\n`);
  else {
    if (v.findings.length) io.stdout.write(formatFindings(v.findings, io.stdout));
    io.stdout.write(formatRun(run, io.stdout));
  }
  return run.passed ? EXIT.ok : EXIT.failed;
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' } });
  const path = onePositional(positionals, 'profile file');
  const format = typeof values.format === 'string' ? values.format : undefined;
  if (!format) throw new Usage('--format is required (json, or one of the catalogue formats)');
  const { profile } = loadProfileFile(path);
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(profile, null, 2)}\n`);
    return EXIT.ok;
  }
  const mod = await import('../engine/export');
  try {
    const r = mod.exportProfile(profile, format, { includeSecret: false, now: new Date() });
    if (values.json) io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      io.stdout.write(r.content.endsWith('\n') ? r.content : `${r.content}\n`);
      for (const w of r.warnings) io.stderr.write(`warning: ${w}\n`);
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof mod.ExportError) throw new Usage(`${e.message}${e.code === 'unknown-format' ? '' : ''}; formats: json, ${mod.exportFormats.map((f) => f.id).join(', ')}`);
    throw e;
  }
}
