/**
 * `mail-oauth push <profile.json> --target-url URL [--database DB --login LOGIN] [--dry-run] [--json]`:
 * configures EmailEngine, Odoo/Flectra or Frappe through their own APIs (issue 11). The plan is printed
 * first; --dry-run stops there. Target credentials come from the environment only (never argv):
 * MAIL_OAUTH_TARGET_TOKEN (EmailEngine access token), MAIL_OAUTH_TARGET_API_KEY (Odoo/Flectra API key,
 * Frappe API key) and MAIL_OAUTH_TARGET_API_SECRET (Frappe API secret); or, for Frappe, the user's own
 * password (POST /api/method/login, as the app does, issue 19) from MAIL_OAUTH_TARGET_PASSWORD or, with
 * --password-stdin, the first line of stdin.
 *
 * The CLI keeps no sign-in (its vault is memory only), so it has no refresh token to hand over: it
 * configures everything else, names the one button to press in the target and exits 3. The desktop
 * app hands the proven sign-in over. Secret fingerprints (salted) outlive the run: push-fingerprints.ts.
 */
import { redact } from '../../../shared/diagnosis';
import { findTarget } from '../../../shared/catalogue';
import { MemoryVault } from '../../engine';
import { loadProfileFile } from '../../engine/profileFile';
import { KIND_OF_TARGET, planPush, push, testTargetConnection, type PushOutcome, type PushPlan, type PushRequest, type TargetCredentials } from '../../engine/targets';
import { formatDiagnosis } from '../output';
import { resolveSecret, UsageError } from '../secret';
import type { CliIo } from '../main';
import { fileFingerprints } from './push-fingerprints';
import { parseOptions, profileArg } from './register';

export const PUSH_HELP = `mail-oauth push <profile.json> --target-url <url> [options]

Puts the profile into its target system through the target's own API: EmailEngine (OAuth2 app and
account), Odoo / Flectra (Outlook credentials, outgoing and incoming mail servers) or Frappe
(Connected App, Token Cache, Email Account). Tests the target connection, prints the plan, writes only
what differs (a second push changes nothing), reads it back and runs the target's own test.
  --target-url <url>        the target's address (https://, or http:// only on this computer)
  --database <name>         Odoo / Flectra database
  --login <login>           Odoo / Flectra login the API key belongs to
  --connected-user <user>   Frappe user for the Token Cache and Email Account (default: the key's user)
  --password-stdin          Frappe: read the password of --login (default Administrator) from the first
                            line of stdin
  --dry-run                 test the connection and print the plan; write nothing
  --custom-endpoints        allow a profile whose sign-in host / servers are not Microsoft's
  --secret-env <NAME>       read the client secret from NAME although it does not start with MAIL_OAUTH_
  --json                    one JSON document on stdout: {"test": ..., "plan": ..., "outcome": ...}
Credentials from the environment: MAIL_OAUTH_TARGET_TOKEN (EmailEngine), MAIL_OAUTH_TARGET_API_KEY
(Odoo, Flectra, Frappe), MAIL_OAUTH_TARGET_API_SECRET (Frappe). Frappe also takes its user's password
(--login, default Administrator; no API key to make first) from MAIL_OAUTH_TARGET_PASSWORD or
--password-stdin; with two-factor sign-in on, use the API key and secret.
The CLI holds no sign-in, so it hands no refresh token over: it says which button to press instead.
It remembers a salted hash of the client secret it wrote (in $MAIL_OAUTH_STATE_DIR, else
$XDG_STATE_HOME/mail-oauth, else ~/.local/state/mail-oauth), so a second push writes nothing.
Exit 0 configured (or the dry-run plan), 1 failed (or written but not confirmed), 2 usage,
3 configured except the mailbox sign-in, which is left to the button it names (PUSH_EXIT.signInLeft).
`;

/** Exit codes of `push`: 3 = everything written and read back, only the mailbox sign-in is left to a person. */
export const PUSH_EXIT = { configured: 0, failed: 1, usage: 2, signInLeft: 3 } as const;

/** The first line of a piped stdin (`--password-stdin`), as `docker login --password-stdin` reads it. */
async function firstLineOf(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (stdin.isTTY) throw new UsageError('--password-stdin reads a pipe (e.g. `printf %s "$PW" | mail-oauth push ...`), not a terminal');
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0]!.trim();
}

async function credentialsFrom(kind: string, env: NodeJS.ProcessEnv, passwordStdin: () => Promise<string> | undefined): Promise<TargetCredentials> {
  const need = (name: string) => {
    const v = env[name]?.trim();
    if (!v) throw new UsageError(`set ${name} in the environment (target credentials are never taken from the command line)`);
    return v;
  };
  if (kind === 'emailengine') return { kind, accessToken: need('MAIL_OAUTH_TARGET_TOKEN') };
  if (kind === 'odoo') return { kind, apiKey: need('MAIL_OAUTH_TARGET_API_KEY') };
  // Frappe: the user's password (POST /api/method/login, the app's way in too), else the API key and secret.
  const piped = passwordStdin();
  const password = piped ? await piped : env.MAIL_OAUTH_TARGET_PASSWORD?.trim();
  if (piped && !password) throw new UsageError('--password-stdin: stdin was empty');
  if (password) {
    if (env.MAIL_OAUTH_TARGET_API_KEY?.trim()) throw new UsageError('give Frappe either a password (MAIL_OAUTH_TARGET_PASSWORD or --password-stdin) or MAIL_OAUTH_TARGET_API_KEY and MAIL_OAUTH_TARGET_API_SECRET, not both');
    return { kind: 'frappe', password };
  }
  if (!env.MAIL_OAUTH_TARGET_API_KEY?.trim()) throw new UsageError('Frappe: set MAIL_OAUTH_TARGET_PASSWORD (the password of --login, default Administrator) or pipe it with --password-stdin, or set MAIL_OAUTH_TARGET_API_KEY and MAIL_OAUTH_TARGET_API_SECRET (target credentials are never taken from the command line)');
  return { kind: 'frappe', apiKey: need('MAIL_OAUTH_TARGET_API_KEY'), apiSecret: need('MAIL_OAUTH_TARGET_API_SECRET') };
}

export function formatPlan(plan: PushPlan): string {
  const lines = [`Plan for ${plan.version}:`];
  for (const i of plan.items) {
    lines.push(`  ${(i.verb ?? i.action).padEnd(9)} ${i.what}  (${i.where})${i.changed.length && i.action === 'update' ? `  changes: ${i.changed.join(', ')}` : ''}`);
    if (i.action === 'create' || i.action === 'update') for (const [k, v] of Object.entries(i.fields)) lines.push(`              ${k} = ${v}`);
    if (i.note) lines.push(`              note: ${i.note}`);
  }
  for (const n of plan.notes) lines.push(`  note: ${n}`);
  if (plan.upToDate) lines.push('  Everything is already as it should be.');
  return `${lines.join('\n')}\n`;
}

function formatOutcome(o: PushOutcome): string {
  const lines = [o.summary];
  for (const d of o.targetTest.detail) lines.push(`  target test: ${d}`);
  for (const [id, ok] of Object.entries(o.readBack)) if (!ok) lines.push(`  not confirmed by reading back: ${id}`);
  if (o.button) lines.push(`  One thing left for you in the target: press "${o.button}".`);
  return `${lines.join('\n')}\n${o.diagnosis ? formatDiagnosis(o.diagnosis, '  ') : ''}`;
}

export async function pushCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { 'target-url': { type: 'string' }, database: { type: 'string' }, login: { type: 'string' }, 'connected-user': { type: 'string' }, 'password-stdin': { type: 'boolean' }, 'dry-run': { type: 'boolean' }, 'custom-endpoints': { type: 'boolean' }, 'secret-env': { type: 'string' } });
  const file = profileArg(positionals);
  const url = typeof values['target-url'] === 'string' ? values['target-url'] : undefined;
  if (!url) throw new UsageError('--target-url is required (the address of the EmailEngine, Odoo, Flectra or Frappe to configure)');
  const { profile } = loadProfileFile(file);
  const kind = KIND_OF_TARGET[profile.target];
  if (!kind) throw new UsageError(`${findTarget(profile.target)?.displayName ?? profile.target} has no API the assistant can configure; use \`mail-oauth export --format paste-card\``);
  if (kind === 'odoo' && (typeof values.database !== 'string' || typeof values.login !== 'string')) throw new UsageError('Odoo and Flectra need --database and --login (the login the API key belongs to)');
  if (values['password-stdin'] && kind !== 'frappe') throw new UsageError('--password-stdin is for Frappe (its user\'s password); EmailEngine, Odoo and Flectra take their key from the environment');
  const credentials = await credentialsFrom(kind, io.env, () => (values['password-stdin'] ? firstLineOf(io.stdin) : undefined));
  const clientSecret = await resolveSecret(profile.clientSecret, { env: io.env, stdin: io.stdin, stderr: io.stderr, interactive: !!io.stdin.isTTY, ...(typeof values['secret-env'] === 'string' ? { allowEnvName: values['secret-env'] } : {}), customEndpoints: !!values['custom-endpoints'] || io.env.MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS === '1' }, profile);
  const req: PushRequest = {
    profileId: 'cli',
    profile,
    connection: { kind, url, ...(typeof values.database === 'string' ? { database: values.database } : {}), ...(typeof values.login === 'string' ? { login: values.login } : {}), ...(typeof values['connected-user'] === 'string' ? { connectedUser: values['connected-user'] } : {}) },
    credentials,
    clientSecret,
  };
  const scope = [kind, req.connection.url.replace(/\/+$/, ''), req.connection.database ?? '', req.connection.login ?? ''].join('|');
  const deps = { vault: new MemoryVault(), fingerprints: fileFingerprints(io.env, scope) };
  const json = !!values.json;
  const secrets = [...Object.values(credentials).filter((v) => v !== kind), ...(clientSecret ? [clientSecret] : [])];
  const out = (s: string) => io.stdout.write(redact(s, secrets));
  const progress = !json && io.stderr.isTTY;

  const tested = await testTargetConnection(req, deps);
  if (!tested.ok) {
    if (json) out(`${JSON.stringify({ test: { diagnosis: tested.diagnosis } }, null, 2)}\n`);
    else out(`Test target connection failed.\n${formatDiagnosis(tested.diagnosis, '  ')}`);
    return 1;
  }
  if (!json) out(`Connected to ${tested.value.version}${tested.value.user ? ` as ${tested.value.user}` : ''}.\n${tested.value.notes.map((n) => `  note: ${n}\n`).join('')}`);
  if (values['dry-run']) {
    const planned = await planPush(req, deps);
    if (!planned.ok) {
      if (json) out(`${JSON.stringify({ test: tested.value, plan: { diagnosis: planned.diagnosis } }, null, 2)}\n`);
      else out(`Planning failed.\n${formatDiagnosis(planned.diagnosis, '  ')}`);
      return 1;
    }
    if (json) out(`${JSON.stringify({ test: tested.value, plan: planned.value }, null, 2)}\n`);
    else out(`${formatPlan(planned.value)}Dry run: nothing was written.\n`);
    return 0;
  }
  const r = await push(req, deps, { onProgress: (m) => progress && io.stderr.write(`… ${m}\n`) });
  if (!r.ok) {
    if (json) out(`${JSON.stringify({ test: tested.value, outcome: { diagnosis: r.diagnosis } }, null, 2)}\n`);
    else out(`Push failed; nothing more was written.\n${formatDiagnosis(r.diagnosis, '  ')}`);
    return 1;
  }
  if (json) out(`${JSON.stringify({ test: tested.value, plan: r.value.plan, outcome: r.value }, null, 2)}\n`);
  else out(`${formatPlan(r.value.plan)}${formatOutcome(r.value)}`);
  if (r.value.status === 'configured') return PUSH_EXIT.configured;
  const onlySignInLeft = r.value.status === 'partial' && !!r.value.button && Object.values(r.value.readBack).every(Boolean);
  return onlySignInLeft ? PUSH_EXIT.signInLeft : PUSH_EXIT.failed;
}
