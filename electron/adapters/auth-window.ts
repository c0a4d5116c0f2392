import { BrowserWindow, session } from 'electron';
import { randomUUID } from 'node:crypto';
import { HARDENED_WEB_PREFERENCES } from '../security';
import { decideCertificate } from './certificate-trust';
import { isRedirectTarget } from './redirect-match';

/**
 * The AuthWindow port in Electron: a modal window on a fresh in-memory session (no SSO cookies from
 * earlier sign-ins), sandboxed, no preload, no Node, https only, with the host of the page shown in
 * its title. The first request to the redirect URI is cancelled before it leaves the machine and
 * resolves the sign-in with that URL (code + state); closing the window cancels; a timeout ends it
 * cleanly; the session's storage is cleared either way.
 */
export class SignInWindowClosedError extends Error {
  readonly code = 'signin-window-closed';
  constructor() {
    super('The sign-in window was closed before the sign-in finished.');
  }
}
export class SignInTimeoutError extends Error {
  readonly code = 'signin-timeout';
  constructor(ms: number) {
    super(`The sign-in did not finish within ${Math.round(ms / 1000)} seconds.`);
  }
}
export class SignInNotHttpsError extends Error {
  readonly code = 'signin-not-https';
  constructor() {
    super('The sign-in page must be served over https; the app did not open it.');
  }
}

export interface AuthWindowOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Which account should sign in now (e.g. "Sign in as an administrator of Fabrikam, not the mailbox"): the window's title, kept. */
  title?: string;
  header?: string;
}

export const SIGN_IN_TITLE = 'Sign in to Microsoft';

/** The title names the host of the page the person types their password into, after what they do there. */
export function signInTitle(url: string, heading: string = SIGN_IN_TITLE): string {
  try {
    return `${heading} - ${new URL(url).host}`;
  } catch {
    return heading;
  }
}

const isHttps = (url: string) => {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * @param extraCaPem CAs to trust in the sign-in window on top of the system's (a TLS-inspecting proxy,
 *   or the Microsoft 365 emulator when rehearsing), read at each sign-in. Only an "unknown issuer"
 *   verdict is overridden, and only for a chain Node verifies to one of them (certificate-trust.ts).
 * @param settings.devTools DevTools only in an unpackaged (development) build; off by default.
 */
export function createElectronAuthWindow(getParent: () => BrowserWindow | undefined, extraCaPem: string[] | (() => string[]) = [], settings: { devTools?: boolean } = {}) {
  const trustedNow = typeof extraCaPem === 'function' ? extraCaPem : () => extraCaPem;
  return {
    open(authorizeUrl: string, redirectUri: string, options: AuthWindowOptions = {}): Promise<URL> {
      const timeoutMs = options.timeoutMs ?? 5 * 60_000;
      if (!isHttps(authorizeUrl)) return Promise.reject(new SignInNotHttpsError());
      // No "persist:" prefix: the partition lives in memory only and dies with the window.
      const ses = session.fromPartition(`moa-signin-${randomUUID()}`, { cache: false });
      ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
      ses.setPermissionCheckHandler(() => false);
      const trusted = trustedNow();
      if (trusted.length) ses.setCertificateVerifyProc((request, callback) => callback(decideCertificate(request, trusted)));
      const heading = options.header ?? options.title ?? SIGN_IN_TITLE;
      const parent = getParent();
      const win = new BrowserWindow({
        parent,
        modal: parent !== undefined,
        width: 520,
        height: 720,
        title: signInTitle(authorizeUrl, heading),
        autoHideMenuBar: true,
        webPreferences: { ...HARDENED_WEB_PREFERENCES, devTools: settings.devTools ?? false, session: ses },
      });

      return new Promise<URL>((resolve, reject) => {
        let settled = false;
        const finish = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          outcome();
          if (!win.isDestroyed()) win.destroy();
          void ses.clearStorageData().catch(() => {});
        };
        const caught = (url: string): boolean => {
          if (!isRedirectTarget(url, redirectUri)) return false;
          finish(() => resolve(new URL(url)));
          return true;
        };
        const timer = setTimeout(() => finish(() => reject(new SignInTimeoutError(timeoutMs))), timeoutMs);
        const onAbort = () => finish(() => reject(new SignInWindowClosedError()));
        options.signal?.addEventListener('abort', onAbort);

        // The network layer sees every request, including server redirects: cancel the redirect URI there.
        ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
          callback({ cancel: caught(details.url) });
        });
        // Anything but https (other than the caught redirect URI, which may be http://localhost) is stopped.
        win.webContents.on('will-redirect', (event, url) => {
          if (caught(url) || !isHttps(url)) event.preventDefault();
        });
        win.webContents.on('will-navigate', (event, url) => {
          if (caught(url) || !isHttps(url)) event.preventDefault();
        });
        // The title is ours (what to do, and on which host), never the page's own.
        win.webContents.on('did-navigate', (_event, url) => {
          if (!win.isDestroyed()) win.setTitle(signInTitle(url, heading));
        });
        win.on('page-title-updated', (event) => event.preventDefault());
        win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
        win.on('closed', () => finish(() => reject(new SignInWindowClosedError())));
        win.loadURL(authorizeUrl).catch(() => {
          // A cancelled redirect aborts the load (ERR_BLOCKED_BY_CLIENT): expected once we caught it.
        });
      });
    },
  };
}
