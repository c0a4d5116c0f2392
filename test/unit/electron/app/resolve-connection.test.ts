import { describe, expect, it } from 'vitest';
import { createConnectionResolver, resolveProfileFile } from '../../../../electron/app/resolve-connection';
import { AppError } from '../../../../electron/app/app-error';
import { checksFor, findTarget } from '../../../../shared/catalogue';
import { ProfileSchema } from '../../../../shared/profile';
import type { SavedProfile } from '../../../../shared/saved-profile';
import { makeCertSet } from '../../../emulator/certs';

// Issue 18, resolve once: what one resolution of a saved connection holds, and the order of its refusals.
const { caPem } = await makeCertSet('Fabrikam resolver CA');
const { caPem: ownCa } = await makeCertSet('Fabrikam own CA');
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const saved = (profile: Record<string, unknown>, id = 'fabrikam-odoo-0001'): SavedProfile =>
  ({ id, profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: TENANT, clientId: '11111111-2222-4333-8444-000000000001', mailbox: 'reception@fabrikam.com', ...profile }, wizard: { step: 'signin', ticks: [] }, updatedAt: '2026-12-01T00:00:00Z' }) as SavedProfile;
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'resolved';
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};

describe('resolveConnection', () => {
  it('one object: the catalogue’s flow, API, redirect and checks, endpoints, the trusted CAs loaded once, the vault keys', () => {
    const resolve = createConnectionResolver({ extraCaPem: [caPem], customEndpoints: () => false });
    const r = resolve(saved({ flow: 'app-only', api: 'graph' }));
    const odoo = findTarget('odoo')!;
    // The catalogue decides flow and API (Odoo signs in as the mailbox over IMAP/SMTP), whatever the record said.
    expect([r.profile.flow, r.profile.api]).toEqual(['delegated', 'imap-smtp']);
    expect(r.checks).toEqual(checksFor(odoo, r.profile));
    expect(r.redirectUri).toBe('https://erp.fabrikam.com/microsoft_outlook/confirm');
    expect(r.target).toMatchObject({ id: 'odoo', flow: 'delegated', api: 'imap-smtp' });
    expect(r.net.endpoints.imap).toEqual({ host: 'outlook.office365.com', port: 993 });
    expect(r.net.ca).toEqual([caPem]);
    // The app's trusted CA is for the network only: an export shows the connection as it defines itself.
    expect(r.ownProfile.caCerts).toBeUndefined();
    expect(r.policy).toEqual({ customEndpointsAllowed: false, outside: [], allowed: true });
    expect(r.vaultKeys).toEqual({ clientSecret: 'profile:fabrikam-odoo-0001:clientSecret', pendingSecret: 'profile:fabrikam-odoo-0001:clientSecret:rotation-new', tokenCache: 'token-cache:profile:fabrikam-odoo-0001', targetCredentials: 'target:fabrikam-odoo-0001:credentials' });
  });

  it('the endpoint policy is decided first: refused before an incomplete profile or the secret is validated', () => {
    const off = createConnectionResolver({ customEndpoints: () => false });
    const on = createConnectionResolver({ customEndpoints: () => true });
    const outside = saved({ endpoints: { imap: 'imap.fabrikam-test.net:993' }, clientId: '' });
    expect(codeOf(() => off(outside, { enforcePolicy: true, validate: { secret: 'x' } }))).toBe('endpoints-not-allowed');
    // Not enforced (an export, a sign-out): decided, not refused.
    expect(codeOf(() => off(saved({ endpoints: { imap: 'imap.fabrikam-test.net:993' } })))).toBe('resolved');
    expect(off(saved({ endpoints: { imap: 'imap.fabrikam-test.net:993' } })).policy).toMatchObject({ allowed: false, outside: ['IMAP server imap.fabrikam-test.net:993'] });
    expect(codeOf(() => on(outside, { enforcePolicy: true, validate: { secret: 'x' } }))).toBe('profile-invalid');
    expect(codeOf(() => off(saved({ caCerts: ['/etc/ssl/ca.pem'] })))).toBe('ca-certs-invalid');
    expect(codeOf(() => on(saved({ secretExpires: '2020-01-01' }), { validate: { secret: 'Erp~Secret.Value_0123456789abcdefGHIJ' } }))).toBe('profile-invalid');
  });

  it('the connection’s own CAs and the app’s are both trusted, loaded once into net.ca', () => {
    const r = createConnectionResolver({ extraCaPem: () => [caPem], customEndpoints: () => true })(saved({ caCerts: [ownCa] }));
    expect(r.net.ca).toEqual([ownCa, caPem]);
    expect(r.ownProfile.caCerts).toEqual([ownCa]);
  });
});

describe('resolveProfileFile (the CLI)', () => {
  it('the same core from a profile file: the file states its flow and API; the catalogue’s checks when its API agrees', () => {
    const file = ProfileSchema.parse({ name: 'cli', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: TENANT, clientId: '11111111-2222-4333-8444-000000000001', mailbox: 'reception@fabrikam.com', clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' }, proxy: 'http://proxy.fabrikam.com:3128' });
    const r = resolveProfileFile(file, { customEndpoints: false });
    expect(r.profile).toBe(file);
    expect(r.checks).toEqual(['network', 'token', 'imap', 'smtp', 'roundtrip']);
    expect(r.net.proxy).toBe('http://proxy.fabrikam.com:3128');
    expect(r.policy.allowed).toBe(false);
    const graph = resolveProfileFile({ ...file, api: 'graph' }, { customEndpoints: true });
    expect(graph.checks).toEqual(['network', 'token', 'graph']);
  });
});
