import { expect, test } from './host/fixtures';
import { createHandlers } from '../../electron/ipc/handlers';
import { createTestDeps } from './host/appDeps';
import { openApp } from './host/testHost';
import { expectScreen, next, startConnection } from './host/wizard';

// Finding 11 (issue 13): the app's Copy buttons work although the renderer has no clipboard
// permission (main denies every permission, as the host does here): they copy through main.

test('Copy puts the value on the clipboard through main; the page itself is refused the clipboard', async ({ page, server }) => {
  const deps = createTestDeps();
  await openApp(page, server.url, createHandlers(deps));
  // The browser clipboard is refused to the page, as Electron's deny-all permission handler does.
  const direct = await page.evaluate(() => navigator.clipboard.writeText('from the page').then(() => 'written', (e: Error) => e.name));
  expect(direct).toBe('NotAllowedError');

  await startConnection(page, 'odoo', { inputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'reception@fabrikam.com', name: 'Fabrikam Odoo' });
  await next(page);
  await expectScreen(page, 'register');
  const manual = page.getByRole('radio', { name: /do it in the portal/ });
  if (await manual.count()) await manual.check();
  const copy = page.getByRole('button', { name: 'Copy Redirect URI (Web)' }).first();
  await copy.click();
  await expect(page.getByTestId('announcer')).toHaveText('Redirect URI (Web) copied');
  expect(await deps.clipboard.readText()).toBe('https://erp.fabrikam.com/microsoft_outlook/confirm');
});
