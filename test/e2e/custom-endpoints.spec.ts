import { expect, test } from '@playwright/test';
import { createHandlers } from '../../electron/ipc/handlers';
import { createTestDeps } from './host/appDeps';
import { openApp, serveRenderer } from './host/testHost';
import { expectAccessible, expectScreen, shoot, startConnection } from './host/wizard';

// Finding 3 (issue 13): servers other than Microsoft's are an app setting that main turns on only
// after its own confirmation; the Details screen shows what main decided.
let server: Awaited<ReturnType<typeof serveRenderer>>;
test.beforeAll(async () => {
  server = await serveRenderer();
});
test.afterAll(async () => server?.close());

for (const answer of [false, true]) {
  test(`the "other servers" switch follows main's confirmation (answered ${answer ? 'yes' : 'no'})`, async ({ page }) => {
    const deps = createTestDeps({ customEndpoints: false, confirm: answer });
    await openApp(page, server.url, createHandlers(deps));
    await startConnection(page, 'odoo', { inputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'reception@fabrikam.com', name: 'Fabrikam Odoo' });
    await expectScreen(page, 'details');
    await page.getByRole('button', { name: /^Advanced: other servers/ }).click();
    const toggle = page.getByRole('switch', { name: /Allow servers other than Microsoft/ });
    await expect(toggle).not.toBeChecked();
    await toggle.click();
    await expect.poll(() => deps.confirmations.length).toBe(1);
    if (answer) await expect(toggle).toBeChecked();
    else await expect(toggle).not.toBeChecked();
    expect(deps.settings.get().customEndpoints).toBe(answer);
    if (answer) {
      await expectAccessible(page, 'details advanced');
      await shoot(page, 'details-custom-endpoints');
    }
  });
}
