import { describe, expect, it } from 'vitest';
import { validateProfile } from '../../../../shared/validation';
import { reorderDate } from '../../../../shared/validation/validate';
import { targetHintsFor } from '../../../../shared/validation/targets';

const NOW = new Date('2026-11-23T12:00:00Z');
const base = {
  name: 'Fabrikam Odoo',
  target: 'odoo',
  targetInputs: { baseUrl: 'https://erp.fabrikam.com' },
  cloud: 'global',
  tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01',
  clientId: '11111111-2222-4333-8444-000000000001',
  clientSecret: { source: 'env', name: 'ERP_SECRET' },
  mailbox: 'reception@fabrikam.com',
  flow: 'delegated',
  api: 'imap-smtp',
};
const run = (patch: Record<string, unknown>) => validateProfile({ ...base, ...patch }, { now: NOW, target: targetHintsFor('odoo') });

describe('validate cleans what has one reading, says so, and refuses what has two', () => {
  it.each([
    ['31/12/2027', '2027-12-31'],
    ['31.12.2027', '2027-12-31'],
    ['12/31/2027', '2027-12-31'],
    ['2027/12/31', '2027-12-31'],
    ['1/7/2027', undefined],
    ['07/07/2027', '2027-07-07'],
  ])('%s → %s', (given, want) => {
    const { findings, cleaned } = run({ secretExpires: given });
    if (want) {
      expect(cleaned.secretExpires).toBe(want);
      expect(findings.find((f) => f.code === 'secret-expires-cleaned')?.message).toContain(want);
      expect(findings.some((f) => f.severity === 'error')).toBe(false);
    } else {
      expect(cleaned.secretExpires).toBeUndefined();
      expect(findings.find((f) => f.code === 'secret-expires-ambiguous')?.message).toMatch(/2027-07-01 or 2027-01-07/);
    }
  });

  it('an impossible date in another order is still refused (31/02/2027)', () => {
    expect(reorderDate('31/02/2027')).toBeUndefined();
    const { findings, cleaned } = run({ secretExpires: '31/02/2027' });
    expect(findings.find((f) => f.code === 'secret-expires-invalid')).toBeDefined();
    expect(cleaned.secretExpires).toBeUndefined();
  });

  it('a web address without its scheme gets https://, with the redirect derived from it', () => {
    const { findings, cleaned } = run({ targetInputs: { baseUrl: 'erp.fabrikam.com' } });
    expect(cleaned.targetInputs?.baseUrl).toBe('https://erp.fabrikam.com');
    expect(cleaned.targetInputs?.redirectUri).toBe('https://erp.fabrikam.com/microsoft_outlook/confirm');
    expect(findings.find((f) => f.code === 'base-url-scheme-added')?.severity).toBe('warning');
    expect(findings.some((f) => f.severity === 'error')).toBe(false);
  });

  it('words are still not an address', () => {
    expect(run({ targetInputs: { baseUrl: 'our erp' } }).findings.find((f) => f.code === 'base-url-invalid')).toBeDefined();
  });
});
