import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { closeBrowser, launchBrowser, type Person } from '../helpers/authWindow';
import { delegatedTargetSuite } from './delegated-suite';
import { codes, deps, profileFile, runCli, secretOf, SECRET_ENV, signInAndRun, startTarget, TENANT, withRegistration, wizardProfile } from './helpers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTarget('flexdeploy');
  await launchBrowser();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

const DEPLOY: Person = { upn: 'deploy@fabrikam.com', password: 'Deploy-Pass-1' };

describe('FlexDeploy 7.0+ (seed 001): the registration as the guide says, against the emulator', () => {
  it('the scenario registers what the guide says', () => {
    const app = emu.scenario.apps[0]!;
    expect(app.webRedirectUris).toEqual(['https://deploy.fabrikam.com/flexdeploy/rest/v2/oauth']);
    expect(app.delegatedPermissions.map((p) => p.name).sort()).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'User.Read', 'offline_access'].sort());
    expect(app.applicationPermissions).toEqual([]);
  });
  delegatedTargetSuite(() => emu, {
    target: 'flexdeploy',
    person: DEPLOY,
    wizard: (clientId) => ({
      target: 'flexdeploy',
      name: 'Fabrikam - FlexDeploy notifications',
      targetInputs: { baseUrl: 'https://deploy.fabrikam.com', version: '7', audience: 'single' },
      tenant: TENANT,
      clientId,
      mailbox: 'deploy@fabrikam.com',
    }),
    expectedRedirect: 'https://deploy.fabrikam.com/flexdeploy/rest/v2/oauth',
    wrongRedirect: 'https://deploy.fabrikam.com/flexdeploy/facesrest/v2/oauth',
    cliDeviceCode: true,
  });

  describe('FlexDeploy 6.x: the path the seed guide itself shows (/flexdeploy/facesrest/v2/oauth)', () => {
    const v6 = (clientId: string) => ({ target: 'flexdeploy', name: 'Fabrikam - FlexDeploy 6', targetInputs: { baseUrl: 'https://deploy.fabrikam.com', version: '6', audience: 'single' }, tenant: TENANT, clientId, mailbox: 'deploy@fabrikam.com' });
    const V6_REDIRECT = 'https://deploy.fabrikam.com/flexdeploy/facesrest/v2/oauth';

    it('registered as the guide shows it, a 6.x profile signs in and passes every check', async () => {
      const app = emu.scenario.apps[0]!;
      const { profile, redirectUri } = wizardProfile(emu, v6(app.clientId), secretOf(app));
      expect(redirectUri).toBe(V6_REDIRECT);
      await withRegistration(emu, app.clientId, { webRedirectUris: [V6_REDIRECT] }, async () => {
        const run = await signInAndRun(profile, deps(DEPLOY, secretOf(app)), redirectUri);
        expect(codes(run)).toEqual({ network: 'passed', token: 'passed', imap: 'passed', smtp: 'passed', roundtrip: 'passed' });
      });
    });

    // The CLI validates with the catalogue's hints for the profile's inputs: the version picks the path.
    it('CLI: `validate` derives the 6.x redirect for a 6.x profile', async () => {
      const app = emu.scenario.apps[0]!;
      const { raw } = wizardProfile(emu, v6(app.clientId), secretOf(app));
      const f = profileFile(raw);
      try {
        const v = await runCli(['validate', f.file, '--json'], { [SECRET_ENV]: secretOf(app) });
        expect(v.json?.cleaned?.targetInputs?.redirectUri).toBe(V6_REDIRECT);
      } finally {
        f.cleanup();
      }
    });
  });
});
