import { describe, expect, it } from 'vitest';
import { watchReach } from '../../../../electron/engine/reach-watch';
import { dispatch } from '../../../../electron/ipc/dispatch';
import { createHandlers, type EngineFacade } from '../../../../electron/ipc/handlers';
import type { ResolvedConnection } from '../../../../electron/app/resolve-connection';
import type { ReachWatchView } from '../../../../shared/ipc/registration';
import { VirtualClock } from '../../../emulator/clock';
import { createTestDeps } from '../../../e2e/host/appDeps';

// Issue 19 / brief item 1: main owns the watch for the Exchange step. It resolves the connection once for the whole
// watch, streams progress as `registration:watch`, and stops when the page asks, when the connection is deleted, when
// the window closes, or when the same connection starts a new watch. The engine's looks are counted here; the loop
// itself is electron/engine/reach-watch.ts on the virtual clock (held, so a watch waits until the test lets it go on).

const ID = 'fabrikam-cxt-0001';
const draft = { id: ID, profile: { name: 'Fabrikam CXT', target: 'cxt', flow: 'app-only', api: 'graph', mailbox: 'reception@fabrikam.com', clientId: '9988b778-6a10-4da9-a850-60fd1db85482', tenant: 'fabrikam.com' }, wizard: { step: 'register' as const, ticks: [] as string[] } };

async function setUp(reachAfter: number | null = null) {
  const clock = new VirtualClock();
  let resolutions = 0;
  const base = createTestDeps();
  const deps = createTestDeps({ resolve: Object.assign((saved: Parameters<typeof base.resolve>[0], o?: Parameters<typeof base.resolve>[1]) => (resolutions++, base.resolve(saved, o)), { trust: base.resolve.trust }) });
  const looked: ResolvedConnection[] = [];
  const engine: EngineFacade = {
    ...deps.engine,
    watchExchange: (conn, _secret, o) =>
      watchReach({
        clock,
        signal: o.signal,
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        look: async () => (looked.push(conn), looked.length === reachAfter ? { reached: true, failing: [] } : { reached: false, failing: ['Microsoft Graph'] }),
      }),
  };
  let windowClosed: (() => void) | undefined;
  const handlers = createHandlers({ ...deps, engine, onWindowClosed: (l) => void (windowClosed = l) });
  const events: Array<{ event: string; payload: unknown }> = [];
  deps.connectEmit((event, payload) => events.push({ event, payload }));
  const call = async <T,>(channel: string, request?: unknown) => {
    const r = await dispatch(handlers, channel, request);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  await call('profiles:save', draft);
  await call('secrets:set', { profileId: ID, value: 'Cxt~Secret.Value_0123456789abcdefXY' });
  resolutions = 0;
  /** Lets the held watch take `n` more sleeps (each then a look), one at a time. */
  const step = async (n = 1) => {
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setTimeout(r, 5));
      clock.release();
      clock.hold();
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  clock.hold();
  return { call, events, looked, step, clock, resolutions: () => resolutions, closeWindow: () => windowClosed?.() };
}

describe('registration:watchExchange, owned by main', () => {
  it('resolves the connection once and looks with that resolution until the mailbox answers; progress streams with the connection id', async () => {
    const t = await setUp(3);
    const watching = t.call<ReachWatchView>('registration:watchExchange', { profileId: ID });
    await t.step(3);
    t.clock.release();
    const o = await watching;
    expect(o).toMatchObject({ status: 'reached', attempts: 3, failing: [] });
    expect(t.resolutions(), 'resolved once for the whole watch').toBe(1);
    expect(t.looked).toHaveLength(3);
    expect(new Set(t.looked).size, 'every look used the one resolution').toBe(1);
    const progress = t.events.filter((e) => e.event === 'registration:watch').map((e) => e.payload as { profileId: string; state: string; nextLookInSeconds?: number });
    expect(progress[0]).toMatchObject({ profileId: ID, state: 'waiting', attempts: 0, nextLookInSeconds: 3, failing: [] });
    expect(progress.filter((p) => p.state === 'waiting').map((p) => p.nextLookInSeconds)).toEqual([3, 6, 12]);
    expect(progress.every((p) => p.profileId === ID)).toBe(true);
  });

  it.each([
    ['the page asks (registration:watchStop)', async (t: Awaited<ReturnType<typeof setUp>>) => expect(await t.call('registration:watchStop', { profileId: ID })).toEqual({ stopped: true })],
    ['the connection is deleted', async (t: Awaited<ReturnType<typeof setUp>>) => void (await t.call('profiles:delete', { id: ID }))],
    ['the window closes', async (t: Awaited<ReturnType<typeof setUp>>) => t.closeWindow()],
  ])('stops when %s: cancelled, and no look after it', async (_what, stopIt) => {
    const t = await setUp();
    const watching = t.call<ReachWatchView>('registration:watchExchange', { profileId: ID });
    await t.step(2);
    const before = t.looked.length;
    await stopIt(t);
    t.clock.release();
    expect(await watching).toMatchObject({ status: 'cancelled' });
    await new Promise((r) => setTimeout(r, 20));
    expect(t.looked.length).toBe(before);
    expect(await t.call('registration:watchStop', { profileId: ID }), 'nothing left running').toEqual({ stopped: false });
  });

  it('a second watch of the same connection stops the first', async () => {
    const t = await setUp();
    const first = t.call<ReachWatchView>('registration:watchExchange', { profileId: ID });
    await t.step(1);
    const second = t.call<ReachWatchView>('registration:watchExchange', { profileId: ID });
    expect(await first).toMatchObject({ status: 'cancelled' });
    expect(await t.call('registration:watchStop', { profileId: ID })).toEqual({ stopped: true });
    t.clock.release();
    expect(await second).toMatchObject({ status: 'cancelled' });
  });

  it('refuses an unknown connection without starting anything', async () => {
    const t = await setUp();
    await expect(t.call('registration:watchExchange', { profileId: 'nobody-0001' })).rejects.toThrow(/profile-not-found/);
    expect(t.looked).toEqual([]);
  });
});
