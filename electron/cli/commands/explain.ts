/**
 * `mail-oauth explain [--json] [--profile P] [TEXT | -]` (issue 20): the diagnoses an error text
 * contains, most specific first, each with its code, cause and fix. The text is only read, never
 * sent anywhere; the profile (when given) only fills the fixes' placeholders, and its secret (when its
 * environment variable holds it) is only used to redact.
 */
import { explain, redact, redactDeep, type Diagnosis } from '../../../shared/diagnosis';
import { loadProfileFile } from '../../engine/profileFile';
import { formatDiagnosis } from '../output';
import { envNameAllowed, UsageError } from '../secret';
import type { CliIo } from '../main';
import { parseOptions } from './register';

export const EXPLAIN_HELP = `mail-oauth explain [--json] [--profile <profile.json>] <TEXT | ->

Explains an error text: a whole dialog, log lines, a JSON answer from Microsoft Graph or the sign-in
endpoint, or the message a system (Odoo, Frappe, EmailEngine...) wrapped around Microsoft's answer.
Lists the problems it recognises, most specific first, each with its diagnosis code, cause and fix.
  -                      read the text from standard input (e.g. pbpaste | mail-oauth explain -)
  --profile <file>       fill the fixes with this profile's mailbox, client ID and tenant
  --json                 one JSON document on stdout: {"diagnoses": [{"code", "title", "cause", "fix", ...}], "aadsts": [...]}
Nothing is sent anywhere. Exit 0 something was recognised, 1 nothing was (Microsoft's error lookup is
named for an AADSTS number), 2 usage.
`;

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON shape: the diagnosis fields people and scripts read, evidence without anything raw beyond the redacted text. */
function jsonDiagnosis(d: Diagnosis) {
  const ev = d.evidence;
  return {
    code: d.code,
    title: d.title,
    cause: d.cause,
    fix: d.fix,
    transient: d.transient,
    evidence: { text: ev.text.slice(0, 2000), ...(ev.aadsts ? { aadsts: ev.aadsts } : {}), ...(ev.traceId ? { traceId: ev.traceId } : {}), ...(ev.correlationId ? { correlationId: ev.correlationId } : {}) },
  };
}

export async function explainCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { profile: { type: 'string' } });
  if (!positionals.length) throw new UsageError('give the error text, or - to read it from standard input');
  const text = positionals.length === 1 && positionals[0] === '-' ? await readAll(io.stdin) : positionals.join(' ');
  if (!text.trim()) throw new UsageError('the error text is empty');
  const secrets: string[] = [];
  let profile = {};
  if (typeof values.profile === 'string') {
    const loaded = loadProfileFile(values.profile).profile;
    profile = loaded;
    const ref = loaded.clientSecret;
    if (ref.source === 'env' && envNameAllowed(ref.name)) {
      const v = io.env[ref.name]?.trim();
      if (v) secrets.push(v);
    }
  }
  const r = explain(text, { profile, secrets });
  if (values.json) {
    // Only string values are redacted (a diagnosis code is never a secret, and is never blanked).
    const doc = { diagnoses: r.diagnoses.map(jsonDiagnosis), recognised: r.recognised, aadsts: r.aadsts };
    io.stdout.write(`${JSON.stringify(redactDeep(doc, secrets), null, 2)}\n`);
    return r.recognised ? 0 : 1;
  }
  if (!r.recognised) {
    io.stdout.write('Not recognised: the assistant has no diagnosis for this text.\n');
    for (const a of r.aadsts) io.stdout.write(`Microsoft explains AADSTS${a.code} on its error lookup page: ${a.lookup}\n`);
    if (!r.aadsts.length) io.stdout.write('Search Microsoft\'s documentation for the error code in it, or run `mail-oauth check` on the profile to test each step.\n');
    return 1;
  }
  const out: string[] = [];
  r.diagnoses.forEach((d, i) => out.push(`${i + 1}. [${d.code}] ${formatDiagnosis(d, '   ').trimStart()}`));
  io.stdout.write(redact(out.join('\n'), secrets));
  return 0;
}
