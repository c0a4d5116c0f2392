import type { CheckId, CheckRun, ProgressEvent } from '../../shared/checks';
import type { ReachWatchOutcome, ReachWatchProgress } from '../engine/reach-watch';
import type { AppInfo, AppStatus, EventName, EventPayload, ExportFile, SignInOutcome } from '../../shared/ipc/contract';
import { withUserFields, type SavedProfile } from '../../shared/saved-profile';
import { belongsTo, connectionVaultKeys, vaultKeys } from '../app/vault-keys';
import { leftoversOf } from '../app/confirmations';
import type { ConnectionResolver, ResolvedConnection, ResolveOptions } from '../app/resolve-connection';
import type { ProfileStore } from '../adapters/profile-store';
import { isAllowedExternalUrl } from '../security';
import { AppError, type HandlerMap } from './dispatch';
import { createRenewHandlers } from './renew-handlers';
import { confirmSecret, createHardeningHandlers, forgetIfRepointed, type ClipboardPort, type Confirm } from './hardening-handlers';
import type { SettingsStore } from '../adapters/settings-store';
import { createRegistrationHandlers, type RegistrationEngine } from './registration-handlers';
import { createSecretCopyHandler } from './secret-copy-handler';
import { createHandoffKeys } from '../app/sealed-handoff';
import { createRelayHandlers } from './relay-handlers';
import { createInventoryHandlers, tenantConnection, type InventoryEngine } from './inventory-handlers';
import { createTargetHandlers, type TargetEngine } from './target-handlers';
import { createReachWatches } from './reach-watch-handlers';

export interface SecretStore {
  readonly persistent: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every key held (to remove all of a deleted connection's entries). */
  keys?(): Promise<string[]>;
}

/** The engine as the handlers use it; electron/ipc/engine-facade.ts builds it from the engine and the ports. */
export interface EngineFacade {
  signIn(conn: ResolvedConnection, secret: string | undefined, options: { signal: AbortSignal; onProgress: (message: string) => void }): Promise<SignInOutcome>;
  signOut(conn: ResolvedConnection): Promise<void>;
  runChecks(conn: ResolvedConnection, secret: string | undefined, options: { only?: CheckId[]; signal: AbortSignal; onProgress: (event: ProgressEvent) => void }): Promise<CheckRun>;
  makeExport(conn: ResolvedConnection, secret: string | undefined, format: string, includeSecret: boolean): Promise<ExportFile>;
  /**
   * Issue 19, auto-continue: looks (read-only checks, on the engine's Clock port) until the app-only app reaches its mailbox,
   * the signal stops it, or the time limit passes (electron/engine/reach-watch.ts).
   */
  watchExchange(conn: ResolvedConnection, secret: string | undefined, options: { signal: AbortSignal; onProgress?: (progress: ReachWatchProgress) => void; limitMs?: number }): Promise<ReachWatchOutcome>;
  /** Create, check and fix the app registration (issue 10); the admin's token stays inside. */
  registration: RegistrationEngine;
  /** Put the proven values into EmailEngine, Odoo/Flectra or Frappe (issue 11). */
  target?: TargetEngine;
  /** Who still signs in with a password (issue 22): the sign-in logs, read with the administrator's sign-in. */
  inventory?: InventoryEngine;
}

/** What the handlers need from the outside world. main.ts passes Electron adapters; tests pass theirs. */
export interface HandlerDeps {
  appInfo(): AppInfo;
  status(): AppStatus;
  openExternal(url: string): Promise<void>;
  store: ProfileStore;
  secrets: SecretStore;
  engine: EngineFacade;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Asks where to save (native dialog in the app); null when the user cancels. */
  saveFile(suggestedName: string, content: string): Promise<string | null>;
  /** Asks which file to open (native dialog in the app): its name and text, or null when the person cancels. Absent: not offered. */
  openFile?(options: { title: string; suggestedName: string; maxBytes: number }): Promise<{ name: string; text: string } | null>;
  /**
   * One save folder per customer (issue 19): writes `name` into that customer's folder (the app's: Documents/
   * Mail OAuth Assistant/<customer>), no dialog, and returns the path. Absent: every save asks (saveFile).
   */
  saveInCustomerFolder?(customer: string, name: string, content: string): Promise<string>;
  /** A native yes/no question (exports with the secret, allowing other servers); the renderer cannot answer it. */
  confirm: Confirm;
  /** The system clipboard, written by main (the renderer has no clipboard permission). */
  clipboard: ClipboardPort;
  /** App-wide settings: custom endpoints allowed, extra CA certificates. */
  settings: SettingsStore;
  /** Where "Write the relay settings" puts a relay's files (issue 22); absent = not offered. */
  relayDir?: string;
  /**
   * Turns a saved connection into everything one operation needs (electron/app/resolve-connection.ts,
   * built with the app's settings by main.ts / the test host). Each handler calls it once per operation.
   */
  resolve: ConnectionResolver;
  /** Calls `listener` when the app window is gone (main.ts: BrowserWindow 'closed'): work the window was waiting for stops. */
  onWindowClosed?(listener: () => void): void;
}

export const secretKey = vaultKeys.clientSecret;

/**
 * The customer's folder name: the mailbox's domain (the organisation the connection is for, e.g.
 * fabrikam.com), else the connection's name; only letters, digits, dot, dash and underscore, so it can
 * never leave the app's folder ("..", separators) nor surprise a file system.
 */
export function customerFolder(saved: Pick<SavedProfile, 'profile' | 'id'>): string {
  const raw = saved.profile.mailbox?.split('@')[1] || saved.profile.name || 'Connections';
  const clean = raw.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[.-]+|[.-]+$/g, '').slice(0, 80);
  return clean || 'Connections';
}

/** One operation of a kind at a time: starting a new one aborts the one still running; cancel() aborts it. */
function exclusive() {
  let current: AbortController | undefined;
  return {
    async run<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
      current?.abort();
      const controller = new AbortController();
      current = controller;
      try {
        return await operation(controller.signal);
      } finally {
        if (current === controller) current = undefined;
      }
    },
    cancel(): boolean {
      const running = current !== undefined;
      current?.abort();
      return running;
    },
  };
}

/** The one handler map: main registers it over ipcMain, the e2e test host calls it directly. */
export function createHandlers(deps: HandlerDeps): HandlerMap {
  const signIn = exclusive();
  const checks = exclusive();
  const handoff = createHandoffKeys(deps.secrets);

  const load = (id: string): SavedProfile => {
    const saved = deps.store.get(id);
    if (!saved) throw new AppError('profile-not-found', 'This connection is not saved any more. Go back to the start and open it again.');
    return saved;
  };
  /** The connection resolved for this operation: once, then passed down. */
  const resolve = (id: string, options?: ResolveOptions): ResolvedConnection => deps.resolve(load(id), options);
  /** Every write of main's own fields goes through here: stored, then announced with the whole record. */
  const save = (record: SavedProfile): SavedProfile => {
    const stored = deps.store.save(record);
    deps.emit('connections:changed', { record: stored });
    return stored;
  };
  /**
   * The secret a target is given: while a renewal's new secret is proved and the old one not yet removed,
   * the new one (the "give the system the new Value" step of Renew secret); otherwise the current one.
   */
  const secretForTarget = async (id: string): Promise<string | undefined> => {
    const renewed = load(id).profile.rotation?.phase === 'proved' ? await deps.secrets.get(vaultKeys.pendingSecret(id)) : undefined;
    return renewed ?? deps.secrets.get(secretKey(id));
  };
  const summary = async (record: SavedProfile) => ({ record, hasSecret: (await deps.secrets.get(secretKey(record.id))) !== undefined });
  // The watch for the Exchange step (issue 19): main's, per connection; it ends with the window or the connection.
  const watches = createReachWatches({
    start: async (id) => {
      const secret = await deps.secrets.get(secretKey(id));
      return { conn: resolve(id, { enforcePolicy: true, validate: { secret } }), secret };
    },
    engine: deps.engine,
    emit: (progress) => deps.emit('registration:watch', progress),
  });
  deps.onWindowClosed?.(() => watches.stopAll());

  return {
    'app:getInfo': () => deps.appInfo(),
    'app:getStatus': () => deps.status(),
    'app:openExternal': async ({ url }) => {
      if (!isAllowedExternalUrl(url)) {
        throw new AppError('link-not-allowed', 'The app only opens Microsoft and documentation pages over https.');
      }
      await deps.openExternal(url);
      return { opened: true };
    },

    'profiles:list': async () => Promise.all(deps.store.list().map(summary)),
    'profiles:save': async (request) => {
      // The page sends its user fields only (the contract refuses anything else); main's fields stay as main wrote them.
      const before = deps.store.get(request.id);
      const record = withUserFields(before, request, new Date());
      await forgetIfRepointed(before, record, { secrets: deps.secrets, secretKey });
      return summary(deps.store.save(record));
    },
    'profiles:delete': async ({ id }) => {
      const saved = load(id);
      watches.stop(id);
      await Promise.resolve()
        .then(() => deps.engine.signOut(deps.resolve(saved)))
        .catch(() => {});
      // Every vault entry of the connection, so a new connection with the same id inherits nothing.
      const listed = deps.secrets.keys ? (await deps.secrets.keys()).filter((k) => belongsTo(k, id)) : [];
      for (const key of new Set([...connectionVaultKeys(id), ...listed])) await deps.secrets.delete(key);
      return { deleted: deps.store.delete(id), remains: leftoversOf(saved) };
    },

    'secrets:set': async ({ profileId, value }) => {
      load(profileId);
      await deps.secrets.set(secretKey(profileId), value.trim());
      return { stored: true, persistent: deps.secrets.persistent };
    },
    'secrets:status': async ({ profileId }) => ({ present: (await deps.secrets.get(secretKey(profileId))) !== undefined, persistent: deps.secrets.persistent }),
    'secrets:clear': async ({ profileId }) => {
      const had = (await deps.secrets.get(secretKey(profileId))) !== undefined;
      await deps.secrets.delete(secretKey(profileId));
      return { cleared: had };
    },
    'secret:copy': createSecretCopyHandler({ load, secretKey, secrets: deps.secrets, confirm: deps.confirm, clipboard: deps.clipboard }),

    'signin:start': async ({ profileId }) => {
      const secret = await deps.secrets.get(secretKey(profileId));
      const conn = resolve(profileId, { enforcePolicy: true, validate: { secret } });
      const outcome = await signIn.run((signal) => deps.engine.signIn(conn, secret, { signal, onProgress: (message) => deps.emit('signin:progress', { message }) }));
      // Who signed in is main's to record (a main field): the page only shows it.
      if (outcome.status === 'signed-in' && deps.store.get(profileId)) save({ ...load(profileId), signedInAs: outcome.account });
      return outcome;
    },
    'signin:cancel': () => ({ cancelled: signIn.cancel() }),
    'signin:signOut': async ({ profileId }) => {
      await deps.engine.signOut(resolve(profileId));
      const { signedInAs: _was, ...rest } = load(profileId);
      save(rest);
      return { signedOut: true };
    },

    'checks:run': async ({ profileId, only }) => {
      const secret = await deps.secrets.get(secretKey(profileId));
      const conn = resolve(profileId, { enforcePolicy: true, validate: { secret } });
      const run = await checks.run((signal) => deps.engine.runChecks(conn, secret, { ...(only ? { only } : {}), signal, onProgress: (event) => deps.emit('checks:progress', event) }));
      const count = (status: string) => run.results.filter((r) => r.status === status).length;
      save({
        ...load(profileId),
        lastRun: { at: run.startedAt, status: run.passed ? 'passed' : 'failed', passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
      });
      return run;
    },
    'checks:cancel': () => ({ cancelled: checks.cancel() }),

    // The renderer only ever sees the placeholder; export:copy and export:save put the secret in, in main.
    'export:make': async ({ profileId, format, includeSecret }) => {
      const file = await deps.engine.makeExport(resolve(profileId), undefined, format, false);
      return includeSecret ? { ...file, warnings: [...file.warnings, 'The secret is not shown here: Copy or Save puts it in, after you confirm.'] } : file;
    },
    'export:save': async ({ profileId, format, includeSecret, elsewhere }) => {
      const conn = resolve(profileId);
      const secret = includeSecret ? await deps.secrets.get(secretKey(profileId)) : undefined;
      const file = await deps.engine.makeExport(conn, secret, format, includeSecret && secret !== undefined);
      if (secret !== undefined && file.content.includes(secret) && !(await confirmSecret(deps.confirm, conn.saved, 'file'))) return { savedTo: null, warnings: [] };
      const savedTo = !elsewhere && deps.saveInCustomerFolder ? await deps.saveInCustomerFolder(customerFolder(conn.saved), file.filename, file.content) : await deps.saveFile(file.filename, file.content);
      return { savedTo, warnings: file.warnings };
    },
    ...watches.handlers,
    ...createHardeningHandlers({ load, resolve: (id) => resolve(id), secretKey, secrets: deps.secrets, engine: deps.engine, settings: deps.settings, confirm: deps.confirm, clipboard: deps.clipboard }),

    ...createRegistrationHandlers({
      load,
      resolve: (id) => resolve(id, { enforcePolicy: true }),
      save,
      secret: (id) => deps.secrets.get(secretKey(id)),
      secretKey,
      engine: deps.engine.registration,
      emitProgress: (progress) => deps.emit('registration:progress', progress),
      saveFile: deps.saveFile,
      confirm: deps.confirm,
      forgetSecret: (id) => deps.secrets.delete(secretKey(id)),
      handoff,
      handoffKey: vaultKeys.handoffKey,
      storeSecret: (id, value) => deps.secrets.set(secretKey(id), value),
      ...(deps.openFile ? { openFile: deps.openFile } : {}),
    }),

    ...createRenewHandlers({
      load,
      resolve: (id) => resolve(id, { enforcePolicy: true }),
      save,
      secretKey,
      secrets: deps.secrets,
      engine: deps.engine.registration,
      // Through the checks' own lane: checks:cancel stops a proof run like any other.
      runChecks: (id, secret) => checks.run((signal) => deps.engine.runChecks(resolve(id, { enforcePolicy: true, validate: { secret } }), secret, { signal, onProgress: (event) => deps.emit('checks:progress', event) })),
      confirm: deps.confirm,
      clipboard: deps.clipboard,
    }),

    ...createTargetHandlers({
      load,
      resolve: (id) => resolve(id),
      trust: (id) => deps.resolve.trust(load(id)),
      save,
      secret: secretForTarget,
      vault: deps.secrets,
      engine: deps.engine.target,
      emitProgress: (message) => deps.emit('target:progress', { message }),
      confirm: deps.confirm,
      openExternal: deps.openExternal,
    }),

    ...createInventoryHandlers({ resolve: (id) => resolve(id), resolveTenant: (t) => tenantConnection(t, deps.resolve), engine: deps.engine.inventory }),
    ...createRelayHandlers({ load, relayDir: deps.relayDir, profileJson: async (saved) => (await deps.engine.makeExport(deps.resolve(saved), undefined, 'profile-json', false)).content }),
  };
}
