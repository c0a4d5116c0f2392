/**
 * A/B of built renderers on a busy machine (issue 23): interleaved cold loads, each traced; per build the
 * median time to the first screen interactive (wall; bench/renderer-probe.ts: as the benches always probed it,
 * and probed in the page), the first frame showing main's answers, and the renderer main thread's CPU time
 * until interactive (sum of its tasks' thread time: far less moved by other load on the machine), the whole
 * renderer process's CPU time in the same window (all threads: script streaming/compiling off the main
 * thread shows only there), plus paired differences.
 *   node --import tsx bench/renderer-ab.ts <dirA> <dirB> [runs=10]
 */
import { chromium, type Browser } from '@playwright/test';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createHandlers } from '../electron/ipc/handlers';
import { createTestDeps } from '../test/e2e/host/appDeps';
import { openApp, serveRenderer } from '../test/e2e/host/testHost';
import { firstScreen, installProbe } from './renderer-probe';

const dirs = process.argv.slice(2, 4).map((d) => path.resolve(d));
const runs = Number(process.argv[4] ?? 10);
interface Ev { name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { beginData?: { url?: string } } }
async function load(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1120, height: 780 } });
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading'] });
  await installProbe(page);
  await openApp(page, url, createHandlers(createTestDeps()));
  const { probe: t, inPage, filled } = await firstScreen(page);
  const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: Ev[] }).traceEvents;
  await context.close();
  const parse = events.find((e) => e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').startsWith(url))!;
  const nav = events.find((e) => e.name === 'navigationStart' && e.pid === parse.pid)!;
  const end = nav.ts + t * 1000;
  const main = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === 'X' && e.ts >= nav.ts && e.ts <= end);
  const cpu = (name: string) => main.filter((e) => e.name === name).reduce((s, e) => s + (e.tdur ?? 0), 0) / 1000;
  // The whole renderer process (all its threads: script streaming and compiling, raster, IO), same window.
  const all = events.filter((e) => e.pid === parse.pid && e.ph === 'X' && e.ts >= nav.ts && e.ts <= end && (e.name === 'RunTask' || e.name === 'ThreadPool_RunTask'));
  const processCpu = all.reduce((s, e) => s + (e.tdur ?? 0), 0) / 1000;
  return { t, inPage, filled, processCpu, cpu: cpu('RunTask'), evalMod: cpu('v8.evaluateModule'), fn: cpu('FunctionCall'), layout: cpu('Layout') + cpu('UpdateLayoutTree') + cpu('Paint') };
}
const servers = await Promise.all(dirs.map((d) => serveRenderer(d)));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const res: Awaited<ReturnType<typeof load>>[][] = dirs.map(() => []);
for (const s of servers) await load(browser, s.url);
for (let i = 0; i < runs; i++) for (const [j, s] of (i % 2 ? [...servers.entries()].reverse() : [...servers.entries()])) res[j]!.push(await load(browser, s.url));
await browser.close();
for (const s of servers) await s.close();
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${runs} interleaved traced cold loads each; medians:`);
console.log(`${'build'.padEnd(40)} ${'interactive'.padStart(11)} ${'in-page'.padStart(7)} ${'filled'.padStart(6)} ${'main CPU'.padStart(9)} ${'process CPU'.padStart(11)} ${'evalModule'.padStart(10)} ${'FunctionCall'.padStart(12)} ${'style+layout+paint'.padStart(18)}`);
dirs.forEach((d, j) => {
  const r = res[j]!;
  console.log(`${d.slice(-40).padEnd(40)} ${med(r.map((x) => x.t)).toFixed(0).padStart(11)} ${med(r.map((x) => x.inPage)).toFixed(0).padStart(7)} ${med(r.map((x) => x.filled)).toFixed(0).padStart(6)} ${med(r.map((x) => x.cpu)).toFixed(0).padStart(9)} ${med(r.map((x) => x.processCpu)).toFixed(0).padStart(11)} ${med(r.map((x) => x.evalMod)).toFixed(0).padStart(10)} ${med(r.map((x) => x.fn)).toFixed(0).padStart(12)} ${med(r.map((x) => x.layout)).toFixed(0).padStart(18)}`);
});
const d = (k: 't' | 'inPage' | 'filled' | 'cpu' | 'processCpu') => med(res[1]!.map((x, i) => x[k] - res[0]![i]![k]));
console.log(`paired median B-A: interactive ${d('t').toFixed(0)} ms (in-page ${d('inPage').toFixed(0)} ms, filled ${d('filled').toFixed(0)} ms), main-thread CPU ${d('cpu').toFixed(0)} ms, renderer-process CPU ${d('processCpu').toFixed(0)} ms`);
