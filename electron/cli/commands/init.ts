/**
 * `mail-oauth init <profile.json>`: writes a profile from flags, or asks for what is missing when run
 * on a terminal, so nobody writes the JSON by hand. The result goes through the same validation as
 * `validate` (cleaning what has one reading, e.g. 31/12/2027 → 2027-12-31, erp.fabrikam.com →
 * https://erp.fabrikam.com, and saying so); with an error nothing is written. The secret is never
 * asked for: the profile names the environment variable that holds it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { findTarget, targetHints, targets, validationHints } from '../../../shared/catalogue';
import { ProfileSchema } from '../../../shared/profile';
import { validateProfile } from '../../../shared/validation';
import { formatFindings } from '../output';
import type { CliIo } from '../main';
import { UsageError } from '../secret';
import { parseOptions, profileArg } from './register';

export const INIT_HELP = `mail-oauth init <profile.json> [options]

Writes a profile file. Values come from the options; on a terminal, what is missing is asked for.
  --target <id>            ${targets.map((t) => t.id).join(', ')}
  --name <text>            a name for the profile (default: "<target> - <mailbox>")
  --tenant <id|domain>     Directory (tenant) ID or a verified domain
  --client-id <guid>       Application (client) ID
  --mailbox <address>      the mailbox the system signs in as
  --secret-env <NAME>      environment variable holding the client secret (default MAIL_OAUTH_SECRET)
  --secret-expires <date>  the secret's expiry (yyyy-mm-dd; 31/12/2027 is read as 2027-12-31 and said)
  --cloud <cloud>          global (default), gcc-high, dod, china
  --input <key=value>      a target input (repeatable), e.g. --input baseUrl=https://erp.fabrikam.com
  --force                  overwrite an existing file
  --json                   print {"written", "findings", "profile"} as JSON
Exit 0 written, 1 the values have an error (nothing written), 2 usage.
`;

const FIELDS = [
  ['tenant', 'Directory (tenant) ID or domain'],
  ['client-id', 'Application (client) ID'],
  ['mailbox', 'Mailbox address'],
] as const;

export async function initCommand(args: string[], io: CliIo): Promise<number> {
  const opts = { target: { type: 'string' }, name: { type: 'string' }, tenant: { type: 'string' }, 'client-id': { type: 'string' }, mailbox: { type: 'string' }, 'secret-env': { type: 'string' }, 'secret-expires': { type: 'string' }, cloud: { type: 'string' }, input: { type: 'string' }, force: { type: 'boolean' } } as const;
  // parseArgs keeps only the last of a repeated string option: collect --input by hand first.
  const inputs: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const inline = /^--input=(.*)$/.exec(a);
    const value = inline ? inline[1] : a === '--input' ? args[++i] : undefined;
    if (inline || a === '--input') {
      const m = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(value ?? '');
      if (!m) throw new UsageError('--input takes key=value, e.g. --input baseUrl=https://erp.fabrikam.com');
      inputs[m[1]!] = m[2]!;
    } else rest.push(a);
  }
  const { values, positionals } = parseOptions(rest, opts);
  const file = profileArg(positionals);
  if (existsSync(file) && !values.force) throw new UsageError(`${file} exists; pass --force to overwrite it`);
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const got: Record<string, string | undefined> = { target: str('target'), tenant: str('tenant'), 'client-id': str('client-id'), mailbox: str('mailbox') };

  const tty = !!io.stdin.isTTY;
  if (tty) {
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    try {
      while (!got.target || !findTarget(got.target)) {
        if (got.target) io.stderr.write(`Unknown target "${got.target}".\n`);
        got.target = (await rl.question(`Target system (${targets.map((t) => t.id).join(', ')}): `)).trim();
      }
      const target = findTarget(got.target)!;
      for (const input of target.inputs) {
        if (inputs[input.id] !== undefined) continue;
        const choices = input.kind === 'choice' && input.options ? ` [${input.options.map((o) => o.value).join(' / ')}]` : '';
        const answer = (await rl.question(`${input.label}${choices}${input.default ? ` (${input.default})` : ''}: `)).trim();
        if (answer) inputs[input.id] = answer;
      }
      for (const [k, label] of FIELDS) while (!got[k]) got[k] = (await rl.question(`${label}: `)).trim();
    } finally {
      rl.close();
    }
  }
  const missing = ['target', ...FIELDS.map(([k]) => k)].filter((k) => !got[k]);
  if (missing.length) throw new UsageError(`give ${missing.map((k) => `--${k}`).join(', ')} (or run on a terminal to be asked)`);
  const target = findTarget(got.target!);
  if (!target) throw new UsageError(`--target must be one of ${targets.map((t) => t.id).join(', ')}`);

  const hints = targetHints(target, inputs);
  const raw: Record<string, unknown> = {
    version: 1,
    name: str('name') ?? `${target.displayName} - ${got.mailbox}`,
    target: target.id,
    targetInputs: inputs,
    cloud: str('cloud') ?? 'global',
    tenant: got.tenant,
    clientId: got['client-id'],
    clientSecret: { source: 'env', name: str('secret-env') ?? 'MAIL_OAUTH_SECRET' },
    ...(str('secret-expires') ? { secretExpires: str('secret-expires') } : {}),
    mailbox: got.mailbox,
    flow: hints.flow,
    api: hints.api,
  };
  const v = validateProfile(raw, { now: new Date(), target: validationHints(target, inputs) });
  const errors = v.findings.filter((f) => f.severity === 'error');
  let profile: unknown;
  if (!errors.length) {
    const parsed = ProfileSchema.parse(raw);
    profile = ProfileSchema.parse({ ...parsed, ...v.cleaned, targetInputs: { ...parsed.targetInputs, ...v.cleaned.targetInputs } });
    writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  }
  if (values.json) io.stdout.write(`${JSON.stringify({ written: errors.length ? null : file, findings: v.findings, ...(profile ? { profile } : {}) }, null, 2)}\n`);
  else {
    io.stdout.write(formatFindings(v.findings, io.stdout));
    io.stdout.write(errors.length ? `Nothing written: fix the error${errors.length === 1 ? '' : 's'} above.\n` : `Wrote ${file}. The client secret is read from $${str('secret-env') ?? 'MAIL_OAUTH_SECRET'} when the profile is used.\n`);
  }
  return errors.length ? 1 : 0;
}
