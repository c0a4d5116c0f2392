import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryVault } from '../../../electron/engine';
import { resolveProfile, type ResolvedConnection } from '../../../electron/app/resolve-connection';
import { createEngineFacade } from '../../../electron/ipc/engine-facade';
import type { ReachWatchProgress } from '../../../electron/engine/reach-watch';
import type { Profile } from '../../../shared/profile';
import { startEmulator, type Emulator } from '../../emulator/index';
import { emuProfile, NOCONSENT, NOCONSENT_SECRET } from '../helpers/fixtures';

// Issue 19, auto-continue, end to end in main: the engine facade's watch for the Exchange step against the emulator's
// Entra, Graph and Exchange, on the emulator's clock (held between looks, so the test decides when time passes).
// An app-only Graph app with no Entra mail role (scoped, safe by default) reaches the mailbox once the Exchange
// administrator's RBAC for Applications step is in place; the looks read only, so no test message is ever sent.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

const MAILBOX = 'reception@fabrikam.com';
function connection(patch: Partial<Profile> = {}): ResolvedConnection {
  const profile = emuProfile(emu, { target: 'cxt', clientId: NOCONSENT, mailbox: MAILBOX, api: 'graph', mailboxScope: 'exchange-rbac', ...patch });
  return { ...resolveProfile(profile, { customEndpoints: true }), id: 'fabrikam-cxt-0001', saved: {} as ResolvedConnection['saved'], ownProfile: profile, vaultKeys: {} as ResolvedConnection['vaultKeys'] };
}
const facade = () => createEngineFacade({ vault: new MemoryVault(), authWindow: { open: () => Promise.reject(new Error('no window')) }, now: () => new Date(), clock: emu.clock });

describe('the watch for the Exchange step (engine facade, emulator)', () => {
  it('looks with the read-only checks until Exchange grants the mailbox, then answers reached; nothing is sent', async () => {
    const conn = connection();
    expect(conn.checks).toEqual(['network', 'token', 'graph']);
    const sent = () => emu.admin.messages(MAILBOX).filter((m) => /Mail OAuth Assistant test/.test(m.subject ?? '')).length;
    const before = sent();
    const progress: ReachWatchProgress[] = [];
    emu.clock.hold();
    const watching = facade().watchExchange(conn, NOCONSENT_SECRET, { signal: new AbortController().signal, onProgress: (p) => progress.push(p) });
    const nextLook = async () => {
      emu.clock.release();
      emu.clock.hold();
      await expect.poll(() => emu.clock.heldSleeps, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    };
    await expect.poll(() => emu.clock.heldSleeps, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    await nextLook();
    await nextLook();
    // Two looks so far, both refused by Graph: the app has no Entra role and Exchange grants it nothing yet.
    const looks = progress.filter((p) => p.state === 'looking').length;
    expect(looks).toBe(2);
    expect(progress.at(-1)).toMatchObject({ state: 'waiting', attempts: 2, nextLookInMs: 12_000, failing: ['Microsoft Graph'] });
    // The Exchange administrator runs the handed-over step (RBAC for Applications), then time passes.
    const sp = emu.scenario.apps.find((a) => a.clientId === NOCONSENT)!.servicePrincipalId;
    emu.admin.exchangeRegisterServicePrincipal({ appId: NOCONSENT, objectId: sp });
    for (const role of ['Mail.Read', 'Mail.Send'] as const) emu.admin.exchangeAssignGraphRole({ app: sp, role, mailboxes: [MAILBOX] });
    emu.clock.release();
    expect(await watching).toMatchObject({ status: 'reached', attempts: 3, failing: [] });
    expect(sent(), 'the looks read only: no test message').toBe(before);
  });

  it('a connection that only sends is not watched (looking would send a message)', async () => {
    const conn = connection({ target: 'relay-device', api: 'imap-smtp', mailboxScope: undefined });
    expect(conn.checks).toEqual(['network', 'token', 'smtp']);
    await expect(facade().watchExchange(conn, NOCONSENT_SECRET, { signal: new AbortController().signal })).rejects.toThrow(/only sends/);
  });
});
