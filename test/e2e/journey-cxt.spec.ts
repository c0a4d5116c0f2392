import { expect, test } from './host/fixtures';
import { createHandlers } from '../../electron/ipc/handlers';
import { createTestDeps } from './host/appDeps';
import { checkStatuses, DEMO, useEmulatorServers } from './host/journey';
import { allPassedFor } from './host/statuses';
import { expectNoCopyOfUnknownValues, expectOneNumbering, showAllSteps } from './host/journey14';
import { openApp } from './host/testHost';
import { collectErrors, expectAccessible, expectScreen, next, shoot, startConnection } from './host/wizard';
import type { Page } from '@playwright/test';

// Issue 14: CXT (app-only Graph) walked screen by screen, every screen looked at (journey-cxt-*.png).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
test.describe.configure({ timeout: 180_000 });

async function look(page: Page, name: string): Promise<void> {
  await expectAccessible(page, `cxt ${name}`);
  await expectNoCopyOfUnknownValues(page, `cxt ${name}`);
  await expectOneNumbering(page, `cxt ${name}`);
  await shoot(page, `journey-cxt-${name}`);
}

test('CXT: the tenant-wide reach is said where the permissions are chosen, illustrations show application permissions, app-only skips sign-in', async ({ page, emu, server }) => {
  const deps = createTestDeps({ extraCaPem: [emu.caPem] });
  const errors = collectErrors(page);
  await openApp(page, server.url, createHandlers(deps));
  await startConnection(page, 'cxt', { mailbox: DEMO.reception.upn, name: 'Fabrikam CXT' });
  await useEmulatorServers(page, emu);
  await look(page, '03-details');
  await next(page);

  await expectScreen(page, 'register');
  await page.locator('[data-choice="portal"]').check();
  await look(page, '04-register-first-step');
  // Issue 19, safe by default: no permission step; the tenant-wide permissions are the opt-in, said in plain words.
  await expect(page.locator('[data-step="permissions"]')).toHaveCount(0);
  const perms = page.locator('[data-step="every-mailbox"]');
  await perms.getByRole('button', { name: /Step \d+ of \d+/ }).click();
  await perms.getByRole('button', { name: 'Yes, show me how' }).click();
  // Item 5: every mailbox, said where the permissions are chosen.
  await expect(perms).toContainText('the app can read the mail of and send mail as every mailbox in your organisation');
  // Item 4: the picture shows the step's permissions, as application permissions.
  const art = perms.locator('svg[data-illustration="api-permissions"]');
  const shown = (await art.getAttribute('data-permissions'))!.split(',');
  const inStep = await perms.locator('[data-value-box] pre').allTextContents();
  for (const name of inStep.map((t) => t.trim())) expect(shown.some((p) => p.endsWith(`|${name}`) && p.includes('|application|')), name).toBe(true);
  expect(shown.every((p) => p.includes('|application|'))).toBe(true);
  await look(page, '04-register-permissions');
  // Item 5: the limit to one mailbox, with the commands filled in.
  await showAllSteps(page);
  const limit = page.locator('[data-step="limit-mailbox"]');
  await expect(limit).toContainText(DEMO.reception.upn);
  await look(page, '04-register-show-all');
  await page.getByRole('switch', { name: /Show all steps/ }).uncheck();
  // Paste in the steps.
  const ids = page.locator('[data-step="copy-ids"]');
  await ids.getByRole('button', { name: /Step \d+ of \d+/ }).click();
  await ids.getByRole('textbox', { name: 'Application (client) ID' }).fill(DEMO.daemon);
  await ids.getByRole('textbox', { name: 'Directory (tenant) ID' }).fill(DEMO.tenant);
  const secret = page.locator('[data-step="client-secret"]');
  await secret.getByRole('button', { name: /Step \d+ of \d+/ }).click();
  await secret.locator('#chk-clientSecret').fill(DEMO.daemonSecret);
  await secret.locator('#chk-clientSecret').blur();
  await secret.getByRole('textbox', { name: 'Secret ID' }).fill(DEMO.daemonSecretId);
  await secret.getByRole('radio', { name: /^12 months/ }).check();
  await expect(secret.getByTestId('secret-storage')).toContainText('Kept for this session only');
  await look(page, '04-register-paste-secret');
  await next(page);
  const gate = page.getByTestId('checklist-gate');
  if (await gate.isVisible()) await gate.getByRole('button', { name: 'Continue anyway' }).click();

  await expectScreen(page, 'credentials');
  await expect(page.getByTestId('credentials-confirmed')).toBeVisible();
  await look(page, '05-credentials');
  await next(page);
  // Item 17: app-only skips the sign-in screen; the sidebar says why.
  await expect(page.getByRole('navigation', { name: 'Wizard steps' })).toContainText('Not needed for CXT Software');
  const statuses = await checkStatuses(page);
  expect(statuses).toEqual(allPassedFor('cxt'));
  await look(page, '07-test');
  await next(page);
  await expectScreen(page, 'done');
  await expect(page.getByTestId('done-verdict')).toContainText('Working');
  await showAllSteps(page);
  const handOver = page.locator('[data-step="hand-over"]');
  await expect(handOver.locator('[data-value-box="known"] pre').filter({ hasText: DEMO.daemon })).toBeVisible();
  await expect(handOver.locator('[data-value-box="known"] pre').filter({ hasText: DEMO.daemonSecretId })).toBeVisible();
  await expect(handOver.locator('[data-value-box="secret"]')).toBeVisible();
  await look(page, '08-done');
  expect(errors).toEqual([]);
});
