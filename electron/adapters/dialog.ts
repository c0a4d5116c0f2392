import { dialog, type BrowserWindow } from 'electron';
import type { Confirm } from '../app/confirmations';

/**
 * The dialog port's Electron adapter: main's yes/no questions as native message boxes, which the page
 * cannot read, answer or restyle. Cancel is the default and the answer to Escape. The e2e test host
 * and the unit tests plug in their own answerer (test/e2e/host/appDeps.ts).
 */
export function nativeConfirm(window: () => BrowserWindow | undefined): Confirm {
  return async (question) => {
    const options = { type: 'warning' as const, title: question.title, message: question.message, detail: question.detail, buttons: ['Cancel', question.confirmLabel], defaultId: 0, cancelId: 0, noLink: true };
    const parent = window();
    const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
    return response === 1;
  };
}

/** Shown before quitting when the app refuses to start (electron/app/startup-policy.ts). */
export function showStartupRefusal(message: string): void {
  dialog.showErrorBox('Mail OAuth Assistant', message);
}
