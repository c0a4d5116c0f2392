import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/ipc/dispatch';
import { createHandlers } from '../../../electron/ipc/handlers';
import type { CheckRun } from '../../../shared/checks';
import { createTestDeps } from '../../e2e/host/appDeps';
import { startEmulator, type Emulator } from '../../emulator/index';
import { closeBrowser, playwrightAuthWindow } from '../helpers/authWindow';
import { TENANT, WEB, WEB_SECRET } from '../helpers/fixtures';

// Finding 10 (issue 13): the token cache belongs to the saved connection (its id), not to its name:
// renaming keeps the sign-in, deleting the connection deletes the cached tokens.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

const ID = 'fabrikam-odoo-cache1';
const record = (name: string) => ({
  id: ID,
  profile: {
    name,
    target: 'odoo',
    targetInputs: { baseUrl: 'https://erp.fabrikam.com' },
    tenant: TENANT,
    clientId: WEB,
    mailbox: 'reception@fabrikam.com',
    secretExpires: '2099-12-31',
    endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
  },
  wizard: { step: 'signin' as const, ticks: [] },
});

describe('token cache keyed by the connection', () => {
  it('survives a rename and is deleted with the connection', async () => {
    const deps = createTestDeps({ authWindow: playwrightAuthWindow({ upn: 'reception@fabrikam.com', password: 'Reception-Pass-1' }), extraCaPem: [emu.caPem] });
    const map = createHandlers(deps);
    const call = async <T,>(channel: string, request?: unknown) => {
      const r = await dispatch(map, channel, request);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    };
    await call('profiles:save', record('Fabrikam Odoo'));
    await call('secrets:set', { profileId: ID, value: WEB_SECRET });
    await expect(call('signin:start', { profileId: ID })).resolves.toMatchObject({ status: 'signed-in' });

    await call('profiles:save', record('Fabrikam Odoo (reception)'));
    const run = await call<CheckRun>('checks:run', { profileId: ID, only: ['token'] });
    expect(run.results.find((r) => r.id === 'token')?.status).toBe('passed');

    await call('profiles:delete', { id: ID });
    await call('profiles:save', record('Fabrikam Odoo (reception)'));
    await call('secrets:set', { profileId: ID, value: WEB_SECRET });
    const after = await call<CheckRun>('checks:run', { profileId: ID, only: ['token'] });
    expect(after.results.find((r) => r.id === 'token')?.diagnosis?.code).toBe('sign-in-required');
  });
});
