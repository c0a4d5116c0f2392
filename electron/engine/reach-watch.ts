/**
 * Waiting for the Exchange step (issue 19, auto-continue). An app-only app whose mail access Exchange scopes to
 * the mailbox (RBAC for Applications, an Exchange service principal, a mailbox permission) reaches the mailbox
 * only once an Exchange administrator has run the handed-over step, and Exchange may take a while to apply it
 * (Microsoft's RBAC for Applications page: app permission changes follow a cache of 30 minutes to 2 hours). The watch looks whether the app reaches the mailbox, with read-only checks (nothing is
 * sent, nothing is written), quickly at first and then once a minute, until it does, the person stops it, or the
 * time limit passes. It sleeps on the engine's Clock port, so tests drive it with the virtual clock.
 */
import type { Clock } from './ports';

/** 3 s, doubling, at most a minute apart; given up after three hours (past Exchange's documented two). */
export const REACH_WATCH_DEFAULTS = { firstDelayMs: 3_000, maxDelayMs: 60_000, limitMs: 3 * 60 * 60_000 } as const;

/** One look: whether every check passed, and the ones that did not (their titles), for the progress line. */
export interface ReachLook {
  reached: boolean;
  failing: string[];
}

export type ReachWatchProgress =
  | { state: 'waiting'; attempts: number; nextLookInMs: number; waitedMs: number; failing: string[] }
  | { state: 'looking'; attempts: number; waitedMs: number; failing: string[] };

export interface ReachWatchOutcome {
  status: 'reached' | 'cancelled' | 'timed-out';
  /** Looks made. */
  attempts: number;
  /** Time on the clock from the start to the outcome. */
  waitedMs: number;
  /** What the last look found not passing (empty when reached). */
  failing: string[];
}

export interface ReachWatchOptions {
  clock: Clock;
  signal: AbortSignal;
  look: (signal: AbortSignal) => Promise<ReachLook>;
  onProgress?: (progress: ReachWatchProgress) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
  limitMs?: number;
}

export async function watchReach(o: ReachWatchOptions): Promise<ReachWatchOutcome> {
  const first = o.firstDelayMs ?? REACH_WATCH_DEFAULTS.firstDelayMs;
  const max = o.maxDelayMs ?? REACH_WATCH_DEFAULTS.maxDelayMs;
  const limit = o.limitMs ?? REACH_WATCH_DEFAULTS.limitMs;
  const start = o.clock.now().getTime();
  const waited = () => o.clock.now().getTime() - start;
  let delay = first;
  let attempts = 0;
  let failing: string[] = [];
  const outcome = (status: ReachWatchOutcome['status']): ReachWatchOutcome => ({ status, attempts, waitedMs: waited(), failing: status === 'reached' ? [] : failing });
  for (;;) {
    if (o.signal.aborted) return outcome('cancelled');
    // The next look would start past the limit: stop now rather than sleep for nothing.
    const left = limit - waited();
    if (left < delay) {
      if (left > 0) {
        o.onProgress?.({ state: 'waiting', attempts, nextLookInMs: left, waitedMs: waited(), failing });
        try {
          await o.clock.sleep(left, o.signal);
        } catch {
          return outcome('cancelled');
        }
      }
      return outcome('timed-out');
    }
    o.onProgress?.({ state: 'waiting', attempts, nextLookInMs: delay, waitedMs: waited(), failing });
    try {
      await o.clock.sleep(delay, o.signal);
    } catch {
      return outcome('cancelled');
    }
    attempts++;
    o.onProgress?.({ state: 'looking', attempts, waitedMs: waited(), failing });
    let r: ReachLook;
    try {
      r = await o.look(o.signal);
    } catch (error) {
      if (o.signal.aborted) return outcome('cancelled');
      r = { reached: false, failing: [error instanceof Error ? error.name : 'the look failed'] };
    }
    if (o.signal.aborted) return outcome('cancelled');
    failing = r.failing;
    if (r.reached) return outcome('reached');
    delay = Math.min(delay * 2, max);
  }
}
