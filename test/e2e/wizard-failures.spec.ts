import { expect, test } from './host/fixtures';
import { signInOnEmulator } from './host/authWindow';
import { checkStatuses, DEMO, screen } from './host/journey';
import { ODOO, SEEDS, resumeSeeded } from './host/wizardJourney';
import { expectScreen, next } from './host/wizard';

// What goes wrong after screen 5 (wizard-journeys.spec.ts walks screens 1-5 for every system): each
// test starts from the connection those screens save, seeded through the app's own IPC and resumed
// from Start (issue 23: not replayed screen by screen). The emulator's web app accepts Odoo's redirect.
test.describe.configure({ timeout: 150_000 });

test.beforeEach(({ emu }) => emu.admin.setApp(DEMO.web, { webRedirectUris: [ODOO.redirect!] }));

test('SMTP AUTH disabled for the mailbox: a diagnosis card with the Set-CASMailbox command for that mailbox, and run again', async ({ page, browser, emu, server }) => {
  const { auth } = await resumeSeeded(page, browser, { emu, server }, ODOO, DEMO.sales.upn);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signInOnEmulator(await auth.nextWindow(), DEMO.sales.upn, DEMO.sales.password);
  await expect(page.getByTestId('signin-success')).toBeVisible({ timeout: 30_000 });
  await next(page);
  const statuses = await checkStatuses(page);
  // SMTP refused; the round trip needs the SMTP check's message, so it is skipped (not failed twice).
  expect(statuses).toEqual({ network: 'passed', token: 'passed', imap: 'passed', smtp: 'failed', roundtrip: 'skipped' });
  const card = page.locator('[data-check="smtp"]').getByTestId('diagnosis');
  await expect(card).toBeVisible();
  await expect(card.getByTestId('fix-command').first()).toContainText(`Set-CASMailbox -Identity '${DEMO.sales.upn}' -SmtpClientAuthenticationDisabled $false`);
  await screen(page, 'fail', '07-test-smtp-auth-disabled');
  await card.getByRole('button', { name: 'Details for a support ticket' }).click();
  await expect(card.getByTestId('evidence')).toContainText('5.7.139');
  // The administrator fixes it; "Run again" for that check only.
  emu.admin.setMailbox(DEMO.sales.upn, { smtpAuthDisabled: false });
  await card.getByRole('button', { name: /Run .Send mail \(SMTP\). again/ }).click();
  await expect(page.locator('[data-check="smtp"]')).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
  emu.admin.setMailbox(DEMO.sales.upn, { smtpAuthDisabled: true });
});

test('the wrong account signs in: explained on screen 6 with the fix, then the right one', async ({ page, browser, emu, server }) => {
  const { auth } = await resumeSeeded(page, browser, { emu, server }, ODOO, DEMO.reception.upn);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signInOnEmulator(await auth.nextWindow(), DEMO.sales.upn, DEMO.sales.password);
  const mismatch = page.getByTestId('signin-mismatch');
  await expect(mismatch).toContainText(`You signed in as ${DEMO.sales.upn}, but the mailbox is ${DEMO.reception.upn}`, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Go to the test' })).toBeDisabled();
  await screen(page, 'fail', '06-signin-wrong-account');
  // One primary action (issue 14 item 14); the shared-mailbox route waits behind its question.
  await expect(page.getByTestId('shared-mailbox-route')).toContainText(`Is ${DEMO.reception.upn} a shared mailbox`);
  await page.getByRole('button', { name: `Sign in again as ${DEMO.reception.upn}` }).click();
  await signInOnEmulator(await auth.nextWindow(), DEMO.reception.upn, DEMO.reception.password);
  await expect(page.getByTestId('signin-success')).toContainText(DEMO.reception.upn, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Go to the test' })).toBeEnabled();
});

test('a closed IMAP port: the diagnosis arrives within the timeout', async ({ page, browser, emu, server }) => {
  const { auth } = await resumeSeeded(page, browser, { emu, server }, ODOO, DEMO.reception.upn, { imap: `127.0.0.1:${emu.admin.closedPort()}` });
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signInOnEmulator(await auth.nextWindow(), DEMO.reception.upn, DEMO.reception.password);
  await expect(page.getByTestId('signin-success')).toBeVisible({ timeout: 30_000 });
  const started = Date.now();
  await next(page);
  await expect(page.locator('[data-check][data-status="failed"]').first()).toBeVisible({ timeout: 20_000 });
  const statuses = await checkStatuses(page, 20_000);
  expect(Date.now() - started).toBeLessThan(20_000);
  const failed = Object.entries(statuses).filter(([, s]) => s === 'failed').map(([id]) => id);
  expect(failed.length).toBeGreaterThan(0);
  const card = page.locator(`[data-check="${failed[0]}"]`).getByTestId('diagnosis');
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Details for a support ticket' }).click();
  await expect(card.getByTestId('evidence')).toContainText('ECONNREFUSED');
  // One row per service (issue 14 item 10): reading mail is blocked, signing in and sending work.
  const rows = page.locator('[data-check="network"]').getByTestId('network-rows');
  await expect(rows.locator('[data-service="IMAP"]')).toHaveAttribute('data-ok', 'no');
  await expect(rows.locator('[data-service="SMTP"]')).toHaveAttribute('data-ok', 'yes');
  await expect(rows.locator('[data-service="sign-in"]')).toHaveAttribute('data-ok', 'yes');
  await expect(rows.locator('[data-service="IMAP"]')).toContainText('Reading mail (IMAP): blocked or not answering');
  await screen(page, 'fail', '07-test-closed-port');
});

test('the user closes the sign-in window: back on screen 6, nothing lost, and signing in works afterwards', async ({ page, browser, emu, server }) => {
  const { auth, deps } = await resumeSeeded(page, browser, { emu, server }, ODOO, DEMO.reception.upn);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const win = await auth.nextWindow();
  await win.locator('#i0116').waitFor();
  await win.close();
  await expect(page.getByTestId('signin-cancelled')).toContainText('The sign-in window was closed', { timeout: 15_000 });
  await expectScreen(page, 'signin');
  await screen(page, 'fail', '06-signin-window-closed');
  const saved = deps.store.list()[0]!;
  expect(saved.profile).toMatchObject({ clientId: DEMO.web, tenant: DEMO.tenant, mailbox: DEMO.reception.upn });
  expect(await deps.secrets.get(`profile:${saved.id}:clientSecret`)).toBe(DEMO.webSecret);
  await page.getByRole('button', { name: 'Sign in again', exact: true }).click();
  await signInOnEmulator(await auth.nextWindow(), DEMO.reception.upn, DEMO.reception.password);
  await expect(page.getByTestId('signin-success')).toBeVisible({ timeout: 30_000 });
});

test('the second half works by keyboard alone too: test, done (copy, secret switch, save)', async ({ page, browser, emu, server }) => {
  const { deps } = await resumeSeeded(page, browser, { emu, server }, SEEDS.find((s) => s.target === 'cxt')!, DEMO.reception.upn);
  const tabTo = async (name: RegExp, max = 60) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const text = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return `${a?.innerText ?? ''}|${a?.getAttribute('aria-label') ?? ''}|${a?.id ? (document.querySelector(`label[for="${a.id}"]`)?.textContent ?? '') : ''}`;
      });
      if (name.test(text)) return;
    }
    throw new Error(`focus never reached ${name}`);
  };
  await checkStatuses(page);
  await expect(page.getByTestId('test-summary')).toContainText('All checks passed');
  await expect(page.getByRole('heading', { name: 'Test the connection for real' })).toBeFocused();
  await tabTo(/^Export the settings/);
  await page.keyboard.press('Enter');
  await expectScreen(page, 'done');
  await tabTo(/^Copy the whole card/);
  await page.keyboard.press('Enter');
  await expect.poll(() => deps.clipboard.readText()).toContain(DEMO.daemon);
  await tabTo(/^Save the hand-over report/);
  await page.keyboard.press('Enter');
  await expect.poll(() => deps.savedFiles.length).toBe(1);
  await page.getByRole('heading', { name: /Put the values into/ }).focus();
  await tabTo(/Include the client secret/);
  await page.keyboard.press('Space');
  await expect(page.getByText('The secret will be in plain text')).toBeVisible();
});
