import { expect, test } from './host/fixtures';
import { readFileSync } from 'node:fs';
import { secretKey } from '../../electron/ipc/handlers';
import { startFrappe } from '../standins/frappe';
import { microsoftFrom } from '../standins/microsoft';
import { HumanActions, recordHumanActions } from './host/actions';
import { assistantMakesConnectedApp, FRAPPE_SITE } from './host/frappe';
import { checkStatuses, DEMO, screen, useEmulatorServers } from './host/journey';
import { allPassedFor } from './host/statuses';
import { ADMIN, adminSignsInInBrowser, signInWithMfa } from './host/register';
import { e2eSystemBrowser, seedMicrosoftSession } from './host/systemBrowser';
import { hostRegistration } from './host/registerJourney';
import { expectScreen, next } from './host/wizard';

// Issue 10, "Create it for me": for each seed system, from New connection to green checks and the
// export against the emulator (its Graph directory creates a real registration the mailbox can sign
// in with), counting every human action. Fails above 5. Counts go to test/artifacts/human-actions.json.
// No clipboard permission: the host refuses it, as the app does; copies go through main (deps.clipboard).
test.describe.configure({ timeout: 150_000 });

interface Seed {
  target: string;
  name: string;
  inputs: Record<string, { value: string; label: string }>;
  appOnly?: boolean;
  exportFormat: string;
}

const SEEDS: Seed[] = [
  { target: 'odoo', name: 'Odoo', inputs: { baseUrl: { value: 'https://erp.fabrikam.com', label: 'the Odoo address' } }, exportFormat: 'odoo-system-parameters' },
  { target: 'flectra', name: 'Flectra', inputs: { baseUrl: { value: 'https://erp.fabrikam.com', label: 'the Flectra address' } }, exportFormat: 'env' },
  { target: 'flexdeploy', name: 'FlexDeploy', inputs: { baseUrl: { value: 'https://deploy.fabrikam.com', label: 'the FlexDeploy address' } }, exportFormat: 'profile-json' },
  { target: 'emailengine', name: 'EmailEngine', inputs: { baseUrl: { value: 'http://localhost:3000', label: 'the EmailEngine address' } }, exportFormat: 'emailengine-oauth2-json' },
  {
    target: 'frappe',
    name: 'Frappe',
    // Issue 19: the assistant makes the Connected App through Frappe's REST API (host/frappe.ts), after the site
    // address; before, the person made it in Frappe (5 steps) and pasted its Redirect URI.
    inputs: { baseUrl: { value: FRAPPE_SITE, label: 'the Frappe site address' } },
    exportFormat: 'frappe-connected-app',
  },
  { target: 'cxt', name: 'CXT', inputs: {}, appOnly: true, exportFormat: 'profile-json' },
];

/**
 * Every action from Start to green checks and the saved export (issue 19). The targets are Odoo,
 * Flectra, FlexDeploy, EmailEngine 12, Frappe 14, CXT 9. Measured before this work (Odoo): 20 (New connection,
 * pick, Next, ..., the administrator's 6-step sign-in in the embedded window, Sign in as the mailbox, Export,
 * Save, the OS save dialog). Now: the system's tile on Start, the administrator in the system browser already
 * signed in to Microsoft 365 (pick the account), going on by itself after creation and after all-green checks,
 * the export saved into the customer's folder without a dialog. The bounds are for an administrator whose
 * consent to the sign-in application is already given (SIGN_IN_TABLE "a browser already signed in"); the
 * first consent adds its one step (the test adds it when the consent page was shown, as for Odoo, the first
 * journey of this file). Frappe's Connected App is made by the assistant (the password, Create, main's question).
 */
// CXT +2 (issue 19, safe by default): the Exchange administrator's scoping step (copy the commands, run them);
// the assistant then sees the mailbox answer and goes on to the test by itself (no "Go to the test" click).
// Frappe 15 → 13 (issue 19): the Connected App made through Frappe's REST API (the password typed, Create, main's
// question) instead of by hand in Frappe (open Connected App, Add, Provider Name, Save, copy the Redirect URI) and pasted.
const CLICKS_TO_GREEN: Record<string, number> = { odoo: 10, flectra: 10, flexdeploy: 10, emailengine: 10, frappe: 13, cxt: 9 };
/**
 * Issue 10's decisions (a choice clicked, a field typed, a sign-in), at most 5. Frappe 6 (issue 19): the Administrator
 * password is typed here now; before, the Connected App's Provider Name was typed in Frappe and counted as an
 * action in the target only, and the pasted Redirect URI was the decision the site address is now.
 */
const DECISIONS_MAX: Record<string, number> = { frappe: 6 };
/** The Frappe Administrator's password (POST /api/method/login): the assistant signs in with it to make the Connected App. */
const FRAPPE_PASSWORD = 'e2e-frappe-admin-password-7b3c';
/** A browser not signed in to Microsoft 365 (first-time administrator: account, Next, password, Sign in, MFA, consent). */
const CLICKS_TO_GREEN_FIRST_TIME: Record<string, number> = { odoo: 15 };

/**
 * The journeys: the administrator signs in in the system browser (RFC 8252 loopback redirect). `session`:
 * that browser is already signed in to Microsoft 365 (the usual case for an administrator: seeded by an
 * earlier sign-in in the same browser context, TEST SETUP, not counted); without it (`first-time`, Odoo
 * only) the browser shows the full sign-in and the count says what a first-time administrator does.
 */
const JOURNEYS: (Seed & { session: boolean })[] = [...SEEDS.map((s) => ({ ...s, session: true })), { ...SEEDS[0]!, session: false }];

for (const seed of JOURNEYS) {
  test(`${seed.target}${seed.session ? '' : ' (browser not signed in to Microsoft 365)'}: Create it for me, from Start to green checks and the export, at most 5 human actions`, async ({ page, browser, emu, server }) => {
    // The first-time journey gets a freshly reset emulator: nobody has consented to anything there yet.
    if (!seed.session) await emu.reset();
    const e = emu;
    const sb = await e2eSystemBrowser(browser);
    const h = await hostRegistration(page, browser, e, server.url, { systemBrowser: sb });
    const a = new HumanActions(`${seed.target}, Create it for me${seed.session ? ', browser signed in to Microsoft 365' : ', browser not signed in (first time)'}`);
    if (seed.session) {
      await seedMicrosoftSession(sb, e, ADMIN, DEMO.tenant);
      a.setup(`the administrator signed in to Microsoft 365 in this browser earlier (another app of the tenant: account, password, MFA), so the browser holds a Microsoft session`);
    }
    const shots = seed.target === 'odoo' || seed.target === 'cxt';
    let adminConsent = false;

    // Start: the system's tile opens its Details at once (no New connection, pick, Next).
    await page.locator(`[data-start-target="${seed.target}"]`).click();
    a.act(`start a connection for ${seed.name} (its tile on Start)`);
    await expectScreen(page, 'details');
    for (const [id, input] of Object.entries(seed.inputs)) {
      await page.locator(`[data-input="${id}"]`).fill(input.value);
      a.act(`type ${input.label}`);
    }
    // Frappe (issue 19): its Connected App made by the assistant, against a Frappe stand-in of this journey.
    const frappe = seed.target === 'frappe' ? await startFrappe({ microsoft: microsoftFrom(e), siteUrl: FRAPPE_SITE, users: [{ name: 'Administrator', apiKey: 'e2ekey0123abcd', apiSecret: 'e2esecret9876fedcba0123456789', roles: ['System Manager'], password: FRAPPE_PASSWORD }] }) : undefined;
    if (frappe) {
      await assistantMakesConnectedApp(page, a, h, frappe, FRAPPE_PASSWORD);
      await screen(page, 'register', 'details-frappe-connected-app');
    }
    await page.getByLabel('The mailbox it sends and reads as').fill(DEMO.reception.upn);
    a.act('type the mailbox');
    await useEmulatorServers(page, e);
    a.setup('point the connection at the emulator (Details > Advanced: sign-in, IMAP, SMTP, Graph addresses; a real user leaves them empty)');
    await next(page);
    a.plain('Next');

    // Screen 4: the choice, "Create it for me" preselected, the plan shown before anything changes.
    await expectScreen(page, 'register');
    await expect(page.getByRole('radio', { name: /Create it for me/ })).toBeChecked();
    await expect(page.getByTestId('plan').getByRole('listitem').first()).toBeVisible();
    if (shots) await screen(page, 'register', `choice-${seed.target}`);
    await page.getByRole('button', { name: 'Sign in as an administrator and create it' }).click();
    a.plain('Sign in as an administrator and create it');
    // The app waits for the browser: what to do there, Cancel, and the embedded window as the fallback.
    const waiting = page.getByTestId('browser-signin-waiting');
    await expect(waiting.getByRole('heading', { name: 'Continue in your browser' })).toBeVisible();
    await expect(waiting.getByRole('button', { name: 'Use the built-in window instead' })).toBeVisible();
    await expect(waiting.getByRole('button', { name: 'Cancel' })).toBeVisible();
    if (seed.target === 'odoo' && seed.session) await screen(page, 'register', 'browser-signin-waiting');
    const tab = await sb.nextPage();
    expect(sb.opened[sb.opened.length - 1], 'the browser is sent to the authorize endpoint with a loopback redirect').toMatch(/redirect_uri=http%3A%2F%2Flocalhost%3A\d+/);
    expect(h.auth.opened, 'no embedded window was opened').toEqual([]);
    if (seed.session) {
      await tab.getByRole('heading', { name: 'Pick an account' }).waitFor();
      if (seed.target === 'odoo') await screen(tab, 'register', 'browser-pick-an-account', false);
    }
    const shown = await adminSignsInInBrowser(tab, e);
    adminConsent = shown.consent;
    expect(shown.pickerShown, seed.session ? 'a browser with a session shows the account picker' : 'a browser without a session shows the full sign-in').toBe(seed.session);
    a.signIn(`sign in as the administrator in the browser${seed.session ? ' (already signed in to Microsoft 365)' : ' (not signed in)'}`, shown);
    await tab.close();
    await expect(page.getByTestId('create-success')).toBeVisible({ timeout: 90_000 });
    a.answered(h.deps.confirmations); // main's native question before the first Graph write (issue 18)
    await expect(page.getByTestId('registration-progress').locator('[data-state="done"]').first()).toBeVisible();
    // The result shows for a moment, then the assistant goes on by itself (no axe here: the screen is about to change).
    // App-only and scoped (safe by default): the Exchange step is pending, so the assistant does not go on by itself.
    if (seed.appOnly) await expect(page.getByTestId('create-success')).not.toContainText('Going on');
    else await expect(page.getByTestId('create-success')).toContainText('Going on to the mailbox sign-in');
    if (shots) await screen(page, 'register', `created-${seed.target}`, false);

    const saved = h.deps.store.list()[0]!;
    const appId = saved.profile.clientId!;
    expect(appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(saved.profile.tenant).toBe(DEMO.tenant);
    expect(saved.registration).toMatchObject({ method: 'created', state: 'complete', appId, lintStatus: 'clean' });
    const secret = await h.deps.secrets.get(secretKey(saved.id));
    expect(secret, 'the new secret is in the vault').toBeTruthy();
    // The directory really has it: the emulator's live scenario holds the created app.
    expect(e.scenario.apps.some((x) => x.clientId === appId)).toBe(true);

    if (seed.appOnly) {
      // Issue 19, safe by default: the app reaches no mailbox until an Exchange administrator scopes it to this one
      // (RBAC for Applications; Microsoft Graph cannot). They run the handed-over commands; the emulator's Exchange
      // stands in. The assistant does not go on by itself while that step is pending: the person goes on.
      await expect(page.getByTestId('created-reach')).toContainText('reaches no mailbox until an Exchange administrator limits it');
      const sp = e.scenario.apps.find((x) => x.clientId === appId)!.servicePrincipalId;
      await expect(page.locator('[data-manual-step="limit-mailbox-scope"]')).toContainText(sp);
      // Main looks by itself whether the app reaches the mailbox yet (issue 19, auto-continue), on the engine's clock (the
      // emulator's: its waits skip ahead). The clock held, the watch stays between two looks while the screen is read.
      const betweenLooks = async (): Promise<void> => {
        e.clock.hold();
        await expect.poll(() => e.clock.heldSleeps, 'the watch waits for its next look, none in flight').toBeGreaterThanOrEqual(1);
      };
      await betweenLooks();
      const watch = page.getByTestId('exchange-watch');
      await expect(watch).toHaveAttribute('data-state', 'waiting');
      await expect(page.getByRole('button', { name: 'Go to the test' }), '"Go to the test" goes on at once').toBeEnabled();
      await expect(watch).toContainText('reading only, nothing is sent');
      // One more look, in main, said on screen: the mailbox does not answer yet (Graph refuses the app until the Exchange step).
      e.clock.release();
      await betweenLooks();
      await expect(watch).toContainText(/looked (once|\d+ times) \(not yet: Microsoft Graph\), next look in \d+ (s|minutes?)/);
      await screen(page, 'register', 'created-waiting-for-exchange-cxt');
      e.admin.exchangeRegisterServicePrincipal({ appId, objectId: sp });
      for (const role of ['Mail.Read', 'Mail.Send'] as const) e.admin.exchangeAssignGraphRole({ app: sp, role, mailboxes: [DEMO.reception.upn] });
      a.inTarget('the Exchange administrator limits the app to the mailbox (RBAC for Applications, the commands handed over)', ['copy the commands', 'run them in Exchange Online PowerShell']);
      // Time passes (the clock goes on): once the Exchange step took effect, main's next look reaches the mailbox and the
      // screen goes on to the test: no click.
      e.clock.release();
      await expect(watch).toHaveAttribute('data-state', 'reached', { timeout: 30_000 });
      a.plain('goes on to the test by itself once the app reaches the mailbox (no click)', 0);
      await expectScreen(page, 'test');
    } else {
      // Creation filled the credentials (the IDs, the secret in the vault): the assistant goes on by itself to the
      // mailbox sign-in, skipping Credentials (issue 19); no click. Back shows what was filled.
      a.plain('goes on to the mailbox sign-in by itself after creation (no click)', 0);
    }

    // App-only (CXT): no one signs in; straight to the test.
    if (!seed.appOnly) {
      await expectScreen(page, 'signin');
      const win = await h.auth.nextWindow();
      expect(h.auth.headers[h.auth.headers.length - 1], 'the mailbox window has no administrator header').toBe('');
      const shown = await signInWithMfa(win, e, DEMO.reception.upn, DEMO.reception.password);
      expect(shown.accountKnown, 'the mailbox window starts with its name filled in').toBe(true);
      a.signIn('sign in as the mailbox', shown);
      // A matching sign-in goes on to the test by itself: no "Go to the test" click.
      await expectScreen(page, 'test');
      if (shots) await screen(page, 'register', `signed-in-test-${seed.target}`, false);
    }

    const statuses = await checkStatuses(page);
    expect(statuses, `${JSON.stringify(statuses)}\n${await page.locator('[data-screen="test"]').innerText()}`).toEqual(allPassedFor(seed.target));
    await expect(page.getByTestId('test-summary')).toContainText('All checks passed');
    // All green on the journey after "Create it for me": the Test screen goes on to the export by itself (issue 19).
    await expect(page.getByTestId('test-summary')).toContainText('Going on to the export');
    a.plain('goes on to the export by itself when all checks pass (no click)', 0);
    if (seed.target === 'odoo' && seed.session) await screen(page, 'register', 'test-going-on-odoo', false);

    await expectScreen(page, 'done');
    await page.locator(`[data-format="${seed.exportFormat}"]`).getByRole('button', { name: /^Save/ }).click();
    a.plain('Save the export (into the customer\'s folder, no dialog: the end of the journey)');
    a.mark('green');
    await expect.poll(() => h.deps.savedFiles.length).toBe(1);
    // One save folder per customer: Mail OAuth Assistant/<mailbox domain>/, said on screen, "Save elsewhere…" beside it.
    expect(h.deps.savedFiles[0]!).toMatch(/Mail OAuth Assistant[\\/]fabrikam\.com[\\/]/);
    const row = page.locator(`[data-format="${seed.exportFormat}"]`);
    await expect(row.getByTestId('saved-to')).toContainText('fabrikam.com');
    await expect(row.getByRole('button', { name: /^Save elsewhere/ })).toBeVisible();
    if (seed.target === 'odoo' && seed.session) await screen(page, 'register', 'done-saved-in-customer-folder');
    expect(readFileSync(h.deps.savedFiles[0]!, 'utf8')).toContain(appId);

    // The Start screen says how it was registered and that the check was clean.
    await page.getByRole('button', { name: 'Back to the start' }).click();
    const badge = page.getByTestId('registration-badge');
    await expect(badge).toHaveAttribute('data-method', 'created');
    await expect(badge).toHaveAttribute('data-lint', 'clean');
    if (seed.target === 'odoo') await screen(page, 'register', 'start-badge');

    // The secret never reached the renderer, an event or a log.
    const html = await page.content();
    for (const text of [html, ...h.seen, ...h.errors]) expect(text.includes(secret!), 'the secret reached the renderer').toBe(false);

    console.log(a.report());
    if (seed.session) {
      recordHumanActions({ [seed.target]: a.count, [`${seed.target}/clicks`]: a.marked('green') });
      // The administrator's first consent (shown by the sign-in) is its one step more (SIGN_IN_TABLE).
      expect(a.marked('green'), `every action to green checks and the export\n${a.report()}`).toBeLessThanOrEqual(CLICKS_TO_GREEN[seed.target]! + (adminConsent ? 1 : 0));
    } else {
      recordHumanActions({ [`${seed.target}/clicks-first-time`]: a.marked('green') });
      expect(a.marked('green'), `every action to green checks, first-time administrator\n${a.report()}`).toBeLessThanOrEqual(CLICKS_TO_GREEN_FIRST_TIME[seed.target]!);
    }
    expect(a.count, a.report()).toBeLessThanOrEqual(DECISIONS_MAX[seed.target] ?? 5);
    expect(h.errors).toEqual([]);
    await sb.close();
    await frappe?.stop();
  });
}

// The system-browser sign-in's way out (issue 19): Cancel stops the wait (the loopback listener closes,
// nothing changes in the tenant); "Use the built-in window instead" switches to the embedded window, which
// then signs the administrator in and the creation goes on. Both by keyboard only.
test('odoo: the browser sign-in can be cancelled, or finished in the built-in window instead (keyboard only)', async ({ page, browser, emu, server }) => {
  const sb = await e2eSystemBrowser(browser);
  const h = await hostRegistration(page, browser, emu, server.url, { systemBrowser: sb });
  await page.locator('[data-start-target="odoo"]').click();
  await expectScreen(page, 'details');
  await page.locator('[data-input="baseUrl"]').fill('https://erp.fabrikam.com');
  await page.getByLabel('The mailbox it sends and reads as').fill(DEMO.sales.upn);
  await useEmulatorServers(page, emu);
  await next(page);
  await expectScreen(page, 'register');
  const start = page.getByRole('button', { name: 'Sign in as an administrator and create it' });
  await expect(start).toBeEnabled();

  // Cancel: the wait ends, the listener is gone, nothing was created.
  await start.focus();
  await page.keyboard.press('Enter');
  const waiting = page.getByTestId('browser-signin-waiting');
  await expect(waiting.getByRole('heading', { name: 'Continue in your browser' })).toBeFocused();
  const first = await sb.nextPage();
  const redirect = new URL(sb.opened[0]!).searchParams.get('redirect_uri')!;
  await page.keyboard.press('Tab');
  await expect(waiting.getByRole('button', { name: 'Use the built-in window instead' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(waiting.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('admin-signin-cancelled')).toContainText('The sign-in was cancelled');
  await expect(waiting).toHaveCount(0);
  const late = await first.request.get(`${redirect}/?code=late&state=x`).catch((e: Error) => e);
  expect(late instanceof Error ? late.message : `HTTP ${late.status()}`, 'the loopback listener closed with the cancel').toMatch(/ECONNREFUSED|connect/i);
  expect(h.deps.confirmations, 'nothing was asked, nothing written').toEqual([]);
  await first.close();

  // The built-in window instead: the browser's wait is cancelled, the embedded window signs in.
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(waiting.getByRole('heading', { name: 'Continue in your browser' })).toBeFocused();
  const second = await sb.nextPage();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const win = await h.auth.nextWindow();
  expect(h.auth.headers[h.auth.headers.length - 1], 'the window says who signs in').toMatch(/^Sign in as an administrator .*not as the mailbox/);
  await signInWithMfa(win, emu, ADMIN.upn, ADMIN.password);
  await expect(page.getByTestId('create-success')).toBeVisible({ timeout: 90_000 });
  const secondRedirect = new URL(sb.opened[1]!).searchParams.get('redirect_uri')!;
  const after = await second.request.get(`${secondRedirect}/?code=late&state=x`).catch((e: Error) => e);
  expect(after instanceof Error ? after.message : `HTTP ${after.status()}`, 'the browser wait was closed when the window took over').toMatch(/ECONNREFUSED|connect/i);
  expect(h.errors).toEqual([]);
  await sb.close();
});
