import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as EndpointsModule from '../../../shared/endpoints';
import type * as NetModule from '../../../electron/engine/net';
import { dispatch } from '../../../electron/ipc/dispatch';
import { createHandlers } from '../../../electron/ipc/handlers';
import type { CheckRun } from '../../../shared/checks';
import type { SignInOutcome } from '../../../shared/ipc/contract';
import { createTestDeps } from '../../e2e/host/appDeps';
import { startEmulator, type Emulator } from '../../emulator/index';
import { closeBrowser, playwrightAuthWindow } from '../helpers/authWindow';
import { TENANT, WEB, WEB_SECRET } from '../helpers/fixtures';

// Issue 18, "resolve once": one mailbox check through the real handler map, engine facade and engine,
// against the emulator's servers (real IMAP, SMTP, sign-in and Graph; nothing of imapflow or nodemailer
// is replaced). Counted: every resolution of the connection (the resolver the handlers are given), every
// resolution of its endpoints (shared/endpoints resolveEndpoints, except the catalogue's own host table
// for its texts) and every load of its CA certificates (electron/engine/net loadCaCerts), wherever in
// the process they happen. The wrappers below count and call the real functions.
const counts = vi.hoisted(() => ({ resolver: 0, endpoints: 0, caLoads: 0, endpointCallers: [] as string[] }));

/** The file:line that called the counted function (two frames up: Error, the wrapper, the caller). */
function caller(): string {
  const line = new Error().stack?.split('\n')[3] ?? '';
  return line.replace(/^\s*at\s+/, '').replace(/^.*\((.*)\)$/, '$1').replace(/^.*?(electron|shared|test)\//, '$1/');
}

vi.mock('../../../shared/endpoints', async (importOriginal) => {
  const real = await importOriginal<typeof EndpointsModule>();
  return {
    ...real,
    resolveEndpoints: (...args: Parameters<typeof real.resolveEndpoints>) => {
      const from = caller();
      // The catalogue derives host names for its step texts (shared/catalogue/clouds.ts hostsFor): not a connection's resolution.
      if (!from.startsWith('shared/catalogue/')) {
        counts.endpoints++;
        counts.endpointCallers.push(from);
      }
      return real.resolveEndpoints(...args);
    },
  };
});
vi.mock('../../../electron/engine/net', async (importOriginal) => {
  const real = await importOriginal<typeof NetModule>();
  return {
    ...real,
    loadCaCerts: (...args: Parameters<typeof real.loadCaCerts>) => {
      counts.caLoads++;
      return real.loadCaCerts(...args);
    },
  };
});

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await closeBrowser();
  await emu?.stop();
});

const reset = () => Object.assign(counts, { resolver: 0, endpoints: 0, caLoads: 0, endpointCallers: [] });

describe('one mailbox check resolves its connection once', () => {
  it('checks:run: one resolution, endpoints once, CA certificates loaded once; all five checks pass', async () => {
    const deps = createTestDeps({ authWindow: playwrightAuthWindow({ upn: 'reception@fabrikam.com', password: 'Reception-Pass-1' }), extraCaPem: [emu.caPem] });
    const resolve = deps.resolve;
    const handlers = createHandlers({ ...deps, resolve: Object.assign((saved: Parameters<typeof resolve>[0], options?: Parameters<typeof resolve>[1]) => (counts.resolver++, resolve(saved, options)), { trust: resolve.trust }) });
    const call = async <T,>(channel: string, request?: unknown) => {
      const r = await dispatch(handlers, channel, request);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    };
    const id = 'fabrikam-odoo-0101';
    await call('profiles:save', {
      id,
      profile: {
        name: 'Fabrikam Odoo',
        target: 'odoo',
        targetInputs: { baseUrl: 'https://erp.fabrikam.com' },
        tenant: TENANT,
        clientId: WEB,
        mailbox: 'reception@fabrikam.com',
        secretExpires: '2099-12-31',
        endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
      },
      wizard: { step: 'signin', ticks: [] },
    });
    await call('secrets:set', { profileId: id, value: WEB_SECRET });

    reset();
    const signedIn = await call<SignInOutcome>('signin:start', { profileId: id });
    expect(signedIn).toMatchObject({ status: 'signed-in', account: 'reception@fabrikam.com' });
    expect({ resolver: counts.resolver, endpoints: counts.endpoints, caLoads: counts.caLoads }, counts.endpointCallers.join('\n')).toEqual({ resolver: 1, endpoints: 1, caLoads: 1 });

    reset();
    const run = await call<CheckRun>('checks:run', { profileId: id });
    expect(Object.fromEntries(run.results.map((r) => [r.id, r.diagnosis?.code ?? r.status]))).toEqual({ network: 'passed', token: 'passed', imap: 'passed', smtp: 'passed', roundtrip: 'passed' });
    // The one resolution: resolveNet, called by electron/app/resolve-connection.ts before the engine ran.
    expect(counts.endpointCallers.map((c) => c.replace(/:\d+:\d+$/, ''))).toEqual(['electron/engine/resolve-net.ts']);
    expect({ resolver: counts.resolver, endpoints: counts.endpoints, caLoads: counts.caLoads }, counts.endpointCallers.join('\n')).toEqual({ resolver: 1, endpoints: 1, caLoads: 1 });
  });
});
