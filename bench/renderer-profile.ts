/**
 * Where the first screen's main-thread time goes, by function (issue 23): V8's sampling CPU profile of
 * cold loads until the first screen is interactive, self time summed per function and per file.
 *   node --import tsx bench/renderer-profile.ts [dir=dist/renderer] [runs=3]
 */
import { chromium } from '@playwright/test';
import path from 'node:path';
import { createHandlers } from '../electron/ipc/handlers';
import { createTestDeps } from '../test/e2e/host/appDeps';
import { openApp, rendererDir, serveRenderer } from '../test/e2e/host/testHost';

const dir = path.resolve(process.argv[2] ?? rendererDir);
const runs = Number(process.argv[3] ?? 3);
const server = await serveRenderer(dir);
const url = server.url;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
const byFn = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
for (let run = 0; run <= runs; run++) {
  const context = await browser.newContext({ viewport: { width: 1120, height: 780 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await openApp(page, url, createHandlers(createTestDeps()));
  await page.waitForFunction(() => {
    const x = [...document.querySelectorAll('button')].find((e) => e.textContent?.includes('Get started'));
    return !!x && !x.disabled && document.activeElement?.id === 'start-title';
  }, undefined, { polling: 'raf' });
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] } };
  await context.close();
  if (run === 0) continue;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = nodes.get(id)!;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const f = n.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') return;
    const file = f.url.split('/').pop() || f.functionName;
    const key = `${f.functionName || '(anon)'} ${file}:${f.lineNumber}:${f.columnNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + dt);
    byFile.set(file, (byFile.get(file) ?? 0) + dt);
    total += dt;
  });
}
await browser.close();
await server.close();
console.log(`sampled CPU (not idle/program) per load: ${(total / runs).toFixed(1)} ms; by file:`);
for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${(v / runs).toFixed(1).padStart(6)} ms  ${k}`);
console.log('by function (self):');
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${(v / runs).toFixed(1).padStart(6)} ms  ${k}`);
