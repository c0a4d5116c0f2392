import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushOutcome } from '../../../electron/engine/targets';
import { createContext, getTarget } from '../../../shared/catalogue';
import { FLECTRA_FAMILY, odooMailServers } from '../../../shared/catalogue/targets/odoo-family';
import type { Emulator } from '../../emulator/index';
import { microsoftFrom } from '../../standins/microsoft';
import { startOdoo, type OdooStandIn } from '../../standins/odoo';
import { closeBrowser, launchBrowser, type Person } from '../helpers/authWindow';
import { startTarget, TENANT } from '../targets/helpers';
import { codeOf, provenProfile, request, run, Transcript, type Proven } from './helpers';

const RECEPTION: Person = { upn: 'reception@fabrikam.com', password: 'Reception-Pass-1' };
const KEY = 'flectra-api-key-9c2e3f9a1c7e5b2d4f6a8c0e1b3d5f7a';
const wizard = { target: 'flectra', name: 'Fabrikam - Flectra reception', targetInputs: { baseUrl: 'https://erp.fabrikam.com', audience: 'multi-personal' }, tenant: TENANT, clientId: '7a3e0c11-0011-4b5c-8d6e-000000000011', mailbox: RECEPTION.upn };

let emu: Emulator;
let proven: Proven;
let flectra: OdooStandIn;
const t = new Transcript();
beforeAll(async () => {
  emu = await startTarget('flectra');
  await launchBrowser();
  proven = await provenProfile(emu, RECEPTION, wizard);
  flectra = await startOdoo({ microsoft: microsoftFrom(emu), product: 'Flectra', version: '2.0', databases: ['fabrikam'], users: [{ login: 'admin', apiKey: KEY, system: true }], webBaseUrl: 'https://erp.fabrikam.com' });
});
afterAll(async () => {
  t.expectClean([proven?.secret, proven?.refreshToken, KEY]);
  await flectra?.stop();
  await closeBrowser();
  await emu?.stop();
});
const conn = () => ({ kind: 'odoo' as const, url: flectra.url, database: 'fabrikam', login: 'admin' });
const creds = { kind: 'odoo' as const, apiKey: KEY };

describe('Flectra 2.0 (the Odoo 15 screens): Boolean Outlook Authentication, Fetchmail Outlook, microsoft_outlook.endpoint', () => {
  it('push configures Flectra and its own tests pass against the emulator; a second push changes nothing', async () => {
    const tested = await run('test', request(proven, 'flectra-0001', conn(), creds), proven.deps, t);
    expect(tested.ok && tested.value.version).toBe('Flectra 2.0');
    const r = await run('push', request(proven, 'flectra-0001', conn(), creds), proven.deps, t);
    const o = (r as { value: PushOutcome }).value;
    expect(o.status, o.summary).toBe('configured');
    expect(o.plan.items.map((i) => i.id)).toEqual(['param:microsoft_outlook_client_id', 'param:microsoft_outlook_client_secret', 'param:microsoft_outlook.endpoint', 'ir.mail_server', 'fetchmail.server']);
    expect(flectra.records['ir.mail_server']![0]).toMatchObject({ use_microsoft_outlook_service: true, smtp_user: RECEPTION.upn });
    expect(flectra.records['fetchmail.server']![0]).toMatchObject({ server_type: 'imap', use_microsoft_outlook_service: true, is_ssl: true, state: 'done' });
    expect(o.targetTest.passed).toBe(true);
    // The paste card and the exports (the catalogue) say what the push wrote: no 'outlook' server type on Flectra.
    for (const { model, values } of odooMailServers(createContext(getTarget('flectra'), proven.profile, ''), FLECTRA_FAMILY))
      for (const k of ['server_type', 'use_microsoft_outlook_service', 'smtp_authentication', 'is_ssl', 'smtp_encryption'].filter((f) => f in values)) expect(flectra.records[model]![0]![k], `${model}.${k}`).toEqual(values[k]);
    const writes = flectra.writes();
    const again = (await run('push', request(proven, 'flectra-0001', conn(), creds), proven.deps, t)) as { value: PushOutcome };
    expect(again.value.plan.upToDate).toBe(true);
    expect(flectra.writes()).toBe(writes);
  });

  it('Fetchmail Outlook not installed (issue 19 item 5): the plan installs it first (Install, Flectra\'s Apps), the push installs, reads back, configures; not on the server → target-module-missing', async () => {
    const startBare = (state: 'uninstalled' | 'uninstallable') => startOdoo({ microsoft: microsoftFrom(emu), product: 'Flectra', version: '2.0', databases: ['fabrikam'], users: [{ login: 'admin', apiKey: KEY, system: true }], webBaseUrl: 'https://erp.fabrikam.com', modules: { fetchmail_outlook: state } });
    const bare = await startBare('uninstalled');
    const gone = await startBare('uninstallable');
    try {
      const at = (url: string) => request(proven, 'flectra-0002', { ...conn(), url }, creds);
      const planned = (await run('plan', at(bare.url), proven.deps, t)) as { value: PushOutcome['plan'] };
      expect(planned.value.items.map((i) => `${i.verb ?? i.action} ${i.id}`)).toEqual(['install module:fetchmail_outlook', 'create param:microsoft_outlook_client_id', 'create param:microsoft_outlook_client_secret', 'create param:microsoft_outlook.endpoint', 'create ir.mail_server', 'create fetchmail.server']);
      expect(planned.value.items[0]!.note).toMatch(/Apps > Fetchmail Outlook > Install/);
      expect(planned.value.items.find((i) => i.id === 'fetchmail.server')!.note).toMatch(/Planned before Fetchmail Outlook is installed: use_microsoft_outlook_service/);
      expect(bare.writes()).toBe(0);
      const o = ((await run('push', at(bare.url), proven.deps, t)) as { value: PushOutcome }).value;
      expect(bare.writeLog[0]).toMatchObject({ model: 'ir.module.module', method: 'button_immediate_install' });
      expect(o.readBack['module:fetchmail_outlook']).toBe(true);
      expect(bare.records['fetchmail.server']![0]).toMatchObject({ server_type: 'imap', use_microsoft_outlook_service: true, state: 'done' });
      expect(o.targetTest.passed).toBe(true);
      expect(((await run('plan', at(bare.url), proven.deps, t)) as { value: PushOutcome['plan'] }).value.upToDate).toBe(true);

      const r = await run('plan', at(gone.url), proven.deps, t);
      expect(codeOf(r)).toBe('target-module-missing');
      expect(!r.ok && r.diagnosis.fix.map((f) => f.text).join(' ')).toMatch(/Fetchmail Outlook/);
      expect(gone.writes()).toBe(0);
    } finally {
      await Promise.all([bare.stop(), gone.stop()]);
    }
  });
});
