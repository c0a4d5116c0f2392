import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser, type Person } from '../helpers/authWindow';
import { delegatedTargetSuite } from './delegated-suite';
import { startTarget } from './helpers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTarget('flectra');
  await launchBrowser();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

const RECEPTION: Person = { upn: 'reception@fabrikam.com', password: 'Reception-Pass-1' };

describe('Flectra (seed 000): the registration as the guide says, against the emulator', () => {
  it('the scenario registers what the guide says', () => {
    const app = emu.scenario.apps[0]!;
    expect(app.webRedirectUris).toEqual(['https://erp.fabrikam.com/microsoft_outlook/confirm']);
    expect(app.delegatedPermissions.map((p) => p.name).sort()).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'User.Read', 'offline_access'].sort());
    expect(app.applicationPermissions).toEqual([]);
  });
  delegatedTargetSuite(() => emu, {
    target: 'flectra',
    person: RECEPTION,
    wizard: (clientId) => ({
      target: 'flectra',
      name: 'Fabrikam - Flectra reception mailbox',
      // The guide: any organizational directory + personal accounts, Flectra signing in through /common.
      targetInputs: { baseUrl: 'https://erp.fabrikam.com', audience: 'multi-personal' },
      tenant: 'common',
      clientId,
      mailbox: 'reception@fabrikam.com',
    }),
    expectedRedirect: 'https://erp.fabrikam.com/microsoft_outlook/confirm',
    wrongRedirect: 'https://erp.fabrikam.com/microsoft_outlook/confirm/',
    // The guide's /common: tokens come from the user's home tenant.
  });
});
