/**
 * A Chromium timeline trace of one cold load to the first screen interactive (issue 23): the renderer
 * main thread's top-level tasks summed by kind, and the network requests with their times.
 *   node --import tsx bench/renderer-trace.ts [dir=dist/renderer] [runs=3]
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
interface Ev { name: string; cat: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { data?: { url?: string; functionName?: string; requestId?: string; priority?: string }; beginData?: { url?: string } } }
for (let run = 0; run <= runs; run++) {
  const context = await browser.newContext({ viewport: { width: 1120, height: 780 } });
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading', 'v8.execute'] });
  await openApp(page, url, createHandlers(createTestDeps()));
  const t = (await (
    await page.waitForFunction(
      () => {
        const x = [...document.querySelectorAll('button')].find((e) => e.textContent?.includes('Get started'));
        return !!x && !x.disabled && document.activeElement?.id === 'start-title' ? performance.now() : false;
      },
      undefined,
      { polling: 'raf' },
    )
  ).jsonValue()) as number;
  const buf = await browser.stopTracing();
  await context.close();
  if (run === 0) continue;
  const events = (JSON.parse(buf.toString()) as { traceEvents: Ev[] }).traceEvents;
  // The page's renderer main thread: the one that ran ParseHTML for our URL.
  const parse = events.find((e) => e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').startsWith(url));
  if (!parse) throw new Error('no ParseHTML');
  const main = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid);
  const nav = events.find((e) => e.name === 'navigationStart' && e.pid === parse.pid) ?? events.find((e) => e.name === 'markAsMainFrame');
  const t0 = nav ? nav.ts : parse.ts;
  const endTs = t0 + t * 1000;
  console.log(`\n=== run ${run}: interactive ${t.toFixed(0)} ms (page clock); trace origin ${nav?.name}`);
  const rel = (ts: number) => ((ts - t0) / 1000).toFixed(0);
  // Top-level tasks (RunTask) and what they contain.
  const tasks = main.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.ts >= t0 && e.ts <= endTs);
  const kinds = ['ParseHTML', 'EvaluateScript', 'v8.compileModule', 'v8.evaluateModule', 'v8.compile', 'FunctionCall', 'TimerFire', 'FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'ParseAuthorStyleSheet', 'V8.GCScavenger', 'MajorGC', 'MinorGC', 'v8.parseOnBackground', 'V8.CompileCode', 'HitTest', 'RunMicrotasks', 'v8.run', 'EventDispatch', 'ScheduleStyleRecalculation', 'CommitLoad', 'ResourceReceivedData'];
  const sum = new Map<string, number>();
  for (const e of main) if (e.ph === 'X' && e.ts >= t0 && e.ts <= endTs && kinds.includes(e.name)) sum.set(e.name, (sum.get(e.name) ?? 0) + (e.dur ?? 0));
  const tsum = new Map<string, number>();
  for (const e of main) if (e.ph === 'X' && e.ts >= t0 && e.ts <= endTs && kinds.includes(e.name)) tsum.set(e.name, (tsum.get(e.name) ?? 0) + (e.tdur ?? 0));
  const busy = tasks.reduce((s, e) => s + (e.dur ?? 0), 0);
  const cpu = tasks.reduce((s, e) => s + (e.tdur ?? 0), 0);
  console.log(`  main thread busy ${(busy / 1000).toFixed(0)} ms wall, ${(cpu / 1000).toFixed(0)} ms CPU, in ${tasks.length} tasks until interactive; by kind (nested, overlapping) wall / CPU:`);
  for (const [k, v] of [...sum].sort((a, b) => b[1] - a[1])) console.log(`    ${(v / 1000).toFixed(1).padStart(7)} ms ${((tsum.get(k) ?? 0) / 1000).toFixed(1).padStart(7)} ms  ${k}`);
  // Long tasks timeline
  console.log('  tasks >= 8 ms:');
  for (const e of tasks.filter((x) => (x.dur ?? 0) >= 8000)) {
    const inner = main.filter((x) => x.ph === 'X' && x.ts >= e.ts && x.ts + (x.dur ?? 0) <= e.ts + (e.dur ?? 0) && x !== e && ['ParseHTML', 'EvaluateScript', 'v8.evaluateModule', 'v8.compileModule', 'FunctionCall', 'TimerFire', 'FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'Paint', 'RunMicrotasks', 'v8.run', 'EventDispatch'].includes(x.name));
    const parts = new Map<string, number>();
    for (const x of inner) parts.set(x.name, (parts.get(x.name) ?? 0) + (x.dur ?? 0));
    const label = inner.find((x) => x.name === 'v8.evaluateModule' || x.name === 'EvaluateScript' || x.name === 'FunctionCall');
    console.log(`    ${rel(e.ts).padStart(5)}-${rel(e.ts + (e.dur ?? 0)).padEnd(5)} ${((e.dur ?? 0) / 1000).toFixed(0).padStart(4)} ms (cpu ${((e.tdur ?? 0) / 1000).toFixed(0)})  ${[...parts].map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', ')} ${label ? String(label.args?.data?.url ?? label.args?.data?.functionName ?? '').split('/').pop() : ''}`);
  }
  // Network
  const sends = events.filter((e) => e.name === 'ResourceSendRequest');
  const fin = new Map(events.filter((e) => e.name === 'ResourceFinish').map((e) => [e.args?.data?.requestId, e]));
  console.log('  requests:');
  for (const s of sends) {
    const f = fin.get(s.args?.data?.requestId);
    console.log(`    ${rel(s.ts).padStart(5)}-${f ? rel(f.ts) : '?'}  ${String(s.args?.data?.url).split('/').pop()} ${s.args?.data?.priority ?? ''}`);
  }
  const paints = events.filter((e) => ['firstPaint', 'firstContentfulPaint', 'domContentLoadedEventEnd', 'loadEventEnd', 'MarkDOMContent', 'MarkLoad'].includes(e.name) && e.pid === parse.pid);
  console.log('  marks: ' + paints.map((e) => `${e.name} ${rel(e.ts)}`).join(', '));
}
await browser.close();
await server.close();
