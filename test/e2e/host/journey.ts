import { expect, type Page } from '@playwright/test';
import type { Emulator } from '../../emulator/index';
import { expectAccessible, expectScreen, next, shoot } from './wizard';

/** The demo scenario's values (test/emulator/scenarios/demo.json). */
export const DEMO = {
  tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01',
  web: '11111111-2222-4333-8444-000000000001',
  webSecret: 'Erp~Secret.Value_0123456789abcdefGHIJ',
  webSecretId: '5a6b7c8d-0001-4e2f-9a3b-000000000051',
  daemon: '11111111-2222-4333-8444-000000000003',
  daemonSecret: 'Daemon~Secret.Value_abcdefghijKLMNOP01',
  daemonSecretId: '5a6b7c8d-0003-4e2f-9a3b-000000000053',
  reception: { upn: 'reception@fabrikam.com', password: 'Reception-Pass-1' },
  sales: { upn: 'sales@fabrikam.com', password: 'Sales-Pass-1' },
} as const;

/** Points the connection at the emulator through Details > Advanced (as a TLS-inspecting proxy or national cloud would be). */
export async function useEmulatorServers(page: Page, emu: Emulator, overrides: { imap?: string; smtp?: string } = {}): Promise<void> {
  await page.getByRole('button', { name: /^Advanced: other servers/ }).click();
  await page.locator('[data-endpoint="signInHost"]').fill(emu.loginHost);
  await page.locator('[data-endpoint="imap"]').fill(overrides.imap ?? `${emu.imap.host}:${emu.imap.port}`);
  await page.locator('[data-endpoint="smtp"]').fill(overrides.smtp ?? `${emu.smtp.host}:${emu.smtp.port}`);
  await page.locator('[data-endpoint="graphUrl"]').fill(emu.graphUrl);
}

export async function chooseAudience(page: Page, short: RegExp): Promise<void> {
  await page.getByRole('radio', { name: short }).check();
}

/** Screen 5: the IDs and the secret, then Next. */
export async function fillCredentials(page: Page, c: { clientId: string; tenant: string; secret: string; secretId?: string; expires?: string }): Promise<void> {
  await expectScreen(page, 'credentials');
  await page.getByLabel('Application (client) ID').fill(c.clientId);
  await page.getByLabel('Directory (tenant) ID').fill(c.tenant);
  await page.getByLabel('Client secret Value').fill(c.secret);
  if (c.secretId) await page.getByLabel('Secret ID').fill(c.secretId);
  if (c.expires) await page.getByLabel('Secret expires on').fill(c.expires);
}

/** Screen 7: waits for every check to settle and returns their statuses. */
export async function checkStatuses(page: Page, timeout = 60_000): Promise<Record<string, string>> {
  await expectScreen(page, 'test');
  await expect(page.locator('[data-check][data-status="running"], [data-check][data-status="waiting"]')).toHaveCount(0, { timeout });
  const rows = await page.locator('[data-check]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-check'), e.getAttribute('data-status')]));
  return Object.fromEntries(rows);
}

export async function screen(page: Page, prefix: string, name: string, axe = true): Promise<void> {
  if (axe) await expectAccessible(page, `${prefix} ${name}`);
  await shoot(page, `${prefix}-${name}`);
}

export { next };
