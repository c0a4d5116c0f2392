import { expect, test } from './host/fixtures';
import { secretKey } from '../../electron/ipc/handlers';
import { demoScenario } from '../emulator/index';
import { checkStatuses, DEMO, screen } from './host/journey';
import { allPassedFor } from './host/statuses';
import { adminSignsIn, signInWithMfa } from './host/register';
import { hostRegistration, toRegister } from './host/registerJourney';
import { expectScreen, next } from './host/wizard';

// Issue 10, "Check the one I have": a registration made by hand and broken three ways (a trailing
// slash on the redirect URI, no admin consent, only an expired secret) is read through the emulator's
// Graph directory, each finding shown, fixed with one "Fix everything", and then the checks pass.
const BROKEN = {
  clientId: 'c0ffee00-0000-4000-8000-000000000010',
  objectId: 'c0ffee00-0000-4000-8000-000000000011',
  servicePrincipalId: 'c0ffee00-0000-4000-8000-000000000012',
  displayName: 'Odoo mail (made by hand)',
  expiredSecret: 'Hand~Made.Expired_0123456789abcdefXY',
  redirect: 'https://erp.fabrikam.com/microsoft_outlook/confirm',
};

test.use({ scenario: {
    ...structuredClone(demoScenario),
    apps: [
      ...structuredClone(demoScenario.apps),
      {
        clientId: BROKEN.clientId,
        objectId: BROKEN.objectId,
        servicePrincipalId: BROKEN.servicePrincipalId,
        displayName: BROKEN.displayName,
        tenantId: DEMO.tenant,
        signInAudience: 'AzureADandPersonalMicrosoftAccount',
        requestedAccessTokenVersion: 2,
        // Broken 1: a trailing slash (AADSTS50011 at the first sign-in).
        webRedirectUris: [`${BROKEN.redirect}/`],
        // Broken 3: the only secret expired (AADSTS7000222).
        secrets: [{ id: 'c0ffee00-0000-4000-8000-000000000013', value: BROKEN.expiredSecret, displayName: 'odoo', expires: '2025-06-30T00:00:00Z' }],
        delegatedPermissions: [
          { resource: 'graph', name: 'IMAP.AccessAsUser.All' },
          { resource: 'graph', name: 'SMTP.Send' },
          { resource: 'graph', name: 'offline_access' },
          { resource: 'graph', name: 'User.Read' },
        ],
        // Broken 2: nobody granted admin consent.
        delegatedAdminConsent: false,
      },
    ],
  } });
test.describe.configure({ timeout: 300_000 });

test('Check the one I have: three findings shown, Fix everything, then green checks', async ({ page, browser, emu, server }) => {
  const h = await hostRegistration(page, browser, emu, server.url);
  await toRegister(page, emu, 'odoo', { baseUrl: 'https://erp.fabrikam.com' });
  await page.getByRole('radio', { name: /Check the one I have/ }).check();
  await page.getByLabel('Application (client) ID of the registration you have').fill(BROKEN.clientId);
  await expect(page.getByTestId('admin-header')).toContainText('not the mailbox');
  await screen(page, 'register', 'check-start');
  await page.getByRole('button', { name: 'Sign in and check it' }).click();
  await adminSignsIn(h.auth, emu);

  const report = page.getByTestId('lint-report');
  await expect(report).toBeVisible({ timeout: 30_000 });
  const codes = await page.getByTestId('finding').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
  expect(codes).toEqual(expect.arrayContaining(['registration-redirect-differs-trailing-slash', 'registration-consent-missing', 'registration-secret-expired']));
  for (const code of ['registration-redirect-differs-trailing-slash', 'registration-consent-missing', 'registration-secret-expired']) {
    await expect(page.locator(`[data-testid="finding"][data-code="${code}"]`)).toHaveAttribute('data-fixable', 'true');
  }
  await expect(page.locator('[data-testid="finding"][data-code="registration-redirect-differs-trailing-slash"]')).toContainText(BROKEN.redirect);
  // Issue 19: "Assignment required? is No" is information and a separate choice, with who would be locked
  // out; the contradictory "not assigned, and assignment is required" does not appear beside it.
  const assignment = page.locator('[data-testid="finding"][data-code="registration-assignment-not-required"]');
  await expect(assignment).toHaveAttribute('data-fixable', 'false');
  await expect(assignment).toContainText('not part of Fix everything');
  await expect(assignment).toContainText('would be locked out unless assigned first');
  await expect(page.locator('[data-testid="finding"][data-code="registration-mailbox-not-assigned"]')).toHaveCount(0);
  expect(h.deps.store.list()[0]!.registration).toMatchObject({ method: 'checked', lintStatus: 'errors', appId: BROKEN.clientId });
  await screen(page, 'register', 'check-findings');

  // One button for all. First the plan, read from the tenant: nothing is written before the confirmation.
  const writesBefore = JSON.stringify(emu.scenario.apps.find((a) => a.clientId === BROKEN.clientId));
  await page.getByRole('button', { name: /^Fix everything/ }).click();
  const plan = page.getByTestId('fix-plan');
  await expect(plan).toBeVisible({ timeout: 30_000 });
  const changes = plan.getByRole('list', { name: 'Planned changes' });
  const planned = await changes.getByRole('listitem').count();
  expect(planned).toBeGreaterThanOrEqual(3);
  await expect(plan).toContainText(BROKEN.redirect);
  await expect(plan).toContainText(/client secret/i);
  expect(JSON.stringify(emu.scenario.apps.find((a) => a.clientId === BROKEN.clientId))).toBe(writesBefore);
  // Issue 19: Require assignment is a separate opt-in beside the plan, off, and not among the planned changes.
  await expect(changes, 'Fix everything does not turn on Assignment required').not.toContainText(/Require assignment/i);
  await expect(plan.getByRole('checkbox', { name: 'Require assignment (only assigned users can sign in)' })).not.toBeChecked();
  await screen(page, 'register', 'check-plan');
  // The write scopes need a second, consented sign-in.
  await plan.getByRole('button', { name: `Make these ${planned} changes` }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByTestId('fix-success')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('lint-clean')).toBeVisible();
  await screen(page, 'register', 'check-fixed');

  // The directory shows each fix.
  const app = emu.scenario.apps.find((a) => a.clientId === BROKEN.clientId)!;
  expect(app.webRedirectUris).toContain(BROKEN.redirect);
  expect(emu.scenario.apps.find((a) => a.clientId === BROKEN.clientId)!.appRoleAssignmentRequired ?? false, 'Assignment required is still No').toBe(false);
  expect(app.secrets.some((s) => new Date(s.expires).getTime() > Date.now())).toBe(true);
  const saved = h.deps.store.list()[0]!;
  const secret = await h.deps.secrets.get(secretKey(saved.id));
  expect(secret).toBeTruthy();
  expect(secret).not.toBe(BROKEN.expiredSecret);
  expect(saved.profile).toMatchObject({ clientId: BROKEN.clientId, tenant: DEMO.tenant });
  expect(saved.registration).toMatchObject({ method: 'checked', lintStatus: 'clean' });

  await next(page);
  await expectScreen(page, 'credentials');
  await expect(page.getByLabel('Application (client) ID')).toHaveValue(BROKEN.clientId);
  // Screen 5 checks a typed secret against the registration's secret hints, before any sign-in:
  // another app's secret is caught at once (the administrator is still signed in).
  await page.getByLabel('Client secret Value').fill(DEMO.webSecret);
  await expect(page.locator('[data-testid="credentials-lint"] [data-testid="finding"][data-code="registration-secret-typed-unknown"]')).toBeVisible({ timeout: 15_000 });
  await screen(page, 'register', 'credentials-lint');
  await page.getByLabel('Client secret Value').fill('');
  await next(page);
  await expectScreen(page, 'signin');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signInWithMfa(await h.auth.nextWindow(), emu, DEMO.reception.upn, DEMO.reception.password);
  await expect(page.getByTestId('signin-success')).toBeVisible({ timeout: 30_000 });
  await next(page);
  const statuses = await checkStatuses(page);
  expect(statuses).toEqual(allPassedFor('odoo'));

  const html = await page.content();
  for (const text of [html, ...h.seen]) expect(text.includes(secret!), 'the new secret reached the renderer').toBe(false);
  await page.getByRole('button', { name: 'Export the settings' }).click();
  await page.getByRole('button', { name: 'Back to the start' }).click();
  await expect(page.getByTestId('registration-badge')).toHaveAttribute('data-method', 'checked');
  await expect(page.getByTestId('registration-badge')).toHaveAttribute('data-lint', 'clean');
  expect(h.errors).toEqual([]);
});
