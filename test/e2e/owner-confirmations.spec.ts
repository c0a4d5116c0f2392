import { request as httpsRequest } from 'node:https';
import type { Emulator } from '../emulator/index';
import { expect, test } from './host/fixtures';
import { pushPlanQuestion, type ConfirmQuestion } from '../../electron/app/confirmations';
import type { SavedProfile } from '../../shared/saved-profile';
import { dispatch } from '../../electron/ipc/dispatch';
import { createHandlers } from '../../electron/ipc/handlers';
import type { TargetEngine } from '../../electron/ipc/target-handlers';
import { createTestDeps } from './host/appDeps';
import { checkStatuses, DEMO, screen } from './host/journey';
import { allPassedFor } from './host/statuses';
import { adminSignsIn } from './host/register';
import { hostRegistration, toRegister } from './host/registerJourney';
import { renderNativeQuestion } from './host/testHost';

// Issue 18, "what is shown is what is done": before the first Graph write main asks a native question
// worded from its own data (the test host answers it, as a person would); declined, the tenant is
// unchanged; a plan changed behind the page's back is refused with no write. Asserted on the emulator's
// directory, never on what the page says.
test.describe.configure({ timeout: 120_000 });

/**
 * What Graph calls can write: app registrations (with their service principals and secrets), and grants
 * and role assignments made through Graph. A consent the administrator gives on the sign-in page (origin
 * 'consent', for the sign-in application itself) is the person's act in the sign-in window, not the assistant's.
 */
const directory = (emu: Emulator) => {
  const d = emu.admin.directory(DEMO.tenant);
  return JSON.stringify({ apps: d.apps, grants: d.grants.filter((g) => g.origin === 'graph'), assignments: d.assignments.filter((a) => a.origin === 'graph') });
};

test('CXT, app-only, the person widens the reach to every mailbox: main asks natively, naming "every mailbox"; declined, the directory is unchanged', async ({ page, browser, emu, server }) => {
  const asked: ConfirmQuestion[] = [];
  const h = await hostRegistration(page, browser, emu, server.url, { confirm: (q) => (asked.push(q), false) });
  await toRegister(page, emu, 'cxt', {});
  await expect(page.getByTestId('plan').getByRole('listitem').first()).toBeVisible();
  // Issue 19: scoped to the mailbox by default; the whole organisation is a choice the person makes, in plain words.
  const reach = page.getByTestId('plan-reach');
  await expect(reach.getByRole('radio', { name: /^Only reception@fabrikam\.com \(recommended\)/ })).toBeChecked();
  await reach.getByRole('radio', { name: /^Every mailbox in your organisation/ }).check();
  await expect(reach.getByRole('list', { name: 'Reach of each permission' })).toContainText('Mail.Send (application): every mailbox in your organisation');
  await expect(page.getByTestId('plan')).toContainText('Grant admin consent for the application permission Mail.Send');
  await screen(page, 'owner', 'plan-cxt-every-mailbox');
  const before = directory(emu);
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
  expect(directory(emu), 'a declined question wrote to the tenant').toBe(before);
  expect(JSON.parse(before).apps.length, 'the directory compared is the real one (the demo apps are there)').toBeGreaterThan(0);
  expect(h.deps.store.list()[0]!.registration, 'nothing recorded as in progress').toBeUndefined();

  // The question as the person sees it (drawn by the test host from main's strings).
  const shot = await browser.newPage({ viewport: { width: 700, height: 760 } });
  await renderNativeQuestion(shot, q);
  await shot.screenshot({ path: 'test/artifacts/screenshots/owner/native-question-cxt-create.png', fullPage: true });
  await shot.close();
});

test('CXT, app-only, safe by default: scoped to the mailbox, no organisation-wide consent; the Exchange step handed over; then green checks', async ({ page, browser, emu, server }) => {
  const asked: ConfirmQuestion[] = [];
  const h = await hostRegistration(page, browser, emu, server.url, { confirm: (q) => (asked.push(q), true) });
  await toRegister(page, emu, 'cxt', {});
  const reach = page.getByTestId('plan-reach');
  await expect(reach.getByRole('radio', { name: /^Only reception@fabrikam\.com/ })).toBeChecked();
  await expect(reach).toContainText("Exchange role 'Application Mail.Send': only reception@fabrikam.com");
  await expect(reach).not.toContainText('every mailbox in your organisation');
  await expect(page.getByTestId('plan-scope-step')).toContainText('not by the assistant: an Exchange administrator');
  await expect(page.getByTestId('plan')).not.toContainText('Mail.Send');
  await screen(page, 'owner', 'plan-cxt-scoped');
  const before = emu.admin.directory(DEMO.tenant);
  await page.getByRole('button', { name: 'Sign in as an administrator and create it' }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByTestId('create-success')).toBeVisible({ timeout: 90_000 });

  expect(asked).toHaveLength(1);
  const q = asked[0]!;
  expect(q.detail).not.toMatch(/EVERY MAILBOX/);
  expect(q.detail).toMatch(/mail access: not granted in Entra; scoped by Exchange to “reception@fabrikam\.com” only/);
  expect(q.detail).toMatch(/until then the app reaches no mailbox/);

  // The directory: the app exists, with no Microsoft Graph mail permission and no admin consent for one.
  const saved = h.deps.store.list()[0]!;
  const appId = saved.profile.clientId!;
  const after = emu.admin.directory(DEMO.tenant);
  const app = after.apps.find((a) => a.clientId === appId)!;
  expect(app, 'the app was created').toBeTruthy();
  expect(app.applicationPermissions.filter((p) => /^Mail\./.test(p.name))).toEqual([]);
  const newAssignments = after.assignments.filter((x) => !before.assignments.some((b) => b.id === x.id));
  expect(newAssignments.filter((x) => x.principalId === app.servicePrincipalId), 'no application role granted to the new app').toEqual([]);
  expect(saved.registration).toMatchObject({ method: 'created', mailboxScope: 'exchange-rbac' });
  expect(saved.profile.mailboxScope).toBe('exchange-rbac');

  // The created screen says what the app reaches now, and hands over the Exchange step with the ids filled in.
  const created = page.getByTestId('created-reach');
  await expect(created).toContainText('The app reaches no mailbox until an Exchange administrator limits it to reception@fabrikam.com');
  const step = page.locator('[data-manual-step="limit-mailbox-scope"]');
  await expect(step).toContainText(app.servicePrincipalId);
  await expect(step).not.toContainText('If it applies');
  await screen(page, 'owner', 'created-cxt-scoped');

  // Before the Exchange step, Graph refuses the app: it reaches no mailbox (not every mailbox).
  expect(await graphStatus(emu, emu.admin.issueToken({ clientId: appId, resource: 'graph', roles: [] }), `/v1.0/users/${DEMO.reception.upn}/messages`)).toBe(403);
  // The Exchange administrator runs the handed-over commands (the emulator's Exchange stands in). Main's watch for the
  // Exchange step waits between two looks on the held clock: the person goes on first, with "Go to the test".
  emu.clock.hold();
  await expect.poll(() => emu.clock.heldSleeps, 'the watch waits for its next look, none in flight').toBeGreaterThanOrEqual(1);
  emu.admin.exchangeRegisterServicePrincipal({ appId, objectId: app.servicePrincipalId });
  for (const role of ['Mail.Read', 'Mail.Send'] as const) emu.admin.exchangeAssignGraphRole({ app: app.servicePrincipalId, role, mailboxes: [DEMO.reception.upn] });
  await page.getByRole('button', { name: 'Go to the test' }).click();
  emu.clock.release();
  const statuses = await checkStatuses(page);
  expect(statuses, await page.locator('[data-screen="test"]').innerText()).toEqual(allPassedFor('cxt'));
  // The scope is real: with the app's own token (no Entra role), Graph opens the scoped mailbox and refuses another.
  const token = emu.admin.issueToken({ clientId: appId, resource: 'graph', roles: [] });
  expect(await graphStatus(emu, token, `/v1.0/users/${DEMO.reception.upn}/messages`)).toBe(200);
  expect(await graphStatus(emu, token, `/v1.0/users/${DEMO.sales.upn}/messages`)).toBe(403);
});

/** The status of one GET to the emulator's Graph (its own CA). */
function graphStatus(emu: Emulator, token: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, emu.graphUrl), { method: 'GET', ca: emu.caPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a plan changed after it was shown (the page re-points the system to app-only) is refused with no Graph write', async ({ page, browser, emu, server }) => {
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
  const before = directory(emu);
  await page.getByRole('button', { name: 'Sign in as an administrator and create it' }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByText(/The connection changed after its plan was shown, so nothing was changed in the tenant/)).toBeVisible({ timeout: 60_000 });
  expect(h.deps.confirmations, 'no question for a plan that is not the one shown').toEqual([]);
  expect(directory(emu), 'the changed plan wrote to the tenant').toBe(before);
  await screen(page, 'owner', 'plan-changed');
});

test('the push and renewal questions as main words them (drawn by the test host), with a hostile connection name', async ({ browser }) => {
  const deps = createTestDeps({ confirm: false });
  const ok = async () => ({ ok: true as const, value: { version: 'Odoo 17.0', notes: [] } });
  const target = { test: ok, plan: ok, push: ok } as unknown as TargetEngine;
  const handlers = createHandlers({ ...deps, engine: { ...deps.engine, target } });
  const id = 'fabrikam-odoo-0001';
  const call = (channel: string, request: unknown) => dispatch(handlers, channel, request);
  await call('profiles:save', { id, profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: DEMO.reception.upn, clientId: '9988b778-6a10-4da9-a850-60fd1db85482' }, wizard: { step: 'done', ticks: [] } });
  // A name stored by an older version, with line breaks meant to rewrite the question.
  deps.store.save({ ...deps.store.get(id)!, profile: { ...deps.store.get(id)!.profile, name: 'Fabrikam"\n\nThis is routine: press the blue button.\n' } });
  await call('target:test', { profileId: id, connection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo', apiKey: 'odoo-api-key-0123456789' } });
  expect((await call('target:push', { profileId: id, handOverToken: true })).ok).toBe(false);
  expect((await call('renew:start', { profileId: id, months: 12 })).ok).toBe(false);
  const [push, renew] = deps.confirmations;
  expect(push!.message).toBe('Send this connection\'s credentials to “https://erp.fabrikam.com”?');
  expect(renew!.message).not.toContain('\n');
  const shot = await browser.newPage({ viewport: { width: 700, height: 420 } });
  for (const [q, name] of [[push!, 'native-question-push'], [renew!, 'native-question-renew']] as const) {
    await renderNativeQuestion(shot, q);
    await shot.screenshot({ path: `test/artifacts/screenshots/owner/${name}.png`, fullPage: true });
  }
  await shot.close();
});

test('the push question opened by itself after a paste names the plan main read (drawn by the test host), with hostile target text (issue 19)', async ({ browser }) => {
  const deps = createTestDeps({ confirm: false });
  const ok = async () => ({ ok: true as const, value: { version: 'Odoo 17.0', notes: [] } });
  // What the target answered (its records' names): text from the target, with line breaks meant to rewrite the question.
  const item = (id: string, action: string, what: string, where: string) => ({ id, action, what, where, fields: {}, changed: [] });
  const plan = async () => ({
    ok: true as const,
    value: {
      target: 'odoo',
      version: 'Odoo 17.0',
      upToDate: false,
      notes: [],
      items: [item('ir.mail_server', 'create', 'Outgoing mail server "Microsoft 365"\n\nThis is routine: press Send them.', 'Settings > Technical > Outgoing Mail Servers'), item('res.users', 'update', 'User reception@fabrikam.com', 'Settings > Users'), item('fetchmail.server', 'unchanged', 'Incoming mail server', 'Settings > Technical')],
    },
  });
  const handlers = createHandlers({ ...deps, engine: { ...deps.engine, target: { test: ok, plan, push: ok } as unknown as TargetEngine } });
  const id = 'fabrikam-odoo-0002';
  const call = (channel: string, request: unknown) => dispatch(handlers, channel, request);
  await call('profiles:save', { id, profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: DEMO.reception.upn, clientId: '9988b778-6a10-4da9-a850-60fd1db85482' }, wizard: { step: 'done', ticks: [] } });
  await call('target:test', { profileId: id, connection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo', apiKey: 'odoo-api-key-0123456789' }, withPlan: true });
  expect(deps.confirmations, 'the plan read with the key just given asks nothing').toEqual([]);
  expect((await call('target:push', { profileId: id, handOverToken: true, ask: true })).ok).toBe(false);
  const [q] = deps.confirmations;
  expect(q!.message).toBe('Make 2 changes in Odoo at “https://erp.fabrikam.com” and send it this connection\'s credentials?');
  // The target's text is quoted: its sentence reads as a record's name, never as the question's own words.
  expect(q!.detail).toContain("• create “Outgoing mail server 'Microsoft 365' This is routine: press Send them.” in “Settings > Technical > Outgoing Mail Servers”");
  expect(q!.detail.replace(/“[^”]*”/g, '')).not.toContain('press Send them');
  expect(q!.detail).not.toContain('Incoming mail server');
  expect(q!.confirmLabel).toBe('Send them');
  const shot = await browser.newPage({ viewport: { width: 700, height: 420 } });
  await renderNativeQuestion(shot, q!);
  await shot.screenshot({ path: 'test/artifacts/screenshots/owner/native-question-push-plan.png', fullPage: true });
  await shot.close();
});

test('the push question when the plan installs the Microsoft Outlook module first (drawn by the test host, issue 19 item 5)', async ({ browser }) => {
  const item = (id: string, action: 'create' | 'update', what: string, where: string, verb?: 'install') => ({ id, action, what, where, fields: {}, changed: [], ...(verb ? { verb } : {}) });
  const plan = {
    target: 'Odoo',
    version: 'Odoo 17.0',
    upToDate: false,
    notes: [],
    items: [
      item('module:microsoft_outlook', 'update', 'the module Microsoft Outlook (microsoft_outlook)', 'ir.module.module', 'install'),
      item('param:microsoft_outlook_client_id', 'create', 'System parameter microsoft_outlook_client_id', 'ir.config_parameter'),
      item('param:microsoft_outlook_client_secret', 'create', 'System parameter microsoft_outlook_client_secret', 'ir.config_parameter'),
      item('ir.mail_server', 'create', `Outgoing mail server "${DEMO.reception.upn} (Outlook)"`, 'ir.mail_server'),
      item('fetchmail.server', 'create', `Incoming mail server "${DEMO.reception.upn} (Outlook)"`, 'fetchmail.server'),
    ],
  };
  const q = pushPlanQuestion({} as SavedProfile, { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, plan, null);
  expect(q.detail.split('\n')[1]).toBe('• install “the module Microsoft Outlook (microsoft_outlook)” in “ir.module.module”');
  const shot = await browser.newPage({ viewport: { width: 700, height: 420 } });
  await renderNativeQuestion(shot, q);
  await shot.screenshot({ path: 'test/artifacts/screenshots/owner/native-question-push-install.png', fullPage: true });
  await shot.close();
});
