/**
 * The emulator's GET /v1.0/auditLogs/signIns on its own (test/emulator/graphsignins.ts): Graph's signIn
 * shape, the $filter subset, $top paging by @odata.nextLink, the permission and licence refusals; then the
 * engine's readInventory following those pages through the admin's GraphClient.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { ScenarioInput } from '../../emulator/scenario';
import { kit } from '../../emulator/testkit';
import { GRAPH_CLI_APP_ID } from '../../emulator/resources';
import { sessionFromToken } from '../../../electron/engine/registration/admin-signin';
import { readInventory } from '../../../electron/engine/inventory';
import { SCENARIO, TENANT } from '../registration/harness';

let emu: Emulator;
beforeAll(async () => {
  const scenario = JSON.parse(readFileSync(SCENARIO, 'utf8')) as ScenarioInput;
  emu = await startEmulator({
    ...scenario,
    name: 'inventory-emulator',
    signIns: [
      { userPrincipalName: 'scanner@fabrikam.com', tenantId: TENANT, appDisplayName: 'Authenticated SMTP', clientAppUsed: 'Authenticated SMTP', ipAddress: '192.0.2.10', daysAgo: 1, count: 5 },
      { userPrincipalName: 'old@fabrikam.com', tenantId: TENANT, appDisplayName: 'Authenticated SMTP', clientAppUsed: 'POP3', ipAddress: '192.0.2.20', daysAgo: 40 },
      { userPrincipalName: 'admin@fabrikam.com', tenantId: TENANT, appDisplayName: 'Azure Portal', clientAppUsed: 'Browser', ipAddress: '192.0.2.1', daysAgo: 0.5 },
    ],
  });
}, 60_000);
afterAll(async () => emu?.stop());

const token = (upn: string, scp: string) => emu.admin.issueToken({ upn, resource: 'graph', clientId: GRAPH_CLI_APP_ID, tenantId: TENANT, scp });
const since = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('emulator: GET /v1.0/auditLogs/signIns', () => {
  it('answers the signIn shape, filtered by time and client, in pages of $top', async () => {
    const k = kit(emu);
    const t = token('admin@fabrikam.com', 'AuditLog.Read.All Directory.Read.All');
    const all = await k.graph('GET', '/auditLogs/signIns', t);
    expect(all.status).toBe(200);
    expect((all.body.value as unknown[]).length).toBe(7);
    const filter = encodeURIComponent(`createdDateTime ge ${since(30)} and (clientAppUsed eq 'Authenticated SMTP' or clientAppUsed eq 'POP3')`);
    const first = await k.graph('GET', `/auditLogs/signIns?$filter=${filter}&$top=2`, t);
    expect(first.status).toBe(200);
    const rows = first.body.value as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ userPrincipalName: 'scanner@fabrikam.com', clientAppUsed: 'Authenticated SMTP', ipAddress: '192.0.2.10', appDisplayName: 'Authenticated SMTP', status: { errorCode: 0 } });
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['id', 'createdDateTime', 'userId', 'appId', 'correlationId', 'conditionalAccessStatus', 'isInteractive']));
    const next = String(first.body['@odata.nextLink']);
    expect(next.startsWith(`${emu.graphUrl}/v1.0/auditLogs/signIns?`)).toBe(true);
    let seen = rows.length;
    let link: string | undefined = next;
    while (link) {
      const page = await k.graph('GET', link.slice(`${emu.graphUrl}/v1.0`.length), t);
      seen += (page.body.value as unknown[]).length;
      link = page.body['@odata.nextLink'] as string | undefined;
    }
    expect(seen).toBe(5);
    expect((await k.graph('GET', `/auditLogs/signIns?$filter=${encodeURIComponent("userPrincipalName eq 'x'")}`, t)).status).toBe(400);
  });

  it('refuses without AuditLog.Read.All, and answers 403 for a tenant without Entra ID P1/P2', async () => {
    const k = kit(emu);
    const noScope = await k.graph('GET', '/auditLogs/signIns', token('admin@fabrikam.com', 'Directory.Read.All'));
    expect(noScope.status).toBe(403);
    await emu.admin.setFault('signInLogsUnlicensed', true);
    try {
      const r = await k.graph('GET', '/auditLogs/signIns', token('admin@fabrikam.com', 'AuditLog.Read.All'));
      expect(r.status).toBe(403);
      expect((r.body.error as { code: string }).code).toBe('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
    } finally {
      await emu.admin.setFault('signInLogsUnlicensed', false);
    }
  });

  it('readInventory through the admin GraphClient: only the legacy sender of the last 30 days', async () => {
    const profile = { cloud: 'global' as const, tenant: TENANT, mailbox: 'app@fabrikam.com', endpoints: { signInHost: emu.loginHost, graphUrl: emu.graphUrl }, caCerts: [emu.caPem] };
    const session = sessionFromToken(profile as Parameters<typeof sessionFromToken>[0], token('admin@fabrikam.com', 'AuditLog.Read.All Directory.Read.All'), { purpose: 'read' });
    const r = await readInventory(session.graph);
    expect(r.source).toBe('sign-in-logs');
    expect(r.senders.map((s) => [s.account, s.client, s.count, s.path])).toEqual([['scanner@fabrikam.com', 'Authenticated SMTP', 5, 'relay']]);
  });
});
