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

/** Serves the BUILT renderer (dist/renderer, or another build's folder for the benches) on 127.0.0.1, as the packaged app would load it. */
export async function serveRenderer(dir = rendererDir): Promise<{ url: string; close(): Promise<void> }> {
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir} has no index.html: run \`npm run build\` first (npm test does it).`);
  }
  const server: Server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(dir, urlPath === '/' ? 'index.html' : urlPath);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
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

/**
 * Main's native questions are message boxes the page cannot see; to look at one as the person would,
 * the test host draws it (title, message, detail, the two buttons) as plain text in a page of its own.
 * Every text goes in through textContent: what a screenshot shows is exactly the string main built.
 */
export async function renderNativeQuestion(page: Page, question: { title: string; message: string; detail: string; confirmLabel: string }): Promise<void> {
  await page.setContent(
    `<!doctype html><html><head><style>
      body{font:14px system-ui,sans-serif;background:#e9e7e4;margin:0;padding:24px}
      .box{max-width:620px;background:#fff;border:1px solid #8a8886;box-shadow:0 6px 18px rgba(0,0,0,.25)}
      .bar{background:#f3f2f1;border-bottom:1px solid #c8c6c4;padding:6px 10px;font-size:12px}
      .body{padding:16px 20px;display:flex;gap:14px}.icon{font-size:28px;color:#c19c00}
      h1{font-size:15px;margin:0 0 10px}pre{white-space:pre-wrap;font:13px system-ui,sans-serif;margin:0}
      .buttons{display:flex;justify-content:flex-end;gap:8px;padding:0 20px 16px}
      button{font:13px system-ui;padding:5px 16px}button.default{outline:2px solid #0f6cbd}
    </style></head><body><div class="box" role="dialog" aria-label="native question"><div class="bar" id="t"></div>
    <div class="body"><div class="icon">⚠</div><div><h1 id="m"></h1><pre id="d"></pre></div></div>
    <div class="buttons"><button class="default">Cancel</button><button id="c"></button></div></div></body></html>`,
  );
  await page.evaluate((q) => {
    document.getElementById('t')!.textContent = q.title;
    document.getElementById('m')!.textContent = q.message;
    document.getElementById('d')!.textContent = q.detail;
    document.getElementById('c')!.textContent = q.confirmLabel;
  }, question);
}
