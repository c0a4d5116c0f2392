import { expect, test } from './host/fixtures';
import { createHandlers } from '../../electron/ipc/handlers';
import { targets } from '../../shared/catalogue';
import { createTestDeps } from './host/appDeps';
import { DEMO } from './host/journey';
import { openApp } from './host/testHost';
import { collectErrors, expectAccessible, expectScreen, shoot } from './host/wizard';

// Issue 12 item 4 (+ the Start screen's expiry notice of item 3): "My system still sends with a
// password", opened from Start, with a saved app-only connection that proves OAuth by sending one
// message to the emulator's mailbox. Screenshots: basic-auth-*.png.
test.describe.configure({ timeout: 180_000 });

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const MAILBOX = 'info@fabrikam.com';

test('Basic-auth path: timeline, the 5.7.30 line, every catalogue system can move, one OAuth message proves it', async ({ page, emu, server }) => {
  const deps = createTestDeps({ extraCaPem: [emu.caPem] });
  const handlers = createHandlers(deps);
  const id = 'fabrikam-daemon-k12e2e';
  await handlers['profiles:save']({
    id,
    profile: {
      name: 'Fabrikam daemon',
      target: 'app-only-imap-smtp',
      tenant: DEMO.tenant,
      clientId: DEMO.daemon,
      clientSecret: { source: 'ask' },
      secretExpires: day(12),
      mailbox: MAILBOX,
      flow: 'app-only',
      api: 'imap-smtp',
      endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
    },
    wizard: { step: 'done', ticks: [] },
    updatedAt: new Date().toISOString(),
  } as never);
  await handlers['secrets:set']({ profileId: id, value: DEMO.daemonSecret });
  const errors = collectErrors(page);
  const app = await openApp(page, server.url, handlers);

  // Start: the connection expiring within 30 days is listed, and the way into the Basic-auth path.
  await expectScreen(page, 'start');
  await expect(page.getByTestId('expiring-connection')).toHaveText('Fabrikam daemon: the secret expires in 12 days');
  await expect(page.getByTestId('basic-auth-entry')).toContainText('Does a system still send mail with a password?');
  await expectAccessible(page, 'start with notices');
  await shoot(page, 'basic-auth-01-start');

  await page.getByRole('button', { name: 'My system still sends with a password' }).click();
  await expectScreen(page, 'basic-auth');
  await expect(page.getByTestId('basic-auth-timeline')).toContainText('End of December 2026: SMTP AUTH with Basic authentication (a password) is disabled by default for existing tenants. Administrators can still turn it back on');
  await expect(page.getByTestId('basic-auth-timeline')).toContainText('Second half of 2027');
  await expect(page.getByTestId('basic-auth-rejection')).toHaveText('550 5.7.30 Basic authentication is not supported for Client Submission.');
  // From the catalogue, not a second list: one card per catalogue system, with its own steps.
  await expect(page.getByTestId('basic-auth-move')).toHaveCount(targets.length);
  await expect(page.locator('[data-testid="basic-auth-move"][data-target="odoo"]')).toContainText('Give Odoo the app\'s ID and secret');
  await expect(page.locator('[data-testid="basic-auth-move"][data-target="cxt"]')).toContainText('over Microsoft Graph instead of SMTP');
  await expectAccessible(page, 'basic-auth');
  await shoot(page, 'basic-auth-02-path');

  // The proof: one message sent with the OAuth configuration, seen arriving in the emulator's mailbox.
  const before = emu.admin.messages(MAILBOX).length;
  await page.getByRole('button', { name: 'Send one test message with OAuth for Fabrikam daemon' }).click();
  await expect(page.getByTestId('basic-auth-proved')).toContainText(`Sent with OAuth to ${MAILBOX}`, { timeout: 60_000 });
  expect(emu.admin.messages(MAILBOX).length).toBe(before + 1);
  await expectAccessible(page, 'basic-auth proved');
  await shoot(page, 'basic-auth-03-proved');

  // When OAuth SMTP is refused too (SMTP AUTH off for the tenant), the diagnosis and its fix are shown.
  emu.admin.setFault('smtpAuthDisabled', { tenant: true, mailboxes: [] });
  try {
    await page.getByRole('button', { name: 'Send one test message with OAuth for Fabrikam daemon' }).click();
    await expect(page.locator('[data-testid="diagnosis"][data-code="smtp-auth-disabled-tenant"]')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('basic-auth-proved')).toHaveCount(0);
    await shoot(page, 'basic-auth-04-refused');
  } finally {
    emu.admin.setFault('smtpAuthDisabled', { tenant: false, mailboxes: [] });
  }

  // Moving a system starts a connection with that system chosen.
  await page.getByRole('button', { name: 'Move Odoo to OAuth' }).click();
  await expectScreen(page, 'system');
  await expect(page.locator('[data-target="odoo"]')).toHaveAttribute('aria-pressed', 'true');

  // No secret on any screen or in the host's log.
  expect(await page.content()).not.toContain(DEMO.daemonSecret);
  expect(app.logs.join('\n')).not.toContain(DEMO.daemonSecret);
  expect(errors).toEqual([]);
});

test('with no saved connection the Basic-auth page is reachable from Start, and says how to begin', async ({ page, emu, server }) => {
  const deps = createTestDeps({ extraCaPem: [emu.caPem] });
  const errors = collectErrors(page);
  await openApp(page, server.url, createHandlers(deps));
  await expectScreen(page, 'start');
  expect(deps.store.list()).toEqual([]);
  await page.getByRole('button', { name: 'My system still sends with a password' }).click();
  await expectScreen(page, 'basic-auth');
  await expect(page.getByTestId('basic-auth-timeline')).toBeVisible();
  await expect(page.getByTestId('basic-auth-connection')).toHaveCount(0);
  await expectAccessible(page, 'basic-auth with no saved connection');
  await shoot(page, 'basic-auth-00-no-connections');
  expect(errors).toEqual([]);
});
