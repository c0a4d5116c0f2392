import { expect, type Page } from '@playwright/test';

/**
 * Checks the journey tests of issue 14 run on every screen they visit.
 *
 * Item 1: no Copy button is ever offered for a value that is not known yet. Every value box says
 * whether its value is known; a Copy button inside an "unknown" box, or a known box whose text holds
 * a `<placeholder>`, fails. Copy buttons outside value boxes must be whole-document copies.
 */
export async function expectNoCopyOfUnknownValues(page: Page, where: string): Promise<void> {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const placeholder = /<[^<>\n]+>/;
    for (const box of Array.from(document.querySelectorAll('[data-value-box]'))) {
      const copy = Array.from(box.querySelectorAll('button')).find((b) => /^(Copy|Copied)/.test((b.textContent ?? '').trim()));
      const text = (box.querySelector('pre')?.textContent ?? '').trim();
      if (box.getAttribute('data-value-box') === 'unknown' && copy) out.push(`Copy offered for an unknown value: ${box.textContent}`);
      if (box.getAttribute('data-value-box') === 'known' && placeholder.test(text)) out.push(`a value with a placeholder is shown as known: ${text}`);
    }
    // Copy buttons outside value boxes: only whole documents (card, formats, support details).
    for (const b of Array.from(document.querySelectorAll('button'))) {
      const t = (b.textContent ?? '').trim();
      if (!/^(Copy|Copied)\b/.test(t) || b.closest('[data-value-box]')) continue;
      const name = `${t} ${b.getAttribute('aria-label') ?? ''}`;
      if (!/whole card|details|Copy the card|Copy secret|Copy (Paste card|Connection profile|Environment|EmailEngine|System parameters|Frappe|Hand-over|Secret expiry)|request for the network team|Copy the steps/i.test(name)) out.push(`a Copy button outside a value box: ${name}`);
    }
    return out;
  });
  expect(problems, `unknown values offered for copying on ${where}`).toEqual([]);
}

/** Expands every checklist on the screen (the "Show all steps" switches), so every value is on screen. */
export async function showAllSteps(page: Page): Promise<void> {
  for (const sw of await page.getByRole('switch', { name: /Show all steps/ }).all()) if (!(await sw.isChecked())) await sw.check();
}

/** Screen 4 by the manual path: "I'll do it in the portal", then Next (confirming the unticked steps). */
export async function choosePortalPath(page: Page): Promise<void> {
  await page.locator('[data-choice="portal"]').check();
}

export async function nextPastChecklist(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  const gate = page.getByTestId('checklist-gate');
  await gate.or(page.locator('[data-screen="credentials"]')).first().waitFor();
  if (await gate.isVisible()) await gate.getByRole('button', { name: 'Continue anyway' }).click();
}

/** Item 11: one numbering. Screens are named, checklist steps are "Step n of m"; no "step 4" pointer, no button that does not exist. */
export async function expectOneNumbering(page: Page, where: string): Promise<void> {
  const text = await page.locator('[data-screen]').innerText();
  const bad = [...text.matchAll(/.{0,40}\b(?:on |from |to |back to )?step \d+\b(?! of \d).{0,40}/gi)].map((m) => m[0]);
  if (/Run checks/.test(text)) bad.push('names a "Run checks" button that does not exist');
  expect(bad, `numbering on ${where}`).toEqual([]);
}
