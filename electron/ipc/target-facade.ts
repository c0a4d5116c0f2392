import type { TargetConnection } from '../../shared/saved-profile';
import type { ResolvedConnection } from '../app/resolve-connection';
import { createConnectedApp, planPush, push, restorePush, testTargetConnection, type PushRequest, type TargetCredentials } from '../engine/targets';
import type { EnginePorts } from './engine-facade';
import type { TargetEngine } from './target-handlers';

/**
 * The target engine (electron/engine/targets) behind the IPC handlers (issue 11): the engine profile
 * the checks proved, the client secret and the target credentials from the vault, and the vault itself
 * (the msal cache holding the refresh token it hands over, and the secret fingerprints).
 */
export function createTargetFacade(ports: Pick<EnginePorts, 'vault'>): TargetEngine {
  const request = (conn: ResolvedConnection, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined, extra: Partial<PushRequest> = {}): PushRequest => ({
    profileId: conn.id,
    profile: conn.profile,
    connection,
    credentials,
    clientSecret: secret,
    ...extra,
  });
  const deps = { vault: ports.vault };
  return {
    test: (conn, secret, connection, credentials) => testTargetConnection(request(conn, secret, connection, credentials), deps),
    plan: (conn, secret, connection, credentials, options) => planPush(request(conn, secret, connection, credentials, { replaceHeldToken: options?.replaceHeldToken === true }), deps),
    push: (conn, secret, connection, credentials, { handOverToken, replaceHeldToken, onProgress, signal, expected }) => push(request(conn, secret, connection, credentials, { handOverToken, replaceHeldToken: replaceHeldToken === true, ...(signal ? { signal } : {}), ...(expected ? { expected } : {}) }), deps, { onProgress }),
    // A restore sends the target only its own key: no client secret, no sign-in.
    restore: (conn, connection, credentials, point, { onProgress }) => restorePush(request(conn, undefined, connection, credentials, { handOverToken: false }), point, deps, { onProgress }),
    createConnectedApp: (req) => createConnectedApp(req),
  };
}
