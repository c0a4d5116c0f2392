import { EventEmitter } from 'node:events';
import path from 'node:path';

/**
 * A recording stand-in for the `electron` module, for loading the BUILT main bundle in plain Node.
 * It implements only what main.ts and its adapters call, the way Electron's API documents it
 * (https://www.electronjs.org/docs/latest/api/*), and records every call so the tests can assert on
 * windows, sessions, handlers and IPC. Reading a member it does not implement throws, so a new use
 * of Electron in main shows up here instead of passing silently.
 */

export interface PreventableEvent {
  prevented: boolean;
  preventDefault(): void;
  [key: string]: unknown;
}
export const preventable = (extra: Record<string, unknown> = {}): PreventableEvent => {
  const e: PreventableEvent = { prevented: false, preventDefault: () => void (e.prevented = true), ...extra };
  return e;
};

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  windowOpenHandler?: (details: { url: string }) => { action: string };
  sent: [string, unknown][] = [];
  destroyed = false;
  mainFrame = { url: '', parent: null as unknown };
  devToolsClosed = 0;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return this.destroyed;
  }
  closeDevTools() {
    this.devToolsClosed++;
  }
}

export class FakeSession {
  permissionRequestHandler?: (wc: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void;
  permissionCheckHandler?: (wc: unknown, permission: string, origin?: string, details?: unknown) => boolean;
  certificateVerifyProc?: (request: unknown, callback: (verdict: number) => void) => void;
  beforeRequest?: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void;
  storageCleared = 0;
  constructor(readonly partition: string, readonly options: unknown = {}) {}
  setPermissionRequestHandler(fn: FakeSession['permissionRequestHandler']) {
    this.permissionRequestHandler = fn;
  }
  setPermissionCheckHandler(fn: FakeSession['permissionCheckHandler']) {
    this.permissionCheckHandler = fn;
  }
  setCertificateVerifyProc(fn: FakeSession['certificateVerifyProc']) {
    this.certificateVerifyProc = fn;
  }
  webRequest = {
    onBeforeRequest: (_filter: unknown, fn: FakeSession['beforeRequest']) => {
      this.beforeRequest = fn;
    },
  };
  clearStorageData() {
    this.storageCleared++;
    return Promise.resolve();
  }
}

export interface FakeElectron {
  module: Record<string, unknown>;
  app: EventEmitter & Record<string, unknown>;
  windows: FakeBrowserWindowLike[];
  sessions: FakeSession[];
  defaultSession: FakeSession;
  ipcHandlers: Map<string, ((event: unknown, payload: unknown) => unknown)[]>;
  ipcListeners: string[];
  protocolHandlers: Map<string, (request: { url: string; method: string }) => Promise<Response> | Response>;
  privilegedSchemes: unknown[];
  dialogs: { save: unknown[]; message: unknown[] };
  /** What the save dialog answers next, and what a message box answers (button index). */
  answers: { savePath: string | null; messageResponse: number };
  clipboardText: { value: string };
  opened: string[];
  notifications: { title: string; body: string }[];
  calls: string[];
}

export interface FakeBrowserWindowLike extends EventEmitter {
  options: Record<string, unknown> & { webPreferences?: Record<string, unknown> };
  webContents: FakeWebContents;
  loaded: string[];
  title: string;
  destroyed: boolean;
}

export function createFakeElectron(dirs: { userData: string; documents: string }): FakeElectron {
  const app = new EventEmitter() as EventEmitter & Record<string, unknown>;
  const windows: FakeBrowserWindowLike[] = [];
  const sessions: FakeSession[] = [];
  const defaultSession = new FakeSession('default');
  const ipcHandlers = new Map<string, ((event: unknown, payload: unknown) => unknown)[]>();
  const ipcListeners: string[] = [];
  const protocolHandlers = new Map<string, (request: { url: string; method: string }) => Promise<Response> | Response>();
  const privilegedSchemes: unknown[] = [];
  const dialogs = { save: [] as unknown[], message: [] as unknown[] };
  const answers = { savePath: null as string | null, messageResponse: 0 };
  const clipboardText = { value: '' };
  const opened: string[] = [];
  const notifications: { title: string; body: string }[] = [];
  const calls: string[] = [];

  Object.assign(app, {
    isPackaged: true,
    getPath: (name: string) => {
      calls.push(`app.getPath(${name})`);
      if (name === 'userData') return dirs.userData;
      if (name === 'documents') return dirs.documents;
      return path.join(dirs.userData, name);
    },
    getName: () => 'Mail OAuth Assistant',
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: () => true,
    quit: () => calls.push('app.quit'),
    enableSandbox: () => calls.push('app.enableSandbox'),
    whenReady: () => new Promise<void>((resolve) => setImmediate(resolve)),
  });

  class BrowserWindow extends EventEmitter implements FakeBrowserWindowLike {
    webContents = new FakeWebContents();
    loaded: string[] = [];
    title: string;
    destroyed = false;
    constructor(readonly options: FakeBrowserWindowLike['options']) {
      super();
      this.title = String(options.title ?? '');
      windows.push(this);
      app.emit('web-contents-created', preventable(), this.webContents);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    loadFile(file: string) {
      this.loaded.push(`file://${file}`);
      this.webContents.mainFrame.url = `file://${file}`;
      return Promise.resolve();
    }
    setTitle(title: string) {
      this.title = title;
    }
    show() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      if (this.destroyed) return;
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
    static getAllWindows() {
      return windows.filter((w) => !w.destroyed);
    }
  }

  const mod: Record<string, unknown> = {
    app,
    BrowserWindow,
    session: {
      defaultSession,
      fromPartition: (partition: string, options?: unknown) => {
        const s = new FakeSession(partition, options);
        sessions.push(s);
        return s;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: { url: string; method: string }) => Promise<Response>) => void protocolHandlers.set(scheme, handler),
    },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, payload: unknown) => unknown) => ipcHandlers.set(channel, [...(ipcHandlers.get(channel) ?? []), fn]),
      on: (channel: string) => void ipcListeners.push(channel),
    },
    dialog: {
      showSaveDialog: async (...args: unknown[]) => {
        dialogs.save.push(args.at(-1));
        return answers.savePath ? { canceled: false, filePath: answers.savePath } : { canceled: true };
      },
      showMessageBox: async (...args: unknown[]) => {
        dialogs.message.push(args.at(-1));
        return { response: answers.messageResponse };
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      // Reversible but not the plain text: enough to see that only ciphertext reaches the disk.
      encryptString: (plain: string) => Buffer.concat([Buffer.from('v10'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]),
      decryptString: (cipher: Buffer) => Buffer.from(cipher.subarray(3).map((b) => b ^ 0x5a)).toString('utf8'),
    },
    shell: { openExternal: async (url: string) => void opened.push(url) },
    Notification: class {
      static isSupported() {
        return true;
      }
      constructor(readonly options: { title: string; body: string }) {}
      show() {
        notifications.push(this.options);
      }
    },
    clipboard: {
      writeText: async (text: string) => void (clipboardText.value = text),
      readText: async () => clipboardText.value,
      clear: async () => void (clipboardText.value = ''),
    },
  };
  const module = new Proxy(mod, {
    get(target, key) {
      if (typeof key === 'symbol' || key === '__esModule' || key === 'default' || key === 'then') return Reflect.get(target, key);
      if (!(key in target)) throw new Error(`the electron stand-in has no "${key}": main uses an Electron API this tier does not model yet`);
      return Reflect.get(target, key);
    },
  });
  return { module, app, windows, sessions, defaultSession, ipcHandlers, ipcListeners, protocolHandlers, privilegedSchemes, dialogs, answers, clipboardText, opened, notifications, calls };
}
