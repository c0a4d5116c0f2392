import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/ipc/dispatch';
import { createHandlers, secretKey } from '../../../../electron/ipc/handlers';
import type { RegistrationEngine } from '../../../../electron/ipc/registration-handlers';
import type { ApplyResult, LintReport } from '../../../../shared/ipc/registration';
import type { SavedProfile } from '../../../../shared/saved-profile';
import type { ResolvedConnection } from '../../../../electron/app/resolve-connection';
import { createTestDeps } from '../../../e2e/host/appDeps';

// The registration channels' bookkeeping (issue 10): what main writes into the saved connection
// around a create / fix / lint, so that a cancel or a closed app resumes, and the renderer can
// never overwrite it. The engine is a fake here (its own tests run against the emulator).
const APP = '9988b778-6a10-4da9-a850-60fd1db85482';
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const SECRET = 'New~Secret.Value_abcdefghijKLMNOP0123';

function setUp(
  apply: (conn: ResolvedConnection, o: { vaultKey: string }) => Promise<Omit<ApplyResult, 'record'>>,
  lint?: (conn: ResolvedConnection, o: { clientId?: string; secret?: string }) => Promise<LintReport>,
  options: { confirm?: boolean } = {},
) {
  const deps = createTestDeps(options.confirm === undefined ? {} : { confirm: options.confirm });
  const removals: Array<{ appId: string; displayName: string }> = [];
  const seenDuringApply: SavedProfile[] = [];
  const fake: RegistrationEngine = {
    adminSignIn: async () => ({ status: 'cancelled', reason: 'closed' }),
    adminStatus: () => ({ account: 'admin@fabrikam.com', tenantId: TENANT, canWrite: true, signInApp: { name: 'x', clientId: 'y', isDefault: false } }),
    signInApp: () => ({ name: 'x', clientId: 'y', isDefault: false }),
    systemBrowser: () => false,
    adminSignOut: async () => {},
    lint: async (saved, o) => (lint ? lint(saved, o) : Promise.reject(new Error('no lint'))),
    plan: async (_saved, mode) => ({ mode, displayName: 'Odoo mail', readFromTenant: true, steps: [], unfixable: [], manualSteps: [], reach: [], choices: {}, digest: 'shown' }),
    apply: async (saved, _mode, o) => {
      if (o.expectedDigest !== 'shown') throw new Error('not the plan shown');
      o.beforeWrite();
      seenDuringApply.push(deps.store.get(saved.id)!);
      return apply(saved, o);
    },
    removeCreated: async (_saved, { appId, displayName, confirm }) => {
      if (!(await confirm({ title: 'Remove the app registration?', message: `${displayName} (${appId})`, detail: '', confirmLabel: 'Remove it' }))) return null;
      removals.push({ appId, displayName });
      return { removed: [`the app registration “${displayName}”`], stillThere: { application: false, servicePrincipal: false } };
    },
    script: () => ({ filename: 'x.ps1', content: '' }),
    manualSteps: () => [],
    renewStart: async () => Promise.reject(new Error('no renewal')),
    renewFinish: async () => Promise.reject(new Error('no renewal')),
  };
  const handlers = createHandlers({ ...deps, engine: { ...deps.engine, registration: fake } });
  const call = async <T,>(channel: string, request?: unknown) => {
    const r = await dispatch(handlers, channel, request);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  /** As the page does it: the plan is shown, then applied by its id. */
  const applyShown = async (profileId: string, mode: 'create' | 'fix') => {
    const plan = await call<{ planId: string }>('registration:plan', { profileId, mode });
    return call<ApplyResult>('registration:apply', { profileId, mode, planId: plan.planId });
  };
  return { deps, call, seenDuringApply, applyShown, removals };
}

const draft = (id: string) => ({ id, profile: { name: 'Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'reception@fabrikam.com' }, wizard: { step: 'register', ticks: [] } });

const done = (over: Partial<Omit<ApplyResult, 'record'>> = {}): Omit<ApplyResult, 'record'> => ({
  status: 'done',
  appId: APP,
  servicePrincipalId: 'e5f6a7b8-0001-4e9f-8a1b-000000000041',
  tenantId: TENANT,
  displayName: 'Odoo mail',
  secret: { keyId: '46aa4a20-48f2-48e3-b384-5bd7b5cfe414', hint: 'New', endDateTime: '2027-12-01T10:00:00Z' },
  applied: ['Create the app registration “Odoo mail”'],
  notDone: [],
  findings: [],
  manualSteps: [],
  ...over,
});

describe('registration handlers: the saved connection records what exists', () => {
  it('create: "in progress" is saved before the first change; afterwards ids, tenant, expiry and Secret ID, never the secret', async () => {
    const { deps, call, seenDuringApply, applyShown } = setUp(async (saved, o) => {
      await deps.secrets.set(o.vaultKey, SECRET);
      return done();
    });
    await call('profiles:save', draft('odoo-aaaa1111'));
    const r = await applyShown('odoo-aaaa1111', 'create');
    expect(seenDuringApply[0]!.registration).toMatchObject({ method: 'created', state: 'in-progress', by: 'admin@fabrikam.com' });
    const saved = deps.store.get('odoo-aaaa1111')!;
    expect(saved.profile).toMatchObject({ clientId: APP, tenant: TENANT, secretExpires: '2027-12-01', secretId: '46aa4a20-48f2-48e3-b384-5bd7b5cfe414', clientSecret: { source: 'vault', key: 'clientSecret' } });
    expect(saved.registration).toMatchObject({ method: 'created', state: 'complete', appId: APP, secretKeyId: '46aa4a20-48f2-48e3-b384-5bd7b5cfe414', lintStatus: 'clean' });
    expect(await deps.secrets.get(secretKey('odoo-aaaa1111'))).toBe(SECRET);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(JSON.stringify(saved)).not.toContain(SECRET);
  });

  it('cancelled after the app exists: "partial" with its client id, and the next run starts from there', async () => {
    let runs = 0;
    const { deps, call, seenDuringApply, applyShown } = setUp(async () => (++runs === 1 ? done({ status: 'cancelled', secret: undefined, servicePrincipalId: null, applied: [] }) : done()));
    await call('profiles:save', draft('odoo-bbbb2222'));
    await applyShown('odoo-bbbb2222', 'create');
    expect(deps.store.get('odoo-bbbb2222')!.registration).toMatchObject({ method: 'created', state: 'partial', appId: APP });
    await applyShown('odoo-bbbb2222', 'create');
    expect(seenDuringApply[1]!.registration).toMatchObject({ state: 'in-progress', appId: APP });
    expect(deps.store.get('odoo-bbbb2222')!.registration).toMatchObject({ state: 'complete' });
  });

  it('a save from the renderer never overwrites or invents the registration record', async () => {
    const { deps, call, applyShown } = setUp(async () => done());
    await call('profiles:save', draft('odoo-cccc3333'));
    // A page that sends a registration record is refused (issue 18), not silently stripped.
    await expect(call('profiles:save', { ...draft('odoo-cccc3333'), registration: { method: 'manual', state: 'complete', appId: 'forged' } })).rejects.toThrow(/invalid-request/);
    expect(deps.store.get('odoo-cccc3333')!.registration).toBeUndefined();
    await applyShown('odoo-cccc3333', 'create');
    await call('profiles:save', draft('odoo-cccc3333'));
    expect(deps.store.get('odoo-cccc3333')!.registration).toMatchObject({ method: 'created', appId: APP });
  });

  it('lint: records its status and keeps how the registration was made; the typed secret goes to the engine', async () => {
    const typed: (string | undefined)[] = [];
    const { deps, call } = setUp(
      async () => done(),
      async (_s, o) => {
        typed.push(o.secret);
        return { clientId: o.clientId ?? APP, tenantId: TENANT, appFound: true, displayName: 'Odoo mail', status: 'errors', findings: [], manualSteps: [], checkedAt: '2026-12-01T10:00:00Z' };
      },
    );
    await call('profiles:save', draft('odoo-dddd4444'));
    // A typed, not yet stored secret is checked, but that check is not the connection's status.
    await call('registration:lint', { profileId: 'odoo-dddd4444', clientId: APP, method: 'manual', secret: 'typed-value' });
    expect(typed).toEqual(['typed-value']);
    expect(deps.store.get('odoo-dddd4444')!.registration).toBeUndefined();
    await call('registration:lint', { profileId: 'odoo-dddd4444', clientId: APP, method: 'manual' });
    expect(deps.store.get('odoo-dddd4444')!.registration).toMatchObject({ method: 'manual', appId: APP, lintStatus: 'errors', lintedAt: '2026-12-01T10:00:00Z' });
    await call('registration:lint', { profileId: 'odoo-dddd4444', clientId: APP, method: 'checked' });
    expect(deps.store.get('odoo-dddd4444')!.registration?.method).toBe('manual');
  });
});

describe('registration:removeCreated: only the app this connection created, after the native question', () => {
  it('refuses a connection whose registration was checked, not created: nothing is asked or removed', async () => {
    const { call, deps, removals } = setUp(async () => done(), async () => ({ clientId: APP, tenantId: TENANT, appFound: true, displayName: 'Their app', status: 'clean', findings: [], manualSteps: [], checkedAt: '2026-12-01T10:00:00Z' }));
    await call('profiles:save', draft('odoo-eeee5555'));
    await call('registration:lint', { profileId: 'odoo-eeee5555', clientId: APP });
    await expect(call('registration:removeCreated', { profileId: 'odoo-eeee5555' })).rejects.toThrow(/registration-not-created/);
    expect(deps.confirmations).toHaveLength(0);
    expect(removals).toEqual([]);
  });

  it('declined: nothing removed, the record and the secret stay', async () => {
    const { call, deps, removals } = setUp(async () => done(), undefined, { confirm: false });
    await call('profiles:save', draft('odoo-ffff6666'));
    const saved = deps.store.get('odoo-ffff6666')!;
    deps.store.save({ ...saved, profile: { ...saved.profile, clientId: APP }, registration: { method: 'created', state: 'partial', appId: APP, displayName: 'Odoo mail' } });
    await deps.secrets.set(secretKey('odoo-ffff6666'), SECRET);
    const r = await call<{ status: string; removed: string[] }>('registration:removeCreated', { profileId: 'odoo-ffff6666' });
    expect(r).toMatchObject({ status: 'declined', removed: [], appId: APP, displayName: 'Odoo mail' });
    expect(deps.confirmations).toHaveLength(1);
    expect(removals).toEqual([]);
    expect(deps.store.get('odoo-ffff6666')!.registration).toMatchObject({ method: 'created', appId: APP });
    expect(await deps.secrets.get(secretKey('odoo-ffff6666'))).toBe(SECRET);
  });

  it('removed and read back gone: the connection forgets the app ids and the secret', async () => {
    const { call, deps, applyShown, removals } = setUp(async (_saved, o) => {
      await deps.secrets.set(o.vaultKey, SECRET);
      return done();
    });
    await call('profiles:save', draft('odoo-gggg7777'));
    await applyShown('odoo-gggg7777', 'create');
    const r = await call<{ status: string; removed: string[]; record: SavedProfile }>('registration:removeCreated', { profileId: 'odoo-gggg7777' });
    expect(removals).toEqual([{ appId: APP, displayName: 'Odoo mail' }]);
    expect(r.status).toBe('removed');
    expect(r.removed).toEqual(['the app registration “Odoo mail”']);
    const saved = deps.store.get('odoo-gggg7777')!;
    expect(saved.registration).toBeUndefined();
    expect(saved.profile.clientId || undefined).toBeUndefined();
    expect(saved.profile.secretId).toBeUndefined();
    expect(r.record.registration).toBeUndefined();
    expect(await deps.secrets.get(secretKey('odoo-gggg7777'))).toBeUndefined();
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});
