/**
 * Window and link policy, kept free of Electron so it can be unit-tested.
 * main.ts applies it to every window.
 */

/** Hosts the app may open in the system browser (https only). Subdomains of these are allowed too. */
export const EXTERNAL_HOST_ALLOW_LIST = [
  // Microsoft portals and docs
  'entra.microsoft.com',
  'portal.azure.com',
  'admin.microsoft.com',
  'admin.exchange.microsoft.com',
  'login.microsoftonline.com',
  'learn.microsoft.com',
  'go.microsoft.com',
  'aka.ms',
  'outlook.live.com',
  // target systems' documentation
  'www.odoo.com',
  'www.flectrahq.com',
  'flexagon.atlassian.net',
  'flexagon.com',
  'learn.emailengine.app',
  'emailengine.app',
  'docs.frappe.io',
  'frappeframework.com',
  'docs.erpnext.com',
  'cxtsoftware.com',
] as const;

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return false;
  const host = url.hostname.toLowerCase();
  return EXTERNAL_HOST_ALLOW_LIST.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/** The app's own pages are served from this privileged custom scheme (main.ts registers it), never from file:. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'mail-oauth';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The app's own pages: the app:// origin in a packaged or built app, or the dev server in
 * development. Exact scheme, host and port; a file: URL is never the app (any file on disk could be).
 */
export function isAppUrl(raw: string, appOrigin: string): boolean {
  try {
    const url = new URL(raw);
    if (url.protocol === 'file:') return false;
    // URL.origin is "null" for custom schemes: compare scheme and host (with port) ourselves.
    return `${url.protocol}//${url.host}` === appOrigin;
  } catch {
    return false;
  }
}

/** The webPreferences every app window gets; stated explicitly, never left to defaults. */
export const HARDENED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;
