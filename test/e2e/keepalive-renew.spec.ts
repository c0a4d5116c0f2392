import { expect, test } from './host/fixtures';
import { secretKey } from '../../electron/ipc/handlers';
import { pendingSecretKey } from '../../electron/engine/keepalive/renew';
import { checkStatuses, DEMO, screen } from './host/journey';
import { allPassedFor } from './host/statuses';
import { adminSignsIn, signInWithMfa } from './host/register';
import { hostRegistration, toRegister } from './host/registerJourney';
import { openApp } from './host/testHost';
import path from 'node:path';
import { expectScreen, screenshotDir } from './host/wizard';

// Issue 12 item 2, in the app: Renew secret on the Done screen, against the emulator's Graph directory
// and mail servers. The new secret is proved with the connection's own checks (here the mailbox's saved
// sign-in refreshed with the new secret), a failed proof leaves both secrets valid and the old one
// current, the window closing loses nothing, the resumed renewal adds no third secret, and the old one
// is removed only after the person confirms the system has the new one.
test.describe.configure({ timeout: 180_000 });

test('Renew secret: a failed proof keeps the old one current, resumed after the window closed, then the old one removed only once confirmed', async ({ page, browser, emu, server }) => {
  const h = await hostRegistration(page, browser, emu, server.url);
  await toRegister(page, emu, 'odoo', { baseUrl: 'https://erp-renew.fabrikam.com' }, DEMO.reception.upn);
  await page.getByRole('button', { name: 'Sign in as an administrator and create it' }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByTestId('create-success')).toBeVisible({ timeout: 90_000 });
  // Creation filled the credentials: the assistant goes on to the mailbox sign-in by itself, the test runs,
  // and all green goes on to the export (issue 19).
  await expectScreen(page, 'signin');
  await signInWithMfa(await h.auth.nextWindow(), emu, DEMO.reception.upn, DEMO.reception.password);
  expect(await checkStatuses(page)).toEqual(allPassedFor('odoo'));
  await expectScreen(page, 'done');

  const id = h.deps.store.list()[0]!.id;
  const appId = h.deps.store.list()[0]!.profile.clientId!;
  const app = () => emu.scenario.apps.find((a) => a.clientId === appId)!;
  const oldValue = (await h.deps.secrets.get(secretKey(id)))!;
  const oldKeyId = h.deps.store.list()[0]!.profile.secretId!;
  expect(app().secrets.map((s) => s.value)).toEqual([oldValue]);

  // 1. The proof fails (SMTP AUTH turned off for the mailbox meanwhile): the new secret exists, the old one stays current.
  await emu.admin.setFault('smtpAuthDisabled', { tenant: false, mailboxes: [DEMO.reception.upn] });
  const renew = page.getByTestId('renew-secret');
  await expect(renew).toHaveAttribute('data-renewal', 'none');
  await renew.getByRole('button', { name: 'Renew secret' }).click();
  await expect(renew.getByTestId('renew-not-proved')).toBeVisible({ timeout: 90_000 });
  await expect(renew.locator('[data-testid="diagnosis"][data-code="rotation-not-proved"]')).toBeVisible();
  await expect(renew.locator('[data-testid="diagnosis"][data-code="smtp-auth-disabled-mailbox"], [data-testid="diagnosis"][data-code^="smtp-"]').first()).toBeVisible();
  await screen(page, 'keepalive', 'renew-not-proved');
  await renew.screenshot({ path: path.join(screenshotDir, 'keepalive-renew-not-proved-card.png') });
  expect(app().secrets.length).toBe(2);
  expect(await h.deps.secrets.get(secretKey(id))).toBe(oldValue);
  const newValue = (await h.deps.secrets.get(pendingSecretKey(secretKey(id))))!;
  expect(newValue).toBeTruthy();
  expect(newValue).not.toBe(oldValue);
  expect(h.deps.store.list()[0]!.profile.rotation).toMatchObject({ phase: 'added', current: 'old', old: { keyId: oldKeyId } });

  // 2. The window closes; the renewal is read back from the saved connection and resumed: no third secret.
  await page.close();
  await emu.admin.clearFaults();
  const page2 = await (await browser.newContext()).newPage();
  const app2 = await openApp(page2, server.url, h.handlers);
  h.deps.connectEmit((event, payload) => void app2.emit(event, payload).catch(() => {}));
  await page2.getByRole('button', { name: /^Open: / }).click();
  await expectScreen(page2, 'done');
  const renew2 = page2.getByTestId('renew-secret');
  await expect(renew2).toHaveAttribute('data-renewal', 'added');
  await renew2.getByRole('button', { name: 'Prove the new secret again' }).click();
  await expect(renew2.getByTestId('renew-proved')).toBeVisible({ timeout: 90_000 });
  expect(app().secrets.length).toBe(2);
  expect(h.deps.store.list()[0]!.profile.rotation).toMatchObject({ phase: 'proved', current: 'old' });

  // 3. The new Value goes to the clipboard from main, after its confirmation; never onto the page.
  await renew2.getByTestId('renew-copy').click();
  await expect(renew2.getByTestId('renew-copy')).toHaveText('New secret copied');
  expect(await h.deps.clipboard.readText()).toBe(newValue);
  expect(h.deps.confirmations.at(-1)?.title).toBe('Copy the new client secret?');
  const remove = renew2.getByRole('button', { name: 'Remove the old secret' });
  await expect(remove).toBeDisabled();
  await screen(page2, 'keepalive', 'renew-proved');
  await renew2.screenshot({ path: path.join(screenshotDir, 'keepalive-renew-proved-card.png') });

  // 4. Confirmed: the old secret is removed (read back), the new one is current everywhere.
  await renew2.getByRole('checkbox', { name: /Odoo now uses the new secret/ }).check();
  await remove.click();
  await expect(renew2.getByTestId('renew-finished')).toBeVisible({ timeout: 60_000 });
  await expect(renew2.getByTestId('renew-finished')).toContainText(`The old secret (ID ${oldKeyId}) was removed`);
  await screen(page2, 'keepalive', 'renew-finished');
  await renew2.screenshot({ path: path.join(screenshotDir, 'keepalive-renew-finished-card.png') });
  expect(app().secrets.map((s) => s.value)).toEqual([newValue]);
  expect(await h.deps.secrets.get(secretKey(id))).toBe(newValue);
  expect(await h.deps.secrets.get(pendingSecretKey(secretKey(id)))).toBeUndefined();
  const saved = h.deps.store.list()[0]!;
  expect(saved.profile.rotation).toBeUndefined();
  expect(saved.profile.secretId).not.toBe(oldKeyId);
  expect(app().secrets[0]!.id).toBe(saved.profile.secretId);

  // 5. The connection's checks pass with the new secret alone.
  await page2.getByRole('button', { name: 'Back', exact: true }).click();
  expect(await checkStatuses(page2)).toEqual(allPassedFor('odoo'));

  // Neither Value reached the page, an answer, an event or the console.
  const html = await page2.content();
  for (const text of [html, ...h.seen, ...h.errors]) {
    expect(text.includes(newValue), 'the new secret reached the renderer').toBe(false);
    expect(text.includes(oldValue), 'the old secret reached the renderer').toBe(false);
  }
  expect(h.errors).toEqual([]);
});
