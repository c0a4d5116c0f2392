import { expect, test } from './host/fixtures';
import { createHandlers } from '../../electron/ipc/handlers';
import { createTestDeps } from './host/appDeps';
import { openApp } from './host/testHost';
import { collectErrors, expectAccessible, expectScreen, next, shoot, startConnection } from './host/wizard';

// Issue 14 items 7, 8, 12 and 18, against the built renderer and the real handlers (no network needed).

test('Details: the recommended account type preselected with its reason, the portal labels with the organisation; who you will need per system', async ({ page, server }) => {
  const errors = collectErrors(page);
  await openApp(page, server.url, createHandlers(createTestDeps()));
  // Item 8: no role named before the system is known.
  await expect(page.locator('[data-screen="start"]')).not.toContainText('Application Developer');
  await startConnection(page, 'odoo', { inputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'reception@fabrikam.com' });
  const recommended = page.locator('input[data-audience="multi-personal"]');
  await expect(recommended).toBeChecked();
  const group = page.getByRole('radiogroup', { name: 'Whose mailboxes will connect' });
  await expect(group).toContainText('Recommended for Odoo');
  await expect(group).toContainText('In the portal: “Accounts in this organizational directory only (Fabrikam only - Single tenant)”');
  await expect(group).not.toContainText('<Org>');
  // In the portal's order: single, multi, multi + personal.
  const order = await page.locator('[data-audience]').evaluateAll((els) => els.map((e) => e.getAttribute('data-audience')));
  expect(order).toEqual(['single', 'multi', 'multi-personal']);
  const who = page.getByTestId('who-youll-need');
  await expect(who).toContainText('An Exchange administrator, only if Authenticated SMTP is off');
  await expect(who).toContainText('password of reception@fabrikam.com');
  await expectAccessible(page, 'details odoo');
  await shoot(page, 'journey-odoo-03-details-account-types');
  // CXT: application permissions need a Privileged Role Administrator or Global Administrator; nobody signs in.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.locator('[data-target="cxt"]').click();
  await next(page);
  await expect(page.getByTestId('who-youll-need')).toContainText('A Privileged Role Administrator or Global Administrator');
  await expect(page.getByTestId('who-youll-need')).toContainText('No one signs in as the mailbox');
  expect(errors).toEqual([]);
});

test('Frappe: the Redirect URI Frappe shows is pasted and read (site and Connected App name)', async ({ page, server }) => {
  await openApp(page, server.url, createHandlers(createTestDeps()));
  await startConnection(page, 'frappe', { mailbox: 'sales@contoso.com' });
  const paste = page.locator('[data-input="frappeRedirect"]');
  await paste.fill('https://erp.contoso.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/8f3e2a1b0c');
  await expect(page.locator('[data-input="baseUrl"]')).toHaveValue('https://erp.contoso.com');
  await expect(page.locator('[data-input="connectedAppName"]')).toHaveValue('8f3e2a1b0c');
  await expect(page.getByTestId('redirect-preview')).toHaveText('https://erp.contoso.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/8f3e2a1b0c');
  await paste.fill('https://erp.contoso.com/app/connected-app/8f3e2a1b0c');
  await expect(page.getByTestId('frappe-redirect')).toContainText('This is not a Frappe Connected App Redirect URI');
  await expectAccessible(page, 'details frappe');
  await shoot(page, 'journey-frappe-03-details-redirect');
});

test('Start with ten customers: search and sort by expiry or status', async ({ page, server }) => {
  const deps = createTestDeps();
  const now = new Date().toISOString();
  const customers = ['Adatum', 'Contoso', 'Fabrikam', 'Litware', 'Northwind', 'Proseware', 'Tailspin', 'Wingtip', 'Woodgrove', 'Alpine'];
  customers.forEach((c, i) =>
    deps.store.save({
      id: `${c.toLowerCase()}-0000000${i}`,
      profile: { name: `${c} Odoo`, target: 'odoo', targetInputs: { baseUrl: `https://erp.${c.toLowerCase()}.com` }, cloud: 'global', clientSecret: { source: 'ask' }, mailbox: `mail@${c.toLowerCase()}.com`, secretExpires: `20${30 + i}-06-30` },
      wizard: { step: 'done', ticks: [] },
      ...(i === 7 ? { lastRun: { at: now, status: 'failed' as const, passed: 2, failed: 1, skipped: 0 } } : { lastRun: { at: now, status: 'passed' as const, passed: 3, failed: 0, skipped: 0 } }),
      updatedAt: now,
    } as never),
  );
  await openApp(page, server.url, createHandlers(deps));
  await expectScreen(page, 'start');
  await expect(page.getByTestId('saved-profile')).toHaveCount(10);
  await page.getByTestId('start-search').fill('northwind');
  await expect(page.getByTestId('saved-profile')).toHaveCount(1);
  await expect(page.getByTestId('saved-profile')).toContainText('Northwind Odoo');
  await page.getByTestId('start-search').fill('');
  await page.getByTestId('start-sort').selectOption('expiry');
  await expect(page.getByTestId('saved-profile').first()).toContainText('Adatum Odoo');
  await page.getByTestId('start-sort').selectOption('status');
  await expect(page.getByTestId('saved-profile').first()).toContainText('Wingtip Odoo');
  await expectAccessible(page, 'start with ten customers');
  await shoot(page, 'journey-odoo-01-start-ten-customers');
});
