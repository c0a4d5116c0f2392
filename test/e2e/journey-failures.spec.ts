import type { Browser, Page } from '@playwright/test';
import { expect, test, type Hosts } from './host/fixtures';
import { signInOnEmulator } from './host/authWindow';
import { checkStatuses, DEMO } from './host/journey';
import { expectNoCopyOfUnknownValues } from './host/journey14';
import { ODOO, resumeSeeded, SEEDS } from './host/wizardJourney';
import { expectAccessible, expectScreen, next, screenshotDir } from './host/wizard';

// Issue 14 item 6 and the failure cards: after a failed check "Run all again" is the primary action,
// continuing is a confirmed secondary one, and Done opens with what is broken and its fix. Each
// failure card a user meets in these journeys is saved as card-<code>.png.
test.describe.configure({ timeout: 180_000 });

const BRAND = 'rgb(15, 108, 189)';
// The pointer is moved away first: a button under the resting mouse shows its hover colour, not its own; the
// colour then fades back (Fluent's transition), so callers poll for the resting colour.
const background = async (page: Page, name: string | RegExp) => {
  await page.mouse.move(0, 0);
  return page.getByRole('button', { name }).first().evaluate((b) => getComputedStyle(b).backgroundColor);
};

async function cardShots(page: Page): Promise<string[]> {
  const codes: string[] = [];
  for (const card of await page.getByTestId('diagnosis').all()) {
    const code = (await card.getAttribute('data-code'))!;
    await card.screenshot({ path: `${screenshotDir}/card-${code}.png` });
    codes.push(code);
  }
  return codes;
}

/** The CXT connection screens 1-5 save (seeded, resumed from Start: issue 23), through its checks. */
async function cxtToTest(page: Page, browser: Browser, hosts: Hosts, opts: { secret?: string; graphUrl?: string }): Promise<Record<string, string>> {
  await resumeSeeded(page, browser, hosts, SEEDS.find((s) => s.target === 'cxt')!, DEMO.reception.upn, opts);
  return checkStatuses(page);
}

test('a failed check: "Run all again" is primary, continuing asks first, Done opens with what is broken and its fix', async ({ page, browser, emu, server }) => {
  const statuses = await cxtToTest(page, browser, { emu, server }, { secret: 'Wrong~Secret.Value_0123456789abcdefGHIJ' });
  expect(Object.values(statuses)).toContain('failed');
  await expect(page.getByTestId('test-summary')).toContainText('failed');
  await expect.poll(() => background(page, 'Run all again'), 'the primary button rests in the brand colour').toBe(BRAND);
  const cont = page.getByRole('button', { name: 'Continue with failures…' });
  expect(await cont.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(BRAND);
  await expectAccessible(page, 'test with a failure');
  await expectNoCopyOfUnknownValues(page, 'test with a failure');
  const codes = await cardShots(page);
  expect(codes.length).toBeGreaterThan(0);
  await page.screenshot({ path: `${screenshotDir}/journey-cxt-07-test-failed.png`, fullPage: true });
  await cont.click();
  const confirm = page.getByTestId('continue-confirm');
  await expect(confirm).toContainText('Continue with');
  await expect(confirm.getByRole('button', { name: 'Run all again' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Continue to Done' }).click();
  await expectScreen(page, 'done');
  await expect(page.getByTestId('done-verdict')).toContainText('Not working yet');
  const broken = page.getByTestId('done-broken');
  await expect(broken.getByTestId('diagnosis').first()).toHaveAttribute('data-code', codes[0]!);
  await expectAccessible(page, 'done with a failure');
  await page.screenshot({ path: `${screenshotDir}/journey-cxt-08-done-failed.png`, fullPage: true });
});

test('failure cards: expired secret, a closed Graph port', async ({ page, browser, emu, server }) => {
  emu.admin.setFault('secretExpired', true);
  try {
    await cxtToTest(page, browser, { emu, server }, {});
    expect((await cardShots(page)).length).toBeGreaterThan(0);
  } finally {
    emu.admin.setFault('secretExpired', false);
  }
  const second = await page.context().newPage();
  const port = emu.admin.closedPort();
  await cxtToTest(second, browser, { emu, server }, { graphUrl: `https://127.0.0.1:${port}` });
  // Item 10: in the user's words, and a request the network team can act on (host and port), from this computer.
  await expect(second.getByTestId('network-words').first()).toContainText('from this computer');
  await expect(second.getByTestId('network-request').first()).toContainText(`127.0.0.1 on port ${port}`);
  expect((await cardShots(second)).length).toBeGreaterThan(0);
});

test('failure cards: SMTP AUTH off for the mailbox, IMAP off for the mailbox (Odoo, delegated)', async ({ page, browser, emu, server }) => {
  for (const [i, user] of [DEMO.sales, { upn: 'noimap@fabrikam.com', password: 'NoImap-Pass-1' }].entries()) {
    const p = i === 0 ? page : await page.context().newPage();
    emu.admin.setApp(DEMO.web, { webRedirectUris: [ODOO.redirect!] });
    const { auth } = await resumeSeeded(p, browser, { emu, server }, ODOO, user.upn);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signInOnEmulator(await auth.nextWindow(), user.upn, user.password);
    await expect(p.getByTestId('signin-success')).toBeVisible({ timeout: 30_000 });
    await next(p);
    const statuses = await checkStatuses(p);
    expect(Object.values(statuses)).toContain('failed');
    expect((await cardShots(p)).length).toBeGreaterThan(0);
  }
});
