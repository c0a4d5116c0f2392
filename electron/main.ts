import { app, BrowserWindow, dialog, safeStorage, session, shell, type WebContents } from 'electron';
import ElectronStore from 'electron-store';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventName, EventPayload } from '../shared/ipc/contract';
import { createElectronAuthWindow } from './adapters/auth-window';
import { openProfileStore, storeMigrations } from './adapters/profile-store';
import { createSecretVault } from './adapters/secret-vault';
import { createEngineFacade } from './ipc/engine-facade';
import { createHandlers } from './ipc/handlers';
import { registerIpcHandlers, sendEvent } from './ipc/main-ipc';
import { HARDENED_WEB_PREFERENCES, isAllowedExternalUrl, isAppUrl } from './security';

/**
 * Composition root: the only file that knows everything. It creates the window, applies the
 * security policy, plugs the Electron adapters into the engine and the handlers, and registers
 * them over IPC.
 */

const log = { warn: (message: string) => console.warn(message) };
const devServerUrl = process.env.MAIL_OAUTH_DEV_SERVER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : 'file://';
let mainWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
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

// Every web contents, including the sign-in window: no new windows, no webviews. The app window may
// not navigate away from the app; the sign-in window navigates within Microsoft's pages.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

function isOwnSender(sender: WebContents, frameUrl: string | undefined): boolean {
  return mainWindow !== undefined && sender.id === mainWindow.webContents.id && frameUrl !== undefined && isAppUrl(frameUrl, appOrigin);
}

/** safeStorage counts as real encryption only when the OS backs it (not Linux's "basic_text" fallback). */
function osEncryptionAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (process.platform === 'linux') return safeStorage.getSelectedStorageBackend() !== 'basic_text';
  return true;
}

/**
 * Extra CA certificates to trust (PEM file paths, separated by the path delimiter): a corporate
 * TLS-inspecting proxy, or the emulator's CA when rehearsing offline (`npm run emulator` prints it).
 */
function extraCaFromEnvironment(): string[] {
  const files = (process.env.MAIL_OAUTH_EXTRA_CA ?? '').split(path.delimiter).filter(Boolean);
  return files.flatMap((file) => {
    try {
      return [readFileSync(file, 'utf8')];
    } catch {
      console.warn(`MAIL_OAUTH_EXTRA_CA: cannot read ${file}`);
      return [];
    }
  });
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const userData = app.getPath('userData');
  const storeFile = path.join(userData, 'profiles.json');
  const { store, notice } = openProfileStore(
    storeFile,
    () => new ElectronStore<Record<string, unknown>>({ name: 'profiles', cwd: userData, migrations: storeMigrations, clearInvalidConfig: false }),
  );
  const vault = createSecretVault(path.join(userData, 'secrets.json'), {
    isAvailable: osEncryptionAvailable,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  });
  const extraCaPem = extraCaFromEnvironment();
  const engine = createEngineFacade({
    authWindow: createElectronAuthWindow(() => mainWindow, extraCaPem),
    vault,
    now: () => new Date(),
    ...(extraCaPem.length ? { extraCaPem } : {}),
  });
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (mainWindow) sendEvent(mainWindow.webContents, event, payload);
  };

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
      await writeFile(filePath, content, { mode: 0o600 });
      return filePath;
    },
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
      preload: path.join(__dirname, '../preload/preload.cjs'),
    },
  });
  mainWindow = win;
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = undefined;
  });

  if (devServerUrl) await win.loadURL(devServerUrl);
  else await win.loadFile(path.join(__dirname, '../renderer/index.html'));
}
