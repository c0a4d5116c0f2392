import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { secretKey } from '../../electron/ipc/handlers';
import { startEmulator, type Emulator } from '../emulator/index';
import { HumanActions, recordHumanActions } from './host/actions';
import { checkStatuses, DEMO, screen, useEmulatorServers } from './host/journey';
import { allPassedFor } from './host/statuses';
import { adminSignsIn, signInWithMfa } from './host/register';
import { hostRegistration } from './host/registerJourney';
import { serveRenderer } from './host/testHost';
import { expectScreen, next } from './host/wizard';

// Issue 10, "Create it for me": for each seed system, from New connection to green checks and the
// export against the emulator (its Graph directory creates a real registration the mailbox can sign
// in with), counting every human action. Fails above 5. Counts go to test/artifacts/human-actions.json.
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
// No clipboard permission: the host refuses it, as the app does; copies go through main (deps.clipboard).
test.describe.configure({ timeout: 150_000 });

interface Seed {
  target: string;
  name: string;
  inputs: Record<string, { value: string; label: string }>;
  appOnly?: boolean;
  exportFormat: string;
  /** What the person does in the target before Details (its own documentation's steps). */
  inTarget?: { what: string; steps: string[] };
}

const SEEDS: Seed[] = [
  { target: 'odoo', name: 'Odoo', inputs: { baseUrl: { value: 'https://erp.fabrikam.com', label: 'the Odoo address' } }, exportFormat: 'odoo-system-parameters' },
  { target: 'flectra', name: 'Flectra', inputs: { baseUrl: { value: 'https://erp.fabrikam.com', label: 'the Flectra address' } }, exportFormat: 'env' },
  { target: 'flexdeploy', name: 'FlexDeploy', inputs: { baseUrl: { value: 'https://deploy.fabrikam.com', label: 'the FlexDeploy address' } }, exportFormat: 'profile-json' },
  { target: 'emailengine', name: 'EmailEngine', inputs: { baseUrl: { value: 'http://localhost:3000', label: 'the EmailEngine address' } }, exportFormat: 'emailengine-oauth2-json' },
  {
    target: 'frappe',
    name: 'Frappe',
    // Issue 14 item 12: one pasted Redirect URI gives the site and the Connected App's name. Creating the
    // Connected App in Frappe is a step in the target (like every target-side step, counted by the push journey).
    inputs: { frappeRedirect: { value: 'https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/ms365', label: 'the Redirect URI Frappe shows (pasted)' } },
    exportFormat: 'frappe-connected-app',
    // ../shared/docs/TARGETS.md (Frappe): "Connected App (create first, copy its Redirect URI)"; Provider Name is its one required field.
    inTarget: { what: 'make the Connected App in Frappe (its Redirect URI is pasted on Details)', steps: ['open Connected App', 'Add Connected App', 'type the Provider Name', 'Save', 'copy the Redirect URI'] },
  },
  { target: 'cxt', name: 'CXT', inputs: {}, appOnly: true, exportFormat: 'profile-json' },
];

/**
 * Every action from New connection to green checks and the saved export (issue 19). The targets
 * are Odoo, Flectra, FlexDeploy, EmailEngine 12, Frappe 14, CXT 9; these are the bounds reached (see the
 * report printed by each test for the list): measured 22 (Odoo) and 16 (CXT) before the Credentials screen
 * and "Go to the test" were removed from this path. The administrator's first sign-in alone is 6; the bounds
 * are for that first-time sign-in (a later test in the same emulator run skips the consent: one fewer).
 */
// Measured (issue 19), plus the one click on main's native question before the first Graph write (issue 18).
// CXT +2 (issue 19, safe by default): the Exchange administrator's scoping step (copy the commands, run them).
const CLICKS_TO_GREEN: Record<string, number> = { odoo: 20, flectra: 20, flexdeploy: 20, emailengine: 20, frappe: 25, cxt: 19 };

for (const seed of SEEDS) {
  test(`${seed.target}: Create it for me, from New connection to green checks and the export, at most 5 human actions`, async ({ page, browser }) => {
    const h = await hostRegistration(page, browser, emu, server.url);
    const a = new HumanActions(`${seed.target}, Create it for me`);
    const shots = seed.target === 'odoo' || seed.target === 'cxt';

    await page.getByRole('button', { name: /^(Get started|New connection)$/ }).click();
    a.plain('New connection');
    await expectScreen(page, 'system');
    await page.locator(`[data-target="${seed.target}"]`).click();
    a.act(`choose the system: ${seed.name}`);
    await next(page);
    a.plain('Next');
    await expectScreen(page, 'details');
    if (seed.inTarget) a.inTarget(seed.inTarget.what, seed.inTarget.steps);
    for (const [id, input] of Object.entries(seed.inputs)) {
      await page.locator(`[data-input="${id}"]`).fill(input.value);
      a.act(`type ${input.label}`);
    }
    await page.getByLabel('The mailbox it sends and reads as').fill(DEMO.reception.upn);
    a.act('type the mailbox');
    await useEmulatorServers(page, emu);
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
    a.signIn('sign in as the administrator (the sign-in window says so)', await adminSignsIn(h.auth, emu));
    await expect(page.getByTestId('create-success')).toBeVisible({ timeout: 90_000 });
    a.answered(h.deps.confirmations); // main's native question before the first Graph write (issue 18)
    await expect(page.getByTestId('registration-progress').locator('[data-state="done"]').first()).toBeVisible();
    if (shots) await screen(page, 'register', `created-${seed.target}`);

    const saved = h.deps.store.list()[0]!;
    const appId = saved.profile.clientId!;
    expect(appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(saved.profile.tenant).toBe(DEMO.tenant);
    expect(saved.registration).toMatchObject({ method: 'created', state: 'complete', appId, lintStatus: 'clean' });
    const secret = await h.deps.secrets.get(secretKey(saved.id));
    expect(secret, 'the new secret is in the vault').toBeTruthy();
    // The directory really has it: the emulator's live scenario holds the created app.
    expect(emu.scenario.apps.some((x) => x.clientId === appId)).toBe(true);

    if (seed.appOnly) {
      // Issue 19, safe by default: the app reaches no mailbox until an Exchange administrator scopes it to this one
      // (RBAC for Applications; Microsoft Graph cannot). They run the handed-over commands; the emulator's Exchange stands in.
      await expect(page.getByTestId('created-reach')).toContainText('reaches no mailbox until an Exchange administrator limits it');
      const sp = emu.scenario.apps.find((x) => x.clientId === appId)!.servicePrincipalId;
      await expect(page.locator('[data-manual-step="limit-mailbox-scope"]')).toContainText(sp);
      emu.admin.exchangeRegisterServicePrincipal({ appId, objectId: sp });
      for (const role of ['Mail.Read', 'Mail.Send'] as const) emu.admin.exchangeAssignGraphRole({ app: sp, role, mailboxes: [DEMO.reception.upn] });
      a.inTarget('the Exchange administrator limits the app to the mailbox (RBAC for Applications, the commands handed over)', ['copy the commands', 'run them in Exchange Online PowerShell']);
    }

    // Creation filled the credentials (the IDs, the secret in the vault): Next skips that screen (issue 19).
    // The Credentials screen still shows what was filled, for whoever goes Back to it.
    const afterCreate = page.getByRole('button', { name: seed.appOnly ? 'Go to the test' : 'Sign in as the mailbox' });
    await expect(afterCreate).toBeEnabled();
    await afterCreate.click();
    a.plain(seed.appOnly ? 'Go to the test' : 'Sign in as the mailbox (Next after creation: the sign-in opens at once)');

    // App-only (CXT): no one signs in; straight to the test.
    if (!seed.appOnly) {
      await expectScreen(page, 'signin');
      const win = await h.auth.nextWindow();
      expect(h.auth.headers[h.auth.headers.length - 1], 'the mailbox window has no administrator header').toBe('');
      const shown = await signInWithMfa(win, emu, DEMO.reception.upn, DEMO.reception.password);
      expect(shown.accountKnown, 'the mailbox window starts with its name filled in').toBe(true);
      a.signIn('sign in as the mailbox', shown);
      // A matching sign-in goes on to the test by itself: no "Go to the test" click.
      await expectScreen(page, 'test');
      if (shots) await screen(page, 'register', `signed-in-test-${seed.target}`, false);
    }

    const statuses = await checkStatuses(page);
    expect(statuses, `${JSON.stringify(statuses)}\n${await page.locator('[data-screen="test"]').innerText()}`).toEqual(allPassedFor(seed.target));
    await expect(page.getByTestId('test-summary')).toContainText('All checks passed');
    await next(page);
    a.plain('Export the settings');

    await expectScreen(page, 'done');
    await page.locator(`[data-format="${seed.exportFormat}"]`).getByRole('button', { name: /^Save/ }).click();
    a.plain('Save the export');
    a.plain('Save in the OS save dialog (the end of the journey)');
    a.mark('green');
    await expect.poll(() => h.deps.savedFiles.length).toBe(1);
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
    recordHumanActions({ [seed.target]: a.count, [`${seed.target}/clicks`]: a.marked('green') });
    expect(a.count, a.report()).toBeLessThanOrEqual(5);
    expect(a.marked('green'), `every action to green checks and the export\n${a.report()}`).toBeLessThanOrEqual(CLICKS_TO_GREEN[seed.target]!);
    expect(h.errors).toEqual([]);
  });
}
