import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './testHost';

export const screenshotDir = path.join(repoRoot, 'test/artifacts/screenshots');

/** Full-page screenshot under test/artifacts/screenshots/<name>.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // Let transitions and the live region settle.
  await page.waitForTimeout(150);
  // The shell scrolls inside <main>; let the page grow so the full-page shot shows the whole screen.
  const style = await page.addStyleTag({ content: '[data-shell]{height:auto !important;min-height:100vh} [data-main]{overflow:visible !important}' });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  await style.evaluate((el) => (el as HTMLElement).remove());
}

/** No serious or critical axe-core violation on the current screen. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Measure the steady state: Fluent buttons fade their colours for ~100-200 ms after a state change.
  await page.waitForTimeout(350);
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
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
