import { expect, type Page } from '@playwright/test';
import type { Emulator } from '../../emulator/index';
import type { SignInShown } from './actions';
import type { E2eAuthWindow } from './authWindow';
import { whichFirst } from './race';

/** The demo scenario's administrator (test/emulator/scenarios/demo.json): Global Administrator, with MFA. */
export const ADMIN = { upn: 'admin@fabrikam.com', password: 'Admin-Pass-1' } as const;

/**
 * Signs in on the emulator's page, entering the MFA code and accepting consent when they are asked for.
 * Returns what the sign-in showed (for the action counter's table): whether the account was already
 * filled in (login_hint), MFA, consent.
 */
export async function signInWithMfa(win: Page, emu: Emulator, upn: string, password: string): Promise<SignInShown> {
  const account = win.locator('#i0116');
  await account.waitFor({ state: 'visible' });
  const accountKnown = (await account.inputValue()).toLowerCase() === upn.toLowerCase();
  await account.fill(upn);
  await win.locator('#idSIButton9').click();
  await win.locator('#i0118').fill(password);
  await win.locator('#idSIButton9').click();
  const otc = win.locator('#idTxtBx_SAOTCC_OTC');
  const accept = win.locator('#idBtn_Accept');
  // 'left': the redirect went on to the app's address (a browser tab or a seeded session), nothing more to answer.
  let next = await whichFirst(win, { otc, accept, error: win.locator('.err, #errorText, #mfaError') }, { leaves: emu.loginUrl });
  const mfa = next === 'otc';
  if (next === 'otc') {
    await otc.fill(emu.scenario.settings.mfaCode);
    await win.locator('#idSubmit_SAOTCC_Continue').click();
    next = await whichFirst(win, { accept, error: win.locator('.err, #errorText, #mfaError') }, { leaves: emu.loginUrl });
  }
  if (next === 'accept') await accept.click();
  return { accountKnown, mfa, consent: next === 'accept' };
}

/** The next sign-in window, asserted to be the administrator's (its header says so), then signed in. */
export async function adminSignsIn(auth: E2eAuthWindow, emu: Emulator, who: { upn: string; password: string } = ADMIN): Promise<SignInShown> {
  const win = await auth.nextWindow();
  expect(auth.headers[auth.headers.length - 1]).toMatch(/^Sign in as an administrator .*not as the mailbox/);
  return signInWithMfa(win, emu, who.upn, who.password);
}

/**
 * The administrator's sign-in in the system browser (the app opened a tab through the SystemBrowser
 * port; the redirect goes to the engine's loopback listener). With a Microsoft session in that browser
 * the emulator shows "Pick an account" (prompt=select_account): the administrator picks their tile, then
 * accepts the consent if this is the first time. Without one it is the full sign-in, as in the window.
 * Ends when the listener's page says "Signed in". Returns what the sign-in showed.
 */
export async function adminSignsInInBrowser(tab: Page, emu: Emulator, who: { upn: string; password: string } = ADMIN): Promise<SignInShown & { pickerShown: boolean }> {
  const picker = tab.getByRole('heading', { name: 'Pick an account' });
  const account = tab.locator('#i0116');
  const first = await whichFirst(tab, { picker, account });
  let shown: SignInShown;
  if (first === 'picker') {
    await tab.locator(`[data-test-id="${who.upn}"]`).click();
    const accept = tab.locator('#idBtn_Accept');
    const done = tab.getByRole('heading', { name: 'Signed in' });
    const next = await whichFirst(tab, { accept, done, error: tab.locator('.err, #errorText') }, { leaves: emu.loginUrl });
    if (next === 'accept') await accept.click();
    else if (next !== 'done' && next !== 'left') throw new Error(`after picking the account: ${next}`);
    shown = { accountKnown: true, sessionInBrowser: true, mfa: false, consent: next === 'accept' };
  } else if (first === 'account') {
    shown = await signInWithMfa(tab, emu, who.upn, who.password);
  } else throw new Error(`the browser sign-in showed neither the account picker nor the sign-in page (${first})`);
  // The loopback listener answered the redirect: the tab says to go back to the app (and shows no code).
  await expect(tab.getByRole('heading', { name: 'Signed in' })).toBeVisible({ timeout: 15_000 });
  expect(tab.url()).toMatch(/^http:\/\/localhost:\d+\/\?/);
  expect(await tab.locator('body').innerText()).not.toMatch(/code=/);
  return { ...shown, pickerShown: first === 'picker' };
}
