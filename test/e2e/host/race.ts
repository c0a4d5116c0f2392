import type { Locator, Page } from '@playwright/test';

/**
 * Which comes first on the sign-in page: one of `locators` visible, the window closing (the redirect was
 * caught), or, with `leaves` (the sign-in's origin), the page going to another origin ('left': the
 * redirect went to the app's address, e.g. a browser tab's loopback or a seeded session's http://localhost).
 * Without `leaves` a redirect that keeps the page open showed none of the locators and waited out the whole
 * timeout (issue 23: 15 s per seeded browser session, 10 journeys).
 */
export async function whichFirst(win: Page, locators: Record<string, Locator>, o: { timeout?: number; leaves?: string } = {}): Promise<string> {
  const timeout = o.timeout ?? 15_000;
  if (win.isClosed()) return 'closed';
  const never = () => new Promise<string>(() => {});
  const closed = new Promise<string>((resolve) => win.once('close', () => resolve('closed')));
  const shown = Object.entries(locators).map(([name, l]) => l.waitFor({ state: 'visible', timeout }).then(() => name, never));
  const origin = o.leaves ? new URL(o.leaves).origin : undefined;
  const left = origin ? [win.waitForURL((u) => u.origin !== origin, { timeout, waitUntil: 'commit' }).then(() => 'left', never)] : [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeout)));
  try {
    return await Promise.race([closed, timedOut, ...shown, ...left]);
  } finally {
    clearTimeout(timer);
  }
}
