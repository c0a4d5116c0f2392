import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/ipc/dispatch';
import { createHandlers } from '../../../../electron/ipc/handlers';
import type { RegistrationEngine } from '../../../../electron/ipc/registration-handlers';
import type { TargetEngine } from '../../../../electron/ipc/target-handlers';
import type { SavedProfile } from '../../../../shared/saved-profile';
import { createTestDeps } from '../../../e2e/host/appDeps';

// Issue 18: main is the only owner of its fields; the page sends user fields through a strict schema;
// main asks natively before it sends a stored key, a secret or a sign-in to a host, and before a renewal
// writes to the tenant; deleting a connection leaves nothing in the vault. Vault keys are spelled out
// here on purpose (the stored layout), so these run unchanged against the code before the change.

const ID = 'fabrikam-odoo-0001';
const draft = (id = ID) => ({
  id,
  profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'reception@fabrikam.com', clientId: '9988b778-6a10-4da9-a850-60fd1db85482', tenant: 'fabrikam.com' },
  wizard: { step: 'credentials' as const, ticks: [] as string[] },
});
const KEY = JSON.stringify({ kind: 'odoo', apiKey: 'odoo-api-key-0123456789' });

/** A plan with one change, as an engine reads it from Odoo (the page-facing view). */
const PLAN = {
  target: 'odoo',
  version: 'Odoo 17.0',
  upToDate: false,
  notes: [],
  items: [
    { id: 'ir.mail_server', action: 'create', what: 'Outgoing mail server "Microsoft 365"', where: 'Settings > Technical > Outgoing Mail Servers', fields: {}, changed: [] },
    { id: 'fetchmail.server', action: 'unchanged', what: 'Incoming mail server', where: 'Settings > Technical > Incoming Mail Servers', fields: {}, changed: [] },
  ],
};

function setUp(options: { confirm?: boolean | ((q: { title: string; message: string; detail: string }) => boolean); plan?: typeof PLAN } = {}) {
  const deps = createTestDeps({ confirm: options.confirm ?? true });
  const sent: Array<{ op: string; url: string; key: string | undefined; secret: string | undefined; expected?: unknown }> = [];
  const record = (op: string) => async (_s: SavedProfile, secret: string | undefined, c: { url: string }, creds: unknown, o?: { expected?: unknown }) => {
    sent.push({ op, url: c.url, key: creds ? JSON.stringify(creds) : undefined, secret, ...(o?.expected ? { expected: o.expected } : {}) });
    if (op === 'plan' && options.plan) return { ok: true as const, value: options.plan };
    return op === 'test' ? { ok: true as const, value: { version: 'Odoo 17.0', notes: [] } } : { ok: false as const, diagnosis: { code: 'recorded', title: 'recorded' } as never };
  };
  const target = { test: record('test'), plan: record('plan'), push: record('push') } as unknown as TargetEngine;
  const renewCalls: string[] = [];
  const registration = {
    ...deps.engine.registration,
    adminStatus: () => ({ account: 'admin@fabrikam.com', tenantId: 't', canWrite: true, signInApp: { name: 'x', clientId: 'y', isDefault: true } }),
    renewStart: async () => (renewCalls.push('start'), Promise.reject(new Error('stop here'))),
    renewFinish: async () => (renewCalls.push('finish'), Promise.reject(new Error('stop here'))),
  } as RegistrationEngine;
  const handlers = createHandlers({ ...deps, engine: { ...deps.engine, target, registration } });
  const events: Array<{ event: string; payload: unknown }> = [];
  deps.connectEmit((event, payload) => events.push({ event, payload }));
  const raw = (channel: string, request?: unknown) => dispatch(handlers, channel, request);
  const call = async <T,>(channel: string, request?: unknown) => {
    const r = await raw(channel, request);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  return { deps, handlers, raw, call, sent, events, renewCalls };
}

describe('profiles:save takes user fields only, through a strict schema', () => {
  it('refuses (does not drop) unknown fields, main fields, control characters and oversized inputs', async () => {
    const { raw, call, deps } = setUp();
    await call('profiles:save', draft());
    const refused = async (request: unknown) => {
      const r = await raw('profiles:save', request);
      return r.ok ? 'accepted' : r.error.code;
    };
    expect(await refused({ ...draft(), extra: 1 })).toBe('invalid-request');
    expect(await refused({ ...draft(), profile: { ...draft().profile, unknownField: 'x' } })).toBe('invalid-request');
    expect(await refused({ ...draft(), targetConnection: { kind: 'odoo', url: 'https://evil.example' } })).toBe('invalid-request');
    expect(await refused({ ...draft(), signedInAs: 'someone@else' })).toBe('invalid-request');
    expect(await refused({ ...draft(), lastRun: { at: 'x', status: 'passed', passed: 5, failed: 0 } })).toBe('invalid-request');
    expect(await refused({ ...draft(), registration: { method: 'created', appId: 'forged' } })).toBe('invalid-request');
    expect(await refused({ ...draft(), profile: { ...draft().profile, name: 'Fabrikam\nClick Allow: all is fine' } })).toBe('invalid-request');
    expect(await refused({ ...draft(), profile: { ...draft().profile, mailbox: 'reception@fabrikam.com\u202e' } })).toBe('invalid-request');
    expect(await refused({ ...draft(), profile: { ...draft().profile, targetInputs: { baseUrl: 'x'.repeat(2 * 1024 * 1024) } } })).toBe('invalid-request');
    expect(await refused({ ...draft(), profile: { ...draft().profile, targetInputs: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'])) } })).toBe('invalid-request');
    const stored = deps.store.get(ID)!;
    expect(stored.targetConnection).toBeUndefined();
    expect(stored.signedInAs).toBeUndefined();
    expect(stored.registration).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain('x'.repeat(1000));
  });

  it("the page's next save keeps targetConnection, lastRun and signedInAs that main wrote (regression: it erased targetConnection)", async () => {
    const { call, deps, events } = setUp();
    await call('profiles:save', draft());
    // The page opened the connection before the target was connected: its draft has no main fields.
    const pageDraft = draft();
    await call('target:test', { profileId: ID, connection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo', apiKey: 'odoo-api-key-0123456789' } });
    const written = deps.store.get(ID)!.targetConnection;
    expect(written).toMatchObject({ url: 'https://erp.fabrikam.com', testedVersion: 'Odoo 17.0' });
    // Main announced what it wrote, with the whole record.
    const changed = events.filter((e) => e.event === 'connections:changed').map((e) => (e.payload as { record: SavedProfile }).record);
    expect(changed.at(-1)?.targetConnection).toEqual(written);
    // Back and forward: the page saves its (user) fields again.
    await call('profiles:save', { ...pageDraft, wizard: { step: 'test', ticks: [] } });
    await call('profiles:save', { ...pageDraft, profile: { ...pageDraft.profile, name: 'Fabrikam Odoo (reception)' }, wizard: { step: 'done', ticks: [] } });
    const after = deps.store.get(ID)!;
    expect(after.targetConnection).toEqual(written);
    expect(after.profile.name).toBe('Fabrikam Odoo (reception)');
  });

  it('target:test refuses unknown connection fields', async () => {
    const { raw, call } = setUp();
    await call('profiles:save', draft());
    const r = await raw('target:test', { profileId: ID, connection: { kind: 'odoo', url: 'https://erp.fabrikam.com', lastPush: { at: 'x', status: 'configured' } } });
    expect(r.ok ? 'accepted' : r.error.code).toBe('invalid-request');
  });
});

describe('a push binds the target origin', () => {
  it('the page cannot re-point the target; a new address forgets the stored key, which is never sent there', async () => {
    // The person answers yes for their own target and no for any other host main names.
    const { raw, call, deps, sent } = setUp({ confirm: (q) => !/evil\.example/.test(`${q.title} ${q.message} ${q.detail}`) });
    await call('profiles:save', draft());
    await deps.secrets.set(`profile:${ID}:clientSecret`, 'client-secret-value');
    await call('target:test', { profileId: ID, connection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo', apiKey: 'odoo-api-key-0123456789' } });
    // The attack of the review: the page writes another host into the saved connection...
    await raw('profiles:save', { ...draft(), targetConnection: { kind: 'odoo', url: 'https://evil.example', database: 'fabrikam', login: 'admin' } });
    expect(deps.store.get(ID)!.targetConnection?.url).toBe('https://erp.fabrikam.com');
    // ... or tests another address without typing a key: the stored one is forgotten, not offered.
    await raw('target:test', { profileId: ID, connection: { kind: 'odoo', url: 'https://evil.example', database: 'fabrikam', login: 'admin' } });
    await raw('target:push', { profileId: ID });
    const toEvil = sent.filter((s) => s.url.includes('evil.example'));
    expect(toEvil.map((s) => s.key)).not.toContain(KEY);
    expect(toEvil.filter((s) => s.op !== 'test').map((s) => s.secret)).not.toContain('client-secret-value');
    expect(await deps.secrets.get(`target:${ID}:credentials`)).toBeUndefined();
    // Before anything went to the new host, main asked, naming it.
    expect(deps.confirmations.some((q) => q.message.includes('https://evil.example'))).toBe(true);
  });

  it('the first push to a host asks natively, naming the host and each value; declined, nothing is sent', async () => {
    const { raw, call, deps, sent } = setUp({ confirm: false });
    await call('profiles:save', draft());
    await deps.secrets.set(`profile:${ID}:clientSecret`, 'client-secret-value');
    await call('target:test', { profileId: ID, connection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo', apiKey: 'odoo-api-key-0123456789' } });
    const r = await raw('target:push', { profileId: ID, handOverToken: true });
    expect(r.ok ? 'sent' : r.error.code).toBe('target-declined');
    expect(sent.filter((s) => s.op === 'push')).toEqual([]);
    const q = deps.confirmations.at(-1)!;
    expect(`${q.title}\n${q.message}\n${q.detail}`).toMatch(/https:\/\/erp\.fabrikam\.com/);
    expect(q.detail).toMatch(/client secret/);
    expect(q.detail).toMatch(/sign-in of “reception@fabrikam\.com”/);
    expect(q.detail).toMatch(/API key/);
    expect(JSON.stringify(q)).not.toContain('client-secret-value');
  });
});

describe('a push asks the host question once', () => {
  it('the plan asks once, naming the host, the stored key, the client secret and the sign-in; the push then asks nothing; a new address asks again', async () => {
    const { call, raw, deps, sent } = setUp({ confirm: true });
    await call('profiles:save', draft());
    await deps.secrets.set(`profile:${ID}:clientSecret`, 'client-secret-value');
    await call('target:test', { profileId: ID, connection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo', apiKey: 'odoo-api-key-0123456789' } });
    // The key typed for the address it is tested against: no question (the person just gave it to that host).
    expect(deps.confirmations).toEqual([]);
    await raw('target:plan', { profileId: ID });
    expect(deps.confirmations).toHaveLength(1);
    const q = deps.confirmations[0]!;
    expect(q.message).toMatch(/https:\/\/erp\.fabrikam\.com/);
    expect(q.detail).toMatch(/API key/);
    expect(q.detail).toMatch(/client secret/);
    expect(q.detail).toMatch(/sign-in of “reception@fabrikam\.com”/);
    // Asked before the first use of the stored key with that host: the plan reached the engine only after it.
    expect(sent.map((x) => x.op)).toEqual(['test', 'plan']);
    await raw('target:push', { profileId: ID, handOverToken: true });
    await raw('target:plan', { profileId: ID });
    await raw('target:push', { profileId: ID, handOverToken: false });
    expect(deps.confirmations, 'the answer is remembered for this origin and connection').toHaveLength(1);
    expect(sent.filter((x) => x.op === 'push').map((x) => x.url)).toEqual(['https://erp.fabrikam.com', 'https://erp.fabrikam.com']);
    // A changed address forgets the stored key and the answer: the next stored-credential use asks again.
    await call('target:test', { profileId: ID, connection: { kind: 'odoo', url: 'https://erp2.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo', apiKey: 'odoo-api-key-9876543210' } });
    await raw('target:push', { profileId: ID, handOverToken: true });
    expect(deps.confirmations).toHaveLength(2);
    expect(deps.confirmations[1]!.message).toMatch(/https:\/\/erp2\.fabrikam\.com/);
  });

  it('declined at the plan: nothing reaches the host, and the push asks again (no answer was recorded)', async () => {
    const { call, raw, deps, sent } = setUp({ confirm: false });
    await call('profiles:save', draft());
    await call('target:test', { profileId: ID, connection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo', apiKey: 'odoo-api-key-0123456789' } });
    const plan = await raw('target:plan', { profileId: ID });
    expect(plan.ok ? 'sent' : plan.error.code).toBe('target-declined');
    const push = await raw('target:push', { profileId: ID, handOverToken: true });
    expect(push.ok ? 'sent' : push.error.code).toBe('target-declined');
    expect(sent.map((x) => x.op)).toEqual(['test']);
    expect(deps.confirmations).toHaveLength(2);
  });
});

describe('a pasted key: the push asks by itself with the plan (issue 19)', () => {
  const TEST = { profileId: ID, connection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo', apiKey: 'odoo-api-key-0123456789' } };
  it('the plan is read with the key just given, unasked; the one question names the plan and the host values; declined, nothing is written', async () => {
    let answer = false;
    const { call, raw, deps, sent } = setUp({ confirm: () => answer, plan: PLAN });
    await call('profiles:save', draft());
    await deps.secrets.set(`profile:${ID}:clientSecret`, 'client-secret-value');
    const tested = await call<{ ok: true; value: { plan?: typeof PLAN } }>('target:test', { ...TEST, withPlan: true });
    expect(tested.value.plan?.items.map((i) => i.action)).toEqual(['create', 'unchanged']);
    // No stored key was used: the test and the plan both carried the key typed for this address.
    expect(deps.confirmations).toEqual([]);
    expect(sent.map((x) => [x.op, x.key])).toEqual([['test', KEY], ['plan', KEY]]);
    const declined = await raw('target:push', { profileId: ID, handOverToken: true, ask: true });
    expect(declined.ok ? 'sent' : declined.error.code).toBe('target-declined');
    expect(sent.filter((x) => x.op === 'push'), 'declined: nothing written').toEqual([]);
    const q = deps.confirmations[0]!;
    expect(q.confirmLabel).toBe('Send them');
    expect(q.message).toMatch(/1 change in Odoo at “https:\/\/erp\.fabrikam\.com”/);
    expect(q.detail).toContain("• create “Outgoing mail server 'Microsoft 365'” in “Settings > Technical > Outgoing Mail Servers”");
    expect(q.detail).not.toMatch(/Incoming mail server/);
    expect(q.detail).toMatch(/API key/);
    expect(q.detail).toMatch(/client secret/);
    expect(q.detail).toMatch(/sign-in of “reception@fabrikam\.com”/);
    answer = true;
    await raw('target:push', { profileId: ID, handOverToken: true, ask: true });
    expect(sent.filter((x) => x.op === 'push').map((x) => x.key)).toEqual([KEY]);
    // The push is bound to the plan the question named: the engine writes only if it still reads the same plan.
    expect(sent.find((x) => x.op === 'push')?.expected).toEqual(PLAN);
    expect(deps.confirmations).toHaveLength(2);
    // The host is allowed now, yet a push asked for by itself still asks: the page never writes unasked.
    answer = false;
    const again = await raw('target:push', { profileId: ID, handOverToken: true, ask: true });
    expect(again.ok ? 'sent' : again.error.code).toBe('target-declined');
    expect(deps.confirmations.map((x) => x.confirmLabel)).toEqual(['Send them', 'Send them', 'Put it into Odoo']);
    expect(deps.confirmations[2]!.detail).not.toMatch(/client secret/);
    expect(sent.filter((x) => x.op === 'push')).toHaveLength(1);
  });

  it('no plan read, or nothing to change: an asked push is refused before any question', async () => {
    const { call, raw, deps, sent } = setUp({ plan: { ...PLAN, upToDate: true, items: [PLAN.items[1]!] } });
    await call('profiles:save', draft());
    await call('target:test', TEST);
    const none = await raw('target:push', { profileId: ID, ask: true });
    expect(none.ok ? 'sent' : none.error.code).toBe('target-plan-missing');
    await call('target:test', { ...TEST, withPlan: true });
    const upToDate = await raw('target:push', { profileId: ID, ask: true });
    expect(upToDate.ok ? 'sent' : upToDate.error.code).toBe('target-plan-missing');
    expect(deps.confirmations).toEqual([]);
    expect(sent.filter((x) => x.op === 'push')).toEqual([]);
  });
});

describe('renewals ask in main', () => {
  it('renew:start and renew:finish ask a native question; declined, the engine is not called', async () => {
    const { raw, call, deps, renewCalls } = setUp({ confirm: false });
    await call('profiles:save', draft());
    const start = await raw('renew:start', { profileId: ID, months: 12 });
    expect(start.ok ? 'ran' : start.error.code).toBe('renewal-declined');
    deps.store.save({ ...deps.store.get(ID)!, profile: { ...deps.store.get(ID)!.profile, rotation: { phase: 'proved', current: 'old', old: { keyId: 'old-key' }, new: { keyId: 'new-key', endDateTime: '2027-12-01T00:00:00Z' }, startedAt: '2026-12-01T00:00:00Z' } } });
    const finish = await raw('renew:finish', { profileId: ID, confirmed: true });
    expect(finish.ok ? 'ran' : finish.error.code).toBe('renewal-declined');
    expect(renewCalls).toEqual([]);
    expect(deps.confirmations.map((q) => q.title)).toEqual(['Add a new client secret?', 'Remove the old client secret?']);
  });
});

describe('delete cleans up', () => {
  it('removes every vault entry of the connection; a new connection with the same id inherits nothing; says what remains', async () => {
    const { call, deps } = setUp();
    await call('profiles:save', draft());
    const keys = [`profile:${ID}:clientSecret`, `profile:${ID}:clientSecret:rotation-new`, `token-cache:profile:${ID}`, `target:${ID}:credentials`, `target:${ID}:fingerprint:frappe-client-secret`];
    for (const k of keys) await deps.secrets.set(k, `value-of-${k}`);
    deps.store.save({ ...deps.store.get(ID)!, registration: { method: 'created', state: 'complete', appId: '9988b778-6a10-4da9-a850-60fd1db85482', displayName: 'Odoo mail' }, targetConnection: { kind: 'odoo', url: 'https://erp.fabrikam.com', lastPush: { at: '2026-12-01T00:00:00Z', status: 'configured' } } });
    const r = await call<{ deleted: boolean; remains?: string[] }>('profiles:delete', { id: ID });
    expect(r.deleted).toBe(true);
    for (const k of keys) expect(await deps.secrets.get(k), k).toBeUndefined();
    expect(r.remains?.join('\n')).toMatch(/9988b778-6a10-4da9-a850-60fd1db85482[\s\S]*Delete/);
    expect(r.remains?.join('\n')).toMatch(/erp\.fabrikam\.com/);
    // The same id again: nothing of the old connection comes back.
    await call('profiles:save', draft());
    expect(await call('secrets:status', { profileId: ID })).toMatchObject({ present: false });
    expect(await deps.secrets.get(`target:${ID}:credentials`)).toBeUndefined();
    expect(await deps.secrets.get(`profile:${ID}:clientSecret:rotation-new`)).toBeUndefined();
  });
});

describe('dialog texts carry no page text unescaped', () => {
  it('a connection name with line breaks cannot rewrite a question (the name is stored by an older version)', async () => {
    const { call, deps } = setUp();
    await call('profiles:save', draft());
    await deps.secrets.set(`profile:${ID}:clientSecret`, 'client-secret-value');
    deps.store.save({ ...deps.store.get(ID)!, profile: { ...deps.store.get(ID)!.profile, name: 'Fabrikam"\n\nThis is a routine check. Press Copy.\n' } });
    await call('secret:copy', { profileId: ID });
    const q = deps.confirmations.at(-1)!;
    expect(q.message).not.toContain('\n');
    expect(q.message).toContain('“Fabrikam\' This is a routine check. Press Copy.”');
  });
});

describe("target:openTokenPage opens only the connection's own EmailEngine page (issue 19)", () => {
  const ee = (baseUrl: string, id = 'fabrikam-ee-0001') => ({ id, profile: { name: 'Fabrikam EmailEngine', target: 'emailengine', targetInputs: { baseUrl }, mailbox: 'reception@fabrikam.com' }, wizard: { step: 'done' as const, ticks: [] as string[] } });
  it("opens <EmailEngine address>/admin/tokens/new, the address main holds (the page names only the connection); sends nothing", async () => {
    const { call, raw, deps, sent } = setUp();
    await call('profiles:save', ee('https://emailengine.fabrikam.com/oauth'));
    expect(await call('target:openTokenPage', { profileId: 'fabrikam-ee-0001' })).toEqual({ opened: true, url: 'https://emailengine.fabrikam.com/admin/tokens/new' });
    expect(deps.openedExternal).toEqual(['https://emailengine.fabrikam.com/admin/tokens/new']);
    // The page cannot name another address: the request takes the connection id only.
    const r = await raw('target:openTokenPage', { profileId: 'fabrikam-ee-0001', url: 'https://evil.example' });
    expect(r.ok ? 'accepted' : r.error.code).toBe('invalid-request');
    expect(sent, 'nothing reached the target').toEqual([]);
    expect(deps.confirmations).toEqual([]);
  });
  it('refuses an address that is not https (http only on this computer), and a system that is not EmailEngine', async () => {
    const { call, raw, deps } = setUp();
    await call('profiles:save', ee('http://emailengine.fabrikam.com', 'fabrikam-ee-0002'));
    const plain = await raw('target:openTokenPage', { profileId: 'fabrikam-ee-0002' });
    expect(plain.ok ? 'opened' : plain.error.code).toBe('target-url-invalid');
    await call('profiles:save', draft());
    const odoo = await raw('target:openTokenPage', { profileId: ID });
    expect(odoo.ok ? 'opened' : odoo.error.code).toBe('target-profile-unsupported');
    expect(deps.openedExternal).toEqual([]);
  });
});
