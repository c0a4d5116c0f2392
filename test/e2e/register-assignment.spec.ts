import { expect, test } from './host/fixtures';
import type { ConfirmQuestion } from '../../electron/app/confirmations';
import { demoScenario, type Emulator } from '../emulator/index';
import { DEMO, screen } from './host/journey';
import { adminSignsIn } from './host/register';
import { hostRegistration, toRegister } from './host/registerJourney';

// Issue 19, safe by default: "Require assignment" is a separate opt-in on the Check plan, off by default. It
// reads who uses the app today (their own consent and assignments in the directory), names how many would be
// locked out and assigns them too. Asserted on the emulator's directory.
const IN_USE = {
  clientId: 'c0ffee00-0000-4000-8000-000000000020',
  objectId: 'c0ffee00-0000-4000-8000-000000000021',
  servicePrincipalId: 'c0ffee00-0000-4000-8000-000000000022',
  displayName: 'Odoo mail (in use)',
  redirect: 'https://erp.fabrikam.com/microsoft_outlook/confirm',
};

test.use({ scenario: {
    ...structuredClone(demoScenario),
    apps: [
      ...structuredClone(demoScenario.apps),
      {
        clientId: IN_USE.clientId,
        objectId: IN_USE.objectId,
        servicePrincipalId: IN_USE.servicePrincipalId,
        displayName: IN_USE.displayName,
        tenantId: DEMO.tenant,
        signInAudience: 'AzureADandPersonalMicrosoftAccount',
        requestedAccessTokenVersion: 2,
        webRedirectUris: [IN_USE.redirect],
        secrets: [{ id: 'c0ffee00-0000-4000-8000-000000000023', value: 'In~Use.Valid_0123456789abcdefXYZ', displayName: 'odoo', expires: '2030-06-30T00:00:00Z' }],
        delegatedPermissions: [
          { resource: 'graph', name: 'IMAP.AccessAsUser.All' },
          { resource: 'graph', name: 'SMTP.Send' },
          { resource: 'graph', name: 'offline_access' },
          { resource: 'graph', name: 'User.Read' },
        ],
        delegatedAdminConsent: true,
        appRoleAssignmentRequired: false,
      },
    ],
  } });
test.describe.configure({ timeout: 240_000 });

const spOf = (emu: Emulator) => emu.admin.directory(DEMO.tenant).apps.find((a) => a.clientId === IN_USE.clientId)!;
const assignedTo = (emu: Emulator) =>
  emu.admin
    .directory(DEMO.tenant)
    .assignments.filter((a) => a.resourceId === IN_USE.servicePrincipalId)
    .map((a) => a.principalId)
    .sort();

test('Require assignment: off by default, names who would be locked out, and when ticked assigns them before turning it on', async ({ page, browser, emu, server }) => {
  // Someone else signs in to this app today, with their own consent (a Principal grant, no assignment).
  emu.admin.userConsents({ clientId: IN_USE.clientId, upn: DEMO.sales.upn, names: ['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access', 'User.Read'] });
  const asked: ConfirmQuestion[] = [];
  const h = await hostRegistration(page, browser, emu, server.url, { confirm: (q) => (asked.push(q), true) });
  await toRegister(page, emu, 'odoo', { baseUrl: 'https://erp.fabrikam.com' });
  await page.getByRole('radio', { name: /Check the one I have/ }).check();
  await page.getByLabel('Application (client) ID of the registration you have').fill(IN_USE.clientId);
  await page.getByRole('button', { name: 'Sign in and check it' }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByTestId('lint-report')).toBeVisible({ timeout: 30_000 });
  const finding = page.locator('[data-testid="finding"][data-code="registration-assignment-not-required"]');
  await expect(finding).toContainText('1 person the directory shows signing in to this app today is not assigned');
  // The contradiction the walk found is gone: no "not assigned, and assignment is required" while it is No.
  await expect(page.locator('[data-testid="finding"][data-code="registration-mailbox-not-assigned"]')).toHaveCount(0);

  const review = page.getByRole('button', { name: /^(Fix everything \(\d+\)…|Review the assignment option…)$/ });
  await review.click();
  const plan = page.getByTestId('fix-plan');
  await expect(plan).toBeVisible({ timeout: 30_000 });
  const optIn = plan.getByRole('checkbox', { name: 'Require assignment (only assigned users can sign in)' });
  await expect(optIn).not.toBeChecked();
  const changes = plan.getByRole('list', { name: 'Planned changes' });
  await expect(changes).not.toContainText('Require assignment');
  await expect(plan.getByTestId('assignment-opt-in')).toContainText('1 person the directory shows using this app today is not assigned and would be locked out; turning this on assigns them too.');
  await expect(plan.getByTestId('assignment-opt-in')).toContainText('only the sign-in logs list them');
  const salesId = emu.admin.directory(DEMO.tenant).grants.find((g) => g.consentType === 'Principal' && g.clientId === IN_USE.servicePrincipalId)!.principalId!;
  // Issue 19: who signs in today, by name as Graph has them (display name and user principal name), not object ids.
  const people = plan.getByTestId('assignment-people');
  await expect(people.locator('li[data-locked-out="true"]')).toHaveText('Fabrikam Sales (sales@fabrikam.com): not assigned, would be locked out');
  await expect(people).toContainText('Fabrikam Reception (reception@fabrikam.com): the mailbox');
  await expect(plan.getByTestId('assignment-opt-in')).not.toContainText(salesId);
  await screen(page, 'register', 'assignment-opt-in-off');

  await optIn.check();
  await expect(plan.getByRole('checkbox', { name: 'Require assignment (only assigned users can sign in)' })).toBeChecked({ timeout: 30_000 });
  await expect(changes).toContainText('Require assignment on the enterprise application (only assigned users may sign in)');
  await expect(changes).toContainText('Assign Fabrikam Sales (sales@fabrikam.com) (who signs in to this app today)');
  await expect(changes).not.toContainText(salesId);
  await expect(plan.getByTestId('assignment-opt-in')).toContainText('the plan assigns them too');
  await expect(people.locator('li[data-locked-out="true"]')).toHaveText('Fabrikam Sales (sales@fabrikam.com): not assigned, the plan assigns them');
  await screen(page, 'register', 'assignment-opt-in-on');

  expect(spOf(emu).appRoleAssignmentRequired, 'nothing written before the confirmation').toBe(false);
  const planned = await changes.getByRole('listitem').count();
  await plan.getByRole('button', { name: planned === 1 ? 'Make this change' : `Make these ${planned} changes` }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByTestId('fix-success')).toBeVisible({ timeout: 60_000 });

  // Main's question named the change and who loses access.
  const q = asked.at(-1)!;
  expect(q.detail).toMatch(/assignment required: every user not assigned LOSES ACCESS/);
  expect(q.detail).toContain('assign “sales@fabrikam.com”');
  expect(q.detail).not.toContain(salesId);
  // The directory: required, and the person who signed in today is assigned (so not locked out), the mailbox too.
  expect(spOf(emu).appRoleAssignmentRequired).toBe(true);
  expect(assignedTo(emu)).toContain(salesId);
  expect(h.errors).toEqual([]);
});
