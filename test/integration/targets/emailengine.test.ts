import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser, type Person } from '../helpers/authWindow';
import { delegatedTargetSuite } from './delegated-suite';
import { startTarget, TENANT } from './helpers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTarget('emailengine');
  await launchBrowser();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

const SUPPORT: Person = { upn: 'support@fabrikam.com', password: 'Support-Pass-1' };
const IMAP_APP = '7a3e0c11-0014-4b5c-8d6e-000000000014';
const GRAPH_APP = '7a3e0c11-0015-4b5c-8d6e-000000000015';
const REDIRECT = 'https://emailengine.fabrikam.com/oauth';
const wizard = (baseScope: 'imap' | 'api') => (clientId: string) => ({
  target: 'emailengine',
  name: `Fabrikam - EmailEngine support mailbox (${baseScope})`,
  // EmailEngine's "Account types" = the Directory (tenant) ID: accounts in this organizational directory.
  targetInputs: { baseUrl: 'https://emailengine.fabrikam.com', baseScope, audience: 'single' },
  tenant: TENANT,
  clientId,
  mailbox: 'support@fabrikam.com',
});

describe('EmailEngine (seed 002): the registration as the guide says, against the emulator', () => {
  it('the scenario registers what the guide says for each base scope', () => {
    const byId = (id: string) => emu.scenario.apps.find((a) => a.clientId === id)!;
    for (const id of [IMAP_APP, GRAPH_APP]) expect(byId(id).webRedirectUris).toEqual([REDIRECT]);
    expect(byId(IMAP_APP).delegatedPermissions.map((p) => p.name).sort()).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'User.Read', 'offline_access'].sort());
    expect(byId(GRAPH_APP).delegatedPermissions.map((p) => p.name).sort()).toEqual(['Mail.ReadWrite', 'Mail.Send', 'User.Read', 'offline_access'].sort());
  });

  describe('base scope "IMAP and SMTP"', () => {
    delegatedTargetSuite(() => emu, {
      target: 'emailengine',
      person: SUPPORT,
      clientId: IMAP_APP,
      wizard: wizard('imap'),
      expectedRedirect: REDIRECT,
      // The redirect of EmailEngine's own old default route, not /oauth.
      wrongRedirect: 'https://emailengine.fabrikam.com/oauth/callback',
    });
  });

  describe('base scope "MS Graph API"', () => {
    delegatedTargetSuite(() => emu, {
      target: 'emailengine',
      person: SUPPORT,
      clientId: GRAPH_APP,
      wizard: wizard('api'),
      expectedRedirect: REDIRECT,
      wrongRedirect: 'https://emailengine.fabrikam.com/oauth/callback',
    });
  });
});
