/**
 * Renderer performance, measured in Chromium on the BUILT renderer (dist/renderer, `npm run build`):
 *   1. time from navigation start to the first screen interactive (the start screen's heading and
 *      its "Get started" button enabled, after the app answered app:getInfo and profiles:list),
 *      median of several cold loads (fresh browser context each time); target < 500 ms;
 *   2. the renderer's JavaScript, gzipped; target < 350 KB.
 * The app's API is injected by the same test host the e2e tier uses, over the real handler map.
 */
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHandlers } from '../electron/ipc/handlers';
import { createTestDeps } from '../test/e2e/host/appDeps';
import { openApp, rendererDir, serveRenderer } from '../test/e2e/host/testHost';

const RUNS = 7;
const TARGET_MS = 500;
const TARGET_KB = 350;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));
}

const files = jsFiles(rendererDir);
const rawBytes = files.reduce((s, f) => s + readFileSync(f).length, 0);
const gzBytes = files.reduce((s, f) => s + gzipSync(readFileSync(f), { level: 9 }).length, 0);

const server = await serveRenderer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const times: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1120, height: 780 } });
    const page = await context.newPage();
    await openApp(page, server.url, createHandlers(createTestDeps()));
    // Measured inside the page, on the first animation frame where the start screen is usable: its
    // heading has focus and "Get started" is an enabled button (no Playwright round trip counted).
    const handle = await page.waitForFunction(
      () => {
        const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.includes('Get started'));
        return !!b && !b.disabled && document.activeElement?.id === 'start-title' ? performance.now() : false;
      },
      undefined,
      { polling: 'raf' },
    );
    const ms = (await handle.jsonValue()) as number;
    times.push(ms);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const kb = gzBytes / 1024;
console.log(`first screen interactive: median ${median.toFixed(0)} ms over ${RUNS} cold loads (min ${times[0]!.toFixed(0)}, max ${times[times.length - 1]!.toFixed(0)}); target < ${TARGET_MS} ms: ${median < TARGET_MS ? 'OK' : 'OVER'}`);
console.log(`renderer JavaScript: ${(rawBytes / 1024).toFixed(0)} KB raw, ${kb.toFixed(1)} KB gzipped in ${files.length} file(s); target < ${TARGET_KB} KB: ${kb < TARGET_KB ? 'OK' : 'OVER'}`);
if (median >= TARGET_MS || kb >= TARGET_KB) process.exitCode = 1;
