import type { ReachWatchProgressView, ReachWatchView } from '../../shared/ipc/registration';
import type { ResolvedConnection } from '../app/resolve-connection';
import type { ReachWatchProgress } from '../engine/reach-watch';
import type { Handler } from './dispatch';
import type { EngineFacade } from './handlers';

/**
 * The watch for the Exchange step (issue 19, auto-continue), owned by main: one per connection, the connection
 * resolved once when it starts and every look made with that resolution; it stops when the page asks, when the
 * connection is deleted, when the window closes, or when the same connection starts a new one. The page only
 * shows the progress (`registration:watch`) and the outcome.
 */
export interface ReachWatchDeps {
  /** The secret and the connection, resolved once for the whole watch (endpoint policy and validation as for a check run). */
  start(profileId: string): Promise<{ conn: ResolvedConnection; secret: string | undefined }>;
  engine: Pick<EngineFacade, 'watchExchange'>;
  emit(progress: ReachWatchProgressView): void;
}

export interface ReachWatches {
  handlers: { 'registration:watchExchange': Handler<'registration:watchExchange'>; 'registration:watchStop': Handler<'registration:watchStop'> };
  /** Stops the watch of this connection; false when none ran. */
  stop(profileId: string): boolean;
  /** Stops every watch (the window closed). */
  stopAll(): void;
  /** The connections watched now. */
  running(): string[];
}

const seconds = (ms: number) => Math.round(ms / 1000);

export function createReachWatches(deps: ReachWatchDeps): ReachWatches {
  const running = new Map<string, AbortController>();
  const stop = (profileId: string): boolean => {
    const c = running.get(profileId);
    if (!c) return false;
    running.delete(profileId);
    c.abort();
    return true;
  };
  const view = (profileId: string, p: ReachWatchProgress): ReachWatchProgressView => ({
    profileId,
    state: p.state,
    attempts: p.attempts,
    ...(p.state === 'waiting' ? { nextLookInSeconds: seconds(p.nextLookInMs) } : {}),
    waitedSeconds: seconds(p.waitedMs),
    failing: p.failing,
  });

  return {
    handlers: {
      'registration:watchExchange': async ({ profileId }): Promise<ReachWatchView> => {
        const { conn, secret } = await deps.start(profileId);
        stop(profileId);
        const controller = new AbortController();
        running.set(profileId, controller);
        try {
          const o = await deps.engine.watchExchange(conn, secret, { signal: controller.signal, onProgress: (p) => deps.emit(view(profileId, p)) });
          return { status: o.status, attempts: o.attempts, waitedSeconds: seconds(o.waitedMs), failing: o.failing };
        } finally {
          if (running.get(profileId) === controller) running.delete(profileId);
        }
      },
      'registration:watchStop': ({ profileId }) => ({ stopped: stop(profileId) }),
    },
    stop,
    stopAll: () => {
      for (const id of [...running.keys()]) stop(id);
    },
    running: () => [...running.keys()],
  };
}
