import { describe, expect, it } from 'vitest';
import { REACH_WATCH_DEFAULTS, watchReach, type ReachLook, type ReachWatchProgress } from '../../../../electron/engine/reach-watch';
import { VirtualClock } from '../../../emulator/clock';

// Issue 19, auto-continue: main's watch for the Exchange step, on the engine's Clock port. The virtual clock
// skips every sleep, so three hours of back-off run in milliseconds; the looks and their spacing are real.

/** Looks that answer "not yet" until the n-th, recording when (on the clock) each was made. */
function looks(clock: VirtualClock, reachedAt: number | null) {
  const at: number[] = [];
  const look = async (): Promise<ReachLook> => {
    at.push(clock.nowMs());
    return at.length === reachedAt ? { reached: true, failing: [] } : { reached: false, failing: ['Microsoft Graph'] };
  };
  return { at, look };
}

describe('watchReach', () => {
  it('looks after 3 s, then doubles the wait up to a minute, and stops at the first look that reaches the mailbox', async () => {
    const clock = new VirtualClock();
    const { at, look } = looks(clock, 8);
    const progress: ReachWatchProgress[] = [];
    const t0 = clock.nowMs();
    const real = Date.now();
    const o = await watchReach({ clock, signal: new AbortController().signal, look, onProgress: (p) => progress.push(p) });
    expect(Date.now() - real, 'no real waiting').toBeLessThan(2_000);
    expect(o).toMatchObject({ status: 'reached', attempts: 8, failing: [] });
    // The gaps between looks, on the clock (real time between sleeps adds a few ms at most).
    const gaps = at.map((t, i) => Math.round(((i === 0 ? t - t0 : t - at[i - 1]!) / 1000)));
    expect(gaps).toEqual([3, 6, 12, 24, 48, 60, 60, 60]);
    expect(o.waitedMs).toBeGreaterThanOrEqual(273_000);
    // Progress: waiting (with the next look), looking, and the last look's failures said while waiting again.
    expect(progress.slice(0, 4)).toEqual([
      { state: 'waiting', attempts: 0, nextLookInMs: 3_000, waitedMs: expect.any(Number), failing: [] },
      { state: 'looking', attempts: 1, waitedMs: expect.any(Number), failing: [] },
      { state: 'waiting', attempts: 1, nextLookInMs: 6_000, waitedMs: expect.any(Number), failing: ['Microsoft Graph'] },
      { state: 'looking', attempts: 2, waitedMs: expect.any(Number), failing: ['Microsoft Graph'] },
    ]);
  });

  it('stops when its signal is aborted while it waits: no look after the stop', async () => {
    const clock = new VirtualClock();
    clock.hold();
    const { at, look } = looks(clock, null);
    const stop = new AbortController();
    const watching = watchReach({ clock, signal: stop.signal, look });
    await new Promise((r) => setImmediate(r));
    stop.abort();
    clock.release();
    expect(await watching).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(at).toEqual([]);
  });

  it('stops when aborted during a look, and does not look again', async () => {
    const clock = new VirtualClock();
    const stop = new AbortController();
    let n = 0;
    const o = await watchReach({
      clock,
      signal: stop.signal,
      look: async () => {
        if (++n === 3) stop.abort();
        return { reached: false, failing: ['Microsoft Graph'] };
      },
    });
    expect(o).toMatchObject({ status: 'cancelled', attempts: 3 });
    expect(n).toBe(3);
  });

  it('gives up after its time limit (three hours by default) and says what still did not answer', async () => {
    const clock = new VirtualClock();
    const { at, look } = looks(clock, null);
    const o = await watchReach({ clock, signal: new AbortController().signal, look });
    expect(o.status).toBe('timed-out');
    expect(o.failing).toEqual(['Microsoft Graph']);
    expect(o.waitedMs).toBeGreaterThanOrEqual(REACH_WATCH_DEFAULTS.limitMs);
    expect(o.waitedMs).toBeLessThan(REACH_WATCH_DEFAULTS.limitMs + 5_000);
    // 3+6+12+24+48 s, then once a minute: 5 + (3 h - 93 s) / 60 s looks.
    expect(at.length).toBe(5 + Math.floor((REACH_WATCH_DEFAULTS.limitMs - 93_000) / 60_000));
  });

  it('a look that throws counts as not reached (the watch goes on), unless it was stopped', async () => {
    const clock = new VirtualClock();
    let n = 0;
    const o = await watchReach({
      clock,
      signal: new AbortController().signal,
      look: async () => {
        n++;
        if (n === 1) throw new TypeError('socket hang up');
        return { reached: true, failing: [] };
      },
    });
    expect(o).toMatchObject({ status: 'reached', attempts: 2 });
  });
});
