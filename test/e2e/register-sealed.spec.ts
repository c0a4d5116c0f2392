import { expect, test } from './host/fixtures';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO, screen } from './host/journey';
import { hostRegistration, toRegister } from './host/registerJourney';
import { openApp } from './host/testHost';
import { expectScreen, next } from './host/wizard';
import { secretKey } from '../../electron/ipc/handlers';

// Issue 19, safe by default: "Send the steps to my administrator" never asks for the client secret
// back by mail or chat. The script the person saves seals the new secret to this connection's key;
// the administrator sends the file back; the person opens it here and main keeps the secret.
// The Azure CLI script is RUN here by /bin/sh with real OpenSSL; `az` is a shell function that
// answers the demo tenant's ids and secret (no Azure, no network). pwsh is not installed on this
// machine, so the PowerShell script's sealing is covered by test/unit/electron/ipc/sealed-handoff.test.ts.
test.describe.configure({ timeout: 150_000 });

/** Runs the saved Azure CLI script as the administrator would (az stubbed, OpenSSL real) and returns the sealed file it wrote. */
function runAsAdministrator(script: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'moa-admin-'));
  const az = [
    'az() {',
    '  case "$1 $2 $3 $4" in',
    '    "ad app list"*) printf \'\\n\' ;;',
    `    "account show"*) printf '%s\\n' '${DEMO.tenant}' ;;`,
    '    "ad app credential reset") printf \'%s\\n\' "$DEMO_SECRET" ;;',
    `    "ad app credential list") printf '%s\\n' '${DEMO.webSecretId}' ;;`,
    `    "ad app show"*|"ad app create"*) printf '%s\\n' '${DEMO.web}' ;;`,
    "    *) printf '%s\\n' '11111111-2222-4333-8444-00000000abcd' ;;",
    '  esac',
    '}',
  ].join('\n');
  writeFileSync(path.join(dir, 'register.sh'), script.replace('#!/bin/sh\n', `#!/bin/sh\n${az}\n`));
  const out = execFileSync('sh', ['register.sh'], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DEMO_SECRET: DEMO.webSecret }, encoding: 'utf8' });
  expect(out).not.toContain(DEMO.webSecret);
  const file = path.join(dir, 'flexdeploy.sealed-secret.json');
  expect(existsSync(file)).toBe(true);
  return file;
}

test('send to my administrator: the script seals the secret, the file opens only here, the secret never reaches the page; a changed file is refused with a diagnosis', async ({ page, browser, emu, server }) => {
  const h = await hostRegistration(page, browser, emu, server.url);
  await toRegister(page, emu, 'flexdeploy', { baseUrl: 'https://deploy-sealed.fabrikam.com' });
  await page.getByRole('radio', { name: /Send the steps to my administrator/ }).check();
  await page.getByRole('radio', { name: /^Azure CLI/ }).check();
  // The script waits for this connection's sealing key pair (made in main): seconds on a loaded machine.
  await expect(page.getByTestId('admin-script')).toContainText('openssl pkeyutl -encrypt', { timeout: 30_000 });
  await expect(page.getByTestId('admin-script')).not.toContainText('Client secret Value (shown once');
  await expect(page.getByTestId('secret-stays')).toContainText('The secret never travels readable by mail or chat');
  await expect(page.getByTestId('send-to-admin')).toContainText('flexdeploy.sealed-secret.json');
  await expect(page.getByTestId('send-to-admin')).not.toContainText(/send back[^.]*secret/i);
  await screen(page, 'register', 'send-to-admin-sealed');
  await page.getByRole('button', { name: 'Save the script' }).click();
  await expect.poll(() => h.deps.savedFiles.length).toBe(1);
  // Start, in a second window on the same saved connections: the connection waits for the administrator's file.
  const other = await browser.newContext();
  const start = await other.newPage();
  await openApp(start, server.url, h.handlers);
  await expect(start.getByTestId('registration-badge')).toHaveAttribute('data-method', 'handoff');
  await expect(start.getByTestId('registration-badge')).toContainText('Waiting for your administrator since');
  await screen(start, 'start', 'waiting-for-administrator');
  await other.close();
  const sealed = runAsAdministrator(readFileSync(h.deps.savedFiles[0]!, 'utf8'));

  // A file changed on the way: refused, with its diagnosis card; nothing stored.
  const changed = JSON.parse(readFileSync(sealed, 'utf8')) as { ciphertext: string };
  const bytes = Buffer.from(changed.ciphertext, 'base64');
  bytes[42] = bytes[42]! ^ 0x80;
  const tampered = path.join(path.dirname(sealed), 'changed.sealed-secret.json');
  writeFileSync(tampered, JSON.stringify({ ...changed, ciphertext: bytes.toString('base64') }));
  h.deps.pickFiles.push(tampered);
  await page.getByRole('button', { name: 'Open the sealed file…' }).click();
  const card = page.locator('[data-testid="diagnosis"][data-code="registration-handoff-tampered"]');
  await expect(card).toBeVisible();
  await expect(card).toContainText('changed or damaged');
  const id = h.deps.store.list()[0]!.id;
  expect(await h.deps.secrets.get(secretKey(id))).toBeUndefined();
  await screen(page, 'register', 'sealed-refused');

  // The file as the script wrote it: opened in main, the ids shown, the secret kept in the vault.
  // By keyboard this time: the button takes Enter like any other.
  h.deps.pickFiles.push(sealed);
  await page.getByRole('button', { name: 'Open the sealed file…' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sealed-opened')).toContainText(`client ID ${DEMO.web}`);
  await expect(card).toHaveCount(0);
  expect(await h.deps.secrets.get(secretKey(id))).toBe(DEMO.webSecret);
  await screen(page, 'register', 'sealed-opened');
  expect(h.deps.store.list()[0]!.handoff, 'no longer waiting once the file is opened').toBeUndefined();
  await next(page);
  await expectScreen(page, 'credentials');
  await expect(page.getByLabel('Application (client) ID')).toHaveValue(DEMO.web);
  await expect(page.getByLabel('Directory (tenant) ID')).toHaveValue(DEMO.tenant);
  await expect(page.getByLabel('Client secret Value')).toHaveValue('');

  // Never on the page: not in any IPC answer or event, not in the DOM, not in a log.
  expect(h.seen.join('\n')).not.toContain(DEMO.webSecret);
  expect(await page.content()).not.toContain(DEMO.webSecret);
  expect(h.app.logs.join('\n')).not.toContain(DEMO.webSecret);
  expect(h.errors).toEqual([]);
});
