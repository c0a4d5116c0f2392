import { app, BrowserWindow, clipboard, dialog, Notification, protocol, safeStorage, session, shell, type WebContents } from 'electron';
import { nativeConfirm, showStartupRefusal } from './adapters/dialog';
import { devEnvReader, startupRefusal } from './app/startup-policy';
import ElectronStore from 'electron-store';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EventName, EventPayload } from '../shared/ipc/contract';
import { mediaTypeOf, rendererFileFor } from './adapters/app-protocol';
import { createSystemBrowser } from './adapters/system-browser';
import { createElectronAuthWindow } from './adapters/auth-window';
import { writePrivateFile } from './adapters/private-file';
import { openProfileStore, storeMigrations } from './adapters/profile-store';
import { createSecretVault } from './adapters/secret-vault';
import { createSettingsStore, memorySettings, type SettingsStore } from './adapters/settings-store';
import { createEngineFacade } from './ipc/engine-facade';
import { createConnectionResolver } from './app/resolve-connection';
import { notifyExpiring } from './engine/keepalive/notify';
import { createHandlers } from './ipc/handlers';
import { registerIpcHandlers, sendEvent, type SenderFrame } from './ipc/main-ipc';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, HARDENED_WEB_PREFERENCES, isAllowedExternalUrl, isAppUrl } from './security';

/**
 * Composition root: the only file that knows everything. It serves the renderer from the app://
 * scheme, applies the security policy to every web contents, plugs the Electron adapters into the
 * engine and the handlers, and registers them over IPC.
 */

const log = { warn: (message: string) => console.warn(message) };
// Development variables count only in an unpackaged build: a packaged app never reads them.
const packaged = app.isPackaged;
const devEnv = devEnvReader(packaged, process.env);
// A packaged build refuses debugger, host-rewriting and certificate-ignoring switches (a --proxy-server is fine).
const refusal = startupRefusal({ packaged, argv: process.argv, env: process.env });
if (refusal) {
  console.error(refusal);
  showStartupRefusal(refusal);
  app.exit(1);
}
const devServerUrl = devEnv('MAIL_OAUTH_DEV_SERVER_URL');
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
const rendererDir = path.join(__dirname, '../renderer');
const preloadFile = path.join(__dirname, '../preload/preload.cjs');
let mainWindow: BrowserWindow | undefined;

// Before ready: app:// is a standard, secure origin (fetch, CSP 'self', module scripts work on it).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (refusal) {
  // Refused above: nothing else runs.
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.enableSandbox();
  app.whenReady().then(start, (error: unknown) => {
    console.error('Mail OAuth Assistant could not start:', error instanceof Error ? error.message : error);
    app.quit();
  });
  app.on('window-all-closed', () => app.quit());
}

// Every web contents, including the sign-in window: no new windows, no webviews, no DevTools in a
// packaged build. Frames of the app window stay on the app origin (the sign-in window has its own rules).
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (packaged) contents.on('devtools-opened', () => contents.closeDevTools());
});

function isOwnSender(sender: WebContents, frame: SenderFrame | undefined): boolean {
  return mainWindow !== undefined && !mainWindow.isDestroyed() && sender.id === mainWindow.webContents.id && frame !== undefined && frame.isMainFrame && isAppUrl(frame.url, appOrigin);
}

/** safeStorage counts as real encryption only when the OS backs it (not Linux's "basic_text" fallback). */
function osEncryptionAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (process.platform === 'linux') return safeStorage.getSelectedStorageBackend() !== 'basic_text';
  return true;
}

/**
 * Extra CA certificates from MAIL_OAUTH_EXTRA_CA (PEM file paths, separated by the path delimiter):
 * development only, e.g. the emulator's CA with `npm start`. A packaged app trusts only the CAs
 * configured in its settings (settings:setCaCerts, confirmed natively).
 */
function extraCaFromEnvironment(): string[] {
  const files = (devEnv('MAIL_OAUTH_EXTRA_CA') ?? '').split(path.delimiter).filter(Boolean);
  return files.flatMap((file) => {
    try {
      return [readFileSync(file, 'utf8')];
    } catch {
      console.warn('MAIL_OAUTH_EXTRA_CA: a file cannot be read');
      return [];
    }
  });
}

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, request.method, rendererDir);
    if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    return new Response(await readFile(file), { status: 200, headers: { 'content-type': mediaTypeOf(file), 'x-content-type-options': 'nosniff' } });
  });
}

async function start(): Promise<void> {
  // Deny every permission, asked (request) or only checked (check): the clipboard too, so Copy goes through main.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer();

  const userData = app.getPath('userData');
  const storeFile = path.join(userData, 'profiles.json');
  const openStore = () =>
    new ElectronStore<Record<string, unknown>>({ name: 'profiles', cwd: userData, migrations: storeMigrations, clearInvalidConfig: false, configFileMode: 0o600 });
  const { store, notice } = openProfileStore(storeFile, openStore);
  let settings: SettingsStore;
  try {
    settings = createSettingsStore(new ElectronStore<Record<string, unknown>>({ name: 'settings', cwd: userData, clearInvalidConfig: true, configFileMode: 0o600 }));
  } catch {
    settings = memorySettings();
  }
  if (devEnv('MAIL_OAUTH_CUSTOM_ENDPOINTS') === '1') settings.set({ customEndpoints: true });
  const vault = createSecretVault(path.join(userData, 'secrets.json'), {
    isAvailable: osEncryptionAvailable,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  });
  const envCa = extraCaFromEnvironment();
  const trustedCa = () => [...settings.get().caCerts, ...envCa];
  const engine = createEngineFacade({
    authWindow: createElectronAuthWindow(() => mainWindow, trustedCa, { devTools: !packaged }),
    // The administrator's sign-in in the person's own browser (loopback redirect, RFC 8252); the window above stays the fallback.
    systemBrowser: createSystemBrowser((url) => shell.openExternal(url)),
    vault,
    now: () => new Date(),
    // The application administrators sign in to when the assistant creates a registration: the app's
    // setting (Screen 4, "Use your organisation's sign-in application"), else MAIL_OAUTH_ADMIN_CLIENT_ID,
    // else Microsoft Graph Command Line Tools.
    // The variable only in an unpackaged build (development): a packaged app never reads it.
    adminClientId: () => settings.get().adminClientId ?? devEnv('MAIL_OAUTH_ADMIN_CLIENT_ID'),
  });
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (mainWindow) sendEvent(mainWindow.webContents, event, payload);
  };

  // What stops with the window (the watch for the Exchange step): main's own work the page was waiting for.
  const windowClosed: Array<() => void> = [];
  const handlers = createHandlers({
    appInfo: () => ({
      name: app.getName(),
      version: app.getVersion(),
      electron: process.versions.electron ?? null,
      chrome: process.versions.chrome ?? null,
      node: process.versions.node,
      platform: process.platform,
    }),
    status: () => (notice ? { secretsPersist: vault.persistent, notice } : { secretsPersist: vault.persistent }),
    openExternal: (url) => shell.openExternal(url),
    store,
    secrets: vault,
    engine,
    emit,
    saveFile: async (suggestedName, content) => {
      const options = { defaultPath: path.join(app.getPath('documents'), suggestedName) };
      const { canceled, filePath } = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      if (canceled || !filePath) return null;
      await writePrivateFile(filePath, content);
      return filePath;
    },
    // The sealed hand-off: the person picks the file the administrator's script wrote; main reads it (small files only).
    openFile: async ({ title, suggestedName, maxBytes }) => {
      const options = { title, defaultPath: path.join(app.getPath('downloads'), suggestedName), properties: ['openFile' as const], filters: [{ name: 'Sealed secret', extensions: ['json'] }] };
      const { canceled, filePaths } = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      const file = filePaths[0];
      if (canceled || !file) return null;
      const info = await stat(file);
      return { name: path.basename(file), text: info.size > maxBytes ? 'x'.repeat(maxBytes + 1) : await readFile(file, 'utf8') };
    },
    // One save folder per customer (issue 19): Documents/Mail OAuth Assistant/<customer>/, no dialog; "Save elsewhere…" asks.
    saveInCustomerFolder: async (customer, name, content) => {
      const folder = path.join(app.getPath('documents'), 'Mail OAuth Assistant', customer);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const file = path.join(folder, path.basename(name));
      await writePrivateFile(file, content);
      return file;
    },
    confirm: nativeConfirm(() => mainWindow),
    clipboard: { writeText: (text) => clipboard.writeText(text), readText: () => clipboard.readText(), clear: () => clipboard.clear() },
    settings,
    relayDir: path.join(userData, 'relay'),
    // Each operation resolves its connection once, with the CAs and the endpoint setting as they are now.
    resolve: createConnectionResolver({ extraCaPem: trustedCa, customEndpoints: () => settings.get().customEndpoints }),
    onWindowClosed: (listener) => windowClosed.push(listener),
  });
  registerIpcHandlers(handlers, isOwnSender, log);

  const win = new BrowserWindow({
    width: 1160,
    height: 820,
    minWidth: 760,
    minHeight: 560,
    title: 'Mail OAuth Assistant',
    show: false,
    backgroundColor: '#faf9f8',
    webPreferences: {
      ...HARDENED_WEB_PREFERENCES,
      devTools: !packaged,
      preload: preloadFile,
    },
  });
  mainWindow = win;
  // Nothing navigates the app window away from the app: not a link, not a dropped file, not a frame.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  win.webContents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, appOrigin)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  // Issue 12: one OS notification per connection whose secret expires within 30 days (once per start).
  if (Notification.isSupported()) notifyExpiring(store.list(), { show: (n) => new Notification({ title: n.title, body: n.body }).show() });
  win.on('closed', () => {
    mainWindow = undefined;
    for (const stop of windowClosed) stop();
  });

  await win.loadURL(devServerUrl ?? `${APP_SCHEME}://${APP_HOST}/index.html`);
}
