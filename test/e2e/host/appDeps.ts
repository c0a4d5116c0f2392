import Conf from 'conf';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openProfileStore, STORE_SCHEMA_VERSION, storeMigrations } from '../../../electron/adapters/profile-store';
import { createSecretVault } from '../../../electron/adapters/secret-vault';
import { memorySettings } from '../../../electron/adapters/settings-store';
import type { ClipboardPort, ConfirmQuestion } from '../../../electron/ipc/hardening-handlers';
import { createEngineFacade, type EnginePorts } from '../../../electron/ipc/engine-facade';
import type { HandlerDeps } from '../../../electron/ipc/handlers';
import { createConnectionResolver } from '../../../electron/app/resolve-connection';
import type { EventName, EventPayload } from '../../../shared/ipc/contract';

/**
 * The handler dependencies for the e2e test host: the same handlers and engine facade as main.ts,
 * with test adapters (conf instead of electron-store, an in-memory vault as on Linux without a
 * keyring, files saved into a temp folder instead of a native dialog, a Playwright page as the
 * sign-in window). `emit` is connected to the page by openApp().
 */
export interface TestDeps extends HandlerDeps {
  dir: string;
  savedFiles: string[];
  /** Pages main opened in the person's browser (shell.openExternal), in order. */
  openedExternal: string[];
  connectEmit(emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void): void;
  /** The native confirmations main would have shown, in order. */
  confirmations: ConfirmQuestion[];
  /** What main copied (the host's clipboard; the page itself is refused the browser clipboard). */
  clipboard: ClipboardPort;
  /** The files the person picks in main's open dialog, in order (a path; none left = cancelled). */
  pickFiles: string[];
}

/** The system clipboard as main sees it, in memory. */
export function memoryClipboard(): ClipboardPort {
  let text = '';
  return { writeText: async (t) => void (text = t), readText: async () => text, clear: () => void (text = '') };
}

export function createTestDeps(
  options: {
    authWindow?: EnginePorts['authWindow'];
    /** The person's own browser (the administrator signs in there; test/e2e/host/systemBrowser.ts); absent: the embedded window only. */
    systemBrowser?: EnginePorts['systemBrowser'];
    extraCaPem?: string[];
    appInfo?: HandlerDeps['appInfo'];
    storeFile?: string;
    /** The "custom endpoints" setting: on by default here, as in the emulator rehearsal (the tests point connections at the emulator). */
    customEndpoints?: boolean;
    /** The answer the person gives to main's native confirmations (default: yes), or an answerer that reads each question. */
    confirm?: boolean | ((question: ConfirmQuestion) => boolean);
    /** The engine's Clock port for administrator operations (the emulator's clock: waits skip ahead instead of sleeping). */
    clock?: EnginePorts['clock'];
    /** The connection resolver (default: the app's, with these settings); a test may wrap it to count resolutions. */
    resolve?: HandlerDeps['resolve'];
  } = {},
): TestDeps {
  const dir = mkdtempSync(path.join(tmpdir(), 'moa-e2e-'));
  const { store, notice } = openProfileStore(path.join(dir, 'profiles.json'), () =>
    new Conf<Record<string, unknown>>({ cwd: dir, configName: 'profiles', projectVersion: STORE_SCHEMA_VERSION, migrations: storeMigrations, clearInvalidConfig: false }),
  );
  const vault = createSecretVault(path.join(dir, 'secrets.json'), { isAvailable: () => false, encrypt: () => Buffer.alloc(0), decrypt: () => '' });
  let emitter: (event: EventName, payload: unknown) => void = () => {};
  const savedFiles: string[] = [];
  const pickFiles: string[] = [];
  const openedExternal: string[] = [];
  const confirmations: ConfirmQuestion[] = [];
  const settings = memorySettings({ customEndpoints: options.customEndpoints ?? true });
  const engine = createEngineFacade({
    authWindow: options.authWindow ?? { open: () => Promise.reject(new Error('no sign-in window in this test')) },
    ...(options.systemBrowser ? { systemBrowser: options.systemBrowser } : {}),
    vault,
    now: () => new Date(),
    ...(options.clock ? { clock: options.clock } : {}),
    // As main.ts: the app's setting decides the application administrators sign in to.
    adminClientId: () => settings.get().adminClientId,
  });
  return {
    dir,
    relayDir: path.join(dir, 'relay'),
    savedFiles,
    pickFiles,
    // As main's open dialog: the next picked file's name and text (null = the person cancelled).
    openFile: async ({ maxBytes }) => {
      const file = pickFiles.shift();
      if (!file) return null;
      return { name: path.basename(file), text: statSync(file).size > maxBytes ? 'x'.repeat(maxBytes + 1) : readFileSync(file, 'utf8') };
    },
    openedExternal,
    confirmations,
    confirm: async (question) => (confirmations.push(question), typeof options.confirm === 'function' ? options.confirm(question) : (options.confirm ?? true)),
    clipboard: memoryClipboard(),
    settings,
    resolve: options.resolve ?? createConnectionResolver({ ...(options.extraCaPem ? { extraCaPem: options.extraCaPem } : {}), customEndpoints: () => settings.get().customEndpoints }),
    connectEmit: (emit) => {
      emitter = emit as (event: EventName, payload: unknown) => void;
    },
    appInfo: options.appInfo ?? (() => ({ name: 'Mail OAuth Assistant', version: '0.1.0', electron: null, chrome: null, node: process.versions.node, platform: process.platform })),
    status: () => (notice ? { secretsPersist: vault.persistent, notice } : { secretsPersist: vault.persistent }),
    openExternal: async (url) => void openedExternal.push(url),
    store,
    secrets: vault,
    engine,
    emit: (event, payload) => emitter(event, payload),
    // One save folder per customer, as main keeps them (Documents/Mail OAuth Assistant/<customer>): here under the temp folder.
    saveInCustomerFolder: async (customer, name, content) => {
      mkdirSync(path.join(dir, 'Mail OAuth Assistant', customer), { recursive: true });
      const file = path.join(dir, 'Mail OAuth Assistant', customer, path.basename(name));
      writeFileSync(file, content);
      savedFiles.push(file);
      return file;
    },
    saveFile: async (name, content) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      savedFiles.push(file);
      return file;
    },
  };
}
