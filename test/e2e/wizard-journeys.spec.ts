import { expect, test } from './host/fixtures';
import { readFileSync } from 'node:fs';
import { signInOnEmulator } from './host/authWindow';
import { checkStatuses, DEMO, screen } from './host/journey';
import { allPassedFor } from './host/statuses';
import { SEEDS, setUp, upToSignIn, expectSavedAsSeeded } from './host/wizardJourney';
import { expectScreen, next } from './host/wizard';

// The complete journeys: the built renderer, the real handlers and engine, the Microsoft 365
// emulator behind them, the emulator's sign-in page driven in a fresh browser context.
// No clipboard permission: the host refuses it, as the app does; copies go through main (deps.clipboard).
// The failure tests after screen 5 start from the connection these journeys save (wizard-failures.spec.ts).
test.describe.configure({ timeout: 150_000 });

for (const seed of SEEDS) {
  test(`${seed.target}: the complete journey against the emulator, checks green, export produced`, async ({ page, browser, emu, server }) => {
    const { deps, auth, errors } = await setUp(page, browser, { emu, server });
    const shots = `seed-${seed.label}`;
    if (seed.redirect) emu.admin.setApp(DEMO.web, { webRedirectUris: [seed.redirect] });
    await upToSignIn(page, emu, seed, DEMO.reception.upn, { shots });
    // Screens 1-5 saved the connection the failure tests are seeded with (profile, step, secret in the vault).
    await expectSavedAsSeeded(deps, emu, seed, DEMO.reception.upn);

    if (seed.appOnly) {
      await expect(page.getByRole('navigation', { name: 'Wizard steps' })).toContainText('Not needed for');
    } else {
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const win = await auth.nextWindow();
      await signInOnEmulator(win, DEMO.reception.upn, DEMO.reception.password);
      await expect(page.getByTestId('signin-success')).toContainText(`Signed in as ${DEMO.reception.upn}`, { timeout: 30_000 });
      await screen(page, shots, '06-signin');
      await next(page);
    }

    const statuses = await checkStatuses(page);
    expect(statuses).toEqual(allPassedFor(seed.target));
    await expect(page.getByTestId('test-summary')).toContainText('All checks passed');
    await screen(page, shots, '07-test');
    await next(page);

    await expectScreen(page, 'done');
    await expect(page.getByTestId('paste-section').first()).toBeVisible();
    await screen(page, shots, '08-done');
    // The whole paste card, secret left out.
    await page.getByRole('button', { name: 'Copy the whole card' }).click();
    await expect.poll(() => deps.clipboard.readText()).toContain(seed.appOnly ? DEMO.daemon : DEMO.web);
    const card = await deps.clipboard.readText();
    expect(card).toContain(seed.appOnly ? DEMO.daemon : DEMO.web);
    expect(card).not.toContain(seed.appOnly ? DEMO.daemonSecret : DEMO.webSecret);
    // The target's own file format and the hand-over report, saved.
    await page.locator(`[data-format="${seed.exportFormat}"]`).getByRole('button', { name: /^Save/ }).click();
    await page.getByRole('button', { name: 'Save the hand-over report' }).click();
    await page.getByRole('button', { name: /Save an expiry reminder/ }).click();
    await expect.poll(() => deps.savedFiles.length).toBe(3);
    const [file, report, ics] = deps.savedFiles.map((f) => readFileSync(f, 'utf8'));
    for (const s of seed.exportHas) expect(file).toContain(s);
    expect(report).toContain(DEMO.reception.upn);
    expect(ics).toContain('BEGIN:VCALENDAR');
    for (const text of [file, report, ics]) expect(text).not.toContain(seed.appOnly ? DEMO.daemonSecret : DEMO.webSecret);
    // Secrets only on explicit request, with a warning.
    await page.getByRole('switch', { name: 'Include the client secret in copies and exports' }).check();
    await expect(page.getByText('The secret will be in plain text')).toBeVisible();
    await page.getByRole('button', { name: 'Copy the whole card' }).click();
    await expect.poll(() => deps.clipboard.readText()).toContain(seed.appOnly ? DEMO.daemonSecret : DEMO.webSecret);
    expect(deps.confirmations.at(-1)?.title).toBe('Copy the client secret?');
    // The start screen shows the result and the expiry.
    await page.getByRole('button', { name: 'Back to the start' }).click();
    await expect(page.getByTestId('saved-profile')).toContainText('Checks passed');
    // Dates in the system's locale (issue 14 item 16).
    await expect(page.getByTestId('saved-profile')).toContainText(`Secret valid until ${await page.evaluate(() => new Date('2099-12-31T00:00:00').toLocaleDateString(undefined, { dateStyle: 'medium' }))}`);
    expect(errors).toEqual([]);
  });
}
