import type { Channel } from '../../shared/ipc/contract';
import type { TargetAnswer, TargetPlanView, TargetPushView, TargetRestoreView } from '../../shared/ipc/target';
import type { SavedProfile, TargetConnection } from '../../shared/saved-profile';
import { parseCredentials, targetCredentialsKey, type RestorePoint, type TargetCredentials } from '../engine/targets';
import type { Handler } from './dispatch';
import { AppError } from './dispatch';
import { originOf, targetOriginQuestion, type Confirm } from '../app/confirmations';
import { vaultKeys } from '../app/vault-keys';

/**
 * The target side of the engine as the IPC handlers use it (issue 11); built by engine-facade.ts
 * from electron/engine/targets with the app's vault (the msal cache and the credentials are there).
 */
export interface TargetEngine {
  test(saved: SavedProfile, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined): Promise<TargetAnswer<{ version: string; user?: string; database?: string; notes: string[] }>>;
  plan(saved: SavedProfile, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined, options?: { replaceHeldToken?: boolean }): Promise<TargetAnswer<TargetPlanView>>;
  push(saved: SavedProfile, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined, options: { handOverToken: boolean; replaceHeldToken?: boolean; onProgress: (message: string) => void; signal?: AbortSignal }): Promise<TargetAnswer<TargetPushView & { restorePoint?: RestorePoint }>>;
  restore(saved: SavedProfile, connection: TargetConnection, credentials: TargetCredentials | undefined, point: RestorePoint, options: { onProgress: (message: string) => void }): Promise<TargetAnswer<TargetRestoreView>>;
}

export interface TargetHandlerDeps {
  load(id: string): SavedProfile;
  save(record: SavedProfile): SavedProfile;
  secret(profileId: string): Promise<string | undefined>;
  vault: { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void>; delete(key: string): Promise<void> };
  engine: TargetEngine | undefined;
  emitProgress(message: string): void;
  /** The native question before a host first receives this connection's values. */
  confirm: Confirm;
  /** The longest a push may run before main stops it (default {@link PUSH_LIMIT_MS}). */
  pushLimitMs?: number;
}

/** A push (or a restore) is stopped after two minutes: the target's own test waits are bounded well inside that. */
export const PUSH_LIMIT_MS = 120_000;

type TargetChannel = Extract<Channel, `target:${string}`>;
type Send = 'key' | 'secret' | 'signIn';

/**
 * Push binds the target origin (issue 18): the address is written by main only (target:test); the
 * first time a host is to receive the stored key, the client secret or the mailbox's sign-in, main asks
 * natively, naming the host and each value; a changed address forgets the stored key, so a key is
 * never sent to an origin other than the one it was entered for.
 */
export function createTargetHandlers(deps: TargetHandlerDeps): { [C in TargetChannel]: Handler<C> } {
  const engine = () => {
    if (!deps.engine) throw new AppError('target-unavailable', 'Putting the values into the target is not available in this window.');
    return deps.engine;
  };
  const connectionOf = (saved: SavedProfile): TargetConnection => {
    if (!saved.targetConnection) throw new AppError('target-not-set', 'Test the target connection first: its address and credentials are not saved yet.');
    return saved.targetConnection;
  };
  const credentialsOf = async (id: string) => parseCredentials(await deps.vault.get(targetCredentialsKey(id)));
  /** Asks unless this origin was already allowed these values; records the answer. */
  const allow = async (profileId: string, connection: TargetConnection, sends: Send[]): Promise<TargetConnection> => {
    const origin = originOf(connection.url);
    if (!origin) throw new AppError('target-url-invalid', 'The target address is not a valid https address. Nothing was sent.');
    const had = connection.approvedOrigin === origin ? (connection.approvedSends ?? []) : [];
    if (sends.every((x) => had.includes(x))) return connection;
    const yes = await deps.confirm(targetOriginQuestion(deps.load(profileId), connection, { storedKey: sends.includes('key'), clientSecret: sends.includes('secret'), signIn: sends.includes('signIn') }));
    if (!yes) throw new AppError('target-declined', `You declined: nothing was sent to ${origin}.`);
    const approved: TargetConnection = { ...connection, approvedOrigin: origin, approvedSends: [...new Set([...had, ...sends])] };
    deps.save({ ...deps.load(profileId), targetConnection: approved });
    return approved;
  };
  /** The restore point kept for this connection, only for the origin it was recorded at. */
  const storedPoint = async (id: string, connection: TargetConnection): Promise<RestorePoint | null> => {
    const raw = await deps.vault.get(vaultKeys.targetPrevious(id));
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as { origin: string | null; point: RestorePoint };
      return v.origin === originOf(connection.url) ? v.point : null;
    } catch {
      return null;
    }
  };
  const forgetStoredKey = async (id: string) => {
    await deps.vault.delete(vaultKeys.targetCredentials(id));
    for (const name of ['emailengine-app-secret', 'frappe-client-secret']) await deps.vault.delete(vaultKeys.targetFingerprint(id, name));
    await deps.vault.delete(vaultKeys.targetPrevious(id));
  };
  return {
    'target:test': async ({ profileId, connection, credentials }) => {
      const saved = deps.load(profileId);
      const before = saved.targetConnection;
      const url = connection.url.trim();
      const sameOrigin = before !== undefined && originOf(before.url) !== null && originOf(before.url) === originOf(url);
      // A new address: the key stored for the old one is forgotten, never offered to the new one.
      if (before && !sameOrigin) await forgetStoredKey(profileId);
      const given = credentials as TargetCredentials | undefined;
      let conn: TargetConnection = { ...(sameOrigin ? before : {}), ...connection, url };
      const stored = given ? undefined : await credentialsOf(profileId);
      if (stored) conn = await allow(profileId, conn, ['key']);
      const r = await engine().test(saved, await deps.secret(profileId), conn, given ?? stored);
      if (r.ok) {
        // Only credentials that proved themselves are kept (in the vault; the record holds no secret).
        if (given) await deps.vault.set(targetCredentialsKey(profileId), JSON.stringify(given));
        deps.save({ ...deps.load(profileId), targetConnection: { ...conn, ...(r.value.database ? { database: r.value.database } : {}), testedVersion: r.value.version } });
        return { ok: true, value: { ...r.value, hasCredentials: true } };
      }
      return r;
    },
    'target:plan': async ({ profileId, replaceHeldToken }) => {
      const saved = deps.load(profileId);
      const conn = await allow(profileId, connectionOf(saved), ['key']);
      return engine().plan(deps.load(profileId), await deps.secret(profileId), conn, await credentialsOf(profileId), { replaceHeldToken });
    },
    'target:push': async ({ profileId, handOverToken, replaceHeldToken }) => {
      const saved = deps.load(profileId);
      const conn = await allow(profileId, connectionOf(saved), handOverToken ? ['key', 'secret', 'signIn'] : ['key', 'secret']);
      // A time limit: a target that stops answering does not keep the screen waiting for ever.
      const limit = new AbortController();
      const timer = setTimeout(() => limit.abort(new Error(`the push took longer than ${Math.round((deps.pushLimitMs ?? PUSH_LIMIT_MS) / 1000)} s and was stopped`)), deps.pushLimitMs ?? PUSH_LIMIT_MS);
      const r = await engine()
        .push(deps.load(profileId), await deps.secret(profileId), conn, await credentialsOf(profileId), { handOverToken, replaceHeldToken, onProgress: deps.emitProgress, signal: limit.signal })
        .finally(() => clearTimeout(timer));
      const status = r.ok ? (r.value.status === 'failed' ? 'failed' : r.value.status) : 'failed';
      deps.save({ ...deps.load(profileId), targetConnection: { ...conn, lastPush: { at: new Date().toISOString(), status, summary: (r.ok ? r.value.summary : r.diagnosis.title).slice(0, 500) } } });
      if (!r.ok) return r;
      // What this push overwrote is kept in the vault (no secret in it), for "Restore the previous values".
      // A push that overwrote nothing keeps the earlier restore point: a second, idempotent push loses nothing.
      const { restorePoint, ...view } = r.value;
      if (restorePoint && (restorePoint.items.length || restorePoint.notRestorable.length)) await deps.vault.set(vaultKeys.targetPrevious(profileId), JSON.stringify({ origin: originOf(conn.url), point: restorePoint }));
      return { ok: true, value: { ...view, restorable: !!(await storedPoint(profileId, conn))?.items.length } };
    },
    'target:restorePlan': async ({ profileId }) => {
      const saved = deps.load(profileId);
      return { point: saved.targetConnection ? await storedPoint(profileId, saved.targetConnection) : null };
    },
    'target:restore': async ({ profileId, at }) => {
      const saved = deps.load(profileId);
      const conn = connectionOf(saved);
      const point = await storedPoint(profileId, conn);
      // Only the restore point that was shown: a newer push in between changes what would be put back.
      if (!point || point.at !== at) throw new AppError('target-restore-unknown', 'These are not the values shown (a push ran since, or nothing is recorded). Nothing was written; look at what would be restored again.');
      const allowed = await allow(profileId, conn, ['key']);
      const r = await engine().restore(saved, allowed, await credentialsOf(profileId), point, { onProgress: deps.emitProgress });
      if (r.ok && Object.values(r.value.readBack).every(Boolean)) await deps.vault.delete(vaultKeys.targetPrevious(profileId));
      return r;
    },
  };
}
