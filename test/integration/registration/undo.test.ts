/**
 * Issue 19, undo: "Remove what was created" deletes the app registration and the enterprise application
 * a connection created (their secrets, consent and assignments with them) and reads the directory back;
 * it refuses an app whose name is not the one the connection created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser } from '../helpers/authWindow';
import { MemoryVault } from '../../../electron/engine';
import { registerRegistration, removeCreated, RemoveRefused } from '../../../electron/engine/registration';
import { adminSession, CASES, GLOBAL_ADMIN, profileFor, startRegistrationEmulator, TENANT } from './harness';

let emu: Emulator;
let admin: Awaited<ReturnType<typeof adminSession>>;
beforeAll(async () => {
  emu = await startRegistrationEmulator();
  await launchBrowser();
  admin = await adminSession(emu, GLOBAL_ADMIN, 'write');
}, 90_000);
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

describe('remove what was created', () => {
  it('deletes the created app and its enterprise application, and the directory no longer has either', async () => {
    const profile = profileFor(emu, CASES.find((x) => x.target === 'odoo')!);
    const displayName = 'Odoo mail (undo test)';
    const r = await registerRegistration(admin, profile, { vault: new MemoryVault(), vaultKey: 'undo', desired: { displayName } });
    expect(r.notDone).toEqual([]);
    const before = emu.admin.directory(TENANT);
    const app = before.apps.find((a) => a.clientId === r.appId)!;
    expect(app.secrets.length).toBe(1);
    expect(before.grants.some((g) => g.clientId === app.servicePrincipalId)).toBe(true);

    // Someone else's app is never removed: a name that differs is refused and nothing changes.
    await expect(removeCreated(admin, { appId: r.appId!, displayName: 'Another app' })).rejects.toBeInstanceOf(RemoveRefused);
    expect(emu.admin.directory(TENANT).apps.some((a) => a.clientId === r.appId)).toBe(true);

    const out = await removeCreated(admin, { appId: r.appId!, displayName });
    expect(out.stillThere).toEqual({ application: false, servicePrincipal: false });
    expect(out.removed).toHaveLength(2);
    expect(out.removed[0]).toContain('enterprise application');
    const after = emu.admin.directory(TENANT);
    expect(after.apps.some((a) => a.clientId === r.appId)).toBe(false);
    expect(after.grants.some((g) => g.clientId === app.servicePrincipalId)).toBe(false);

    // Running it again finds nothing and removes nothing.
    expect(await removeCreated(admin, { appId: r.appId!, displayName })).toEqual({ removed: [], stillThere: { application: false, servicePrincipal: false } });
  }, 120_000);
});
