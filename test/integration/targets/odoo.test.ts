import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser, type Person } from '../helpers/authWindow';
import { delegatedTargetSuite } from './delegated-suite';
import { startTarget } from './helpers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTarget('odoo');
  await launchBrowser();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

const SALES: Person = { upn: 'sales@fabrikam.com', password: 'Sales-Pass-1' };

describe('Odoo (seed 000 / TARGETS.md): the registration as the guide says, against the emulator', () => {
  delegatedTargetSuite(() => emu, {
    target: 'odoo',
    person: SALES,
    wizard: (clientId) => ({
      target: 'odoo',
      name: 'Fabrikam - Odoo sales mailbox',
      targetInputs: { baseUrl: 'https://erp.fabrikam.com', version: '17', audience: 'multi-personal' },
      tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01',
      clientId,
      mailbox: 'sales@fabrikam.com',
    }),
    expectedRedirect: 'https://erp.fabrikam.com/microsoft_outlook/confirm',
    // The redirect registered under a sub-path that Odoo does not use.
    wrongRedirect: 'https://erp.fabrikam.com/odoo/microsoft_outlook/confirm',
  });
  it('scenario is the one of the guide', () => {
    expect(emu.scenario.apps[0]!.webRedirectUris).toEqual(['https://erp.fabrikam.com/microsoft_outlook/confirm']);
  });
});
