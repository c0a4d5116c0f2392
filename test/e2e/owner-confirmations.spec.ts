import { expect, test } from '@playwright/test';
import type { ConfirmQuestion } from '../../electron/app/confirmations';
import { startEmulator, type Emulator } from '../emulator/index';
import { DEMO, screen } from './host/journey';
import { adminSignsIn } from './host/register';
import { hostRegistration, toRegister } from './host/registerJourney';
import { renderNativeQuestion, serveRenderer } from './host/testHost';

// Issue 18, "what is shown is what is done": before the first Graph write main asks a native question
// worded from its own data (the test host answers it, as a person would); declined, the tenant is
// unchanged; a plan changed behind the page's back is refused with no write. Asserted on the emulator's
// directory, never on what the page says.
let server: Awaited<ReturnType<typeof serveRenderer>>;
let emu: Emulator;
test.beforeAll(async () => {
  server = await serveRenderer();
  emu = await startEmulator();
});
test.afterAll(async () => {
  await emu?.stop();
  await server?.close();
});
test.describe.configure({ timeout: 120_000 });

const directory = () => JSON.stringify(emu.admin.directory(DEMO.tenant));

test('CXT, app-only: main asks natively, naming "every mailbox"; declined, the directory is unchanged', async ({ page, browser }) => {
  const asked: ConfirmQuestion[] = [];
  const h = await hostRegistration(page, browser, emu, server.url, { confirm: (q) => (asked.push(q), false) });
  await toRegister(page, emu, 'cxt', {});
  await expect(page.getByTestId('plan').getByRole('listitem').first()).toBeVisible();
  const before = directory();
  await page.getByRole('button', { name: 'Sign in as an administrator and create it' }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByText(/You declined the changes\. Nothing was changed in the tenant\./)).toBeVisible({ timeout: 60_000 });
  await screen(page, 'owner', 'declined-cxt');

  expect(asked).toHaveLength(1);
  const q = asked[0]!;
  expect(q.detail).toMatch(/Mail\.Send \(.*\), application: reaches EVERY MAILBOX IN YOUR ORGANISATION/);
  expect(q.detail).toMatch(/Admin consent, granted now/);
  expect(q.detail).toMatch(/Redirect URIs/);
  expect(q.message).toMatch(/^Create the app registration “.*” in your organisation's Microsoft Entra/);
  expect(directory(), 'a declined question wrote to the tenant').toBe(before);
  expect(h.deps.store.list()[0]!.registration, 'nothing recorded as in progress').toBeUndefined();

  // The question as the person sees it (drawn by the test host from main's strings).
  const shot = await browser.newPage({ viewport: { width: 700, height: 760 } });
  await renderNativeQuestion(shot, q);
  await shot.screenshot({ path: 'test/artifacts/screenshots/owner/native-question-cxt-create.png', fullPage: true });
  await shot.close();
});

test('a plan changed after it was shown (the page re-points the system to app-only) is refused with no Graph write', async ({ page, browser }) => {
  const h = await hostRegistration(page, browser, emu, server.url);
  await toRegister(page, emu, 'odoo', { baseUrl: 'https://erp.fabrikam.com' });
  await expect(page.getByTestId('plan').getByRole('listitem').first()).toBeVisible();
  // A script in the page: the shown plan is Odoo's (delegated IMAP/SMTP); the saved connection becomes CXT.
  const changed = await page.evaluate(async () => {
    const api = (window as unknown as { mailOAuth: { profiles: { list(): Promise<{ ok: boolean; value: Array<{ record: { id: string; profile: Record<string, unknown>; wizard: unknown } }> }>; save(r: unknown): Promise<{ ok: boolean }> } } }).mailOAuth;
    const l = await api.profiles.list();
    const r = l.value[0]!.record;
    return (await api.profiles.save({ id: r.id, profile: { ...r.profile, target: 'cxt', targetInputs: {} }, wizard: r.wizard })).ok;
  });
  expect(changed).toBe(true);
  const before = directory();
  await page.getByRole('button', { name: 'Sign in as an administrator and create it' }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByText(/The connection changed after its plan was shown, so nothing was changed in the tenant/)).toBeVisible({ timeout: 60_000 });
  expect(h.deps.confirmations, 'no question for a plan that is not the one shown').toEqual([]);
  expect(directory(), 'the changed plan wrote to the tenant').toBe(before);
  await screen(page, 'owner', 'plan-changed');
});
