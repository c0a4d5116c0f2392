import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser, type Person } from '../helpers/authWindow';
import { delegatedTargetSuite } from './delegated-suite';
import { startTarget, TENANT } from './helpers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTarget('frappe');
  await launchBrowser();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

const ACCOUNTS: Person = { upn: 'accounts@fabrikam.com', password: 'Accounts-Pass-1' };

describe('Frappe / ERPNext Connected App (seed 003): the registration as the guide says, against the emulator', () => {
  it('the scenario registers what the guide says', () => {
    const app = emu.scenario.apps[0]!;
    expect(app.webRedirectUris).toEqual(['https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/a1b2c3d4e5']);
    expect(app.delegatedPermissions.map((p) => p.name).sort()).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'User.Read', 'offline_access'].sort());
    expect(app.applicationPermissions).toEqual([]);
  });
  delegatedTargetSuite(() => emu, {
    target: 'frappe',
    person: ACCOUNTS,
    wizard: (clientId) => ({
      target: 'frappe',
      name: 'Fabrikam - ERPNext accounts mailbox',
      targetInputs: { baseUrl: 'https://erp.fabrikam.com', connectedAppName: 'a1b2c3d4e5', providerName: 'Microsoft 365', audience: 'single' },
      tenant: TENANT,
      clientId,
      mailbox: 'accounts@fabrikam.com',
    }),
    expectedRedirect: 'https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/a1b2c3d4e5',
    wrongRedirect: 'https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/f6g7h8i9j0',
  });
});
