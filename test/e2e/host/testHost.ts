import type { Page } from '@playwright/test';
import { build } from 'esbuild';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch, type HandlerMap } from '../../../electron/ipc/dispatch';
import type { EventName, EventPayload } from '../../../shared/ipc/contract';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
/** The built renderer; MOA_RENDERER_DIR points a run at its own build (several builds share this checkout). */
export const rendererDir = process.env.MOA_RENDERER_DIR ? path.resolve(process.env.MOA_RENDERER_DIR) : path.join(repoRoot, 'dist/renderer');

let injectBundle: Promise<string> | undefined;
function bundleInjectScript(): Promise<string> {
  injectBundle ??= build({
    entryPoints: [path.join(here, 'inject.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  }).then((out) => out.outputFiles[0]!.text);
  return injectBundle;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Serves the BUILT renderer (dist/renderer) on 127.0.0.1, as the packaged app would load it. */
export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build` before the e2e tier (npm test does it).');
  }
  const server: Server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(rendererDir, urlPath === '/' ? 'index.html' : urlPath);
    if (!file.startsWith(rendererDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The app denies the renderer every browser permission (electron/main.ts), the clipboard included, so
 * its Copy buttons go through main (clipboard:write). The host refuses the browser clipboard the same
 * way, whatever a spec's context grants, so the path the app really uses is the one tested.
 */
export async function refuseBrowserClipboard(page: Page, baseUrl: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(baseUrl).origin;
  for (const name of ['clipboard-read', 'clipboard-write']) {
    await cdp.send('Browser.setPermission', { permission: { name }, setting: 'denied', origin });
  }
  await cdp.detach();
  // Chromium still lets a click write to the clipboard without the permission; Electron's deny-all
  // handler gives no such guarantee. Make every page-side clipboard call fail as a refusal would.
  await page.addInitScript(() => {
    const refuse = () => Promise.reject(new DOMException('The clipboard is not available to the page (refused like the app refuses it).', 'NotAllowedError'));
    const clipboard = navigator.clipboard;
    if (clipboard) for (const method of ['writeText', 'write', 'readText', 'read'] as const) Object.defineProperty(clipboard, method, { value: refuse, configurable: false });
    document.execCommand = () => false;
  });
}

export interface HostedApp {
  /** What the handlers logged (to check nothing sensitive is written). */
  logs: string[];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): Promise<void>;
}

/**
 * Opens the built renderer in `page` with `window.mailOAuth` wired to `handlers` through the same
 * dispatch() main uses: real validation, real handlers, test adapters behind them.
 */
export async function openApp(page: Page, baseUrl: string, handlers: HandlerMap): Promise<HostedApp> {
  const logs: string[] = [];
  await refuseBrowserClipboard(page, baseUrl);
  await page.exposeFunction('__mailOAuthInvoke', (channel: string, request: unknown) =>
    dispatch(handlers, channel, request, { warn: (message) => logs.push(message) }),
  );
  await page.addInitScript({ content: await bundleInjectScript() });
  await page.goto(baseUrl);
  return {
    logs,
    emit: async (event, payload) => {
      await page.evaluate(([e, p]) => window.__mailOAuthEmit(e, p), [event, payload] as const);
    },
  };
}
