import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphClient, type GraphRequestRecord } from '../../electron/engine/registration/graph';
import type { Clock } from '../../electron/engine/ports';
import { demoScenario, GRAPH_CLI_APP_ID, startEmulator, type Emulator } from './index.js';
import { kit } from './testkit.js';

/*
 * The emulator's Graph answers JSON batching as Graph documents it (graphbatch.ts, with its sources), and
 * the registration engine's Graph client batches requests started together, each keeping its own answer.
 */
const ADMIN_SCOPES = 'Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All Policy.Read.All Directory.Read.All User.Read';
const MISSING = '00000000-1111-4111-8111-000000000000';
let emu: Emulator;
let k: ReturnType<typeof kit>;
const adminTok = () => emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: ADMIN_SCOPES });

type Sub = { id: string; status: number; headers: Record<string, string>; body?: { error?: { code?: string }; id?: string; appId?: string; value?: unknown[] } };
async function batch(requests: unknown[]): Promise<{ status: number; subs: Sub[]; body: { error?: { code?: string; message?: string } } }> {
  const r = await k.graph('POST', '/$batch', adminTok(), { requests });
  return { status: r.status, subs: ((r.body as { responses?: Sub[] }).responses ?? []) as Sub[], body: r.body as { error?: { code?: string; message?: string } } };
}
const byId = (subs: Sub[], id: string) => subs.find((s) => s.id === id)!;

beforeAll(async () => {
  emu = await startEmulator(structuredClone(demoScenario));
  k = kit(emu);
});
afterAll(async () => {
  await emu?.stop();
});

describe('emulator: POST /v1.0/$batch', () => {
  it('answers each request with its own status, headers and body; a failure stays inside a 200 batch; any order', async () => {
    const r = await batch([
      { id: '1', method: 'GET', url: '/organization' },
      { id: '2', method: 'GET', url: `/applications/${MISSING}` },
      { id: '3', method: 'POST', url: '/applications', headers: { 'Content-Type': 'application/json' }, body: { displayName: 'batch made', signInAudience: 'AzureADMyOrg' } },
      { id: '4', method: 'GET', url: '/users/reception@fabrikam.com?$select=id,userPrincipalName' },
    ]);
    expect(r.status).toBe(200);
    expect(r.subs.map((s) => s.id).sort()).toEqual(['1', '2', '3', '4']);
    expect(r.subs.map((s) => s.id)).not.toEqual(['1', '2', '3', '4']); // not in request order: match by id
    expect(byId(r.subs, '1').status).toBe(200);
    expect(byId(r.subs, '2')).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
    expect(byId(r.subs, '3').status).toBe(201);
    expect(byId(r.subs, '3').body?.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(byId(r.subs, '3').headers['content-type']).toMatch(/application\/json/);
    expect(byId(r.subs, '4').body).toMatchObject({ userPrincipalName: 'reception@fabrikam.com' });
    // The write in the batch really happened.
    expect(emu.admin.directory('4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01').apps.some((a) => a.displayName === 'batch made')).toBe(true);
  });

  it('dependsOn: a request whose dependency failed answers 424 Failed Dependency; one whose dependency passed runs', async () => {
    const r = await batch([
      { id: 'a', method: 'GET', url: `/applications/${MISSING}` },
      { id: 'b', method: 'GET', url: '/organization', dependsOn: ['a'] },
      { id: 'c', method: 'GET', url: '/organization' },
      { id: 'd', method: 'GET', url: '/policies/defaultAppManagementPolicy', dependsOn: ['c'] },
    ]);
    expect(r.status).toBe(200);
    expect(byId(r.subs, 'a').status).toBe(404);
    expect(byId(r.subs, 'b').status).toBe(424);
    expect(byId(r.subs, 'c').status).toBe(200);
    expect(byId(r.subs, 'd').status).toBe(200);
  });

  it('refuses the whole batch: more than 20 requests, duplicate ids, a dependency on a later id, no requests; a body without Content-Type fails alone', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/organization' }));
    expect((await batch(many)).status).toBe(400);
    expect((await batch(many.slice(0, 20))).status).toBe(200);
    expect((await batch([{ id: '1', method: 'GET', url: '/organization' }, { id: '1', method: 'GET', url: '/organization' }])).status).toBe(400);
    expect((await batch([{ id: '1', method: 'GET', url: '/organization', dependsOn: ['2'] }, { id: '2', method: 'GET', url: '/organization' }])).status).toBe(400);
    expect((await batch([])).status).toBe(400);
    const noType = await batch([{ id: '1', method: 'POST', url: '/applications', body: { displayName: 'x' } }, { id: '2', method: 'GET', url: '/organization' }]);
    expect(noType.status).toBe(200);
    expect(byId(noType.subs, '1').status).toBe(400);
    expect(byId(noType.subs, '2').status).toBe(200);
  });

  it('a throttled request answers 429 with its own Retry-After inside the batch; the others are answered', async () => {
    await emu.admin.setFault('graphThrottle', { retryAfterSeconds: 7, count: 1 });
    try {
      const r = await batch([
        { id: '1', method: 'GET', url: '/organization' },
        { id: '2', method: 'GET', url: '/organization' },
      ]);
      expect(r.status).toBe(200);
      expect(byId(r.subs, '1')).toMatchObject({ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'TooManyRequests' } } });
      expect(byId(r.subs, '2').status).toBe(200);
    } finally {
      await emu.admin.setFault('graphThrottle', null);
    }
  });
});

describe('engine GraphClient: JSON batching', () => {
  const client = (records: GraphRequestRecord[], clock?: Clock) =>
    new GraphClient({ graphUrl: emu.graphUrl, token: adminTok(), net: { ca: [emu.caPem] }, onRequest: (r) => records.push(r), ...(clock ? { clock } : {}) });

  it('requests started together go as one POST /$batch; each caller gets its own answer or error', async () => {
    const records: GraphRequestRecord[] = [];
    const g = client(records);
    const [org, missing, policy] = await Promise.all([g.get<{ value: unknown[] }>('/organization'), g.getOrNull(`/applications/${MISSING}`), g.get('/policies/defaultAppManagementPolicy')]);
    expect(org.value.length).toBeGreaterThan(0);
    expect(missing).toBeNull();
    expect(policy).toBeTruthy();
    const wire = records.filter((r) => !r.inBatch);
    expect(wire).toEqual([expect.objectContaining({ method: 'POST', path: '/$batch', status: 200, batchSize: 3 })]);
    expect(records.filter((r) => r.inBatch).map((r) => r.status).sort()).toEqual([200, 200, 404]);
    // One request alone is not batched.
    records.length = 0;
    await g.get('/organization');
    expect(records).toEqual([expect.objectContaining({ method: 'GET', path: '/organization', status: 200 })]);
  });

  it('a sub-request throttled inside the batch is retried after its Retry-After; the others are not repeated', async () => {
    const waits: number[] = [];
    const clock: Clock = { now: () => new Date(), sleep: async (ms) => void waits.push(ms) };
    const records: GraphRequestRecord[] = [];
    const g = client(records, clock);
    await emu.admin.setFault('graphThrottle', { retryAfterSeconds: 7, count: 1 });
    try {
      const answers = await Promise.all([g.get<{ value: unknown[] }>('/organization'), g.get<{ value: unknown[] }>('/organization')]);
      expect(answers.every((a) => a.value.length > 0)).toBe(true);
    } finally {
      await emu.admin.setFault('graphThrottle', null);
    }
    expect(waits).toEqual([7000]);
    expect(records.map((r) => `${r.inBatch ? 'in batch ' : ''}${r.method} ${r.path} ${r.status}`)).toEqual(['POST /$batch 200', 'in batch GET /organization 429', 'in batch GET /organization 200', 'GET /organization 200']);
  });
});
