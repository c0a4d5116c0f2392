import type { Locator, Page } from '@playwright/test';

/** Which comes first on the sign-in page: one of `locators` visible, or the window closing (the redirect was caught). */
export async function whichFirst(win: Page, locators: Record<string, Locator>, timeout = 15_000): Promise<string> {
  if (win.isClosed()) return 'closed';
  const closed = new Promise<string>((resolve) => win.once('close', () => resolve('closed')));
  const shown = Object.entries(locators).map(([name, l]) => l.waitFor({ state: 'visible', timeout }).then(() => name, () => new Promise<string>(() => {})));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeout)));
  try {
    return await Promise.race([closed, timedOut, ...shown]);
  } finally {
    clearTimeout(timer);
  }
}
