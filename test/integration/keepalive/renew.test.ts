/**
 * The app's "Renew secret" engine half (renew.ts) against the emulator: the new secret goes to the
 * vault only (never returned), is proved with the real IMAP + SMTP checks, the app's current secret
 * stays the old one until the person confirms, an interruption after the add leaves both working and
 * the resume adds no third secret; after confirmation the vault holds the new value first and the old
 * secret is removed from the registration and refused at sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, GRAPH_CLI_APP_ID, type Emulator } from '../../emulator/index';
import { MemoryVault, runChecks } from '../../../electron/engine';
import { sessionFromToken } from '../../../electron/engine/registration';
import { pendingSecretKey, renewFinish, renewStart } from '../../../electron/engine/keepalive/renew';
import { DAEMON, DAEMON_SECRET, TENANT, emuProfile } from '../helpers/fixtures';
import type { Profile } from '../../../shared/profile';

const OLD_ID = '5a6b7c8d-0003-4e2f-9a3b-000000000053';
const KEY = 'profile:fabrikam-daemon:secret';
let emu: Emulator;
let graph: ReturnType<typeof sessionFromToken>['graph'];
const vault = new MemoryVault();

beforeAll(async () => {
  emu = await startEmulator();
  const token = emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: 'Application.ReadWrite.All' });
  graph = sessionFromToken(emuProfile(emu), token, { purpose: 'write' }).graph;
  await vault.set(KEY, DAEMON_SECRET);
}, 60_000);
afterAll(async () => {
  await emu?.stop();
});

const base = (): Profile => emuProfile(emu, { clientSecret: { source: 'vault', key: KEY }, secretId: OLD_ID, secretExpires: '2099-12-31' });
const prove = (p: Profile, secret: string) => runChecks(p, { vault: new MemoryVault(), clientSecret: secret }, { only: ['network', 'token', 'imap', 'smtp'] });
const token = async (secret: string) => (await runChecks(base(), { vault: new MemoryVault(), clientSecret: secret }, { only: ['token'] })).results[0]!;
const secretsOnApp = () => (emu.admin.directory(TENANT).apps.find((a: { clientId: string }) => a.clientId === DAEMON)!.secrets as { id: string }[]).map((s) => s.id);

describe('Renew secret (app): new value to the vault only, old removed after confirmation', () => {
  let p: Profile;

  it('interrupted after the add: both secrets on the registration, the vault keeps the old as current and the new aside', async () => {
    let saved: Profile | undefined;
    await expect(renewStart(graph, base(), { vault, prove: async () => Promise.reject(new Error('app closed')), onAdded: async (q) => void (saved = q) })).rejects.toThrow('app closed');
    expect(saved!.rotation).toMatchObject({ phase: 'added', current: 'old', old: { keyId: OLD_ID } });
    expect(secretsOnApp()).toEqual(expect.arrayContaining([OLD_ID, saved!.rotation!.new.keyId]));
    expect(await vault.get(KEY)).toBe(DAEMON_SECRET);
    const fresh = (await vault.get(pendingSecretKey(KEY)))!;
    expect(fresh).toBeTruthy();
    expect((await token(DAEMON_SECRET)).status).toBe('passed');
    expect((await token(fresh)).status).toBe('passed');
    p = saved!;
  });

  it('resumed: no third secret, proved with IMAP + SMTP, and the result carries no secret value', async () => {
    const before = secretsOnApp().length;
    const r = await renewStart(graph, p, { vault, prove });
    expect(secretsOnApp()).toHaveLength(before);
    expect(r.proved).toBe(true);
    expect(r.run!.results.map((x) => [x.id, x.status])).toEqual([['network', 'passed'], ['token', 'passed'], ['imap', 'passed'], ['smtp', 'passed']]);
    expect(JSON.stringify(r)).not.toContain((await vault.get(pendingSecretKey(KEY)))!);
    expect(JSON.stringify(r)).not.toContain(DAEMON_SECRET);
    expect('secretText' in r).toBe(false);
    p = r.profile;
  });

  it('without confirmation nothing is removed; with it the vault holds the new value and the old secret is gone and refused', async () => {
    await expect(renewFinish(graph, p, { vault, confirmed: false })).rejects.toThrow('only after you confirm');
    expect(secretsOnApp()).toContain(OLD_ID);
    const fresh = (await vault.get(pendingSecretKey(KEY)))!;
    const r = await renewFinish(graph, p, { vault, confirmed: true });
    expect(r.removedKeyId).toBe(OLD_ID);
    expect(r.profile.rotation).toBeUndefined();
    expect(r.profile.secretId).toBe(p.rotation!.new.keyId);
    expect(await vault.get(KEY)).toBe(fresh);
    expect(await vault.get(pendingSecretKey(KEY))).toBeUndefined();
    expect(secretsOnApp()).not.toContain(OLD_ID);
    expect((await token(DAEMON_SECRET)).diagnosis?.code).toMatch(/^aadsts-7000215/);
    expect((await token(fresh)).status).toBe('passed');
  });
});
