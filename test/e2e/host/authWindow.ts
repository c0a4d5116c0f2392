import type { Browser, Page } from '@playwright/test';
import type { AuthWindow } from '../../../electron/engine';
import { whichFirst } from './race';

/**
 * The AuthWindow port for the e2e tier: each sign-in opens a page on a FRESH browser context (like
 * the Electron adapter's in-memory session: no cookies from earlier sign-ins) which the test drives
 * through the emulator's HTML sign-in, as a person would. The first request to the redirect URI is
 * aborted (it never leaves the machine) and resolves the sign-in with its URL; closing the page
 * cancels; a timeout ends it with the same message the Electron adapter uses.
 */
export interface E2eAuthWindow {
  port: AuthWindow;
  /** The next sign-in window the app opens (already navigating to the authorize URL). */
  nextWindow(): Promise<Page>;
  /** Authorize URLs opened so far. */
  opened: string[];
  /** The "who signs in now" header each window was opened with ('' for none), in order. */
  headers: string[];
}

export function e2eAuthWindow(browser: Browser): E2eAuthWindow {
  const opened: string[] = [];
  const headers: string[] = [];
  const ready: Page[] = [];
  const waiting: ((page: Page) => void)[] = [];
  const hand = (page: Page) => {
    const w = waiting.shift();
    if (w) w(page);
    else ready.push(page);
  };
  const port: AuthWindow = {
    async open(authorizeUrl, redirectUri, { signal, timeoutMs, header }) {
      opened.push(authorizeUrl);
      headers.push(header ?? '');
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const base = redirectUri.replace(/\/$/, '');
      try {
        return await new Promise<URL>((resolve, reject) => {
          let settled = false;
          const finish = (f: () => void) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            f();
          };
          const timer = setTimeout(() => finish(() => reject(new Error(`The sign-in did not finish within ${Math.round(timeoutMs / 1000)} seconds.`))), timeoutMs);
          const onAbort = () => finish(() => reject(new Error('The sign-in window was closed before the sign-in finished.')));
          signal?.addEventListener('abort', onAbort);
          page.on('close', onAbort);
          void page.route(
            (u) => u.href === base || u.href.startsWith(`${base}?`) || u.href.startsWith(`${base}/`),
            async (route) => {
              const url = new URL(route.request().url());
              finish(() => resolve(url));
              await route.fulfill({ status: 204, body: '' }).catch(() => {});
            },
          );
          page.goto(authorizeUrl).catch(() => {});
          hand(page);
        });
      } finally {
        await context.close().catch(() => {});
      }
    },
  };
  return {
    port,
    opened,
    headers,
    nextWindow: () => {
      const p = ready.shift();
      return p ? Promise.resolve(p) : new Promise<Page>((resolve) => waiting.push(resolve));
    },
  };
}

/**
 * Signs in on the emulator's page as `upn`, accepting the consent prompt if one appears. After the password
 * it waits for what really comes next (issue 23: not a fixed 3 s for a consent prompt that may never come):
 * the consent prompt (accepted), the window closing (the redirect was caught: signed in), or anything else
 * the page shows instead (an error, an MFA code), which is left to the test to see in the app.
 */
export async function signInOnEmulator(win: Page, upn: string, password: string): Promise<void> {
  await win.locator('#i0116').fill(upn);
  await win.locator('#idSIButton9').click();
  await win.locator('#i0118').fill(password);
  await win.locator('#idSIButton9').click();
  const accept = win.locator('#idBtn_Accept');
  const next = await whichFirst(win, { accept, error: win.locator('.err, #errorText'), otc: win.locator('#idTxtBx_SAOTCC_OTC') });
  if (next === 'accept') await accept.click();
}
