import type { Page } from '@playwright/test';
import { emulatorForSpec, expect, test, type RendererServer } from './host/fixtures';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ConfirmQuestion } from '../../electron/app/confirmations';
import { refreshTokenFromVault } from '../../electron/engine/targets';
import { secretKey } from '../../electron/ipc/handlers';
import type { Emulator } from '../emulator/index';
import { startEmailEngine, type EmailEngineStandIn } from '../standins/emailengine';
import { startFrappe, type FrappeStandIn } from '../standins/frappe';
import { microsoftFrom } from '../standins/microsoft';
import { startOdoo, type OdooStandIn } from '../standins/odoo';
import { HumanActions, recordHumanActions } from './host/actions';
import { assistantMakesConnectedApp, CONNECTED_APP_BY_HAND, FRAPPE_SITE } from './host/frappe';
import { checkStatuses, DEMO, screen, useEmulatorServers } from './host/journey';
import { allPassedFor } from './host/statuses';
import { ADMIN, adminSignsInInBrowser, signInWithMfa } from './host/register';
import { e2eSystemBrowser, seedMicrosoftSession } from './host/systemBrowser';
import { hostRegistration, type RegisterHost } from './host/registerJourney';
import { expectScreen, next } from './host/wizard';

// Issue 11, "Put it into <target>": from New connection (with "Create it for me", issue 10) to the
// target configured through its API and the target's own test passing (it refreshed the handed-over
// token at the emulator and signed in to SMTP/IMAP with it: the target sends mail), counting every
// human action per system. Counts go to test/artifacts/human-actions.json as "<system>/push".
let server: RendererServer;
let emu: Emulator;
let odoo: OdooStandIn;
let flectra: OdooStandIn;
let ee: EmailEngineStandIn;
let frappe: FrappeStandIn;
const ODOO_KEY = 'e2e-odoo-api-key-5b2d4f6a8c0e1b3d5f7a9c2e3f9a1c7e';
/** The Odoo/Flectra admin's own password: JSON-RPC takes it where it takes an API key (no two-factor sign-in here). */
const ODOO_PASSWORD = 'e2e-odoo-admin-password-0c1e';
const EE_TOKEN = 'e2e-emailengine-token-8c0e1b3d5f7a9c2e3f9a1c7e5b2d4f6a';
const FRAPPE_KEY = 'e2ekey0123abcd';
const FRAPPE_SECRET = 'e2esecret9876fedcba0123456789';
/** The Frappe Administrator's own password: POST /api/method/login takes it (no two-factor sign-in here), so no API key is made first. */
const FRAPPE_PASSWORD = 'e2e-frappe-admin-password-4d2a';
test.beforeAll(async ({ renderer, workerEmulator }, testInfo) => {
  server = renderer;
  emu = await emulatorForSpec(workerEmulator, testInfo);
  const microsoft = microsoftFrom(emu);
  odoo = await startOdoo({ microsoft, product: 'Odoo', version: '17.0', databases: ['fabrikam'], users: [{ login: 'admin', apiKey: ODOO_KEY, password: ODOO_PASSWORD, system: true }], webBaseUrl: 'https://erp.fabrikam.com' });
  flectra = await startOdoo({ microsoft, product: 'Flectra', version: '2.0', databases: ['fabrikam'], users: [{ login: 'admin', apiKey: ODOO_KEY, password: ODOO_PASSWORD, system: true }], webBaseUrl: 'https://erp.fabrikam.com' });
  ee = await startEmailEngine({ microsoft, tokens: [{ token: EE_TOKEN, scopes: ['api'] }] });
  frappe = await startFrappe({ microsoft, siteUrl: 'https://erp.fabrikam.com', users: [{ name: 'Administrator', apiKey: FRAPPE_KEY, apiSecret: FRAPPE_SECRET, roles: ['System Manager'], password: FRAPPE_PASSWORD }], connectedApps: [{ name: 'ms365', provider_name: 'Microsoft 365' }] });
});
test.afterAll(async () => {
  await Promise.all([odoo?.stop(), flectra?.stop(), ee?.stop(), frappe?.stop()]);
});
test.describe.configure({ timeout: 360_000 });

interface Seed {
  target: 'odoo' | 'flectra' | 'emailengine' | 'frappe';
  name: string;
  inputs: Record<string, { value: string; label: string }>;
  /** Fills the Put-it-into form; returns the target credentials typed (for the secret scan). */
  fill(page: Page, a: HumanActions, h: RegisterHost): Promise<string[]>;
  /** The target's own proof, read from the stand-in. */
  sends(): void;
  /** On Details, after the inputs (Frappe: the assistant makes its Connected App). */
  details?(page: Page, a: HumanActions, h: RegisterHost): Promise<void>;
  /** What the person does in the target before this app can use its API (its own documentation's steps). */
  inTarget: { what: string; steps: string[] }[];
  /** The credentials are pasted (a key, a token): the test and the plan start by themselves, no click. */
  pastes: boolean;
  /**
   * The paste itself completes the form (EmailEngine's token): a plan with changes then opens main's question by
   * itself (issue 19), whose one answer writes: no "Put it into" click.
   */
  asksByItself?: boolean;
  /** The target's stand-in (held in the middle of a push, to see the screen while it runs). */
  standIn(): { hold(): () => void };
}

/** The Connected App the assistant made in Frappe on Details (Frappe's own name for it). */
let frappeApp = '';
/** Making Frappe's API key and secret (needed instead of the password with two-factor sign-in on): https://docs.frappe.io/framework/user/en/api/rest#token-based-authentication: User > Settings > API Access > Generate Keys; the secret is shown once. */
const FRAPPE_API_KEY_STEPS = ['open the user', 'Settings tab', 'API Access: Generate Keys', 'copy the API secret', 'copy the API key', 'paste the API key', 'paste the API secret'];
/** Making an Odoo/Flectra API key: https://www.odoo.com/documentation/17.0/developer/reference/external_api.html#api-keys (Preferences > Account Security > New API Key, confirm the password, a description, Generate Key; the key is shown once). */
const ODOO_API_KEY_STEPS = ['open the user menu', 'My Profile / Preferences', 'Account Security tab', 'New API Key', 'type the password', 'Confirm Password', 'type a description', 'Generate Key', 'copy the key'];

const type = async (page: Page, a: HumanActions, label: string, value: string, what: string) => {
  await page.getByTestId('push-to-target').getByRole('textbox', { name: label, exact: true }).fill(value);
  a.act(what);
};
/**
 * A key or token pasted (copied from the target's own page): the paste event, then the value in the field.
 * The host refuses the clipboard (as the app does), so the test sends the paste event the field gets and fills
 * the value the paste would put in; a pasted credential that completes the form starts the test and the plan.
 */
const paste = async (page: Page, a: HumanActions, label: string, value: string, what: string) => {
  const field = page.getByTestId('push-to-target').getByRole('textbox', { name: label, exact: true });
  await field.dispatchEvent('paste');
  await field.fill(value);
  a.act(what);
};
/**
 * The target's address starts as the web address typed on Details (a real user's target answers its
 * API there: nothing to type). The stand-in listens on 127.0.0.1 instead, so the test re-points the
 * field: SETUP, like pointing the connection at the emulator.
 */
const prefilledThenStandIn = async (page: Page, a: HumanActions, label: string, baseUrl: string, standIn: string) => {
  const field = page.getByTestId('push-to-target').getByRole('textbox', { name: label, exact: true });
  await expect(field, 'the address is prefilled from Details').toHaveValue(baseUrl);
  a.plain(`${label}: prefilled with ${baseUrl} (from Details; nothing to do)`, 0);
  await field.fill(standIn);
  a.setup(`point ${label} at the stand-in on 127.0.0.1 (a real user keeps the prefilled address)`);
};

const SEEDS: Seed[] = [
  {
    target: 'odoo',
    name: 'Odoo',
    inputs: { baseUrl: { value: 'https://erp.fabrikam.com', label: 'the Odoo address' } },
    fill: async (page, a) => {
      await prefilledThenStandIn(page, a, 'Odoo address', 'https://erp.fabrikam.com', odoo.url);
      await expect(page.getByTestId('push-to-target').getByRole('textbox', { name: 'Database', exact: true }), 'the database is found by the test (one on the server)').toHaveValue('');
      await type(page, a, 'Login', 'admin', 'type the login');
      // The admin's password (JSON-RPC takes it like a key): no API key to make in Odoo first (issue 19).
      // With two-factor sign-in on, the key is needed: ODOO_API_KEY_STEPS, 9 more.
      await type(page, a, 'Password or API key', ODOO_PASSWORD, 'type the Odoo password');
      return [ODOO_PASSWORD];
    },
    inTarget: [],
    pastes: false,
    standIn: () => odoo,
    sends: () => {
      expect(odoo.records['ir.mail_server']![0]).toMatchObject({ smtp_authentication: 'outlook', smtp_user: DEMO.reception.upn });
      expect(odoo.records['ir.mail_server']![0]!.microsoft_outlook_access_token, "Odoo's Test Connection refreshed the token itself").toBeTruthy();
      expect(odoo.records['fetchmail.server']![0]!.state).toBe('done');
    },
  },
  {
    target: 'flectra',
    name: 'Flectra',
    inputs: { baseUrl: { value: 'https://erp.fabrikam.com', label: 'the Flectra address' } },
    fill: async (page, a) => {
      await prefilledThenStandIn(page, a, 'Flectra address', 'https://erp.fabrikam.com', flectra.url);
      await type(page, a, 'Login', 'admin', 'type the login');
      await type(page, a, 'Password or API key', ODOO_PASSWORD, 'type the Flectra password');
      return [ODOO_PASSWORD];
    },
    inTarget: [],
    pastes: false,
    standIn: () => flectra,
    sends: () => {
      expect(flectra.records['ir.mail_server']![0]).toMatchObject({ use_microsoft_outlook_service: true, smtp_user: DEMO.reception.upn });
      expect(flectra.records['ir.mail_server']![0]!.microsoft_outlook_access_token, "Flectra's Test Connection refreshed the token itself").toBeTruthy();
      expect(flectra.records['fetchmail.server']![0]).toMatchObject({ server_type: 'imap', use_microsoft_outlook_service: true, state: 'done' });
    },
  },
  {
    target: 'emailengine',
    name: 'EmailEngine',
    inputs: { baseUrl: { value: 'http://localhost:3000', label: 'the EmailEngine address' } },
    fill: async (page, a, h) => {
      // Issue 19: the card opens EmailEngine's Access Tokens > Create new itself (at the address from Details), instead
      // of the person finding it (open Access Tokens, Create new): one click here, then the form in EmailEngine.
      const opened = h.deps.openedExternal.length;
      await page.getByTestId('push-open-token-page').click();
      a.plain("Make an access token in EmailEngine (the card opens EmailEngine's new-token page in the browser)");
      await expect.poll(() => h.deps.openedExternal.slice(opened)).toEqual(['http://localhost:3000/admin/tokens/new']);
      // https://learn.emailengine.app/docs/api/authentication ("Access Tokens" page: Generate a new token); the form's
      // one required field is the description (views/tokens/new.hbs, POST /admin/tokens/new), "All scopes" preselected.
      a.inTarget('make the access token on that EmailEngine page', ['type a description', 'Generate a token', 'copy the token']);
      await prefilledThenStandIn(page, a, 'EmailEngine address', 'http://localhost:3000', ee.url);
      await paste(page, a, 'Access token', EE_TOKEN, 'paste the EmailEngine access token');
      return [EE_TOKEN];
    },
    pastes: true,
    asksByItself: true,
    standIn: () => ee,
    inTarget: [],
    sends: () => expect([...ee.accounts.values()][0]?.state).toBe('connected'),
  },
  {
    target: 'frappe',
    name: 'Frappe',
    inputs: { baseUrl: { value: FRAPPE_SITE, label: 'the Frappe site address' } },
    // Issue 19: the assistant makes the Connected App through Frappe's REST API on Details (the Administrator password,
    // Create, main's question) instead of the person making it in Frappe (5 steps) and pasting its Redirect URI.
    details: async (page, a, h) => {
      frappeApp = await assistantMakesConnectedApp(page, a, h, frappe, FRAPPE_PASSWORD);
    },
    fill: async (page) => {
      // The address and the password were given on Details (kept in the vault, the site allowed in main's question):
      // nothing to type, and the test and the plan start by themselves when the card opens.
      await expect(page.getByTestId('push-to-target').getByRole('textbox', { name: 'Frappe address', exact: true }), 'the address given on Details').toHaveValue(frappe.url);
      await expect(page.getByTestId('push-to-target').getByRole('textbox', { name: 'User', exact: true }), 'the user is prefilled').toHaveValue('Administrator');
      return [FRAPPE_PASSWORD, FRAPPE_KEY, FRAPPE_SECRET];
    },
    pastes: true,
    standIn: () => frappe,
    inTarget: [],
    sends: () => expect([...frappe.docs['Email Account']!.values()][0]).toMatchObject({ auth_method: 'OAuth', enable_outgoing: 1, connected_app: frappeApp }),
  },
];

/** Every file the app wrote in its data folder (profiles, settings), to scan for secrets. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/**
 * Every action from Start to "the target sends mail", the steps in the target included (issue 19). The issue's
 * targets are Odoo, Flectra 16, EmailEngine 15, Frappe 18; issue 19's walk counted 31, 31, 29, 34, and this
 * spec measured 33, 32, 27, 33 before this work. Now: the system browser already signed in (pick the
 * account), the tile on Start, going on by itself after creation and after all-green checks, and Odoo/Flectra
 * signed in to with the admin's password (JSON-RPC) instead of an API key made first (9 steps in Odoo; still
 * needed with two-factor sign-in on: "<system>/push-clicks-two-factor-computed"). Then (this work, issue 19,
 * measured 18 and 24 before it): a pasted key or token starts the test and the plan (no "Test and show the
 * plan"), and Frappe is signed in to with the Administrator's password (POST /api/method/login, the user
 * prefilled: only Administrator may create a Token Cache) instead of an API key and secret made first (5 steps
 * in Frappe and two pastes; still needed with two-factor sign-in on, computed like Odoo's). What remains above
 * the target for EmailEngine (15) is its access token (the card opens EmailEngine's new-token page: 3
 * steps there, the paste) and main's question, opened by itself once the pasted token's plan is read: the plan, the
 * host and the secrets it receives, one "Send them" (was: "Put it into", then that question; 16).
 * Then Frappe (18 → 13): the assistant makes its Connected App on Details through Frappe's REST API (host/frappe.ts),
 * where the person made it in Frappe and pasted its Redirect URI; the password given there serves the push.
 * Bounds: consent already given; the first consent adds one (as for Odoo, the first journey of this file).
 */
// Measured (issue 19) with the clicks on main's native questions (issue 18): the create plan, then the host
// asked once, before the stored key is first used with it, naming the key, the client secret and the mailbox's
// sign-in: at the push ("Put it into", or by itself after a paste) when the plan was read with the key just given,
// else at "Test and show the plan"; "Put it into" then asks nothing.
// Frappe 18 → 13 (issue 19): the Connected App made by the assistant on Details (the password, Create, main's question,
// which names all the site receives) instead of 5 steps in Frappe and a paste; the push card then needs no password
// typed, no click to test and plan, and no second question.
// EmailEngine 16 → 15 (issue 19): the pasted token's plan opens main's question by itself, the plan in it with the host's
// values; its "Send them" writes, where "Put it into EmailEngine" and then "Send them" were two clicks for one decision.
const CLICKS_TO_SENDING: Record<Seed['target'], number> = { odoo: 14, flectra: 14, emailengine: 15, frappe: 13 };

for (const seed of SEEDS) {
  test(`${seed.target}: Create it for me, then Put it into ${seed.name}: configured through its API, its own test passes, human actions counted`, async ({ page, browser }) => {
    // The administrator's browser, already signed in to Microsoft 365 (TEST SETUP, as in register-create.spec.ts).
    const sb = await e2eSystemBrowser(browser);
    // Main's question opened by itself after the paste (issue 19): answered (yes, unless `answerPush` says no), the
    // stand-in holds its answers from then on, so the running push is seen for sure.
    let heldAtQuestion: (() => void) | undefined;
    let answerPush = true;
    const pushQuestion = (q: ConfirmQuestion) => /^Make \d+ changes? in /.test(q.message);
    const answer = (q: ConfirmQuestion) => {
      if (!pushQuestion(q)) return true;
      if (answerPush && !heldAtQuestion) heldAtQuestion = seed.standIn().hold();
      return answerPush;
    };
    const h: RegisterHost = await hostRegistration(page, browser, emu, server.url, { systemBrowser: sb, confirm: answer });
    const a = new HumanActions(`${seed.target}, Create it for me + Put it into ${seed.name}`);
    await seedMicrosoftSession(sb, emu, ADMIN, DEMO.tenant);
    a.setup('the administrator signed in to Microsoft 365 in this browser earlier (another app of the tenant), so the browser holds a Microsoft session');

    await page.locator(`[data-start-target="${seed.target}"]`).click();
    a.act(`start a connection for ${seed.name} (its tile on Start)`);
    await expectScreen(page, 'details');
    for (const [id, input] of Object.entries(seed.inputs)) {
      await page.locator(`[data-input="${id}"]`).fill(input.value);
      a.act(`type ${input.label}`);
    }
    await seed.details?.(page, a, h);
    await page.getByLabel('The mailbox it sends and reads as').fill(DEMO.reception.upn);
    a.act('type the mailbox');
    await useEmulatorServers(page, emu);
    a.setup('point the connection at the emulator (Details > Advanced; a real user leaves them empty)');
    await next(page);
    a.plain('Next');

    await expectScreen(page, 'register');
    await page.getByRole('button', { name: 'Sign in as an administrator and create it' }).click();
    a.plain('Sign in as an administrator and create it');
    const tab = await sb.nextPage();
    const adminShown = await adminSignsInInBrowser(tab, emu);
    a.signIn('sign in as the administrator in the browser (already signed in to Microsoft 365)', adminShown);
    await tab.close();
    // The result shows for a moment before the assistant goes on by itself: on a busy machine the test may first see the next screen.
    await expect(page.getByTestId('create-success').or(page.locator('[data-screen="signin"]')).first()).toBeVisible({ timeout: 90_000 });
    a.answered(h.deps.confirmations); // main's native question before the first Graph write (issue 18)
    // Creation filled the credentials: the assistant goes on to the mailbox sign-in by itself, then the test runs (issue 19).
    a.plain('goes on to the mailbox sign-in by itself after creation (no click)', 0);
    await expectScreen(page, 'signin');
    a.signIn('sign in as the mailbox', await signInWithMfa(await h.auth.nextWindow(), emu, DEMO.reception.upn, DEMO.reception.password));
    const statuses = await checkStatuses(page);
    expect(statuses, `${JSON.stringify(statuses)}\n${await page.locator('[data-screen="test"]').innerText()}`).toEqual(allPassedFor(seed.target));
    // All green on the journey after "Create it for me": the Test screen goes on to the export by itself (issue 19).
    await expect(page.getByTestId('test-summary')).toContainText('Going on to the export');
    a.plain('goes on to the export by itself when all checks pass (no click)', 0);
    await expectScreen(page, 'done');

    // Put it into <target>: the credentials, "Test and show the plan" (a continue: it makes no choice and
    // writes nothing to the target; listed like Next), then the one confirmation of the shown plan.
    const card = page.getByTestId('push-to-target');
    await expect(card.getByRole('heading', { name: `Put it into ${seed.name}` })).toBeVisible();
    if (seed.target === 'frappe') {
      // The card tests and plans by itself (the password kept from Details): the screen once that is done and the
      // button's colour has left its disabled shade (Fluent fades it; axe would measure the fade).
      const testButton = card.getByRole('button', { name: 'Test and show the plan' });
      await expect(card.getByTestId('push-plan')).toBeVisible({ timeout: 30_000 });
      await expect(testButton).toBeEnabled();
      await expect.poll(() => testButton.evaluate((b) => getComputedStyle(b).color)).not.toBe('rgb(189, 189, 189)');
    }
    await screen(page, `push-${seed.target}`, '08-done-prefilled', true);
    if (seed.target === 'frappe') {
      // Issue 19: the Connected App the assistant made on Details (recorded by main) is its step, before any push.
      const step = page.getByTestId('target-steps').locator('[data-step="connected-app-create"]');
      await expect(step).toContainText('Start a Connected App in Frappe (done by the assistant)');
      await step.getByRole('button').first().click();
      await expect(step.getByTestId('step-done-by-assistant')).toBeVisible();
      await expect(step.getByRole('checkbox')).toHaveCount(0);
      await step.scrollIntoViewIfNeeded();
      await screen(page, 'push-frappe', '08-done-connected-app-by-assistant', true);
      await expect(page.getByTestId('target-steps').locator('[data-step="connected-app-fill"]'), 'the steps after it are still the person\'s').not.toContainText('done by the assistant');
    }
    for (const t of seed.inTarget) a.inTarget(t.what, t.steps);
    const typed = await seed.fill(page, a, h);
    if (seed.pastes) {
      // Issue 19, the push plan without a click: the pasted key completes the form (Frappe: the password kept from
      // Details), the test and the plan run by themselves.
      a.plain(seed.target === 'frappe' ? 'the test and the plan start by themselves when the card opens (the password kept from Details; no click)' : 'the test and the plan start by themselves once the key is pasted (no click)', 0);
    } else {
      // A typed password starts nothing by itself (a half-typed one would be a failed sign-in at the target).
      await card.getByRole('button', { name: 'Test and show the plan' }).click();
      a.plain('Test and show the plan (continue: the test, then the plan read from the target)');
    }
    await expect(card.getByTestId('push-tested')).toContainText('Connected to');
    if (seed.target === 'odoo' || seed.target === 'flectra') await expect(card.getByTestId('push-tested'), 'the database was detected').toContainText('database fabrikam');
    await expect(card.getByTestId('push-plan').locator('[data-action="create"], [data-action="update"]').first()).toBeVisible();
    // Issue 19, what costs time: while the push runs, the screen's Back and Next wait. The stand-in holds its
    // answers until the test has looked (a target that is slow to answer), so the running state is seen for sure.
    let release: () => void;
    if (seed.asksByItself) {
      // Issue 19: the plan with changes opened main's question by itself (its answer is counted with main's questions
      // below); answered, the push runs: no "Put it into" click.
      await expect.poll(() => heldAtQuestion !== undefined, 'main asked by itself once the plan was read').toBe(true);
      release = heldAtQuestion!;
      const q = h.deps.confirmations.find(pushQuestion)!;
      expect(q.confirmLabel, 'the first push to the host: the one question also names what the host receives').toBe('Send them');
      expect(q.detail).toMatch(/• create /);
    } else {
      await screen(page, `push-${seed.target}`, '08-done-plan', false);
      release = seed.standIn().hold();
      await card.getByRole('button', { name: `Put it into ${seed.name}` }).click();
      a.act(`Put it into ${seed.name}`);
    }
    await expect(card.getByTestId('push-running')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Back to the start' }), 'Next waits while the push runs').toBeDisabled();
    await expect(page.getByRole('button', { name: 'Back', exact: true }), 'Back waits while the push runs').toHaveCount(0);
    await expect(card.getByRole('button', { name: `Put it into ${seed.name}` })).toBeDisabled();
    // No axe here: the target's requests time out after 15 s, and the held push must be let go well before that.
    if (seed.target === 'emailengine') await screen(page, `push-${seed.target}`, '08-done-pushing', false);
    release();
    await expect(card.getByTestId('push-result')).toHaveAttribute('data-status', 'configured', { timeout: 60_000 });
    await screen(page, `push-${seed.target}`, '08-done-pushed', true);
    // "The target sends mail": its own test refreshed the handed-over token at the emulator and signed in.
    seed.sends();
    // Issue 19: after a configured push the target's manual steps fold to "done by the assistant".
    await expect(page.getByTestId('target-steps')).toHaveAttribute('data-done-by', 'assistant');
    await expect(page.getByTestId('target-steps')).toContainText('done by the assistant');

    // Again: the plan is all unchanged and nothing is written.
    await card.getByRole('button', { name: 'Test and show the plan' }).click();
    await expect(card.getByTestId('push-plan').locator('li').first()).toBeVisible();
    await expect(card.getByTestId('push-plan').locator('[data-action="create"], [data-action="update"]')).toHaveCount(0);

    if (seed.target === 'odoo') {
      // Issue 19 undo: someone had set the outgoing server by hand; the push overwrites it and keeps what it
      // replaced; "Restore the previous values" shows them, puts them back and reads them back (the stand-in's records).
      const out = odoo.records['ir.mail_server']![0]!;
      const pushedPort = out.smtp_port;
      Object.assign(out, { smtp_port: 25, from_filter: 'fabrikam.com' });
      await card.getByRole('button', { name: 'Test and show the plan' }).click();
      await expect(card.getByTestId('push-plan').locator('[data-item="ir.mail_server"]')).toHaveAttribute('data-action', 'update');
      await card.getByRole('button', { name: 'Put it into Odoo' }).click();
      await expect(card.getByTestId('push-result')).toHaveAttribute('data-status', 'configured', { timeout: 60_000 });
      expect(out.smtp_port).toBe(pushedPort);
      const restore = card.getByTestId('push-restore');
      await restore.getByRole('button', { name: 'Restore the previous values' }).click();
      await expect(restore.getByTestId('push-restore-plan').locator('[data-item="ir.mail_server"]')).toContainText('smtp_port = 25');
      await expect(restore.getByTestId('push-restore-plan')).toContainText('from_filter = fabrikam.com');
      await screen(page, 'push-odoo', '08-done-restore-plan', true);
      expect(out.smtp_port, 'nothing is put back before the person confirms').toBe(pushedPort);
      await restore.getByRole('button', { name: 'Put these back' }).click();
      await expect(card.getByTestId('push-restored')).toContainText('The previous values are back, read back from the target');
      await screen(page, 'push-odoo', '08-done-restored', true);
      expect(out).toMatchObject({ smtp_port: 25, from_filter: 'fabrikam.com' });
      await expect(card.getByTestId('push-restore')).toHaveCount(0);
      // The target holds the earlier values again: its manual steps are no longer "done by the assistant".
      await expect(page.getByTestId('target-steps')).not.toHaveAttribute('data-done-by', 'assistant');
      // Put the pushed values back again, so the journey below ends on a configured target.
      await card.getByRole('button', { name: 'Test and show the plan' }).click();
      await card.getByRole('button', { name: 'Put it into Odoo' }).click();
      await expect(card.getByTestId('push-result')).toHaveAttribute('data-status', 'configured', { timeout: 60_000 });
      expect(out.smtp_port).toBe(pushedPort);
    }

    if (seed.target === 'frappe') {
      // Issue 19 undo, as for Odoo: someone renamed the Connected App's provider in Frappe; the push puts the
      // assistant's value back and keeps the one it replaced; "Restore the previous values" shows it, puts it back
      // (PUT /api/resource/Connected App/<name>) and reads it back from Frappe (the stand-in's documents).
      const app = () => frappe.docs['Connected App']!.get(frappeApp)!;
      frappe.docs['Connected App']!.set(frappeApp, { ...app(), provider_name: 'Office 365 (old)' });
      await card.getByRole('button', { name: 'Test and show the plan' }).click();
      await expect(card.getByTestId('push-plan').locator('[data-item="connected-app"]')).toHaveAttribute('data-action', 'update');
      await card.getByRole('button', { name: 'Put it into Frappe' }).click();
      await expect(card.getByTestId('push-result')).toHaveAttribute('data-status', 'configured', { timeout: 60_000 });
      expect(app().provider_name).toBe('Microsoft 365');
      const restore = card.getByTestId('push-restore');
      await restore.getByRole('button', { name: 'Restore the previous values' }).click();
      await expect(restore.getByTestId('push-restore-plan').locator('[data-item="connected-app"]')).toContainText('provider_name = Office 365 (old)');
      await screen(page, 'push-frappe', '08-done-restore-plan', true);
      expect(app().provider_name, 'nothing is put back before the person confirms').toBe('Microsoft 365');
      await restore.getByRole('button', { name: 'Put these back' }).click();
      await expect(card.getByTestId('push-restored')).toContainText('The previous values are back, read back from the target');
      await screen(page, 'push-frappe', '08-done-restored', true);
      expect(app().provider_name).toBe('Office 365 (old)');
      expect(app().client_id, 'only what the push replaced is put back').toBe(h.deps.store.list()[0]!.profile.clientId);
      await expect(card.getByTestId('push-restore')).toHaveCount(0);
      await expect(page.getByTestId('target-steps')).not.toHaveAttribute('data-done-by', 'assistant');
      // Put the pushed values back again, so the journey below ends on a configured target.
      await card.getByRole('button', { name: 'Test and show the plan' }).click();
      await card.getByRole('button', { name: 'Put it into Frappe' }).click();
      await expect(card.getByTestId('push-result')).toHaveAttribute('data-status', 'configured', { timeout: 60_000 });
      expect(app().provider_name).toBe('Microsoft 365');
    }

    // No secret, key or token in the page, the IPC answers and events, the logs, or the app's files.
    const saved = h.deps.store.list()[0]!;
    const clientSecret = (await h.deps.secrets.get(secretKey(saved.id)))!;
    const refreshToken = await refreshTokenFromVault(h.deps.resolve(saved).profile, h.deps.secrets);
    expect(refreshToken, 'the proving sign-in left its refresh token in the vault').toBeTruthy();
    const files = filesUnder(h.deps.dir).filter((f) => !f.endsWith('secrets.json')).map((f) => readFileSync(f, 'utf8'));
    const texts = [await page.content(), ...h.seen, ...h.errors, ...h.app.logs, ...files];
    for (const s of [clientSecret, refreshToken!, ...typed]) for (const text of texts) expect(text.includes(s), 'a secret reached the renderer, a log or a file').toBe(false);
    expect(saved.targetConnection).toMatchObject({ kind: seed.target === 'flectra' ? 'odoo' : seed.target, lastPush: { status: 'configured' } });

    // Main asked the host question once for the whole push (issue 18), naming everything it sends there.
    // Frappe: that question was asked on Details, before the Connected App was made (issue 19), naming the same.
    const hostQuestions = h.deps.confirmations.filter((q) => q.title.startsWith('Send this connection') || q.title.startsWith('Create a Connected App in Frappe'));
    expect(hostQuestions, 'one question for the host, not one per step').toHaveLength(1);
    expect(hostQuestions[0]!.detail).toMatch(/client secret/);
    expect(hostQuestions[0]!.detail).toMatch(/sign-in of/);
    a.answered(h.deps.confirmations); // main's question naming the host and what is sent, before the first push (issue 18)
    a.mark('sends');
    if (seed.asksByItself) {
      // "Not now" in the question opened by itself: the plan and "Put it into" stay, nothing is written. EmailEngine
      // lost the account (deleted there), a new paste reads a plan with that change, and the answer is no.
      ee.accounts.clear();
      answerPush = false;
      const asked = h.deps.confirmations.length;
      const field = card.getByRole('textbox', { name: 'Access token', exact: true });
      await field.dispatchEvent('paste');
      await field.fill(EE_TOKEN);
      await expect(card.getByTestId('push-declined')).toContainText('Nothing was written');
      // Nothing was written and the plan read shows changes: the manual steps are the true state, not "done by the assistant".
      await expect(page.getByTestId('target-steps')).not.toHaveAttribute('data-done-by', 'assistant');
      await expect(page.getByTestId('target-steps')).not.toContainText('done by the assistant');
      expect(h.deps.confirmations.slice(asked).map((q) => q.confirmLabel), 'the host is allowed now: the question names the plan only').toEqual(['Put it into EmailEngine']);
      await expect(card.getByTestId('push-plan').locator('[data-action="create"]').first()).toBeVisible();
      await expect(card.getByRole('button', { name: 'Put it into EmailEngine' })).toBeEnabled();
      expect(ee.accounts.size, 'declined: nothing written').toBe(0);
      await screen(page, 'push-emailengine', '08-done-declined', true);
      // Put it into, the button, later: the host was allowed at the first push, so main writes the plan shown; the account is back.
      await card.getByRole('button', { name: 'Put it into EmailEngine' }).click();
      await expect(card.getByTestId('push-result')).toHaveAttribute('data-status', 'configured', { timeout: 60_000 });
      seed.sends();
      await expect(page.getByTestId('target-steps')).toHaveAttribute('data-done-by', 'assistant');
    }
    // Issue 18 regression: the page's next saves (Back, Next, Back to the start) keep what main wrote.
    const written = h.deps.store.list()[0]!.targetConnection;
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await expectScreen(page, 'test');
    await next(page);
    await expectScreen(page, 'done');
    await page.getByRole('button', { name: 'Back to the start' }).click();
    await expect.poll(() => h.deps.store.list()[0]!.wizard.step).toBe('done');
    expect(h.deps.store.list()[0]!.targetConnection, 'the page erased the target connection main wrote').toEqual(written);

    console.log(a.report());
    // Odoo/Flectra with two-factor sign-in on: the API key is made first (ODOO_API_KEY_STEPS) and pasted where the
    // password was typed: the same journey plus those steps (computed from this measured list, said so in the key's name).
    // Frappe with two-factor sign-in on: the assistant cannot sign in with the password, so the Connected App is made by
    // hand and its Redirect URI pasted on Details (CONNECTED_APP_BY_HAND + 1) instead of the password, Create and main's
    // question (-3); the API key and secret are made and pasted on the card (FRAPPE_API_KEY_STEPS, pasted they start the
    // test and the plan), and main's question naming the site is asked at the push (+1): this measured list plus those.
    const withKey =
      seed.target === 'odoo' || seed.target === 'flectra'
        ? { [`${seed.target}/push-clicks-two-factor-computed`]: a.marked('sends') + ODOO_API_KEY_STEPS.length }
        : seed.target === 'frappe'
          ? { 'frappe/push-clicks-two-factor-computed': a.marked('sends') + CONNECTED_APP_BY_HAND.length + 1 - 3 + FRAPPE_API_KEY_STEPS.length + 1 }
          : {};
    recordHumanActions({ [`${seed.target}/push`]: a.count, [`${seed.target}/push-clicks`]: a.marked('sends'), ...withKey });
    // The administrator's first consent (shown by the sign-in) is its one step more (SIGN_IN_TABLE).
    expect(a.marked('sends'), `every action to "${seed.name} sends mail"\n${a.report()}`).toBeLessThanOrEqual(CLICKS_TO_SENDING[seed.target] + (adminShown.consent ? 1 : 0));
    expect(h.errors).toEqual([]);
    await sb.close();
  });
}
