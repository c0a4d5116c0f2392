import { expect, type Page } from '@playwright/test';
import type { Emulator } from '../../emulator/index';
import type { E2eAuthWindow } from './authWindow';

/** The demo scenario's administrator (test/emulator/scenarios/demo.json): Global Administrator, with MFA. */
export const ADMIN = { upn: 'admin@fabrikam.com', password: 'Admin-Pass-1' } as const;

/** Signs in on the emulator's page, entering the MFA code and accepting consent when they are asked for. */
export async function signInWithMfa(win: Page, emu: Emulator, upn: string, password: string): Promise<void> {
  await win.locator('#i0116').fill(upn);
  await win.locator('#idSIButton9').click();
  await win.locator('#i0118').fill(password);
  await win.locator('#idSIButton9').click();
  const otc = win.locator('#idTxtBx_SAOTCC_OTC');
  const accept = win.locator('#idBtn_Accept');
  // Next comes the MFA code, the consent page, or nothing (the redirect was caught and the window closes).
  await otc.or(accept).first().waitFor({ timeout: 5000 }).catch(() => {});
  if (await otc.isVisible().catch(() => false)) {
    await otc.fill(emu.scenario.settings.mfaCode);
    await win.locator('#idSubmit_SAOTCC_Continue').click();
  }
  await accept.click({ timeout: 3000 }).catch(() => {});
}

/** The next sign-in window, asserted to be the administrator's (its header says so), then signed in. */
export async function adminSignsIn(auth: E2eAuthWindow, emu: Emulator, who: { upn: string; password: string } = ADMIN): Promise<void> {
  const win = await auth.nextWindow();
  expect(auth.headers[auth.headers.length - 1]).toMatch(/^Sign in as an administrator .*not as the mailbox/);
  await signInWithMfa(win, emu, who.upn, who.password);
}
