import { chromium, type Browser } from '@playwright/test';
import type { AuthWindow } from '../../../electron/engine';

export interface Person {
  upn: string;
  password: string;
  mfa?: string;
  consent?: boolean;
  /** Close the window instead of signing in. */
  cancel?: boolean;
}

let browser: Browser | undefined;
export async function launchBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  return browser;
}
export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

/**
 * The AuthWindow port played by a Playwright page on a fresh context (a fresh session per sign-in,
 * like the Electron adapter's in-memory partition), driven as a person would. The navigation to the
 * redirect URI is caught and never reaches the network.
 */
export function playwrightAuthWindow(person: Person): AuthWindow & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    async open(authorizeUrl, redirectUri, { timeoutMs }) {
      opened.push(authorizeUrl);
      const b = await launchBrowser();
      const ctx = await b.newContext({ ignoreHTTPSErrors: true });
      try {
        const page = await ctx.newPage();
        let redirected: URL | null = null;
        const base = redirectUri.replace(/\/$/, '');
        await page.route((u) => u.href.startsWith(base), async (r) => {
          redirected = new URL(r.request().url());
          await r.fulfill({ status: 204, body: '' });
        });
        if (person.cancel) throw new Error('the person closed the sign-in window');
        await page.goto(authorizeUrl);
        const deadline = Date.now() + timeoutMs;
        const done = () => redirected !== null;
        if (!done() && (await page.locator('#i0116').count())) {
          await page.fill('#i0116', person.upn);
          await page.click('#idSIButton9');
          await page.fill('#i0118', person.password);
          await page.click('#idSIButton9');
        }
        if (!done() && person.mfa && (await page.locator('#idTxtBx_SAOTCC_OTC').count())) {
          await page.fill('#idTxtBx_SAOTCC_OTC', person.mfa);
          await page.click('#idSubmit_SAOTCC_Continue');
        }
        if (!done() && person.consent !== false && (await page.locator('#idBtn_Accept').count())) await page.click('#idBtn_Accept');
        while (!done() && Date.now() < deadline) {
          // Microsoft shows some errors (AADSTS50011, 500113, 50020...) as a page, never redirecting.
          const text = await page.locator('body').innerText().catch(() => '');
          if (/AADSTS\d+/.test(text)) throw new Error(text.slice(0, 600));
          await page.waitForTimeout(50);
        }
        if (!redirected) throw new Error(`no redirect; the page says: ${(await page.locator('body').innerText()).slice(0, 300)}`);
        return redirected;
      } finally {
        await ctx.close();
      }
    },
  };
}
