/**
 * Renderer performance, measured in Chromium on BUILT renderers (`npm run build`), this build and, when
 * BENCH_REF names a checkout of the reference commit with its own build (bench/make-ref.sh), the
 * reference build in the same run, loads interleaved so both see the same machine load:
 *   1. time from navigation start to the first screen interactive (the start screen's heading has focus
 *      and its "Get started" button is enabled: bench/renderer-probe.ts), median of several cold loads
 *      (fresh browser context each time); target <= 300 ms (issue 23). Printed as measured by the probe the
 *      bench always used (Playwright polling, which starts only after page.goto() returned) and by the same
 *      check run in the page from navigation on; and, for information, the first frame that also shows what
 *      main answered (app:getInfo's version, profiles:list's saved connections or "What you will need");
 *   2. the first screen's JavaScript: every .js file the page fetched until it was interactive,
 *      gzipped (level 9); target <= 150 KB (issue 23);
 *   3. the renderer's JavaScript in total (all .js files of the build), gzipped.
 * The app's API is injected by the same test host the e2e tier uses, over the real handler map.
 * On a busy machine the absolute times move; the medians and the side-by-side reference are the figure.
 */
import { chromium, type Browser } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHandlers } from '../electron/ipc/handlers';
import { createTestDeps } from '../test/e2e/host/appDeps';
import { openApp, rendererDir, serveRenderer } from '../test/e2e/host/testHost';
import { firstScreen, installProbe } from './renderer-probe';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const TARGET_MS = 300;
const TARGET_KB = 150;

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));
}

interface Build {
  name: string;
  dir: string;
  url: string;
  times: number[];
  inPage: number[];
  filled: number[];
  firstFiles: Set<string>;
}

/** One cold load: returns ms to interactive and the .js files fetched until then. */
async function load(browser: Browser, b: Build): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1120, height: 780 } });
  const page = await context.newPage();
  const fetched: string[] = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.endsWith('.js')) fetched.push(p);
  });
  await installProbe(page);
  await openApp(page, b.url, createHandlers(createTestDeps()));
  const t = await firstScreen(page);
  b.times.push(t.probe);
  b.inPage.push(t.inPage);
  b.filled.push(t.filled);
  // Files requested until the first screen was complete (later screens are fetched only at the user's first move).
  for (const f of fetched.splice(0)) b.firstFiles.add(f);
  await context.close();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const builds: Build[] = [{ name: 'this build', dir: rendererDir, url: '', times: [], inPage: [], filled: [], firstFiles: new Set() }];
if (process.env.BENCH_REF) {
  const dir = path.resolve(process.env.BENCH_REF, 'dist/renderer');
  if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`BENCH_REF=${process.env.BENCH_REF} has no dist/renderer: run bench/make-ref.sh first`);
  builds.unshift({ name: `reference (${path.basename(process.env.BENCH_REF)})`, dir, url: '', times: [], inPage: [], filled: [], firstFiles: new Set() });
}
const servers = await Promise.all(builds.map((b) => serveRenderer(b.dir))); // each build on its own origin
builds.forEach((b, i) => (b.url = servers[i]!.url));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  // One warm-up load each (Chromium's own start-up), not counted; then interleaved cold loads.
  for (const b of builds) {
    await load(browser, b);
    for (const xs of [b.times, b.inPage, b.filled]) xs.length = 0;
    b.firstFiles.clear();
  }
  for (let i = 0; i < RUNS; i++) for (const b of builds) await load(browser, b);
} finally {
  await browser.close();
  await Promise.all(servers.map((s) => s.close()));
}

console.log(`Machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (shared machine: absolute times move, compare the columns).`);
console.log(`${'build'.padEnd(28)} ${'interactive median'.padStart(18)} ${'min-max ms'.padStart(12)} ${'in-page'.padStart(8)} ${'filled'.padStart(7)} ${'first-screen JS gz'.padStart(18)} ${'files'.padStart(5)} ${'total JS gz'.padStart(11)} ${'files'.padStart(5)}`);
let over = false;
for (const b of builds) {
  const all = jsFiles(b.dir);
  const total = all.reduce((s, f) => s + gz(f), 0) / 1024;
  const first = [...b.firstFiles].reduce((s, p) => s + gz(path.join(b.dir, p)), 0) / 1024;
  const m = median(b.times);
  const sorted = [...b.times].sort((x, y) => x - y);
  console.log(
    `${b.name.padEnd(28)} ${`${m.toFixed(0)} ms`.padStart(18)} ${`${sorted[0]!.toFixed(0)}-${sorted[sorted.length - 1]!.toFixed(0)}`.padStart(12)} ${`${median(b.inPage).toFixed(0)} ms`.padStart(8)} ${`${median(b.filled).toFixed(0)} ms`.padStart(7)} ${`${first.toFixed(1)} KB`.padStart(18)} ${String(b.firstFiles.size).padStart(5)} ${`${total.toFixed(1)} KB`.padStart(11)} ${String(all.length).padStart(5)}`,
  );
  if (b.dir === rendererDir) {
    over = m > TARGET_MS || first > TARGET_KB;
    // BENCH_FILES=1: which files the first screen fetched, largest first (to see what to split off).
    if (process.env.BENCH_FILES) for (const f of [...b.firstFiles].map((p) => [p, gz(path.join(b.dir, p)) / 1024] as const).sort((x, y) => y[1] - x[1])) console.log(`  ${f[1].toFixed(1).padStart(6)} KB  ${f[0]}`);
    const inPage = median(b.inPage);
    console.log(`targets (issue 23): interactive <= ${TARGET_MS} ms median: ${m <= TARGET_MS ? 'OK' : 'OVER'} (probe as before), ${inPage <= TARGET_MS ? 'OK' : 'OVER'} (in-page); first-screen JS <= ${TARGET_KB} KB gzip: ${first <= TARGET_KB ? 'OK' : 'OVER'}`);
  }
}
console.log(`${RUNS} cold loads per build (fresh browser context each), interleaved, after one warm-up load each.`);
if (over) process.exitCode = 1;
