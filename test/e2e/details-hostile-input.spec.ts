import { expect, test } from './host/fixtures';
import { createHandlers } from '../../electron/ipc/handlers';
import { createTestDeps } from './host/appDeps';
import { openApp } from './host/testHost';
import { collectErrors, expectAccessible, expectScreen, next, shoot } from './host/wizard';

// Issue 13, careless input on the Details screen: a page address pasted as the web address is cut
// back to the site with a note (not refused); an http address on a company host is refused for
// EmailEngine, because Microsoft Entra will not register its http redirect.

test('Odoo: a pasted page address becomes the site address, with a note saying what was removed', async ({ page, server }) => {
  const errors = collectErrors(page);
  await openApp(page, server.url, createHandlers(createTestDeps()));
  await page.getByRole('button', { name: /^(Get started|New connection)$/ }).click();
  await page.locator('[data-target="odoo"]').click();
  await next(page);
  await expectScreen(page, 'details');

  const baseUrl = page.getByLabel("Your Odoo's web address");
  await baseUrl.fill('https://erp.fabrikam.com/odoo/action-mail.action_view_mail_mail?debug=1#view_type=list');
  await baseUrl.blur();
  await expect(baseUrl).toHaveValue('https://erp.fabrikam.com');
  await expect(page.getByText(/Removed "\/odoo\/action-mail\.action_view_mail_mail\?debug=1#view_type=list" from the web address: that part opens one page inside Odoo/)).toBeVisible();
  await page.getByLabel('The mailbox it sends and reads as').fill('reception@fabrikam.com');
  await expect(page.getByTestId('redirect-preview')).toHaveText('https://erp.fabrikam.com/microsoft_outlook/confirm');
  await expectAccessible(page, 'details');
  await shoot(page, 'details-page-address-cleaned');

  // Editing the field again drops the note.
  await baseUrl.fill('https://mail.fabrikam.com');
  await expect(page.getByText(/Removed "\/odoo/)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('EmailEngine: http on a company host is refused with the reason; http://localhost is fine', async ({ page, server }) => {
  const errors = collectErrors(page);
  await openApp(page, server.url, createHandlers(createTestDeps()));
  await page.getByRole('button', { name: /^(Get started|New connection)$/ }).click();
  await page.locator('[data-target="emailengine"]').click();
  await next(page);
  await expectScreen(page, 'details');

  const baseUrl = page.getByLabel("Your EmailEngine's web address");
  await baseUrl.fill('http://mail.fabrikam.com:3000');
  await baseUrl.blur();
  await page.getByLabel('The mailbox it sends and reads as').fill('reception@fabrikam.com');
  await next(page);
  // Refused: the screen stays, the field says why (https, or http only for localhost).
  await expectScreen(page, 'details');
  await expect(baseUrl).toHaveAttribute('aria-invalid', 'true');
  await shoot(page, 'details-emailengine-http-refused');

  await baseUrl.fill('http://localhost:3000');
  await baseUrl.blur();
  await expect(baseUrl).not.toHaveAttribute('aria-invalid', 'true');
  await next(page);
  await expectScreen(page, 'register');
  expect(errors).toEqual([]);
});
