import { expect, test } from './host/fixtures';
import { createHandlers } from '../../electron/ipc/handlers';
import { dispatch } from '../../electron/ipc/dispatch';
import { createTestDeps } from './host/appDeps';
import { openApp } from './host/testHost';


test('the welcome page shows what the app does and the version answered by app:getInfo', async ({ page, server }) => {
  const handlers = createHandlers(
    createTestDeps({ appInfo: () => ({ name: 'Mail OAuth Assistant', version: '9.8.7-e2e', electron: null, chrome: null, node: process.versions.node, platform: 'test' }) }),
  );
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });

  await openApp(page, server.url, handlers);

  await expect(page.getByRole('heading', { name: 'Connect your system to Microsoft 365 mail' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Wizard steps' })).toContainText('Register in Microsoft Entra');
  // Crossed renderer -> contract -> handler -> back: the version comes from the handler above.
  await expect(page.getByTestId('app-version')).toHaveText('Version 9.8.7-e2e');
  await expect(page.getByRole('button', { name: 'Get started' })).toBeEnabled();
  await page.screenshot({ path: 'test/artifacts/screenshots/01-welcome.png', fullPage: true });
  expect(errors, 'no console errors or CSP violations').toEqual([]);
});

test('a malformed payload at the IPC boundary answers invalid-request and logs no value', async ({ page, server }) => {
  const handlers = createHandlers(createTestDeps());
  const host = await openApp(page, server.url, handlers);
  const secretLike = 'Zx8Q~not-a-url-but-a-secret-value-1234567890';
  const result = await page.evaluate((value) => window.mailOAuth.app.openExternal({ url: value, extra: 1 } as never), secretLike);
  expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  expect(JSON.stringify(result)).not.toContain(secretLike);
  expect(host.logs.join('\n')).toContain('invalid request on app:openExternal');
  expect(host.logs.join('\n')).not.toContain(secretLike);
});

test('deleting a connection says what remains in Entra and in the target, and how to remove it', async ({ page, server }) => {
  const deps = createTestDeps();
  const handlers = createHandlers(deps);
  const appId = '9988b778-6a10-4da9-a850-60fd1db85482';
  const r = await dispatch(handlers, 'profiles:save', {
    id: 'odoo-remains01',
    profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'reception@fabrikam.com', clientId: appId },
    wizard: { step: 'done', ticks: [] },
  });
  expect(r.ok).toBe(true);
  const saved = deps.store.get('odoo-remains01')!;
  deps.store.save({ ...saved, registration: { method: 'checked', state: 'complete', appId, displayName: 'Odoo mail' }, targetConnection: { kind: 'odoo', url: 'https://erp.fabrikam.com', lastPush: { at: '2026-12-01T10:00:00Z', status: 'configured' } } });
  await openApp(page, server.url, handlers);
  const card = page.getByTestId('saved-profile');
  await card.getByRole('button', { name: 'Delete Fabrikam Odoo' }).click();
  // Not created by the assistant: no offer to remove it from Entra.
  await expect(card.getByRole('button', { name: 'Remove its registration too' })).toHaveCount(0);
  await card.getByRole('button', { name: 'Yes, delete Fabrikam Odoo' }).click();
  const bar = page.getByTestId('deleted-remains');
  await expect(bar).toContainText('Deleted “Fabrikam Odoo” from this computer; this remains');
  await expect(bar).toContainText(`az ad app delete --id ${appId}`);
  await expect(bar).toContainText('Odoo at https://erp.fabrikam.com keeps what was put in it');
  expect(deps.store.list()).toHaveLength(0);
  await page.screenshot({ path: 'test/artifacts/screenshots/start-deleted-remains.png', fullPage: true });
});
