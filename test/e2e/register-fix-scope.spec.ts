import { expect, test } from './host/fixtures';
import type { ConfirmQuestion } from '../../electron/app/confirmations';
import { demoScenario } from '../emulator/index';
import { DEMO, screen } from './host/journey';
import { adminSignsIn } from './host/register';
import { hostRegistration, toRegister } from './host/registerJourney';

// Issue 19, safe by default on the Check/Fix path too: fixing an app-only registration (CXT) offers the
// same choice as Create it for me. Mail access scoped to the mailbox (Exchange RBAC for Applications) is
// the default; "every mailbox in your organisation" only when the person picks it, in plain words, in
// the plan main confirms (its digest covers the choice) and in main's native question.
const HAND_MADE = {
  clientId: 'c0ffee00-0000-4000-8000-000000000020',
  objectId: 'c0ffee00-0000-4000-8000-000000000021',
  servicePrincipalId: 'c0ffee00-0000-4000-8000-000000000022',
  displayName: 'CXT mail (made by hand)',
};

test.use({ scenario: {
    ...structuredClone(demoScenario),
    apps: [
      ...structuredClone(demoScenario.apps),
      {
        ...HAND_MADE,
        tenantId: DEMO.tenant,
        signInAudience: 'AzureADMultipleOrgs',
        // Broken: the only secret expired. The Graph mail roles are configured, nobody consented to them.
        secrets: [{ id: 'c0ffee00-0000-4000-8000-000000000023', value: 'Cxt~Hand.Expired_0123456789abcdefXY', displayName: 'cxt', expires: '2025-06-30T00:00:00Z' }],
        applicationPermissions: [
          { resource: 'graph', name: 'Mail.Read' },
          { resource: 'graph', name: 'Mail.Send' },
        ],
        applicationAdminConsent: false,
      },
    ],
  } });
test.describe.configure({ timeout: 300_000 });

test('Check/Fix for CXT: the fix plan scopes mail to the mailbox by default; every mailbox only when picked, in plain words; the fix grants no organisation-wide role', async ({ page, browser, emu, server }) => {
  const asked: ConfirmQuestion[] = [];
  const h = await hostRegistration(page, browser, emu, server.url, { confirm: (q) => (asked.push(q), true) });
  await toRegister(page, emu, 'cxt', {});
  await page.getByRole('radio', { name: /Check the one I have/ }).check();
  await page.getByLabel('Application (client) ID of the registration you have').fill(HAND_MADE.clientId);
  await page.getByRole('button', { name: 'Sign in and check it' }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByTestId('lint-report')).toBeVisible({ timeout: 30_000 });

  // The check says what the fix does (issue 19): the Graph mail roles are the Exchange step's, not a consent to fix.
  // In plain words, consenting them would open every mailbox; the fix named is the scoped one; every mailbox is a choice.
  const report = page.getByTestId('lint-report');
  const every = report.locator('[data-testid="finding"][data-code="registration-mail-every-mailbox"]');
  await expect(every).toHaveAttribute('data-fixable', 'false');
  await expect(every).toContainText('would let the app read the mail of and send mail as every mailbox in your organisation');
  await expect(every).toContainText('limits the app to reception@fabrikam.com in Exchange (RBAC for Applications');
  await expect(every).toContainText('every mailbox only if you choose it on the fix plan');
  await expect(report.locator('[data-testid="finding"][data-code="registration-consent-missing"]'), 'no tenant-wide consent offered as a fix').toHaveCount(0);
  await expect(report.locator('[data-testid="finding"][data-fixable="true"]').filter({ hasText: /Mail\.(Read|Send)/ })).toHaveCount(0);
  const fixableCount = await report.locator('[data-testid="finding"][data-fixable="true"]').count();
  await expect(page.getByRole('button', { name: `Fix everything (${fixableCount})…` })).toBeVisible();
  // The Exchange step card: required (not "If it applies"), the management scope and the role assignments for the mailbox.
  const scopeStep = report.locator('[data-manual-step="limit-mailbox-scope"]');
  await expect(scopeStep).toContainText('New-ManagementScope');
  await expect(scopeStep).toContainText("-Role 'Application Mail.Send'");
  await expect(scopeStep).not.toContainText('If it applies');
  await every.scrollIntoViewIfNeeded();
  await screen(page, 'register', 'check-cxt-every-mailbox');

  // Issue 19 item 5: the Exchange commands' Copy stays on the card and the command box scrolls inside
  // itself; nothing makes the card or the screen scroll sideways, even at the window's narrowest (760 px).
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 760, height: 900 });
  const card = page.getByTestId('manual-steps');
  await card.scrollIntoViewIfNeeded();
  await expect(card.getByTestId('manual-command').first()).toBeVisible();
  const layout = await card.evaluate((el) => {
    const c = el.getBoundingClientRect();
    const main = document.querySelector('[data-main]') ?? document.scrollingElement!;
    return {
      cardOverflows: el.scrollWidth > el.clientWidth + 1,
      screenOverflows: main.scrollWidth > main.clientWidth + 1 || document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
      boxes: [...el.querySelectorAll('[data-testid="manual-command"]')].map((pre) => {
        const copy = pre.parentElement!.querySelector('button')!.getBoundingClientRect();
        const p = pre.getBoundingClientRect();
        return { copyInside: copy.left >= c.left && copy.right <= c.right + 0.5, boxInside: p.right <= c.right + 0.5, scrollsInside: (pre as HTMLElement).scrollWidth > (pre as HTMLElement).clientWidth };
      }),
    };
  });
  expect(layout.cardOverflows, 'the card does not scroll sideways').toBe(false);
  expect(layout.screenOverflows, 'the screen does not scroll sideways').toBe(false);
  expect(layout.boxes.length).toBeGreaterThan(0);
  for (const b of layout.boxes) expect(b).toMatchObject({ copyInside: true, boxInside: true });
  expect(layout.boxes.some((b) => b.scrollsInside), 'a long command scrolls inside its own box').toBe(true);
  await card.screenshot({ path: 'test/artifacts/screenshots/register-exchange-commands-narrow.png' });
  await page.setViewportSize(size);

  await page.getByRole('button', { name: /^Fix everything/ }).click();
  const plan = page.getByTestId('fix-plan');
  await expect(plan).toBeVisible({ timeout: 30_000 });
  const reach = plan.getByTestId('plan-reach');
  // The default: only the mailbox; no Graph mail role granted; the Exchange step named.
  await expect(reach.getByRole('radio', { name: /^Only reception@fabrikam\.com \(recommended\)/ })).toBeChecked();
  await expect(reach).not.toContainText('every mailbox in your organisation');
  await expect(plan.getByTestId('plan-scope-step')).toContainText('not by the assistant: an Exchange administrator');
  const changes = plan.getByRole('list', { name: 'Planned changes' });
  await expect(changes).not.toContainText('Mail.Read');
  await expect(changes).toContainText(/client secret/i);
  await screen(page, 'register', 'fix-plan-cxt-scoped');

  // Every mailbox: only by choice, said in plain words, and the plan grants the Graph roles organisation-wide.
  await reach.getByRole('radio', { name: /^Every mailbox in your organisation/ }).check();
  await expect(reach.getByRole('radio', { name: /^Every mailbox in your organisation/ })).toBeChecked({ timeout: 30_000 });
  await expect(reach).toContainText('every mailbox in your organisation');
  await expect(changes).toContainText('Mail.Read');
  await screen(page, 'register', 'fix-plan-cxt-every-mailbox');

  // Back to the mailbox, then the fix: main's question says "scoped", the directory gets no Graph mail role.
  await reach.getByRole('radio', { name: /^Only reception@fabrikam\.com/ }).check();
  await expect(reach.getByRole('radio', { name: /^Only reception@fabrikam\.com/ })).toBeChecked({ timeout: 30_000 });
  await expect(changes).not.toContainText('Mail.Read');
  const before = emu.admin.directory(DEMO.tenant);
  await plan.getByRole('button', { name: /^Make (this change|these \d+ changes)$/ }).click();
  await adminSignsIn(h.auth, emu);
  await expect(page.getByTestId('fix-success')).toBeVisible({ timeout: 60_000 });
  const q = asked.at(-1)!;
  expect(q.detail).not.toMatch(/EVERY MAILBOX/);
  expect(q.detail).toMatch(/scoped by Exchange to “reception@fabrikam\.com” only/);
  const after = emu.admin.directory(DEMO.tenant);
  const added = after.assignments.filter((x) => !before.assignments.some((b) => b.id === x.id));
  expect(added.filter((x) => x.principalId === HAND_MADE.servicePrincipalId), 'no application role granted organisation-wide').toEqual([]);
  const saved = h.deps.store.list()[0]!;
  expect(saved.registration).toMatchObject({ method: 'checked', mailboxScope: 'exchange-rbac' });
  expect(saved.profile.mailboxScope).toBe('exchange-rbac');
  expect(h.errors).toEqual([]);
});
