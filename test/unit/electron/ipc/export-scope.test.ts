import { describe, expect, it } from 'vitest';
import { createConnectionResolver } from '../../../../electron/app/resolve-connection';
import { MemoryVault } from '../../../../electron/engine';
import { createEngineFacade } from '../../../../electron/ipc/engine-facade';
import type { SavedProfile } from '../../../../shared/saved-profile';

// Issue 19, safe by default: the report left behind says the mail reach the tenant really has. App-only Graph
// (CXT) is limited to the mailbox unless the connection recorded that every mailbox was chosen; the report
// reads the same derivation as the checks (checkedProfile), not the export's old default (every mailbox).
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const cxt = (registration?: Partial<NonNullable<SavedProfile['registration']>>): SavedProfile =>
  ({
    id: 'fabrikam-cxt-0001',
    profile: { name: 'Fabrikam CXT', target: 'cxt', targetInputs: {}, tenant: TENANT, clientId: '11111111-2222-4333-8444-000000000002', mailbox: 'dispatch@fabrikam.com' },
    wizard: { step: 'done', ticks: [] },
    updatedAt: '2026-12-01T00:00:00Z',
    ...(registration ? { registration: { mode: 'create', displayName: 'CXT mail', appId: '11111111-2222-4333-8444-000000000002', at: '2026-12-01T00:00:00Z', ...registration } } : {}),
  }) as SavedProfile;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the report states the mailbox scope the connection has', () => {
  const resolve = createConnectionResolver({ customEndpoints: () => false });
  const engine = createEngineFacade({ vault: new MemoryVault(), authWindow: { open: () => Promise.reject(new Error('no window')) }, now: () => new Date('2026-12-06T10:00:00Z') });
  const report = async (saved: SavedProfile) => text((await engine.makeExport(resolve(saved), undefined, 'report-html', false)).content);

  it('scoped by default (Create it for me, the portal checklist and the script all limit it to the mailbox)', async () => {
    expect(await report(cxt())).toMatch(/Mailbox scope Limited to /);
    expect(await report(cxt({ mailboxScope: 'exchange-rbac' }))).toMatch(/Mailbox scope Limited to /);
  });
  it('every mailbox only when the connection recorded that choice', async () => {
    expect(await report(cxt({ mailboxScope: 'tenant' }))).toMatch(/Mailbox scope Every mailbox in the tenant/);
  });
});
