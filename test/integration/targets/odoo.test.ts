import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser, type Person } from '../helpers/authWindow';
import { delegatedTargetSuite } from './delegated-suite';
import { deps, registration, secretOf, signInAndRun, startTarget, codes, withRegistration, wizardProfile } from './helpers';

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
  it('the scenario registers what the guide says', () => {
    const app = emu.scenario.apps[0]!;
    expect(app.webRedirectUris).toEqual(['https://erp.fabrikam.com/microsoft_outlook/confirm']);
    expect(app.signInAudience).toBe('AzureADandPersonalMicrosoftAccount');
    expect(app.delegatedPermissions.map((p) => p.name).sort()).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'User.Read', 'offline_access'].sort());
    expect(app.applicationPermissions).toEqual([]);
  });

  // The guides add IMAP.AccessAsUser.All and SMTP.Send under *Microsoft Graph* (that is where the portal
  // lists them) and Entra honours that consent for https://outlook.office.com scopes: so does the emulator.
  it('the permissions listed under Microsoft Graph, as the portal shows them, are enough: every check passes', async () => {
    const app = registration(emu);
    const { profile, redirectUri } = wizardProfile(emu, { target: 'odoo', name: 'Odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com', version: '17', audience: 'multi-personal' }, tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01', clientId: app.clientId, mailbox: 'sales@fabrikam.com' }, secretOf(app));
    const asPortal = app.delegatedPermissions.map((p) => ({ ...p, resource: 'graph' as const }));
    await withRegistration(emu, app.clientId, { delegatedPermissions: asPortal }, async () => {
      const run = await signInAndRun(profile, deps(SALES, secretOf(app)), redirectUri);
      expect(codes(run)).toEqual({ network: 'passed', token: 'passed', imap: 'passed', smtp: 'passed', roundtrip: 'passed' });
      const token = run.results.find((r) => r.id === 'token')!;
      expect(token.details.audience).toBe('https://outlook.office.com');
    });
  });
});
