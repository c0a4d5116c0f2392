import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/ipc/dispatch';
import { createHandlers, customerFolder } from '../../../../electron/ipc/handlers';
import { createTestDeps } from '../../../e2e/host/appDeps';

// Issue 19, "one save folder per customer": an export goes into the customer's folder without a dialog;
// "Save elsewhere…" asks where. The folder name can never leave the app's folder.
const ID = 'fabrikam-odoo-0001';

describe('one save folder per customer', () => {
  it('names the folder by the mailbox domain, else the connection name, cleaned of separators and dots that climb', () => {
    expect(customerFolder({ id: ID, profile: { name: 'x', mailbox: 'reception@Fabrikam.com' } as never })).toBe('fabrikam.com');
    expect(customerFolder({ id: ID, profile: { name: 'Contoso / Odoo', mailbox: '' } as never })).toBe('contoso-odoo');
    expect(customerFolder({ id: ID, profile: { name: '../../etc', mailbox: '' } as never })).toBe('etc');
    expect(customerFolder({ id: ID, profile: { name: '..', mailbox: '' } as never })).toBe('Connections');
  });

  it('export:save writes into the customer folder (no dialog); elsewhere: true asks through the dialog', async () => {
    const deps = createTestDeps();
    const dialogs: string[] = [];
    const dialog = deps.saveFile;
    deps.saveFile = async (name, content) => (dialogs.push(name), dialog(name, content));
    const map = createHandlers(deps);
    const call = (channel: string, request?: unknown) => dispatch(map, channel, request) as Promise<{ ok: boolean; value?: { savedTo: string | null } }>;
    await call('profiles:save', {
      id: ID,
      profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01', clientId: '11111111-2222-4333-8444-000000000001', mailbox: 'reception@fabrikam.com' },
      wizard: { step: 'done', ticks: [] },
    });
    const first = await call('export:save', { profileId: ID, format: 'env' });
    expect(first.ok, JSON.stringify(first)).toBe(true);
    expect(first.value!.savedTo).toMatch(/Mail OAuth Assistant[\\/]fabrikam\.com[\\/]/);
    expect(dialogs).toEqual([]);
    const other = await call('export:save', { profileId: ID, format: 'env', elsewhere: true });
    expect(other.ok).toBe(true);
    expect(dialogs).toHaveLength(1);
    expect(other.value!.savedTo).not.toMatch(/Mail OAuth Assistant/);
  });
});
