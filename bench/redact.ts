/**
 * redact() on the relay's log records, before and after its fragment search was made one pass (npm run bench:redact).
 *
 * The relay redacts every log record (JSON, 150-300 characters) and every upstream error text against its
 * secrets: the client secret and the access tokens it has used (about 1.5 KB each, a JWT). The reference is
 * shared/diagnosis/redact.ts as it is on BENCH_REF (default main), read with git and imported from a temporary
 * file (the module imports nothing), so both run in the same process on the same inputs, alternating in rounds.
 * Printed: microseconds per call for a delivered record, an error text, and the relay's mix (4 records and one
 * error per message, the records a relayed message writes: accepted, delivered, spool marks), per version,
 * and that both versions give the same output on every input.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { redact as current } from '../shared/diagnosis/redact';

const root = path.resolve(import.meta.dirname, '..');
const REF = process.env.BENCH_REF ?? 'main';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 400);

const refFile = path.join(mkdtempSync(path.join(tmpdir(), 'redact-ref-')), 'redact.ts');
writeFileSync(refFile, execFileSync('git', ['show', `${REF}:shared/diagnosis/redact.ts`], { cwd: root, encoding: 'utf8' }));
const reference = ((await import(pathToFileURL(refFile).href)) as { redact: typeof current }).redact;

const b64url = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + seed * 17) % 256)).toString('base64url');
const token = (seed: number) => `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${b64url(900, seed)}.${b64url(256, seed + 1)}`;
// what upstream.ts keeps: the client secret, then the tokens used so far (a relay up for a few hours: 3)
const secrets = ['Qx7~Secret.Value_0123456789abcdefGHIJ', token(1), token(2), token(3)];
const ts = () => new Date(1_700_000_000_000).toISOString();
const delivered = JSON.stringify({ ts: ts(), event: 'delivered', id: '0mxcihd90-000069abc934993e', mailbox: 'info@fabrikam.com', recipients: 1, attempts: 1, ms: 41, markMs: 5, queuedMs: 47, answeredAt: ts() });
const accepted = JSON.stringify({ ts: ts(), event: 'accepted', id: '0mxcihd90-000069abc934993e', device: 'copier', from: 'info@fabrikam.com', recipients: 1, size: 10240 });
const error = `Invalid login: 535 5.7.3 Authentication unsuccessful [SN4PR0501CA0101.namprd05.prod.outlook.com 2026-12-07T00:07:43.604Z 08DD1E2B3C4D5E6F] while sending for info@fabrikam.com; upstream said: ${token(3).slice(200, 260)} ...`;
const mix = [accepted, delivered, delivered.replace('delivered', 'spool-marked'), delivered.replace('delivered', 'sent'), error];

console.log(`machine: ${cpus().length} CPU(s), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; reference: shared/diagnosis/redact.ts at ${REF}; secrets: ${secrets.map((s) => s.length).join(' + ')} characters`);

for (const input of [...mix, `${error} ${secrets[0]!.slice(4, 24)}`]) {
  const a = reference(input, secrets);
  const b = current(input, secrets);
  if (a !== b) console.log(`DIFFERENT OUTPUT for ${JSON.stringify(input.slice(0, 80))}:\n  reference ${a}\n  current   ${b}`);
}
console.log('same output from both versions on every input above (else listed)');

const time = (f: typeof current, inputs: string[]) => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) for (const s of inputs) f(s, secrets);
  return Number(process.hrtime.bigint() - t0) / 1000 / (CALLS * inputs.length);
};
const cases: [string, string[]][] = [
  ['delivered record', [delivered]],
  ['error text', [error]],
  ['per message (4 records + 1 error)', mix],
];
const results: Record<string, { reference: number[]; current: number[] }> = {};
for (const [name] of cases) results[name] = { reference: [], current: [] };
time(current, mix); // warm-up (and the current version's per-secret cache)
time(reference, mix);
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, inputs] of cases) {
    results[name]!.reference.push(time(reference, inputs));
    results[name]!.current.push(time(current, inputs));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, inputs] of cases) {
  const ref = median(results[name]!.reference);
  const cur = median(results[name]!.current);
  const perMsg = name.startsWith('per message') ? ` = ${((ref * inputs.length) / 1000).toFixed(2)} ms -> ${((cur * inputs.length) / 1000).toFixed(2)} ms of CPU per relayed message` : '';
  console.log(`${name}: reference ${ref.toFixed(1)} us/call, current ${cur.toFixed(1)} us/call (x${(ref / cur).toFixed(1)} faster; median of ${ROUNDS} rounds)${perMsg}`);
}
