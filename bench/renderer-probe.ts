/**
 * The first screen's "interactive" moment for the renderer benches (issue 23), one definition for all:
 * the start screen's heading has the focus and its "Get started" button is enabled (React has committed the
 * screen, so its click handler is attached), checked at each animation frame, i.e. before that frame paints.
 *
 * Two probes of that same condition in each load:
 *  - `probe`: Playwright's waitForFunction polling at animation frames, as the benches always measured. It can
 *    only start once page.goto() has returned (the load event) and Playwright's injected script has run, so
 *    it adds the test host's own latency to the figure (tens of ms on a loaded machine);
 *  - `inPage`: the same check run by the page itself at every animation frame from navigation on (an init
 *    script), the moment the screen really became usable.
 * And `filled`: the first frame where the screen also shows what main answered (the version, and the
 * saved connections or, with none, "What you will need"): the complete first screen.
 */
import type { Page } from '@playwright/test';

declare global {
  interface Window {
    __firstScreen?: { inPage?: number; filled?: number };
  }
}

/** The condition, as page-side source (strings, not functions: tsx would wrap inner functions in a helper the page lacks). */
const READY = `(() => {
  const button = [...document.querySelectorAll('button')].find((e) => e.textContent?.includes('Get started'));
  return !!button && !button.disabled && document.activeElement?.id === 'start-title';
})()`;

/** Call before openApp (it adds an init script). */
export async function installProbe(page: Page): Promise<void> {
  await page.addInitScript({
    content: `(() => {
      const probe = (window.__firstScreen = {});
      const tick = () => {
        const ready = ${READY};
        if (ready && probe.inPage === undefined) probe.inPage = performance.now();
        const version = document.querySelector('[data-testid="app-version"]')?.textContent ?? '';
        const text = document.body?.textContent ?? '';
        if (ready && version.startsWith('Version ') && (text.includes('What you will need') || text.includes('Your saved connections'))) probe.filled = performance.now();
        if (probe.filled === undefined) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })();`,
  });
}

/** Waits for the first screen; the three moments in ms after navigation start (page clock). */
export async function firstScreen(page: Page): Promise<{ probe: number; inPage: number; filled: number }> {
  const probe = (await (await page.waitForFunction(`${READY} ? performance.now() : false`, undefined, { polling: 'raf' })).jsonValue()) as number;
  const rest = (await (await page.waitForFunction(() => window.__firstScreen?.filled !== undefined && window.__firstScreen, undefined, { polling: 'raf' })).jsonValue()) as { inPage: number; filled: number };
  return { probe, ...rest };
}
