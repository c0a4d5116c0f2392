/**
 * Frappe's Connected App made through its REST API (issue 19), against the Frappe stand-in: Frappe names it (a
 * hash; the name sent is not used) and shows its Redirect URI (get_url() + the callback path + its name), both read
 * back; a second call with that name reads it back and writes nothing; a wrong password, two-factor sign-in and a
 * user without System Manager are refused in their own codes, with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionResolver } from '../../../electron/app/resolve-connection';
import { MemoryVault } from '../../../electron/engine';
import { createConnectedApp } from '../../../electron/engine/targets';
import { createTargetFacade } from '../../../electron/ipc/target-facade';
import { createTargetHandlers } from '../../../electron/ipc/target-handlers';
import { contract } from '../../../shared/ipc/contract';
import type { SavedProfile } from '../../../shared/saved-profile';
import { makeCertSet } from '../../emulator/certs';
import { FRAPPE_CALLBACK_PATH } from '../../../shared/catalogue/targets/frappe';
import type { Emulator } from '../../emulator/index';
import { startFrappe, type FrappeStandIn } from '../../standins/frappe';
import { microsoftFrom } from '../../standins/microsoft';
import { startTarget } from '../targets/helpers';

const ADMIN_PASSWORD = 'frappe-admin-password-3f8a';
const CLERK_PASSWORD = 'frappe-clerk-password-9d1e';
let emu: Emulator;
const standIns: FrappeStandIn[] = [];
beforeAll(async () => {
  emu = await startTarget('frappe');
}, 60_000);
afterAll(async () => {
  await Promise.all(standIns.map((s) => s.stop()));
  await emu?.stop();
});
async function frappe(twoFactor = false, tls?: { key: string; cert: string }): Promise<FrappeStandIn> {
  const s = await startFrappe({
    ...(tls ? { tls } : {}),
    microsoft: microsoftFrom(emu),
    siteUrl: 'https://erp.fabrikam.com',
    users: [
      { name: 'Administrator', apiKey: 'k0123456789abcd', apiSecret: 's0123456789abcdef0123456789', roles: ['System Manager'], password: ADMIN_PASSWORD, ...(twoFactor ? { twoFactor } : {}) },
      { name: 'clerk@fabrikam.com', apiKey: 'k9876543210abcd', apiSecret: 's9876543210abcdef0123456789', roles: ['Accounts User'], password: CLERK_PASSWORD },
    ],
  });
  standIns.push(s);
  return s;
}

describe("Frappe's Connected App, made by the assistant", () => {
  it('created with its Provider Name: Frappe names it and shows its Redirect URI, read back; asked again with that name, it is read back and nothing is written', async () => {
    const s = await frappe();
    const r = await createConnectedApp({ url: s.url, login: 'Administrator', credentials: { kind: 'frappe', password: ADMIN_PASSWORD }, provider: 'Microsoft 365' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const names = [...s.docs['Connected App']!.keys()];
    expect(names).toEqual([r.value.name]);
    expect(r.value).toEqual({ name: names[0], redirectUri: `https://erp.fabrikam.com${FRAPPE_CALLBACK_PATH}${names[0]}`, provider: 'Microsoft 365', created: true });
    expect(s.writes()).toBe(1);
    const again = await createConnectedApp({ url: s.url, credentials: { kind: 'frappe', password: ADMIN_PASSWORD }, provider: 'Microsoft 365', existing: r.value.name });
    expect(again.ok && again.value).toMatchObject({ name: r.value.name, created: false });
    expect(s.writes(), 'read back, not made twice').toBe(1);
  });

  it('refused: a wrong password and two-factor sign-in → target-bad-credentials; a user without System Manager → target-insufficient-rights; nothing written, no password in the answer', async () => {
    const s = await frappe();
    const wrong = await createConnectedApp({ url: s.url, credentials: { kind: 'frappe', password: 'not-it' }, provider: 'Microsoft 365' });
    expect(!wrong.ok && wrong.diagnosis.code).toBe('target-bad-credentials');
    const clerk = await createConnectedApp({ url: s.url, login: 'clerk@fabrikam.com', credentials: { kind: 'frappe', password: CLERK_PASSWORD }, provider: 'Microsoft 365' });
    expect(!clerk.ok && clerk.diagnosis.code).toBe('target-insufficient-rights');
    expect(JSON.stringify(clerk)).not.toContain(CLERK_PASSWORD);
    const twoFactor = await frappe(true);
    const tf = await createConnectedApp({ url: twoFactor.url, credentials: { kind: 'frappe', password: ADMIN_PASSWORD }, provider: 'Microsoft 365' });
    expect(!tf.ok && tf.diagnosis.code).toBe('target-bad-credentials');
    expect(s.writes() + twoFactor.writes()).toBe(0);
    const plainHttp = await createConnectedApp({ url: 'http://erp.fabrikam.com', credentials: { kind: 'frappe', password: ADMIN_PASSWORD }, provider: 'Microsoft 365' });
    expect(plainHttp.ok, 'http only on this computer').toBe(false);
  });
});

describe("on Details, main makes it with the push's trust (the connection's and the app's CAs)", () => {
  it('a site behind a CA the app trusts: created through target:createConnectedApp; without that CA, refused and nothing written', async () => {
    // A site whose certificate chains to a CA the system does not trust (a company CA; the emulator's own in the e2e).
    const certs = await makeCertSet('Fabrikam Company CA');
    const s = await frappe(false, { key: certs.leafKey, cert: certs.leafCert });
    expect(s.url).toMatch(/^https:/);
    // The connection as Details has it: no client ID yet (the registration comes after), so it cannot be resolved whole.
    const saved: SavedProfile = { id: 'frappe-acct-0001', profile: { name: 'Fabrikam Frappe', target: 'frappe', targetInputs: { baseUrl: s.url } }, wizard: { step: 'details', ticks: [] }, updatedAt: 'now' };
    const make = (extraCaPem: string[]) => {
      const records = new Map([[saved.id, saved]]);
      const resolver = createConnectionResolver({ extraCaPem, customEndpoints: () => false });
      const load = (id: string) => records.get(id)!;
      const vault = new MemoryVault();
      const handlers = createTargetHandlers({ load, resolve: (id) => resolver(load(id)), trust: (id) => resolver.trust(load(id)), save: (r) => (records.set(r.id, r), r), secret: async () => undefined, vault, engine: createTargetFacade({ vault }), emitProgress: () => {}, confirm: async () => true });
      return handlers['target:createConnectedApp'](contract['target:createConnectedApp'].request.parse({ profileId: saved.id, url: s.url, credentials: { kind: 'frappe', password: ADMIN_PASSWORD } }));
    };
    const untrusted = await make([]);
    expect(untrusted.ok, 'system trust only: the site is not trusted').toBe(false);
    // Said as an untrusted certificate (the site answered), not as "nothing answered at this address".
    expect(!untrusted.ok && untrusted.diagnosis.code).toBe('target-tls-untrusted');
    expect(s.writes()).toBe(0);
    const trusted = await make([certs.caPem]);
    expect(trusted.ok, JSON.stringify(trusted)).toBe(true);
    expect(trusted.ok && trusted.value).toMatchObject({ name: [...s.docs['Connected App']!.keys()][0], created: true });
    expect(s.writes()).toBe(1);
  });
});
