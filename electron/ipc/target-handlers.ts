import type { Channel } from '../../shared/ipc/contract';
import type { TargetAnswer, TargetPlanView, TargetPushView } from '../../shared/ipc/target';
import type { SavedProfile, TargetConnection } from '../../shared/saved-profile';
import { parseCredentials, targetCredentialsKey, type TargetCredentials } from '../engine/targets';
import type { Handler } from './dispatch';
import { AppError } from './dispatch';

/**
 * The target side of the engine as the IPC handlers use it (issue 11); built by engine-facade.ts
 * from electron/engine/targets with the app's vault (the msal cache and the credentials are there).
 */
export interface TargetEngine {
  test(saved: SavedProfile, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined): Promise<TargetAnswer<{ version: string; user?: string; database?: string; notes: string[] }>>;
  plan(saved: SavedProfile, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined, options?: { replaceHeldToken?: boolean }): Promise<TargetAnswer<TargetPlanView>>;
  push(saved: SavedProfile, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined, options: { handOverToken: boolean; replaceHeldToken?: boolean; onProgress: (message: string) => void }): Promise<TargetAnswer<TargetPushView>>;
}

export interface TargetHandlerDeps {
  load(id: string): SavedProfile;
  save(record: SavedProfile): SavedProfile;
  secret(profileId: string): Promise<string | undefined>;
  vault: { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void> };
  engine: TargetEngine | undefined;
  emitProgress(message: string): void;
}

type TargetChannel = Extract<Channel, `target:${string}`>;

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
  return {
    'target:test': async ({ profileId, connection, credentials }) => {
      const saved = deps.load(profileId);
      const given = credentials as TargetCredentials | undefined;
      const creds = given ?? (await credentialsOf(profileId));
      const conn: TargetConnection = { ...saved.targetConnection, ...connection, url: connection.url.trim() };
      const r = await engine().test(saved, await deps.secret(profileId), conn, creds);
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
      return engine().plan(saved, await deps.secret(profileId), connectionOf(saved), await credentialsOf(profileId), { replaceHeldToken });
    },
    'target:push': async ({ profileId, handOverToken, replaceHeldToken }) => {
      const saved = deps.load(profileId);
      const conn = connectionOf(saved);
      const r = await engine().push(saved, await deps.secret(profileId), conn, await credentialsOf(profileId), { handOverToken, replaceHeldToken, onProgress: deps.emitProgress });
      const status = r.ok ? (r.value.status === 'failed' ? 'failed' : r.value.status) : 'failed';
      deps.save({ ...deps.load(profileId), targetConnection: { ...conn, lastPush: { at: new Date().toISOString(), status, summary: (r.ok ? r.value.summary : r.diagnosis.title).slice(0, 500) } } });
      return r;
    },
  };
}
