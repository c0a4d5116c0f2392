/**
 * The emulator's clock, shared with the engine's Clock port in tests (issue 23): the emulator reads
 * it for replication lag (when a directory object became visible) and device-code expiry, and the
 * engine sleeps on it while it waits out lag or Retry-After. A sleep moves the clock forward to its
 * deadline at once instead of waiting in real time, so a test of 20 s of replication lag exercises
 * the same requests, back-off and progress messages without the 20 s. Between sleeps the clock runs
 * with real time (it is real time plus the distance slept so far).
 *
 * `hold()` makes sleeps wait until `release()` (then they end at once, in deadline order): a test
 * that must see the waiting on screen (or cancel it) holds the clock for that moment.
 */
export class VirtualClock {
  private offsetMs = 0;
  private held: { until: number; resolve: () => void }[] | null = null;

  /** Milliseconds since the epoch on this clock. */
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }
  /** The engine's Clock port. */
  now(): Date {
    return new Date(this.nowMs());
  }
  /** Move the clock forward (a test standing in for time passing). */
  advance(ms: number): void {
    if (ms > 0) this.offsetMs += ms;
  }
  /** How far the clock has been moved ahead of real time. */
  get skippedMs(): number {
    return this.offsetMs;
  }
  /** The engine's Clock port: ends when the clock reaches now + ms (at once unless held), or rejects on abort. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const until = this.nowMs() + Math.max(0, ms);
      let entry: { until: number; resolve: () => void } | undefined;
      const onAbort = () => {
        if (entry && this.held) this.held = this.held.filter((e) => e !== entry);
        clearImmediate(immediate);
        reject(signal!.reason);
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        // Concurrent sleeps do not add up: the clock moves to the latest deadline reached.
        this.offsetMs = Math.max(this.offsetMs, until - Date.now());
        resolve();
      };
      let immediate: ReturnType<typeof setImmediate> | undefined;
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.held) {
        entry = { until, resolve: done };
        this.held.push(entry);
      } else {
        // One turn of the event loop, so I/O in flight (the emulator's own answers) goes on between sleeps.
        immediate = setImmediate(done);
      }
    });
  }
  /** How many sleeps wait for release() now (a test knows the engine is between two steps, nothing in flight). */
  get heldSleeps(): number {
    return this.held?.length ?? 0;
  }
  /** Back to real time, nothing held (the emulator's reset); sleeps still held end now. */
  reset(): void {
    this.release();
    this.offsetMs = 0;
  }
  /** Sleeps started from now on wait until release(). */
  hold(): void {
    this.held ??= [];
  }
  /** End every held sleep (earliest deadline first) and stop holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const e of held.sort((a, b) => a.until - b.until)) e.resolve();
  }
}
