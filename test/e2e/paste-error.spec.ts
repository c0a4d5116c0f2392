import { expect, test } from './host/fixtures';
import { createHandlers } from '../../electron/ipc/handlers';
import { createTestDeps } from './host/appDeps';
import { e2eAuthWindow } from './host/authWindow';
import { checkStatuses, DEMO, fillCredentials, useEmulatorServers } from './host/journey';
import { choosePortalPath, nextPastChecklist } from './host/journey14';
import { openApp } from './host/testHost';
import { collectErrors, expectAccessible, expectScreen, next, shoot, startConnection } from './host/wizard';

// Issue 20: "Paste an error" on the Start and Test screens explains what a person's own system showed
// them, with the same explain() as `mail-oauth explain`. Screenshots: paste-error-*.png.
test.describe.configure({ timeout: 180_000 });

const ODOO_DIALOG = "Connection Test Failed! Here is what we got instead:\n 530 5.7.57 Client not authenticated to send mail.\n 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.";

test('Start: an Odoo dialog pasted gives its diagnoses, most specific first; an unknown AADSTS names Microsoft\'s lookup', async ({ page, server }) => {
  const errors = collectErrors(page);
  await openApp(page, server.url, createHandlers(createTestDeps()));
  await expectScreen(page, 'start');
  await page.getByTestId('paste-error-open').click();
  await page.getByTestId('paste-error-text').fill(ODOO_DIALOG);
  await page.getByTestId('paste-error-explain').click();
  const cards = page.getByTestId('paste-error-result').getByTestId('diagnosis');
  await expect(cards).toHaveCount(2);
  expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['smtp-security-defaults', 'smtp-client-not-authenticated']);
  await expect(page.getByTestId('paste-error-result')).toContainText('Found 2 problems, the most specific first');
  await expectAccessible(page, 'start with a pasted error');
  await shoot(page, 'paste-error-01-start');

  await page.getByTestId('paste-error-text').fill('AADSTS9999999: Something new. Trace ID: 0a1b2c3d-0000-4000-8000-000000000001');
  await page.getByTestId('paste-error-explain').click();
  await expect(page.getByTestId('paste-error-unrecognised')).toContainText('Not recognised');
  await expect(page.getByTestId('paste-error-unrecognised').getByRole('button', { name: 'Look up AADSTS9999999' }).or(page.getByTestId('paste-error-unrecognised').getByRole('link', { name: 'Look up AADSTS9999999' }))).toBeVisible();
  await shoot(page, 'paste-error-02-unrecognised');
  expect(errors).toEqual([]);
});

test('Test: the pasted error gets the connection\'s mailbox in its fix', async ({ page, browser, emu, server }) => {
  const deps = createTestDeps({ authWindow: e2eAuthWindow(browser).port, extraCaPem: [emu.caPem] });
  await openApp(page, server.url, createHandlers(deps));
  await startConnection(page, 'cxt', { mailbox: DEMO.reception.upn, name: 'Fabrikam CXT' });
  await useEmulatorServers(page, emu);
  await next(page);
  await choosePortalPath(page);
  await nextPastChecklist(page);
  await fillCredentials(page, { clientId: DEMO.daemon, tenant: DEMO.tenant, secret: DEMO.daemonSecret, secretId: DEMO.daemonSecretId, expires: '2099-12-31' });
  await next(page);
  await checkStatuses(page);
  await expectScreen(page, 'test');
  await page.getByTestId('paste-error-open').click();
  await page.getByTestId('paste-error-text').fill('HTTP/1.1 403 Forbidden\n{"error":{"code":"ErrorAccessDenied","message":"Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings."}}');
  await page.getByTestId('paste-error-explain').click();
  const card = page.getByTestId('paste-error-result').getByTestId('diagnosis').first();
  await expect(card).toHaveAttribute('data-code', 'graph-app-access-policy-blocked');
  await expect(card).toContainText(`An Application Access Policy keeps the app away from ${DEMO.reception.upn}`);
  await expect(card.getByTestId('fix-command').first()).toContainText(`Test-ApplicationAccessPolicy -Identity '${DEMO.reception.upn}' -AppId '${DEMO.daemon}'`);
  await expectAccessible(page, 'test with a pasted error');
  await shoot(page, 'paste-error-03-test');
});
