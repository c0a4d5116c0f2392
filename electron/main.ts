import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { createHandlers } from './ipc/handlers';
import { registerIpcHandlers } from './ipc/main-ipc';
import { HARDENED_WEB_PREFERENCES, isAllowedExternalUrl, isAppUrl } from './security';

/**
 * Composition root: the only file that knows everything. It creates the window, applies the
 * security policy, plugs the Electron adapters into the handlers and registers them over IPC.
 */

const log = { warn: (message: string) => console.warn(message) };
const devServerUrl = process.env.MAIL_OAUTH_DEV_SERVER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : 'file://';
const ownWindows = new Set<number>();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.enableSandbox();
  app.whenReady().then(start, (error: unknown) => {
    console.error('Mail OAuth Assistant could not start:', error instanceof Error ? error.message : error);
    app.quit();
  });
  app.on('window-all-closed', () => app.quit());
}

// Every web contents, including ones we did not create: no new windows, no navigation away, no webviews.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

function isOwnSender(sender: WebContents, frameUrl: string | undefined): boolean {
  return ownWindows.has(sender.id) && frameUrl !== undefined && isAppUrl(frameUrl, appOrigin);
}

async function start(): Promise<void> {
  // Deny every permission request (camera, notifications, ...): the wizard needs none.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const handlers = createHandlers({
    appInfo: () => ({
      name: app.getName(),
      version: app.getVersion(),
      electron: process.versions.electron ?? null,
      chrome: process.versions.chrome ?? null,
      node: process.versions.node,
      platform: process.platform,
    }),
    openExternal: (url) => shell.openExternal(url),
  });
  registerIpcHandlers(handlers, isOwnSender, log);

  const win = new BrowserWindow({
    width: 1120,
    height: 780,
    minWidth: 760,
    minHeight: 560,
    title: 'Mail OAuth Assistant',
    show: false,
    backgroundColor: '#faf9f8',
    webPreferences: {
      ...HARDENED_WEB_PREFERENCES,
      preload: path.join(__dirname, '../preload/preload.cjs'),
    },
  });
  ownWindows.add(win.webContents.id);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => ownWindows.clear());

  if (devServerUrl) await win.loadURL(devServerUrl);
  else await win.loadFile(path.join(__dirname, '../renderer/index.html'));
}
