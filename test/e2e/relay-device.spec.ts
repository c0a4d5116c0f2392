import { expect, test } from './host/fixtures';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { secretKey } from '../../electron/ipc/handlers';
import { loadRelayConfig, openRelayRefusal, verifyPassword } from '../../electron/engine/relay/config';
import type { ScenarioInput } from '../emulator/scenario';
import { checkStatuses, DEMO, useEmulatorServers } from './host/journey';
import { ADMIN, adminSignsIn, signInWithMfa } from './host/register';
import { hostRegistration } from './host/registerJourney';
import { repoRoot } from './host/testHost';
import { expectAccessible, expectScreen, next, screenshotDir } from './host/wizard';

// Issue 22, item 5: "A device or program that cannot use OAuth (scanner, printer, older software)".
// Create it for me makes the send-only app-only registration (Exchange's RBAC for Applications route,
// scoped to the mailbox), the test proves app-only SMTP against the emulator, and the last screen writes
// the relay's settings through main and shows the device's settings card once.
const TENANT = DEMO.tenant;
/** Sign-in log rows (Entra, legacy clients): a scanner with SMTP AUTH, Odoo with IMAP, an old one left out. */
const SIGN_INS: NonNullable<ScenarioInput['signIns']> = [
  { userPrincipalName: 'scanner@fabrikam.com', tenantId: TENANT, appDisplayName: 'Authenticated SMTP', clientAppUsed: 'Authenticated SMTP', ipAddress: '192.0.2.10', daysAgo: 2, count: 3 },
  { userPrincipalName: 'odoo@fabrikam.com', tenantId: TENANT, appDisplayName: 'Office 365 Exchange Online', clientAppUsed: 'IMAP4', ipAddress: '198.51.100.7', daysAgo: 4, count: 2 },
  { userPrincipalName: 'printer@fabrikam.com', tenantId: TENANT, appDisplayName: 'Authenticated SMTP', clientAppUsed: 'POP3', ipAddress: '192.0.2.99', daysAgo: 45 },
];
const demo = JSON.parse(readFileSync(path.join(repoRoot, 'test/emulator/scenarios/demo.json'), 'utf8')) as ScenarioInput;
test.use({ scenario: { ...demo, name: 'relay-device', signIns: SIGN_INS } });
test.describe.configure({ timeout: 300_000 });

/** The built CLI (`npm run build`), rebuilt here when a source it bundles is newer (as the CLI tests do). */
const CLI = path.join(repoRoot, 'dist/cli/mail-oauth.cjs');
async function builtCli(): Promise<string> {
  const newest = Math.max(...['electron/cli', 'electron/engine', 'shared'].flatMap((d) => readdirSync(path.join(repoRoot, d), { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => statSync(path.join(repoRoot, d, f)).mtimeMs)));
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newest) await new Promise<void>((resolve, reject) => execFile(process.execPath, ['scripts/build-node.mjs'], { cwd: repoRoot }, (e) => (e ? reject(e) : resolve())));
  return CLI;
}

/**
 * `mail-oauth relay <profile> --config <relay.json>` exactly as the app wrote and showed it, run by the
 * built CLI; the service's environment gives the secret (MAIL_OAUTH_RELAY_SECRET, as the app says), lets
 * the profile's emulator servers through, and trusts the emulator's CA (as a computer trusts Microsoft's).
 */
async function runWrittenRelay(profileFile: string, configFile: string, env: Record<string, string>): Promise<{ child: ChildProcess; ports: { submission: number; implicitTls?: number }; logs: () => string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [await builtCli(), 'relay', profileFile, '--config', configFile], {
    env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(path.join(tmpdir(), 'relay-e2e-home-')), MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ports = await new Promise<{ submission: number; implicitTls?: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relay did not start:\n${stderr}`)), 60_000);
    void exited.then(() => reject(new Error(`the relay exited:\n${stderr}`)));
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(stdout.split('\n')[0]!) as { submission: number; implicitTls?: number });
      }
    });
  });
  return {
    child,
    ports,
    logs: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** swaks (Debian), the plain client a scanner stands for: STARTTLS, AUTH LOGIN. */
function swaks(port: number, o: { user: string; password: string; from: string; messageId: string }): Promise<{ code: number; out: string }> {
  const args = ['--server', `127.0.0.1:${port}`, '--from', o.from, '--to', o.from, '--helo', 'copier.local', '--timeout', '60', '--tls', '--auth', 'LOGIN', '--auth-user', o.user, '--auth-password', o.password, '--header', 'Subject: Scan from the copier', '--header', `Message-Id: ${o.messageId}`, '--body', 'Scanned document.'];
  return new Promise((resolve) => execFile('swaks', args, { timeout: 90_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, out: `${stdout}${stderr}` })));
}

test('relay-device: Create it for me, green SMTP test, then the relay settings written and the device card shown once', async ({ page, browser, emu, server }) => {
  const h = await hostRegistration(page, browser, emu, server.url);
  const mailbox = DEMO.reception.upn;

  await page.getByRole('button', { name: /^(Get started|New connection)$/ }).click();
  await expectScreen(page, 'system');
  await page.locator('[data-target="relay-device"]').click();
  await next(page);
  await expectScreen(page, 'details');
  await page.locator('[data-input="deviceName"]').fill('copier-2nd-floor');
  await page.getByLabel('The mailbox it sends and reads as').fill(mailbox);
  // Send only unless reading over POP is chosen (that choice adds POP.AccessAsApp to the registration)
  await expect(page.getByRole('radio', { name: 'No, it only sends' })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'Yes, it also reads this mailbox over POP' })).not.toBeChecked();
  await page.screenshot({ path: path.join(screenshotDir, 'relay-device-details.png'), fullPage: true });
  await useEmulatorServers(page, emu);
  await next(page);

  await expectScreen(page, 'register');
  await expect(page.getByRole('radio', { name: /Create it for me/ })).toBeChecked();
  const plan = await page.getByTestId('plan').innerText();
  // Send only, scoped in Exchange: no tenant-wide SMTP.SendAsApp consent in the plan.
  expect(plan).not.toMatch(/SMTP\.SendAsApp/);
  await page.getByRole('button', { name: 'Sign in as an administrator and create it' }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByTestId('create-success')).toBeVisible({ timeout: 90_000 });

  const saved = h.deps.store.list()[0]!;
  const appId = saved.profile.clientId!;
  const created = emu.scenario.apps.find((x) => x.clientId === appId)!;
  expect(created, 'the directory holds the created app').toBeTruthy();
  expect(created.applicationPermissions ?? [], 'no Entra SMTP.SendAsApp: the RBAC route').toEqual([]);
  const secret = (await h.deps.secrets.get(secretKey(saved.id)))!;
  expect(secret).toBeTruthy();

  // The Exchange administrator runs the two commands the checklist shows (New-ServicePrincipal,
  // New-ManagementScope + New-ManagementRoleAssignment 'Application SMTP.SendAsApp'): the emulator's stand-ins.
  emu.admin.exchangeRegisterServicePrincipal({ appId, objectId: created.servicePrincipalId });
  emu.admin.exchangeAssignSmtpRole({ app: appId, mailboxes: [mailbox] });

  await page.getByRole('button', { name: 'Go to the test' }).click();
  const statuses = await checkStatuses(page);
  expect(statuses, await page.locator('[data-screen="test"]').innerText()).toEqual({ network: 'passed', token: 'passed', smtp: 'passed' });
  await next(page);
  await expectScreen(page, 'done');
  await expect(page.getByTestId('done-broken')).toHaveCount(0);

  // The catalogue's card before the relay is written: the password is a placeholder, the server unknown.
  await expect(page.getByTestId('paste-section').first()).toContainText('made when the relay settings are written');

  await page.getByTestId('relay-setup').getByRole('button', { name: 'Write the relay settings' }).click();
  const card = page.getByTestId('relay-device-card');
  await expect(card).toBeVisible({ timeout: 30_000 });
  const field = async (label: string) => (await card.locator(`tr[data-field="${label}"] td > span`).first().innerText()).trim();
  expect(await field('User name')).toBe('copier-2nd-floor');
  expect(await field('Port')).toBe('2525');
  expect(await field('Encryption')).toBe('STARTTLS (required)');
  expect(await field('Sender (From) address')).toBe(mailbox);
  const password = await field('Password');
  expect(password).toMatch(/^[A-Za-z2-9]{20}$/);
  await expectAccessible(page, 'relay device card');
  // The card as it is printed or handed over (the element, not the whole screen).
  await card.scrollIntoViewIfNeeded();
  // The generated password is masked in the committed image (no secret in screenshots); the test read it above.
  await card.screenshot({ path: path.join(screenshotDir, 'relay-device-card.png'), mask: [card.locator('tr[data-field="Password"] td > span').first()] });

  // What main wrote: the relay would start (TLS and a password required on the network listener), the
  // password only as its scrypt hash, the Microsoft secret nowhere in the files.
  const folder = `${h.deps.relayDir}/${saved.id}`;
  const configFile = `${folder}/profile.relay.json`;
  const profileFile = `${folder}/profile.json`;
  expect(existsSync(configFile) && existsSync(profileFile)).toBe(true);
  const config = loadRelayConfig(configFile);
  expect(openRelayRefusal(config)).toBeNull();
  expect(config.listen).toMatchObject({ host: '0.0.0.0', port: 2525 });
  expect(config.tls.required).toBe(true);
  const device = config.devices.find((d) => d.name === 'copier-2nd-floor')!;
  expect(device.senders).toEqual([mailbox]);
  expect(await verifyPassword(password, device.passwordHash!)).toBe(true);
  for (const f of [configFile, profileFile]) {
    const text = readFileSync(f, 'utf8');
    expect(text).not.toContain(password);
    expect(text).not.toContain(secret);
  }
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as { clientId: string; clientSecret: unknown; target: string };
  expect(profile).toMatchObject({ clientId: appId, target: 'relay-device', clientSecret: { source: 'env', name: 'MAIL_OAUTH_RELAY_SECRET' } });

  // Written again: a new password; the old one no longer matches.
  await page.getByTestId('relay-setup').getByRole('button', { name: 'Write again with a new password' }).click();
  await expect(page.getByTestId('relay-run')).toContainText('its old password no longer works');
  const second = await field('Password');
  expect(second).not.toBe(password);
  const again = loadRelayConfig(configFile).devices.filter((d) => d.name === 'copier-2nd-floor');
  expect(again).toHaveLength(1);
  expect(await verifyPassword(password, again[0]!.passwordHash!)).toBe(false);

  // The written files work: the built CLI starts the relay from them as the app showed it (the command
  // on the screen names these two files), and a plain client sends through it to the emulator's XOAUTH2
  // SMTP as the app-only registration the wizard created. The old password is refused.
  await expect(page.getByTestId('relay-run')).toContainText(`"${profileFile}" --config "${configFile}"`);
  const relay = await runWrittenRelay(profileFile, configFile, { MAIL_OAUTH_RELAY_SECRET: secret, NODE_EXTRA_CA_CERTS: emu.caPath });
  try {
    expect(relay.ports.submission).toBe(2525);
    const messageId = `<relay-e2e-${Date.now()}@copier.local>`;
    const sent = await swaks(relay.ports.submission, { user: 'copier-2nd-floor', password: second, from: mailbox, messageId });
    expect(sent.code, sent.out).toBe(0);
    expect(sent.out).toMatch(/250 2\.0\.0 Queued as /);
    await expect.poll(() => emu.admin.messages(mailbox).filter((m) => m.messageId === messageId).length, { timeout: 60_000, message: relay.logs() }).toBe(1);
    const old = await swaks(relay.ports.submission, { user: 'copier-2nd-floor', password, from: mailbox, messageId: `<relay-e2e-old-${Date.now()}@copier.local>` });
    expect(old.code).not.toBe(0);
    expect(old.out).toMatch(/535 5\.7\.8/);
    expect(relay.logs()).toContain('"event":"delivered"');
    for (const s of [secret, second, password]) expect(relay.logs()).not.toContain(s);
  } finally {
    await relay.stop();
  }

  // Who still signs in with a password (issue 22, item 6): the administrator signs in again, read only.
  const inventory = page.getByTestId('inventory');
  await inventory.getByRole('button', { name: 'Find who still signs in with a password' }).click();
  await adminSignsIn(h.auth, emu);
  const list = inventory.getByTestId('inventory-list');
  await expect(list).toBeVisible({ timeout: 60_000 });
  await expect(list.locator('tbody tr')).toHaveCount(2);
  await expect(list.locator('tr[data-account="scanner@fabrikam.com"]')).toHaveAttribute('data-path', 'relay');
  await expect(list.locator('tr[data-account="scanner@fabrikam.com"]')).toContainText('192.0.2.10');
  await expect(list.locator('tr[data-account="odoo@fabrikam.com"]')).toHaveAttribute('data-path', 'wizard');
  await expect(list).not.toContainText('printer@fabrikam.com'); // older than 30 days
  await expectAccessible(page, 'relay inventory');
  await inventory.scrollIntoViewIfNeeded();
  await inventory.screenshot({ path: path.join(screenshotDir, 'relay-inventory.png') });

  // The Microsoft secret never reached the renderer, an answer or an event.
  const html = await page.content();
  for (const text of [html, ...h.seen, ...h.errors]) expect(text.includes(secret), 'the secret reached the renderer').toBe(false);
  expect(h.errors).toEqual([]);
});

test('Start: "Who still signs in with a password?" without a saved connection', async ({ page, browser, emu, server }) => {
  const h = await hostRegistration(page, browser, emu, server.url);
  const entry = page.getByTestId('basic-auth-entry');
  await expect(entry.getByTestId('start-inventory')).toBeVisible();
  await entry.screenshot({ path: path.join(screenshotDir, 'start-inventory-entry.png') });
  await page.getByTestId('start-inventory').click();
  await expect(page.locator('[data-screen="inventory-start"]')).toBeVisible();
  const find = page.getByRole('button', { name: 'Find who still signs in with a password' });
  await expect(find).toBeDisabled(); // nothing to read before the organisation is named
  await page.locator('[data-input="inventory-tenant"]').fill(TENANT);
  await page.getByRole('button', { name: /^Advanced: other servers/ }).click();
  await page.locator('[data-endpoint="signInHost"]').fill(emu.loginHost);
  await page.locator('[data-endpoint="graphUrl"]').fill(emu.graphUrl);
  await find.click();
  // The administrator's sign-in window names the organisation (there is no mailbox to warn about).
  const win = await h.auth.nextWindow();
  expect(h.auth.headers.at(-1)).toBe(`Sign in as an administrator of ${TENANT} to read the sign-in logs`);
  await signInWithMfa(win, emu, ADMIN.upn, ADMIN.password);
  const list = page.getByTestId('inventory-list');
  await expect(list).toBeVisible({ timeout: 60_000 });
  await expect(list.locator('tbody tr')).toHaveCount(2);
  await expect(list.locator('tr[data-account="scanner@fabrikam.com"]')).toHaveAttribute('data-path', 'relay');
  await expect(list.locator('tr[data-account="odoo@fabrikam.com"]')).toHaveAttribute('data-path', 'wizard');
  expect(h.deps.store.list(), 'nothing was saved').toEqual([]);
  await expectAccessible(page, 'inventory from the start screen');
  await page.screenshot({ path: path.join(screenshotDir, 'start-inventory.png'), fullPage: true });
  expect(h.errors).toEqual([]);
});
