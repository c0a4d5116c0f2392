import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { SystemBrowser } from '../../../electron/engine/ports';
import type { Emulator } from '../../emulator/index';
import { signInWithMfa } from './register';

/**
 * The person's own browser for the e2e tier (the SystemBrowser port main gets from shell.openExternal):
 * ONE browser context kept for the whole journey, like a browser profile, so its Microsoft session cookie
 * (the emulator's ESTSAUTH, as login.microsoftonline.com sets it) stays between sign-ins. Each open() is a
 * new tab in that context going to the authorize URL; the redirect to http://localhost:<port> really
 * reaches the engine's loopback listener (electron/engine/loopback.ts): nothing is caught or routed here.
 */
export interface E2eSystemBrowser {
  port: SystemBrowser;
  context: BrowserContext;
  /** The next tab the app opened (already navigating to the authorize URL). */
  nextPage(): Promise<Page>;
  /** Authorize URLs opened so far. */
  opened: string[];
  close(): Promise<void>;
}

export async function e2eSystemBrowser(browser: Browser): Promise<E2eSystemBrowser> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const opened: string[] = [];
  const ready: Page[] = [];
  const waiting: ((page: Page) => void)[] = [];
  return {
    context,
    opened,
    port: {
      async open(url) {
        opened.push(url);
        const page = await context.newPage();
        page.goto(url).catch(() => {});
        const w = waiting.shift();
        if (w) w(page);
        else ready.push(page);
      },
    },
    nextPage: () => {
      const p = ready.shift();
      return p ? Promise.resolve(p) : new Promise<Page>((resolve) => waiting.push(resolve));
    },
    close: () => context.close().catch(() => {}),
  };
}

/**
 * TEST SETUP, not a journey step: the administrator signed in to Microsoft 365 in this browser earlier
 * (as when they use Outlook on the web or the admin center there): one full sign-in (account, password,
 * MFA) to another application of the tenant ("Fabrikam Desktop Mailer", a public client of the demo
 * scenario), which leaves the session cookie in the context. The consent the journey's sign-in needs
 * (Microsoft Graph Command Line Tools) is NOT given here. Returns what that sign-in showed.
 */
export async function seedMicrosoftSession(sb: E2eSystemBrowser, emu: Emulator, who: { upn: string; password: string }, tenant: string): Promise<void> {
  const page = await sb.context.newPage();
  // The other application's redirect (http://localhost) is answered here: it is not the journey's.
  await page.route((u) => u.hostname === 'localhost' && u.port === '' && u.protocol === 'http:', (route) => route.fulfill({ status: 204, body: '' }));
  const seedClient = '11111111-2222-4333-8444-000000000002';
  const url = `${emu.loginUrl}/${tenant}/oauth2/v2.0/authorize?client_id=${seedClient}&response_type=code&redirect_uri=${encodeURIComponent('http://localhost')}&scope=${encodeURIComponent('openid profile')}&state=seed`;
  const redirected = page.waitForRequest((r) => r.url().startsWith('http://localhost/'), { timeout: 30_000 });
  await page.goto(url);
  await signInWithMfa(page, emu, who.upn, who.password);
  await redirected;
  const cookies = await sb.context.cookies(emu.loginUrl);
  if (!cookies.some((c) => c.name === 'ESTSAUTH')) throw new Error('seeding the browser session left no ESTSAUTH cookie');
  await page.close();
}
