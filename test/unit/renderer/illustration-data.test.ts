import { describe, expect, it } from 'vitest';
import { findTarget } from '../../../shared/catalogue';
import { isUnresolved, portalSteps, targetSteps } from '../../../renderer/src/catalogue';
import { accountTypeLabel, illustrationData, orgName } from '../../../renderer/src/illustration-data';

// Issue 14 items 1 and 4, without a browser: the pictures are drawn from the step's own data, and
// screen 4 holds only the Microsoft side.
const base = { name: 'x', cloud: 'global' as const, clientSecret: { source: 'ask' as const }, mailbox: 'reception@fabrikam.com' };

describe('portal illustrations follow the step', () => {
  it('Odoo single tenant: the app name, the single-tenant account type with the org name, delegated permissions', () => {
    const t = findTarget('odoo')!;
    const profile = { ...base, target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com', audience: 'single' }, tenant: '', clientId: '' };
    const steps = portalSteps(t, profile);
    const reg = steps.find((s) => s.id === 'register')!;
    const d = illustrationData(reg, t, profile)!;
    expect(d.appName).toBe(reg.copy.find((c) => c.label === 'Name')!.value);
    expect(d.accountTypes.find((a) => a.selected)!.id).toBe('single');
    expect(d.accountTypes.find((a) => a.selected)!.label).toBe('Accounts in this organizational directory only (Fabrikam only - Single tenant)');
    const perms = illustrationData(steps.find((s) => s.id === 'permissions')!, t, profile)!;
    expect(perms.permissions.every((p) => p.type === 'delegated')).toBe(true);
    expect(perms.alt).toMatch(/IMAP\.AccessAsUser\.All \(Delegated/);
  });

  it('CXT: application permissions, not the delegated ones, and no Fabrikam Odoo app', () => {
    const t = findTarget('cxt')!;
    const profile = { ...base, target: 'cxt', targetInputs: {}, tenant: '', clientId: '' };
    // Scoped by default (issue 19): the application permissions are drawn on the "every mailbox" opt-in step.
    const perms = illustrationData(portalSteps(t, profile).find((s) => s.id === 'every-mailbox')!, t, profile)!;
    expect(perms.permissions.map((p) => `${p.type} ${p.name}`)).toEqual(['application Mail.Read', 'application Mail.Send']);
    expect(perms.appName).not.toMatch(/Odoo/);
  });

  it('names the organisation instead of <Org>', () => {
    expect(orgName({ tenant: '', mailbox: 'a@contoso.com' })).toBe('Contoso');
    expect(orgName({ tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01', mailbox: '' })).toBe('your organization');
    expect(accountTypeLabel('single', 'Contoso')).not.toContain('<Org>');
  });
});

describe('screen 4 and the Done screen split the checklist', () => {
  it('screen 4 has no step in the target system nor the assistant, and ends with the secret', () => {
    for (const id of ['odoo', 'flectra', 'flexdeploy', 'emailengine', 'frappe', 'cxt']) {
      const t = findTarget(id)!;
      const profile = { ...base, target: id, targetInputs: { baseUrl: 'https://erp.fabrikam.com', connectedAppName: 'ms365' }, tenant: '', clientId: '' };
      const steps = portalSteps(t, profile);
      expect(steps.filter((s) => s.where === 'target' || s.where === 'assistant'), id).toEqual([]);
      expect(steps.filter((s) => s.where === 'entra').at(-1)?.id, id).toBe('client-secret');
      expect(targetSteps(t, profile).every((s) => s.where === 'target'), id).toBe(true);
    }
  });

  it('a value with a placeholder, or marked unknown, is unresolved (never offered for copying)', () => {
    expect(isUnresolved('<Application (client) ID>')).toBe(true);
    expect(isUnresolved('https://login.microsoftonline.com/<Directory (tenant) ID>/oauth2/v2.0/')).toBe(true);
    expect(isUnresolved({ value: 'abc', unknown: true })).toBe(true);
    expect(isUnresolved('11111111-2222-4333-8444-000000000001')).toBe(false);
  });
});
