// Screenshot of the first screen once interactive (compare builds): node --import tsx bench/renderer-shot.ts <dir> <out.png>
import { chromium } from '@playwright/test';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createHandlers } from '../electron/ipc/handlers';
import { createTestDeps } from '../test/e2e/host/appDeps';
import { openApp } from '../test/e2e/host/testHost';

const dir = path.resolve(process.argv[2]!);
const server = createServer((req, res) => {
  const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = path.join(dir, urlPath === '/' ? 'index.html' : urlPath);
  if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8' });
  createReadStream(file).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1120, height: 780 } });
await openApp(page, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, createHandlers(createTestDeps()));
await page.getByTestId('app-version').filter({ hasText: 'Version' }).waitFor();
await page.waitForFunction(() => !document.body.textContent?.includes('Loading version'));
await page.waitForTimeout(500);
await page.screenshot({ path: process.argv[3]!, fullPage: true });
const dom = await page.evaluate(() => document.body.outerHTML); console.log(dom.length, 'chars of DOM'); if (process.argv[4]) (await import('node:fs')).writeFileSync(process.argv[4], dom.replace(/></g, '>\n<'));
await browser.close();
server.close();
