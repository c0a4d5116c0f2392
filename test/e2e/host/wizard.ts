import { expect, type Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './testHost';

export const screenshotDir = path.join(repoRoot, 'test/artifacts/screenshots');

/**
 * Waits until the screen is still: every finite CSS transition and animation has finished (Fluent
 * buttons fade their colours for ~100-200 ms after a state change; Document.getAnimations() flushes
 * style first, so a transition a click just started is in the list) and the web fonts are loaded.
 * Endless animations (a spinner) never finish and are not waited for. Replaces fixed 150/350 ms sleeps
 * (issue 23): the real condition, however long it takes on a busy machine, and no longer when it is met.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.fonts.status === 'loaded' && document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { polling: 'raf', timeout: 10_000 },
  );
}

/**
 * axe-core's own bundle, minified: the engine @axe-core/playwright (the dev dependency) injects, resolved
 * from that package so it is the same copy and version, minified for half the parsing. Put into a page once.
 */
const requireHere = createRequire(import.meta.url);
const axeSource = readFileSync(createRequire(requireHere.resolve('@axe-core/playwright')).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the whole document with its default rules (as `new AxeBuilder({ page }).analyze()`
 * does), asking only for the violations' nodes. Issue 23: AxeBuilder parsed the 500 kB engine into the
 * page and into a fresh blank page (runPartial + finishRun, for cross-origin frames, which the app has
 * none of) on every scan: 10-15 s per scan on the shared 2-CPU machine against ~2 s for this. The engine
 * is injected once per document (again after a navigation or setContent, when `window.axe` is gone).
 */
async function axeViolations(page: Page): Promise<AxeResults['violations']> {
  const hasAxe = () => page.evaluate(() => typeof (window as unknown as { axe?: { run?: unknown } }).axe?.run === 'function');
  if (!(await hasAxe())) await page.evaluate(axeSource);
  if (!(await hasAxe())) throw new Error('axe-core could not be put into the page');
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations;
}

/** Full-page screenshot under test/artifacts/screenshots/<name>.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // Let transitions settle (the real condition, not a fixed wait).
  await settled(page);
  // The shell scrolls inside <main>; let the page grow so the full-page shot shows the whole screen.
  const style = await page.addStyleTag({ content: '[data-shell]{height:auto !important;min-height:100vh} [data-main]{overflow:visible !important}' });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  await style.evaluate((el) => (el as HTMLElement).remove());
}

/** No serious or critical axe-core violation on the current screen. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Measure the steady state: Fluent buttons fade their colours for ~100-200 ms after a state change.
  await settled(page);
  const bad = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)} ${n.failureSummary ?? ''}`).slice(0, 3).join(' | ')}`),
    `axe violations on ${screen}`,
  ).toEqual([]);
}

export async function expectScreen(page: Page, id: string): Promise<void> {
  await expect(page.locator(`[data-screen="${id}"]`)).toBeVisible();
}

export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  return errors;
}

export const nextButton = (page: Page) => page.getByRole('button', { name: /^(Next|Go to the test|Export the settings|Continue anyway)$/ });
export const next = (page: Page) => nextButton(page).click();
export const back = (page: Page) => page.getByRole('button', { name: 'Back', exact: true }).click();

/** Screens 1-3: start a new connection for a target and fill its details. */
export async function startConnection(page: Page, targetId: string, fill: { inputs?: Record<string, string>; mailbox: string; name?: string }): Promise<void> {
  await page.getByRole('button', { name: /^(Get started|New connection)$/ }).click();
  await expectScreen(page, 'system');
  await page.locator(`[data-target="${targetId}"]`).click();
  await next(page);
  await expectScreen(page, 'details');
  for (const [id, value] of Object.entries(fill.inputs ?? {})) {
    const text = page.locator(`[data-input="${id}"]`);
    if (await text.count()) await text.fill(value);
    else await page.getByRole('radiogroup').filter({ has: page.locator(`input[value="${value}"]`) }).locator(`input[value="${value}"]`).check();
  }
  await page.getByLabel('The mailbox it sends and reads as').fill(fill.mailbox);
  if (fill.name) await page.getByLabel('A name for this connection').fill(fill.name);
}
