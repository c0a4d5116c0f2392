import { BrowserWindow, session } from 'electron';
import { randomUUID } from 'node:crypto';
import { HARDENED_WEB_PREFERENCES } from '../security';
import { isRedirectTarget } from './redirect-match';

/**
 * The AuthWindow port in Electron: a modal window on a fresh in-memory session (no SSO cookies from
 * earlier sign-ins), sandboxed, no preload, no Node. The first request to the redirect URI is cancelled
 * before it leaves the machine and resolves the sign-in with that URL (code + state); closing the
 * window cancels; a timeout ends it cleanly.
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

export interface AuthWindowOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Same certificate, whatever the PEM line breaks. */
const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/**
 * @param extraCaPem CAs to trust in the sign-in window on top of the system's (a TLS-inspecting proxy,
 *   or the Microsoft 365 emulator when rehearsing with `npm run emulator`): a server certificate whose
 *   issuer is one of them is accepted; everything else follows Chromium's own verdict.
 */
export function createElectronAuthWindow(getParent: () => BrowserWindow | undefined, extraCaPem: string[] = []) {
  const trusted = new Set(extraCaPem.map(pemBody));
  return {
    open(authorizeUrl: string, redirectUri: string, options: AuthWindowOptions = {}): Promise<URL> {
      const timeoutMs = options.timeoutMs ?? 5 * 60_000;
      // No "persist:" prefix: the partition lives in memory only and dies with the window.
      const ses = session.fromPartition(`moa-signin-${randomUUID()}`, { cache: false });
      ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
      if (trusted.size) {
        ses.setCertificateVerifyProc((request, callback) => {
          if (request.verificationResult === 'net::OK') return callback(-3);
          const issuer = request.certificate.issuerCert;
          callback(issuer && trusted.has(pemBody(issuer.data)) ? 0 : -3);
        });
      }
      const parent = getParent();
      const win = new BrowserWindow({
        parent,
        modal: parent !== undefined,
        width: 520,
        height: 720,
        title: 'Sign in to Microsoft',
        autoHideMenuBar: true,
        webPreferences: { ...HARDENED_WEB_PREFERENCES, session: ses },
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
        win.webContents.on('will-redirect', (event, url) => {
          if (caught(url)) event.preventDefault();
        });
        win.webContents.on('will-navigate', (event, url) => {
          if (caught(url)) event.preventDefault();
        });
        win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
        win.on('closed', () => finish(() => reject(new SignInWindowClosedError())));
        win.loadURL(authorizeUrl).catch(() => {
          // A cancelled redirect aborts the load (ERR_BLOCKED_BY_CLIENT): expected once we caught it.
        });
      });
    },
  };
}
