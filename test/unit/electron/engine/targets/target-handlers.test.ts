import { describe, expect, it } from 'vitest';
import { MemoryVault } from '../../../../../electron/engine';
import { targetCredentialsKey } from '../../../../../electron/engine/targets';
import { createTargetHandlers, type TargetEngine } from '../../../../../electron/ipc/target-handlers';
import { contract } from '../../../../../shared/ipc/contract';
import type { SavedProfile } from '../../../../../shared/saved-profile';
import type { ResolvedConnection } from '../../../../../electron/app/resolve-connection';

const KEY = 'odoo-key-0123456789abcdef0123456789';

function setup(testOk: boolean) {
  const records = new Map<string, SavedProfile>([['odoo-sales-0001', { id: 'odoo-sales-0001', profile: { name: 'x', target: 'odoo' }, wizard: { step: 'done', ticks: [] }, updatedAt: 'now' }]]);
  const vault = new MemoryVault();
  const seen: unknown[] = [];
  const engine: TargetEngine = {
    test: async (_s, _secret, connection, credentials) => {
      seen.push({ connection, hasCreds: !!credentials });
      return testOk ? { ok: true, value: { version: 'Odoo 17.0', user: 'admin', notes: [] } } : { ok: false, diagnosis: { code: 'target-bad-credentials', title: 'refused', cause: '', fix: [], evidence: { source: 'internal', text: '' }, transient: false } };
    },
    plan: async () => ({ ok: true, value: { target: 'Odoo', version: 'Odoo 17.0', items: [], upToDate: true, notes: [] } }),
    push: async () => ({ ok: true, value: { plan: { target: 'Odoo', version: 'Odoo 17.0', items: [], upToDate: true, notes: [] }, status: 'configured', applied: [], readBack: {}, targetTest: { ran: true, passed: true, detail: [] }, summary: 'ok' } }),
    restore: async () => ({ ok: true, value: { restored: [], readBack: {}, notRestorable: [], summary: 'nothing' } }),
    createConnectedApp: async () => ({ ok: true, value: { name: 'unused', redirectUri: '', provider: '', created: false } }),
  };
  const handlers = createTargetHandlers({
    load: (id) => records.get(id)!,
    // The engine is a fake here: the handlers read only the record from the resolved connection.
    resolve: (id) => ({ id, saved: records.get(id)!, profile: { flow: 'delegated' } }) as ResolvedConnection,
    trust: () => [],
    save: (r) => (records.set(r.id, r), r),
    secret: async () => 'client-secret',
    vault,
    engine,
    emitProgress: () => {},
    confirm: async () => true,
  });
  return { handlers, records, vault, seen };
}

const request = { profileId: 'odoo-sales-0001', connection: { kind: 'odoo' as const, url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, credentials: { kind: 'odoo' as const, apiKey: KEY } };

describe('target:* handlers', () => {
  it('keeps the credentials in the vault only after the test passed, the connection (no secret) in the record', async () => {
    const { handlers, records, vault } = setup(true);
    const parsed = contract['target:test'].request.parse(request);
    const r = await handlers['target:test'](parsed);
    expect(r).toEqual({ ok: true, value: { version: 'Odoo 17.0', user: 'admin', notes: [], hasCredentials: true } });
    expect(JSON.parse((await vault.get(targetCredentialsKey('odoo-sales-0001')))!)).toEqual({ kind: 'odoo', apiKey: KEY });
    const saved = records.get('odoo-sales-0001')!;
    expect(saved.targetConnection).toMatchObject({ kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin', testedVersion: 'Odoo 17.0' });
    expect(JSON.stringify(saved)).not.toContain(KEY);
    expect(JSON.stringify(r)).not.toContain(KEY);
    const pushed = await handlers['target:push'](contract['target:push'].request.parse({ profileId: 'odoo-sales-0001' }));
    expect(pushed.ok).toBe(true);
    expect(records.get('odoo-sales-0001')!.targetConnection?.lastPush?.status).toBe('configured');
  });

  it('refused credentials are not kept', async () => {
    const { handlers, vault, records } = setup(false);
    const r = await handlers['target:test'](contract['target:test'].request.parse(request));
    expect(r.ok).toBe(false);
    expect(await vault.get(targetCredentialsKey('odoo-sales-0001'))).toBeUndefined();
    expect(records.get('odoo-sales-0001')!.targetConnection).toBeUndefined();
  });

  it('the contract refuses credentials of the wrong shape and unknown fields', () => {
    expect(contract['target:test'].request.safeParse({ ...request, credentials: { kind: 'frappe', apiKey: 'k' } }).success).toBe(false);
    expect(contract['target:test'].request.safeParse({ ...request, extra: 1 }).success).toBe(false);
    expect(contract['target:plan'].request.safeParse({ profileId: 'odoo-sales-0001', credentials: {} }).success).toBe(false);
  });
});

describe('push: time limit and Restore the previous values (issue 19)', () => {
  const point = { target: 'Odoo 17.0', at: '2026-12-06T17:00:00.000Z', items: [{ id: 'ir.mail_server', what: 'Outgoing mail server', where: 'ir.mail_server', values: { smtp_port: 25 } }], notRestorable: ['the previous secret was never kept'] };
  const pushed = { plan: { target: 'Odoo', version: 'Odoo 17.0', items: [], upToDate: false, notes: [] }, status: 'configured' as const, applied: ['ir.mail_server'], readBack: {}, targetTest: { ran: true, passed: true, detail: [] }, summary: 'ok' };
  function host(engine: Partial<TargetEngine>, pushLimitMs?: number) {
    const records = new Map<string, SavedProfile>([['odoo-sales-0001', { id: 'odoo-sales-0001', profile: { name: 'x', target: 'odoo' }, wizard: { step: 'done', ticks: [] }, updatedAt: 'now', targetConnection: { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' } }]]);
    const vault = new MemoryVault();
    const restores: unknown[] = [];
    const full: TargetEngine = {
      test: async () => ({ ok: true, value: { version: 'Odoo 17.0', notes: [] } }),
      plan: async () => ({ ok: true, value: pushed.plan }),
      push: async () => ({ ok: true, value: { ...pushed, restorePoint: point } }),
      restore: async (_s, _c, _k, p) => (restores.push(p), { ok: true, value: { restored: ['ir.mail_server'], readBack: { 'ir.mail_server': true }, notRestorable: p.notRestorable, summary: 'put back' } }),
      createConnectedApp: async () => ({ ok: true, value: { name: 'unused', redirectUri: '', provider: '', created: false } }),
      ...engine,
    };
    const handlers = createTargetHandlers({ load: (id) => records.get(id)!, resolve: (id) => ({ id, saved: records.get(id)!, profile: { flow: 'delegated' } }) as ResolvedConnection, trust: () => [], save: (r) => (records.set(r.id, r), r), secret: async () => 'client-secret', vault, engine: full, emitProgress: () => {}, confirm: async () => true, ...(pushLimitMs ? { pushLimitMs } : {}) });
    return { handlers, vault, restores };
  }

  it('a push that runs past the limit is stopped (its signal aborts)', async () => {
    let aborted = false;
    const { handlers } = host(
      {
        push: (_s, _x, _c, _k, o) =>
          new Promise((resolve) => {
            o.signal?.addEventListener('abort', () => ((aborted = true), resolve({ ok: false, diagnosis: { code: 'target-unreachable', title: String(o.signal?.reason), cause: '', fix: [], evidence: { source: 'internal', text: '' }, transient: false } })));
          }),
      },
      50,
    );
    const r = await handlers['target:push'](contract['target:push'].request.parse({ profileId: 'odoo-sales-0001' }));
    expect(aborted).toBe(true);
    expect(r.ok).toBe(false);
  });

  it('the push keeps what it overwrote in the vault (not the record); restorePlan shows it; restore needs the point shown and uses it up', async () => {
    const { handlers, vault, restores } = host({});
    const r = await handlers['target:push'](contract['target:push'].request.parse({ profileId: 'odoo-sales-0001' }));
    expect(r.ok && r.value.restorable).toBe(true);
    expect(r.ok && 'restorePoint' in r.value).toBe(false);
    expect(JSON.parse((await vault.get('target:odoo-sales-0001:previous'))!).point).toEqual(point);
    expect((await handlers['target:restorePlan']({ profileId: 'odoo-sales-0001' })).point).toEqual(point);
    await expect(handlers['target:restore']({ profileId: 'odoo-sales-0001', at: '2026-01-01T00:00:00.000Z' })).rejects.toThrow(/not the values shown/);
    expect(restores).toEqual([]);
    const done = await handlers['target:restore']({ profileId: 'odoo-sales-0001', at: point.at });
    expect(done.ok && done.value.readBack).toEqual({ 'ir.mail_server': true });
    expect(restores).toEqual([point]);
    expect((await handlers['target:restorePlan']({ profileId: 'odoo-sales-0001' })).point).toBeNull();
  });
});

describe("target:createConnectedApp: Frappe's Connected App made on Details (issue 19), only after main's question", () => {
  const PASSWORD = 'frappe-admin-password-0a1b2c';
  function host(answer: boolean, target = 'frappe', inputs: Record<string, string> = { baseUrl: 'https://erp.fabrikam.com' }) {
    const records = new Map<string, SavedProfile>([['frappe-acct-0001', { id: 'frappe-acct-0001', profile: { name: 'x', target, targetInputs: inputs }, wizard: { step: 'details', ticks: [] }, updatedAt: 'now' }]]);
    const vault = new MemoryVault();
    const calls: unknown[] = [];
    const asked: string[] = [];
    const engine = {
      createConnectedApp: async (req: unknown) => (calls.push(req), { ok: true as const, value: { name: '3f2a1b0c9d', redirectUri: 'https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/3f2a1b0c9d', provider: 'Microsoft 365', created: true } }),
    } as unknown as TargetEngine;
    const handlers = createTargetHandlers({ load: (id) => records.get(id)!, resolve: () => { throw new Error('not resolved on Details'); }, trust: () => [], save: (r) => (records.set(r.id, r), r), secret: async () => undefined, vault, engine, emitProgress: () => {}, confirm: async (q) => (asked.push(`${q.title}\n${q.detail}`), answer) });
    const call = (url = 'https://erp.fabrikam.com') => handlers['target:createConnectedApp'](contract['target:createConnectedApp'].request.parse({ profileId: 'frappe-acct-0001', url, credentials: { kind: 'frappe', password: PASSWORD } }));
    return { records, vault, calls, asked, call };
  }

  it('declined: nothing reaches Frappe, nothing is kept', async () => {
    const h = host(false);
    await expect(h.call()).rejects.toMatchObject({ code: 'target-declined' });
    expect(h.asked).toHaveLength(1);
    expect(h.asked[0]).toMatch(/^Create a Connected App in Frappe at https:\/\/erp\.fabrikam\.com\?/);
    expect(h.asked[0]).toMatch(/Provider Name “Microsoft 365”/);
    expect(h.asked[0]).toMatch(/client secret/);
    expect(h.asked[0]).not.toContain(PASSWORD);
    expect(h.calls).toEqual([]);
    expect(await h.vault.get(targetCredentialsKey('frappe-acct-0001'))).toBeUndefined();
  });

  it('confirmed: made, the password kept in the vault, the site and the name written into the connection, the site allowed for the push', async () => {
    const h = host(true);
    const r = await h.call();
    expect(r).toEqual({ ok: true, value: { name: '3f2a1b0c9d', redirectUri: expect.stringMatching(/callback\/3f2a1b0c9d$/), site: 'https://erp.fabrikam.com', created: true } });
    expect(h.calls).toEqual([{ url: 'https://erp.fabrikam.com', login: 'Administrator', credentials: { kind: 'frappe', password: PASSWORD }, provider: 'Microsoft 365' }]);
    expect(JSON.parse((await h.vault.get(targetCredentialsKey('frappe-acct-0001')))!)).toEqual({ kind: 'frappe', password: PASSWORD });
    const saved = h.records.get('frappe-acct-0001')!;
    expect(saved.profile.targetInputs).toMatchObject({ baseUrl: 'https://erp.fabrikam.com', connectedAppName: '3f2a1b0c9d' });
    expect(saved.targetConnection).toMatchObject({ kind: 'frappe', url: 'https://erp.fabrikam.com', login: 'Administrator', approvedOrigin: 'https://erp.fabrikam.com', approvedSends: ['key', 'secret', 'signIn'] });
    // What the assistant made there, read back, is recorded: the Done card shows that step as the assistant's.
    expect(saved.targetConnection?.connectedApp).toEqual({ name: '3f2a1b0c9d', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
  });

  it("this connection's Connected App at the same site is read back (named to the engine), never made twice; other targets and plain http are refused before anything is asked", async () => {
    const h = host(true, 'frappe', { baseUrl: 'https://erp.fabrikam.com', connectedAppName: '3f2a1b0c9d' });
    await h.call();
    expect(h.calls).toEqual([expect.objectContaining({ existing: '3f2a1b0c9d' })]);
    expect(h.asked[0]).toMatch(/^Read the Connected App back/);
    const odoo = host(true, 'odoo');
    await expect(odoo.call()).rejects.toMatchObject({ code: 'target-profile-unsupported' });
    const http = host(true);
    await expect(http.call('http://erp.fabrikam.com')).rejects.toMatchObject({ code: 'target-url-invalid' });
    expect([...odoo.asked, ...http.asked, ...odoo.calls, ...http.calls]).toEqual([]);
  });
});
