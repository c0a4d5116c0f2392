/**
 * `mail-oauth status [profiles...] [--json] [--warning-days N] [--critical-days N]`: the expiry of each
 * profile's credential as a monitoring plugin reports it (Nagios, Icinga, Naemon, Checkmk, Zabbix
 * external checks): exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, and one summary line with
 * performance data, `MAIL-OAUTH WARNING - fabrikam: client secret expires on 2027-01-10 (in 20 days) | days_left=20;30;7`.
 * Never prompts, never reads stdin: a scheduler runs it with no terminal. Engine: electron/engine/keepalive/status.ts.
 */
import { parseArgs } from 'node:util';
import { loadProfileFile } from '../../engine/profileFile';
import { DEFAULT_THRESHOLDS, formatPluginOutput, judge, PLUGIN_EXIT, profileExpiry, readExpiry, summarise, type ConnectionStatus, type ExpiryFacts } from '../../engine/keepalive/status';
import { redact } from '../../../shared/diagnosis';
import { ALLOW_CUSTOM_ENDPOINTS_ENV, envNameAllowed, resolveSecret, UsageError } from '../secret';
import { CertificateRefError, loadClientCertificate } from '../../engine/keepalive/certificate';
import { nonMicrosoftEndpoints } from '../../../shared/endpoint-policy';
import type { Profile } from '../../../shared/profile';
import type { CliIo } from '../main';

export const STATUS_HELP = `mail-oauth status <profile.json>... [options]

How long each profile's client secret (or certificate) has left, as a monitoring plugin reports it.
The end date is read from the app registration through Microsoft Graph when the profile can (app-only,
its secret in the environment variable it names, the app holding Application.Read.All); this sign-in
is also the proof that the credential still works. Otherwise the profile's secretExpires is used.
A profile with clientCertificate signs in with the certificate (its private key from a 0600 file or a
MAIL_OAUTH_* variable) and, without Graph, reports the certificate's own end date.
  --warning-days <N>    WARNING when N days or fewer are left (default ${DEFAULT_THRESHOLDS.warningDays})
  --critical-days <N>   CRITICAL when N days or fewer are left (default ${DEFAULT_THRESHOLDS.criticalDays})
  --no-graph            use the profile's secretExpires only (no network)
  --secret-env <NAME>   read the secret from NAME although it does not start with MAIL_OAUTH_
  --custom-endpoints    allow servers other than Microsoft's; or MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1
  --timeout <ms>        time bound of each request (default 10000)
  --json                one JSON document: {"state","exit","line","connections":[...]}
Output: one line "MAIL-OAUTH <STATE> - <text> | days_left=<n>;<warn>;<crit>", then one line per
connection when there are several. Exit 0 OK, 1 WARNING, 2 CRITICAL (expired, inside the critical
window, or the sign-in failing), 3 UNKNOWN (no expiry known, unreadable profile, usage).
`;

/**
 * The certificate credential of a profile for a CLI run (`check`, `status`): the private key from the
 * environment variable it names (MAIL_OAUTH_* only, or the one named with --secret-env) or a 0600 file;
 * the vault is the desktop app's. Like a secret, it signs nothing for servers other than Microsoft's
 * unless the operator allows it (--custom-endpoints or MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1).
 */
export async function resolveCertificate(profile: Profile, io: Pick<CliIo, 'env'>, opts: { allowEnvName?: string; customEndpoints?: boolean } = {}): Promise<{ thumbprintSha256: string; privateKey: string; x5c: string; thumbprint: string } | undefined> {
  const ref = profile.clientCertificate;
  if (!ref) return undefined;
  if (ref.privateKey.source === 'env' && !envNameAllowed(ref.privateKey.name, opts.allowEnvName))
    throw new UsageError(`The profile reads the certificate's private key from ${ref.privateKey.name}; a profile may only name variables starting with MAIL_OAUTH_. To use ${ref.privateKey.name}, run again with --secret-env ${ref.privateKey.name}.`);
  const outside = nonMicrosoftEndpoints(profile);
  if (outside.length && !opts.customEndpoints && io.env[ALLOW_CUSTOM_ENDPOINTS_ENV] !== '1')
    throw new UsageError(`The profile signs in with its certificate at ${outside.join(', ')}, not Microsoft's servers for its cloud. If that is intended (a test system, a TLS-inspecting proxy), run again with --custom-endpoints or ${ALLOW_CUSTOM_ENDPOINTS_ENV}=1.`);
  try {
    const { credential, certificate } = await loadClientCertificate(ref, { env: io.env });
    return { ...credential, thumbprint: certificate.thumbprint };
  } catch (e) {
    if (e instanceof CertificateRefError) throw new UsageError(e.message);
    throw e;
  }
}

function intOption(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} takes a whole number from ${min} to ${max}`);
  return n;
}

export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  let warningDays: number;
  let criticalDays: number;
  let timeout: number | undefined;
  try {
    const r = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' }, 'warning-days': { type: 'string' }, 'critical-days': { type: 'string' }, 'no-graph': { type: 'boolean' }, 'secret-env': { type: 'string' }, 'custom-endpoints': { type: 'boolean' }, timeout: { type: 'string' } } });
    values = r.values as typeof values;
    positionals = r.positionals;
    warningDays = intOption(values['warning-days'], 'warning-days', 0, 3650) ?? DEFAULT_THRESHOLDS.warningDays;
    criticalDays = intOption(values['critical-days'], 'critical-days', 0, 3650) ?? DEFAULT_THRESHOLDS.criticalDays;
    timeout = intOption(values.timeout, 'timeout', 100, 600_000);
    if (criticalDays > warningDays) throw new Error('--critical-days must not be larger than --warning-days');
    if (!positionals.length) throw new Error('name at least one profile file');
  } catch (e) {
    // Plugin guidelines: a usage error is UNKNOWN (3), on stdout where the monitoring system reads it.
    io.stdout.write(`MAIL-OAUTH UNKNOWN - ${(e as Error).message}\n`);
    return PLUGIN_EXIT.UNKNOWN;
  }
  const th = { warningDays, criticalDays };
  const now = new Date();
  const connections: ConnectionStatus[] = [];
  const secrets: string[] = [];
  for (const file of positionals) {
    let name = file;
    try {
      const { profile } = loadProfileFile(file);
      name = profile.name;
      let facts: ExpiryFacts;
      if (values['no-graph']) facts = { ...profileExpiry(profile), note: '--no-graph: expiry from the profile' };
      else {
        let secret: string | undefined;
        let certificate: Awaited<ReturnType<typeof resolveCertificate>>;
        let why: string | undefined;
        try {
          const allow = { ...(typeof values['secret-env'] === 'string' ? { allowEnvName: values['secret-env'] } : {}), ...(values['custom-endpoints'] ? { customEndpoints: true } : {}) };
          certificate = await resolveCertificate(profile, io, allow);
          if (certificate) secrets.push(certificate.privateKey);
          secret = certificate ? undefined : profile.clientSecret.source === 'env' && io.env[profile.clientSecret.name]
            ? await resolveSecret(profile.clientSecret, { env: io.env, stdin: io.stdin, stderr: io.stderr, interactive: false, ...(typeof values['secret-env'] === 'string' ? { allowEnvName: values['secret-env'] } : {}), ...(values['custom-endpoints'] ? { customEndpoints: true } : {}) }, profile)
            : undefined;
        } catch (e) {
          why = (e as Error).message;
        }
        if (secret) secrets.push(secret);
        facts = why ? { ...profileExpiry(profile), note: `secret not used: ${why}` } : await readExpiry(profile, { ...(secret ? { clientSecret: secret } : {}), ...(certificate ? { clientCertificate: certificate, certificateThumbprint: certificate.thumbprint } : {}), ...(timeout ? { timeoutMs: timeout } : {}) });
      }
      connections.push(judge(name, facts, th, now));
    } catch (e) {
      connections.push({ profile: name, state: 'UNKNOWN', daysLeft: null, source: 'none', text: `profile not usable: ${(e as Error).message}` });
    }
  }
  const s = summarise(connections, th);
  const out = values.json ? `${JSON.stringify({ state: s.state, exit: s.exit, line: s.line, thresholds: th, connections: s.connections }, null, 2)}\n` : formatPluginOutput(s);
  io.stdout.write(redact(out, secrets));
  return s.exit;
}

interface CheckJson {
  validation?: { findings?: { severity: string; code: string; field: string }[] };
  signIn?: { diagnosis?: { code: string; title: string } };
  run?: { passed: boolean; durationMs: number; results: { id: string; status: string; durationMs: number; diagnosis?: { code: string; title: string } }[] } | null;
}

/**
 * `mail-oauth check <profile> --monitoring`: the same checks with the plugin exit convention. Runs
 * `check --json` on a captured stdout, then prints one plugin line (+ the usual text or the JSON with a
 * `monitoring` member): 0 OK all passed, 1 WARNING passed with warnings (a secret expiring soon...),
 * 2 CRITICAL a check failed or the profile has errors, 3 UNKNOWN usage or unreadable profile.
 */
export async function monitoringCheck(args: string[], io: CliIo, check: (args: string[], io: CliIo) => Promise<number>): Promise<number> {
  const wantJson = args.includes('--json');
  let captured = '';
  const sink = { write: (s: string) => ((captured += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
  const quietErr = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
  let data: CheckJson;
  try {
    await check([...args.filter((a) => a !== '--json'), '--json'], { ...io, stdout: sink, stderr: args.includes('--device-code') ? io.stderr : quietErr });
    data = JSON.parse(captured) as CheckJson;
  } catch (e) {
    io.stdout.write(`MAIL-OAUTH UNKNOWN - ${redact((e as Error).message)}\n`);
    return PLUGIN_EXIT.UNKNOWN;
  }
  const findings = data.validation?.findings ?? [];
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const results = data.run?.results ?? [];
  const failed = results.filter((r) => r.status === 'failed');
  const passed = results.filter((r) => r.status === 'passed');
  let state: keyof typeof PLUGIN_EXIT;
  let text: string;
  if (errors.length) [state, text] = ['CRITICAL', `profile has errors: ${errors.map((f) => f.code).join(', ')}`];
  else if (data.signIn?.diagnosis) [state, text] = ['CRITICAL', `sign-in failed: ${data.signIn.diagnosis.title} (${data.signIn.diagnosis.code})`];
  else if (!data.run) [state, text] = ['UNKNOWN', 'no check was run'];
  else if (failed.length) [state, text] = ['CRITICAL', failed.map((r) => `${r.id} failed: ${r.diagnosis?.title ?? 'failed'} (${r.diagnosis?.code ?? 'unknown'})`).join('; ')];
  else if (!passed.length) [state, text] = ['UNKNOWN', 'every check was skipped'];
  else if (warnings.length) [state, text] = ['WARNING', `${passed.length} checks passed; ${warnings.map((f) => f.code).join(', ')}`];
  else [state, text] = ['OK', `${passed.length} checks passed (${passed.map((r) => r.id).join(', ')})`];
  const perf = results.filter((r) => r.status !== 'skipped').map((r) => `${r.id}_ms=${Math.round(r.durationMs)}ms`).join(' ');
  const line = `MAIL-OAUTH ${state} - ${text.replace(/\|/g, '/')}${perf ? ` | ${perf}` : ''}`;
  io.stdout.write(wantJson ? `${JSON.stringify({ ...data, monitoring: { state, exit: PLUGIN_EXIT[state], line } }, null, 2)}\n` : `${line}\n`);
  return PLUGIN_EXIT[state];
}
