import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restorePush, type PushOutcome } from '../../../electron/engine/targets';
import type { Emulator } from '../../emulator/index';
import { startEmailEngine, type EmailEngineStandIn } from '../../standins/emailengine';
import { startFrappe, type FrappeStandIn } from '../../standins/frappe';
import { microsoftFrom } from '../../standins/microsoft';
import { startOdoo, type OdooStandIn } from '../../standins/odoo';
import { closeBrowser, launchBrowser, type Person } from '../helpers/authWindow';
import { startTarget, TENANT } from '../targets/helpers';
import { provenProfile, request, run, Transcript, type Proven } from './helpers';

// Issue 19, undo: a push keeps the values it replaced (never a secret) and "Restore the previous values"
// puts them back and reads them back, against the strict stand-ins of Odoo, EmailEngine and Frappe.
const SALES: Person = { upn: 'sales@fabrikam.com', password: 'Sales-Pass-1' };
const KEY = 'odoo-api-key-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e';
const EE_TOKEN = 'ee-api-token-0123456789abcdef0123456789abcdef0123456789abcdef';
const FRAPPE_KEY = 'c3d4e5f6a7b8c9d';
const FRAPPE_SECRET = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6';
const ODOO_APP = '7a3e0c11-0012-4b5c-8d6e-000000000012';
const odooWizard = { target: 'odoo', name: 'Fabrikam - Odoo sales', targetInputs: { baseUrl: 'https://erp.fabrikam.com', version: '17', audience: 'multi-personal' }, tenant: TENANT, clientId: ODOO_APP, mailbox: SALES.upn };

let emu: Emulator;
let proven: Proven;
let odoo: OdooStandIn;
const t = new Transcript();
beforeAll(async () => {
  emu = await startTarget('odoo');
  await launchBrowser();
  proven = await provenProfile(emu, SALES, odooWizard);
  odoo = await startOdoo({ microsoft: microsoftFrom(emu), product: 'Odoo', version: '17.0', databases: ['fabrikam'], users: [{ login: 'admin', apiKey: KEY, system: true }], webBaseUrl: 'https://erp.fabrikam.com' });
});
afterAll(async () => {
  t.expectClean([proven?.secret, proven?.refreshToken, KEY, EE_TOKEN, FRAPPE_SECRET]);
  await odoo?.stop();
  await closeBrowser();
  await emu?.stop();
});

describe('Restore the previous values', () => {
  it('Odoo: a push over values someone set keeps them (not the secret); the restore puts them back and reads them back', async () => {
    const conn = { kind: 'odoo' as const, url: odoo.url, database: 'fabrikam', login: 'admin' };
    const creds = { kind: 'odoo' as const, apiKey: KEY };
    const first = (await run('push', request(proven, 'odoo-restore-0001', conn, creds), proven.deps, t)) as { ok: true; value: PushOutcome };
    expect(first.value.status, first.value.summary).toBe('configured');
    // Created by the first push: nothing to put back, and it says so.
    expect(first.value.restorePoint?.items ?? []).toEqual([]);
    expect(first.value.restorePoint?.notRestorable.some((n) => n.includes('created by the push'))).toBe(true);

    // Someone changes the outgoing server and the client id parameter in Odoo; the next push overwrites them.
    const out = odoo.records['ir.mail_server']![0]!;
    Object.assign(out, { smtp_port: 25, from_filter: 'fabrikam.com' });
    const clientParam = odoo.records['ir.config_parameter']!.find((p) => p.key === 'microsoft_outlook_client_id')!;
    clientParam.value = '11111111-2222-4333-8444-000000000001';
    const secretParam = odoo.records['ir.config_parameter']!.find((p) => p.key === 'microsoft_outlook_client_secret')!;
    secretParam.value = 'someone-elses-secret-value';
    const second = (await run('push', request(proven, 'odoo-restore-0001', conn, creds), proven.deps, t)) as { ok: true; value: PushOutcome };
    expect(second.value.status, second.value.summary).toBe('configured');
    expect(out.smtp_port).toBe(emu.smtp.port);
    const point = second.value.restorePoint!;
    expect(point.items.map((i) => [i.id, i.values])).toEqual([
      ['param:microsoft_outlook_client_id', { value: '11111111-2222-4333-8444-000000000001' }],
      ['ir.mail_server', { smtp_port: 25, from_filter: 'fabrikam.com' }],
    ]);
    // The previous secret is never kept: said, not stored.
    expect(JSON.stringify(point)).not.toContain('someone-elses-secret-value');
    expect(point.notRestorable.join(' ')).toMatch(/System parameter microsoft_outlook_client_secret: the previous value was a secret the assistant never kept, so it cannot be put back/);

    const writes = odoo.writes();
    const r = await restorePush(request(proven, 'odoo-restore-0001', conn, creds), point, proven.deps, { onProgress: (m) => t.add(m) });
    t.add(r);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.value.restored).toEqual(['param:microsoft_outlook_client_id', 'ir.mail_server']);
    expect(r.value.readBack).toEqual({ 'param:microsoft_outlook_client_id': true, 'ir.mail_server': true });
    expect(odoo.writes()).toBeGreaterThan(writes);
    // Read from the stand-in itself: the values someone had set are back; the secret stays the pushed one.
    expect(out).toMatchObject({ smtp_port: 25, from_filter: 'fabrikam.com' });
    expect(clientParam.value).toBe('11111111-2222-4333-8444-000000000001');
    expect(secretParam.value).toBe(proven.secret);
  });

  it('EmailEngine: the OAuth2 application\'s overwritten fields are put back by PUT and read back', async () => {
    const ee: EmailEngineStandIn = await startEmailEngine({ microsoft: microsoftFrom(emu), tokens: [{ token: EE_TOKEN, scopes: ['api'] }] });
    try {
      const eeWizard = { target: 'emailengine', name: 'Fabrikam - EmailEngine', targetInputs: { baseUrl: 'https://emailengine.fabrikam.com', baseScope: 'imap', audience: 'single' }, tenant: TENANT, clientId: ODOO_APP, mailbox: SALES.upn };
      const p = { ...proven, profile: { ...proven.profile, target: 'emailengine', targetInputs: eeWizard.targetInputs, flow: 'delegated' as const } };
      const conn = { kind: 'emailengine' as const, url: ee.url };
      const creds = { kind: 'emailengine' as const, accessToken: EE_TOKEN };
      const first = (await run('push', request(p, 'ee-restore-0001', conn, creds), p.deps, t)) as { ok: boolean; value: PushOutcome };
      expect(first.ok, JSON.stringify(first)).toBe(true);
      const [app] = [...ee.apps.values()];
      // Someone renamed the app and turned it off in EmailEngine; the push overwrites both.
      Object.assign(app!, { name: 'Our old Outlook app', enabled: false });
      const second = (await run('push', request(p, 'ee-restore-0001', conn, creds), p.deps, t)) as { ok: true; value: PushOutcome };
      expect(app).toMatchObject({ enabled: true });
      const point = second.value.restorePoint!;
      expect(point.items).toEqual([{ id: 'oauth2-app', what: expect.any(String), where: `PUT /v1/oauth2/${app!.id}`, ref: app!.id, values: { name: 'Our old Outlook app', enabled: false } }]);
      const r = await restorePush(request(p, 'ee-restore-0001', conn, creds), point, p.deps);
      t.add(r);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (!r.ok) return;
      expect(r.value.readBack).toEqual({ 'oauth2-app': true });
      expect(ee.apps.get(app!.id)).toMatchObject({ name: 'Our old Outlook app', enabled: false, clientId: ODOO_APP });
    } finally {
      await ee.stop();
    }
  });

  it('Frappe: the Connected App\'s and the Email Account\'s overwritten fields are put back by PUT, Frappe checks the mailbox again, and both are read back', async () => {
    const frappe: FrappeStandIn = await startFrappe({ microsoft: microsoftFrom(emu), siteUrl: 'https://erp.fabrikam.com', users: [{ name: 'Administrator', apiKey: FRAPPE_KEY, apiSecret: FRAPPE_SECRET, roles: ['System Manager'] }], connectedApps: [{ name: 'b2c3d4e5f6', provider_name: 'Microsoft 365' }] });
    try {
      const targetInputs = { baseUrl: 'https://erp.fabrikam.com', connectedAppName: 'b2c3d4e5f6', providerName: 'Microsoft 365', audience: 'single' };
      const p = { ...proven, profile: { ...proven.profile, target: 'frappe', targetInputs, flow: 'delegated' as const } };
      const conn = { kind: 'frappe' as const, url: frappe.url };
      const creds = { kind: 'frappe' as const, apiKey: FRAPPE_KEY, apiSecret: FRAPPE_SECRET };
      const first = (await run('push', request(p, 'frappe-restore-0001', conn, creds), p.deps, t)) as { ok: boolean; value: PushOutcome };
      expect(first.ok && first.value.status, JSON.stringify(first)).toBe('configured');
      // The stand-in stores a new document on each save: read them from its maps each time.
      const app = () => frappe.docs['Connected App']!.get('b2c3d4e5f6')!;
      const acct = () => [...frappe.docs['Email Account']!.values()][0]!;
      // Someone renames the provider, points the app elsewhere and turns incoming mail off; the next push overwrites all three.
      Object.assign(app(), { provider_name: 'Office 365 (old)', openid_configuration: 'https://login.example.com/old/.well-known/openid-configuration' });
      Object.assign(acct(), { enable_incoming: 0 });
      const second = (await run('push', request(p, 'frappe-restore-0001', conn, creds), p.deps, t)) as { ok: true; value: PushOutcome };
      expect(second.value.status, second.value.summary).toBe('configured');
      expect(app().provider_name).toBe('Microsoft 365');
      expect(acct().enable_incoming).toBe(1);
      const point = second.value.restorePoint!;
      expect(point.items.map((i) => [i.id, i.ref, i.values])).toEqual([
        ['connected-app', 'b2c3d4e5f6', { provider_name: 'Office 365 (old)', openid_configuration: 'https://login.example.com/old/.well-known/openid-configuration' }],
        ['email-account', String(acct().name), { enable_incoming: 0 }],
      ]);
      // The client secret and the handed-over sign-in are never kept (Password fields): nothing secret in the point.
      expect(JSON.stringify(point)).not.toContain(proven.secret);
      const writes = frappe.writes();
      const r = await restorePush(request(p, 'frappe-restore-0001', conn, creds), point, p.deps, { onProgress: (m) => t.add(m) });
      t.add(r);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (!r.ok) return;
      expect(r.value.restored).toEqual(['connected-app', 'email-account']);
      expect(r.value.readBack).toEqual({ 'connected-app': true, 'email-account': true });
      expect(frappe.writes()).toBe(writes + 2);
      // Read from the stand-in itself: the earlier values are back; the client id and the secret stay the pushed ones.
      expect(app()).toMatchObject({ provider_name: 'Office 365 (old)', openid_configuration: 'https://login.example.com/old/.well-known/openid-configuration', client_id: ODOO_APP });
      expect(frappe.passwords.get('Connected App|b2c3d4e5f6|client_secret')).toBe(proven.secret);
      expect(acct()).toMatchObject({ enable_incoming: 0, enable_outgoing: 1 });
      // Restoring again writes nothing: Frappe already holds those values, read back again (idempotent).
      const again = await restorePush(request(p, 'frappe-restore-0001', conn, creds), point, p.deps);
      expect(again.ok && again.value).toMatchObject({ restored: [], readBack: { 'connected-app': true, 'email-account': true } });
      expect(frappe.writes()).toBe(writes + 2);
    } finally {
      await frappe.stop();
    }
  });
});
