import type { Profile } from '../../shared/profile';
import type { SavedProfile, TargetConnection } from '../../shared/saved-profile';
import { planPush, push, restorePush, testTargetConnection, type PushRequest, type TargetCredentials } from '../engine/targets';
import type { EnginePorts } from './engine-facade';
import type { TargetEngine } from './target-handlers';

type ToProfile = (saved: SavedProfile, extraCaPem?: string[]) => { profile: Profile };

/**
 * The target engine (electron/engine/targets) behind the IPC handlers (issue 11): the engine profile
 * the checks proved, the client secret and the target credentials from the vault, and the vault itself
 * (the msal cache holding the refresh token it hands over, and the secret fingerprints).
 */
export function createTargetFacade(ports: Pick<EnginePorts, 'vault' | 'extraCaPem'>, toEngineProfile: ToProfile): TargetEngine {
  const extraCa = () => (typeof ports.extraCaPem === 'function' ? ports.extraCaPem() : (ports.extraCaPem ?? []));
  const request = (saved: SavedProfile, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined, extra: Partial<PushRequest> = {}): PushRequest => ({
    profileId: saved.id,
    profile: toEngineProfile(saved, extraCa()).profile,
    connection,
    credentials,
    clientSecret: secret,
    ...extra,
  });
  const deps = { vault: ports.vault };
  return {
    test: (saved, secret, connection, credentials) => testTargetConnection(request(saved, secret, connection, credentials), deps),
    plan: (saved, secret, connection, credentials, options) => planPush(request(saved, secret, connection, credentials, { replaceHeldToken: options?.replaceHeldToken === true }), deps),
    push: (saved, secret, connection, credentials, { handOverToken, replaceHeldToken, onProgress, signal }) => push(request(saved, secret, connection, credentials, { handOverToken, replaceHeldToken: replaceHeldToken === true, ...(signal ? { signal } : {}) }), deps, { onProgress }),
    // A restore sends the target only its own key: no client secret, no sign-in.
    restore: (saved, connection, credentials, point, { onProgress }) => restorePush(request(saved, undefined, connection, credentials, { handOverToken: false }), point, deps, { onProgress }),
  };
}
