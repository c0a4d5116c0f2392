// Screenshot of the first screen once interactive (compare builds): node --import tsx bench/renderer-shot.ts <dir> <out.png>
import { chromium } from '@playwright/test';
import path from 'node:path';
import { createHandlers } from '../electron/ipc/handlers';
import { createTestDeps } from '../test/e2e/host/appDeps';
import { openApp, serveRenderer } from '../test/e2e/host/testHost';

const dir = path.resolve(process.argv[2]!);
const server = await serveRenderer(dir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1120, height: 780 } });
await openApp(page, server.url, createHandlers(createTestDeps()));
await page.getByTestId('app-version').filter({ hasText: 'Version' }).waitFor();
await page.waitForFunction(() => !document.body.textContent?.includes('Loading version'));
await page.waitForTimeout(500);
await page.screenshot({ path: process.argv[3]!, fullPage: true });
const dom = await page.evaluate(() => document.body.outerHTML); console.log(dom.length, 'chars of DOM'); if (process.argv[4]) (await import('node:fs')).writeFileSync(process.argv[4], dom.replace(/></g, '>\n<'));
await browser.close();
await server.close();
