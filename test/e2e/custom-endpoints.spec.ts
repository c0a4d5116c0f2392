import { expect, test } from './host/fixtures';
import { createHandlers } from '../../electron/ipc/handlers';
import { createTestDeps } from './host/appDeps';
import { openApp } from './host/testHost';
import path from 'node:path';
import { makeCertSet } from '../emulator/certs';
import { expectAccessible, expectScreen, screenshotDir, shoot, startConnection } from './host/wizard';

// Finding 3 (issue 13): servers other than Microsoft's are an app setting that main turns on only
// after its own confirmation; the Details screen shows what main decided.

for (const answer of [false, true]) {
  test(`the "other servers" switch follows main's confirmation (answered ${answer ? 'yes' : 'no'})`, async ({ page, server }) => {
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

test('a TLS-inspecting proxy\'s CA: pasted as PEM, refused with main\'s reason when it is not one, trusted only after main\'s confirmation, and removable', async ({ page, server }) => {
  const deps = createTestDeps({ customEndpoints: false });
  await openApp(page, server.url, createHandlers(deps));
  await startConnection(page, 'odoo', { inputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'reception@fabrikam.com', name: 'Fabrikam Odoo' });
  await page.getByRole('button', { name: /^Advanced: other servers/ }).click();
  const box = page.getByRole('textbox', { name: /CA certificate, for a TLS-inspecting proxy/ });
  const count = page.getByTestId('ca-certs-count');
  await expect(count).toContainText('None trusted');

  // A file path is not a certificate: main refuses it with its own words, nothing is asked or stored.
  await box.fill('/etc/ssl/certs/proxy-ca.pem');
  await page.getByRole('button', { name: 'Trust these certificates…' }).click();
  await expect(page.locator('[data-setting="ca-certs"]').getByRole('alert')).toContainText('must be pasted as PEM text');
  expect(deps.confirmations).toHaveLength(0);
  expect(deps.settings.get().caCerts).toEqual([]);

  const { caPem } = await makeCertSet('Fabrikam TLS inspection CA');
  await box.fill(`Issued by the network team:\n${caPem}`);
  await page.getByRole('button', { name: 'Trust these certificates…' }).click();
  await expect(count).toContainText('1 extra CA certificate is trusted');
  expect(deps.confirmations.at(-1)?.title).toBe('Trust these certificates?');
  expect(deps.settings.get().caCerts).toEqual([caPem.trim()]);
  await expect(box).toHaveValue('');
  await expectAccessible(page, 'details ca certs');
  await page.locator('[data-setting="ca-certs"]').screenshot({ path: path.join(screenshotDir, 'details-ca-certs.png') });

  await page.getByRole('button', { name: 'Stop trusting them' }).click();
  await expect(count).toContainText('None trusted');
  expect(deps.settings.get().caCerts).toEqual([]);
});
