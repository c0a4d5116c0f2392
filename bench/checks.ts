/**
 * Check timings against the emulator (npm run bench:checks). Medians of RUNS runs, in one process:
 *  (a) full check run wall time vs the sum and the max of its checks, and vs the slowest check run alone
 *      (target: full ≤ 1.15 × the slowest single check, issue 23);
 *  (b) the IMAP check (connect, XOAUTH2, SELECT, logout) vs `curl --oauth2-bearer` on the same Dovecot
 *      with the same token (target: ≤ 1.5 × curl's own time_total);
 *  (c) time to a diagnosis against a black-holed port vs the configured timeout (target: ≤ timeout + 10%).
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { acquireToken, MemoryVault, resolveEndpoints, runChecks } from '../electron/engine';
import { imapCheck } from '../electron/engine/checks/imap';
import type { RunContext } from '../electron/engine/checks/context';
import type { CheckId } from '../shared/checks';

import { startEmulator } from '../test/emulator/index';
import { DAEMON_SECRET, emuProfile } from '../test/integration/helpers/fixtures';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const f = (n: number) => n.toFixed(1).padStart(7);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

console.log(`Machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (a busy machine moves the figures: compare with the reference, bench/compare.sh)`);

const emu = await startEmulator();
try {
  const profile = emuProfile(emu);
  const deps = () => ({ vault: new MemoryVault(), clientSecret: DAEMON_SECRET });
  await runChecks(profile, deps()); // warm-up (TLS sessions, JIT)

  // (a)
  const walls: number[] = [];
  const sums: number[] = [];
  const maxes: number[] = [];
  const alone: Record<string, number[]> = {};
  const ids: CheckId[] = ['network', 'token', 'imap', 'smtp', 'roundtrip'];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const run = await runChecks(profile, deps());
    walls.push(performance.now() - t0);
    if (!run.passed) throw new Error(`full run failed: ${JSON.stringify(run.results.map((r) => r.diagnosis?.code ?? r.status))}`);
    sums.push(run.results.reduce((a, r) => a + r.durationMs, 0));
    maxes.push(Math.max(...run.results.map((r) => r.durationMs)));
    for (const id of ids) {
      const s0 = performance.now();
      const one = await runChecks(profile, deps(), { only: [id] });
      (alone[id] ??= []).push(performance.now() - s0);
      if (!one.passed) throw new Error(`${id} alone failed`);
    }
  }
  const wall = median(walls);
  const slowestAlone = Math.max(...ids.map((id) => median(alone[id]!)));
  console.log(`(a) full check run, median of ${RUNS} (ms)`);
  console.log(`    full run wall time          ${f(wall)}`);
  console.log(`    sum of the checks' durations ${f(median(sums))}   (what a sequential run would cost)`);
  console.log(`    max of the checks' durations ${f(median(maxes))}   (ratio full/max ${(wall / median(maxes)).toFixed(2)})`);
  for (const id of ids) console.log(`    ${id.padEnd(9)} run alone          ${f(median(alone[id]!))}`);
  console.log(`    full / slowest single check  ${(wall / slowestAlone).toFixed(2)} x   target ≤ 1.15  ${verdict(wall / slowestAlone <= 1.15)}`);

  // (b)
  const token = await acquireToken(profile, deps());
  const ctx: RunContext = { profile, deps: deps(), endpoints: resolveEndpoints(profile), ca: [emu.caPem], net: { ca: [emu.caPem] }, secrets: [token.accessToken], runId: 'bench', token: async () => token, usableToken: async () => token };
  const curlOnce = () =>
    new Promise<number>((resolve, reject) =>
      execFile('curl', ['-sS', '-o', '/dev/null', '-w', '%{time_total}', '--cacert', emu.caPath, '--login-options', 'AUTH=XOAUTH2', '--user', profile.mailbox, '--oauth2-bearer', token.accessToken, `imaps://${emu.imap.host}:${emu.imap.port}/INBOX?ALL`], (e, out) => (e ? reject(new Error('curl failed')) : resolve(Number(out) * 1000))),
    );
  const imapOnce = async () => {
    const t0 = performance.now();
    await imapCheck({ ctx, step: (_n, fn) => fn(), signal: new AbortController().signal, timeoutMs: 5000 });
    return performance.now() - t0;
  };
  await curlOnce();
  await imapOnce();
  const curls: number[] = [];
  const imaps: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    imaps.push(await imapOnce());
    curls.push(await curlOnce());
  }
  const ratioB = median(imaps) / median(curls);
  console.log(`(b) IMAP connect + XOAUTH2 + SELECT + logout, same Dovecot, same token, median of ${RUNS} (ms)`);
  console.log(`    engine IMAP check           ${f(median(imaps))}`);
  console.log(`    curl --oauth2-bearer total  ${f(median(curls))}`);
  console.log(`    ratio                        ${ratioB.toFixed(2)} x   target ≤ 1.50  ${verdict(ratioB <= 1.5)}`);

  // (c)
  const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 1000);
  const hole = emuProfile(emu, { endpoints: { ...profile.endpoints!, imap: `127.0.0.1:${emu.admin.blackholePort()}` } });
  const toDiag: number[] = [];
  const codes = new Set<string>();
  for (let i = 0; i < RUNS; i++) {
    const run = await runChecks(hole, deps(), { only: ['imap'], timeouts: timeoutMs });
    const r = run.results[0]!;
    toDiag.push(r.durationMs);
    codes.add(r.diagnosis?.code ?? r.status);
  }
  const c = median(toDiag);
  console.log(`(c) black-holed IMAP port, timeout ${timeoutMs} ms, median of ${RUNS}`);
  console.log(`    time to diagnosis           ${f(c)} ms  (${[...codes].join(', ')})`);
  console.log(`    vs timeout                   ${(c / timeoutMs).toFixed(2)} x   target ≤ 1.10  ${verdict(c <= timeoutMs * 1.1)}`);
} finally {
  await emu.stop();
}
