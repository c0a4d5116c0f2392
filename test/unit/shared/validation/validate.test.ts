import { describe, expect, it } from 'vitest';
import { validateProfile, type Finding } from '../../../../shared/validation';
import { targetHintsFor } from '../../../../shared/validation/targets';
import type { ProfileInput } from '../../../../shared/profile';

const NOW = new Date('2026-11-23T12:00:00Z');
const CLIENT = '11111111-2222-4333-8444-000000000001';
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const SECRET_ID = '5a6b7c8d-0001-4e2f-9a3b-000000000051';
const SECRET = 'Erp~Secret.Value_0123456789abcdefGHIJ';

const good: ProfileInput = {
  name: 'Fabrikam Odoo',
  target: 'odoo',
  targetInputs: { baseUrl: 'https://erp.fabrikam.com' },
  cloud: 'global',
  tenant: TENANT,
  clientId: CLIENT,
  clientSecret: { source: 'env', name: 'ERP_SECRET' },
  mailbox: 'reception@fabrikam.com',
  flow: 'delegated',
  api: 'imap-smtp',
};

type Row = [label: string, patch: Record<string, unknown>, expected: { code: string; field?: string; severity?: 'error' | 'warning' }, opts?: { secretValue?: string; target?: string }];

const rows: Row[] = [
  // name / target / enums
  ['empty name', { name: '' }, { code: 'name-missing', field: 'name' }],
  ['blank name', { name: '   ' }, { code: 'name-missing' }],
  ['no target', { target: '' }, { code: 'target-missing' }],
  ['unknown target', { target: 'sap', targetInputs: {} }, { code: 'target-unknown', severity: 'warning' }],
  ['unknown cloud', { cloud: 'azure-germany' }, { code: 'cloud-unknown', field: 'cloud' }],
  ['cloud wrong case', { cloud: 'Global' }, { code: 'cloud-unknown' }],
  ['cloud as number', { cloud: 1 }, { code: 'cloud-unknown' }],
  ['unknown flow', { flow: 'implicit' }, { code: 'flow-unknown' }],
  ['unknown api', { api: 'pop' }, { code: 'api-unknown' }],
  ['odoo with app-only', { flow: 'app-only' }, { code: 'flow-target-mismatch' }],
  ['odoo with graph', { api: 'graph' }, { code: 'api-target-mismatch' }],
  ['cxt delegated', { target: 'cxt', targetInputs: {}, flow: 'delegated', api: 'graph' }, { code: 'flow-target-mismatch' }],
  // client id
  ['client id missing', { clientId: '' }, { code: 'client-id-missing', field: 'clientId' }],
  ['client id words', { clientId: 'my app' }, { code: 'client-id-not-guid' }],
  ['client id too short', { clientId: '11111111-2222-4333-8444-00000000001' }, { code: 'client-id-not-guid' }],
  ['client id non-hex', { clientId: '1111111g-2222-4333-8444-000000000001' }, { code: 'client-id-not-guid' }],
  ['client id spaces', { clientId: `  ${CLIENT} ` }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id braces', { clientId: `{${CLIENT}}` }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id quotes', { clientId: `"${CLIENT}"` }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id smart quotes', { clientId: `\u201c${CLIENT}\u201d` }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id nbsp', { clientId: `\u00a0${CLIENT}` }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id zero-width', { clientId: `${CLIENT}\u200b` }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id BOM', { clientId: `\ufeff${CLIENT}` }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id label', { clientId: `Application (client) ID: ${CLIENT}` }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id no hyphens', { clientId: CLIENT.replace(/-/g, '') }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id newline', { clientId: `${CLIENT}\n` }, { code: 'client-id-cleaned', severity: 'warning' }],
  ['client id object id label', { clientId: `Object ID: ${CLIENT}` }, { code: 'client-id-label-mismatch' }],
  ['client id directory label', { clientId: `Directory (tenant) ID: ${CLIENT}` }, { code: 'client-id-label-mismatch' }],
  // tenant
  ['tenant missing', { tenant: '' }, { code: 'tenant-missing' }],
  ['tenant words', { tenant: 'Fabrikam Inc' }, { code: 'tenant-invalid' }],
  ['tenant bad guid', { tenant: '4f1c2a7e-8d3b-4e59-9a61' }, { code: 'tenant-invalid' }],
  ['tenant braces', { tenant: `{${TENANT}}` }, { code: 'tenant-cleaned', severity: 'warning' }],
  ['tenant label', { tenant: `Directory (tenant) ID: ${TENANT}` }, { code: 'tenant-cleaned', severity: 'warning' }],
  ['tenant authority url', { tenant: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/` }, { code: 'tenant-cleaned', severity: 'warning' }],
  ['tenant client label', { tenant: `Application (client) ID: ${TENANT}` }, { code: 'tenant-label-mismatch' }],
  ['app-only common', { target: 'generic-app-only', targetInputs: {}, flow: 'app-only', tenant: 'common' }, { code: 'tenant-alias-app-only' }],
  ['app-only organizations', { target: 'generic-app-only', targetInputs: {}, flow: 'app-only', tenant: 'organizations' }, { code: 'tenant-alias-app-only' }],
  ['app-only consumers', { target: 'generic-app-only', targetInputs: {}, flow: 'app-only', tenant: 'consumers' }, { code: 'tenant-alias-app-only' }],
  ['outlook.com with tenant guid', { mailbox: 'alex@outlook.com' }, { code: 'tenant-personal-needs-consumers' }],
  ['hotmail with organizations', { mailbox: 'alex@hotmail.com', tenant: 'organizations' }, { code: 'tenant-personal-needs-consumers' }],
  ['consumers with company mailbox (a personal account can have a company address)', { tenant: 'consumers' }, { code: 'tenant-consumers-company-mailbox', severity: 'warning' }],
  ['common single-tenant warning', { tenant: 'common' }, { code: 'tenant-multi-tenant-only', severity: 'warning' }],
  ['tenant equals client', { tenant: CLIENT }, { code: 'tenant-equals-client-id' }],
  ['app-only personal', { target: 'generic-app-only', targetInputs: {}, flow: 'app-only', mailbox: 'alex@outlook.com', tenant: 'consumers' }, { code: 'app-only-personal-mailbox' }],
  ['personal in gcc-high', { mailbox: 'alex@outlook.com', tenant: 'consumers', cloud: 'gcc-high' }, { code: 'cloud-personal-mailbox' }],
  // mailbox
  ['mailbox missing', { mailbox: '' }, { code: 'mailbox-missing' }],
  ['mailbox no at', { mailbox: 'reception' }, { code: 'mailbox-invalid' }],
  ['mailbox no domain tld', { mailbox: 'reception@fabrikam' }, { code: 'mailbox-invalid' }],
  ['mailbox two ats', { mailbox: 'a@b@fabrikam.com' }, { code: 'mailbox-invalid' }],
  ['mailbox space inside', { mailbox: 'recep tion@fabrikam.com' }, { code: 'mailbox-invalid' }],
  ['mailbox double dot', { mailbox: 'recep..tion@fabrikam.com' }, { code: 'mailbox-invalid' }],
  ['mailbox display name', { mailbox: 'Reception <reception@fabrikam.com>' }, { code: 'mailbox-cleaned', severity: 'warning' }],
  ['mailbox mailto', { mailbox: 'mailto:reception@fabrikam.com' }, { code: 'mailbox-cleaned', severity: 'warning' }],
  ['mailbox nbsp', { mailbox: 'reception@fabrikam.com\u00a0' }, { code: 'mailbox-cleaned', severity: 'warning' }],
  // secret
  ['secret is a guid', {}, { code: 'secret-value-is-guid', field: 'clientSecret' }, { secretValue: '9a8b7c6d-0001-4e2f-9a3b-000000000099' }],
  ['secret is the secret id', { secretId: SECRET_ID }, { code: 'secret-value-is-secret-id' }, { secretValue: SECRET_ID }],
  ['secret is the client id', {}, { code: 'secret-value-is-client-id' }, { secretValue: CLIENT }],
  ['secret guid in braces', {}, { code: 'secret-value-is-guid' }, { secretValue: `{${SECRET_ID}}` }],
  ['secret empty', {}, { code: 'secret-missing' }, { secretValue: '' }],
  ['secret with inner space', {}, { code: 'secret-value-has-space' }, { secretValue: 'Erp~Secret Value_0123456789abcdef' }],
  ['secret short', {}, { code: 'secret-value-short', severity: 'warning' }, { secretValue: 'abc~123' }],
  ['secret masked', {}, { code: 'secret-value-masked' }, { secretValue: 'Erp*******************' }],
  ['secret trailing newline', {}, { code: 'secret-value-cleaned', severity: 'warning' }, { secretValue: `${SECRET}\n` }],
  ['secret labelled', {}, { code: 'secret-value-cleaned', severity: 'warning' }, { secretValue: `Value: ${SECRET}` }],
  ['secret ref bad env name', { clientSecret: { source: 'env', name: '1-bad name' } }, { code: 'secret-env-name-invalid' }],
  ['secret ref unknown source', { clientSecret: { source: 'inline', value: 'x' } }, { code: 'secret-ref-invalid' }],
  ['secret ref as plain string', { clientSecret: SECRET }, { code: 'secret-ref-invalid' }],
  ['app-only without secret', { target: 'generic-app-only', targetInputs: {}, flow: 'app-only', clientSecret: { source: 'none' } }, { code: 'secret-missing' }],
  ['secret id not guid', { secretId: 'erp-2027' }, { code: 'secret-id-not-guid', field: 'secretId' }],
  ['secret id braces', { secretId: `{${SECRET_ID}}` }, { code: 'secret-id-cleaned', severity: 'warning' }],
  ['secret id equals client id', { secretId: CLIENT }, { code: 'secret-id-equals-client-id' }],
  ['secret expired', { secretExpires: '2026-01-31' }, { code: 'secret-expired' }],
  ['secret expired yesterday', { secretExpires: '2026-11-22' }, { code: 'secret-expired' }],
  ['secret expiring in 10 days', { secretExpires: '2026-12-03' }, { code: 'secret-expiring-soon', severity: 'warning' }],
  ['secret expiring in 29 days', { secretExpires: '2026-12-22' }, { code: 'secret-expiring-soon', severity: 'warning' }],
  ['secret expiry european format (read as 2027-12-31, said)', { secretExpires: '31/12/2027' }, { code: 'secret-expires-cleaned', severity: 'warning' }],
  ['secret expiry 03/04/2027 (two readings)', { secretExpires: '03/04/2027' }, { code: 'secret-expires-ambiguous' }],
  ['secret expiry nonsense', { secretExpires: '2027-13-45' }, { code: 'secret-expires-invalid' }],
  // base URL and redirect
  ['odoo base url missing', { targetInputs: {} }, { code: 'base-url-missing', field: 'targetInputs.baseUrl' }],
  ['odoo base url no scheme (https:// added, said)', { targetInputs: { baseUrl: 'erp.fabrikam.com' } }, { code: 'base-url-scheme-added', severity: 'warning' }],
  ['odoo base url http', { targetInputs: { baseUrl: 'http://erp.fabrikam.com' } }, { code: 'base-url-https-required' }],
  ['odoo base url ftp', { targetInputs: { baseUrl: 'ftp://erp.fabrikam.com' } }, { code: 'base-url-scheme' }],
  ['odoo base url words', { targetInputs: { baseUrl: 'our erp' } }, { code: 'base-url-invalid' }],
  ['odoo base url trailing slash', { targetInputs: { baseUrl: 'https://erp.fabrikam.com/' } }, { code: 'base-url-trailing-slash', severity: 'warning' }],
  ['odoo base url /web', { targetInputs: { baseUrl: 'https://erp.fabrikam.com/web' } }, { code: 'base-url-stray-path', severity: 'warning' }],
  ['odoo base url /odoo/discuss', { targetInputs: { baseUrl: 'https://erp.fabrikam.com/odoo/discuss' } }, { code: 'base-url-stray-path', severity: 'warning' }],
  ['odoo base url with redirect path', { targetInputs: { baseUrl: 'https://erp.fabrikam.com/microsoft_outlook/confirm' } }, { code: 'base-url-stray-path', severity: 'warning' }],
  ['odoo base url query (removed with a note)', { targetInputs: { baseUrl: 'https://erp.fabrikam.com/?db=prod' } }, { code: 'base-url-query', severity: 'warning' }],
  ['odoo base url credentials', { targetInputs: { baseUrl: 'https://admin:pw@erp.fabrikam.com' } }, { code: 'base-url-credentials' }],
  ['emailengine http non-local (Entra refuses the redirect)', { target: 'emailengine', targetInputs: { baseUrl: 'http://mail.fabrikam.com:3000' } }, { code: 'base-url-https-required' }],
  // endpoints, CA, proxy
  ['imap without port', { endpoints: { imap: 'outlook.office365.com' } }, { code: 'endpoint-imap-invalid' }],
  ['smtp with scheme', { endpoints: { smtp: 'smtp://smtp.office365.com:587' } }, { code: 'endpoint-smtp-invalid' }],
  ['smtp port 465', { endpoints: { smtp: 'smtp.office365.com:465' } }, { code: 'endpoint-smtp-port-465', severity: 'warning' }],
  ['smtp port 25', { endpoints: { smtp: 'smtp.office365.com:25' } }, { code: 'endpoint-smtp-port-25', severity: 'warning' }],
  ['imap port 143', { endpoints: { imap: 'outlook.office365.com:143' } }, { code: 'endpoint-imap-port-143', severity: 'warning' }],
  ['port out of range', { endpoints: { imap: 'outlook.office365.com:99999' } }, { code: 'endpoint-port-range' }],
  ['graph url http', { endpoints: { graphUrl: 'http://graph.microsoft.com' } }, { code: 'endpoint-graph-url-http' }],
  ['graph url garbage', { endpoints: { graphUrl: 'graph' } }, { code: 'endpoint-graph-url-invalid' }],
  ['sign-in host with path', { endpoints: { signInHost: 'login.microsoftonline.com/common' } }, { code: 'endpoint-sign-in-host-invalid' }],
  ['unknown endpoint key', { endpoints: { pop: 'outlook.office365.com:995' } }, { code: 'endpoint-unknown' }],
  ['endpoints not object', { endpoints: 'localhost' }, { code: 'endpoints-invalid' }],
  ['proxy without scheme', { proxy: 'proxy.fabrikam.local:3128' }, { code: 'proxy-invalid' }],
  ['proxy socks', { proxy: 'socks5://proxy:1080' }, { code: 'proxy-invalid' }],
  ['ca cert private key', { caCerts: ['-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----'] }, { code: 'ca-cert-not-certificate' }],
  ['ca cert empty', { caCerts: [''] }, { code: 'ca-cert-empty' }],
  ['ca cert not list', { caCerts: 'cert.pem' }, { code: 'ca-certs-invalid' }],
  ['ca cert prose', { caCerts: ['our company certificate'] }, { code: 'ca-cert-invalid' }],
];

function run(patch: Record<string, unknown>, opts: Row[3] = {}) {
  const profile = { ...good, ...patch } as ProfileInput;
  return validateProfile(profile, { now: NOW, ...(opts.secretValue !== undefined ? { secretValue: opts.secretValue } : {}), ...(opts.target ? { target: targetHintsFor(opts.target, (profile.targetInputs ?? {}) as Record<string, unknown>)! } : {}) });
}

describe('validateProfile', () => {
  it('has a large table of bad inputs', () => expect(rows.length).toBeGreaterThanOrEqual(60));

  it('finds nothing wrong with a good profile', () => {
    const r = validateProfile(good, { now: NOW, secretValue: SECRET });
    expect(r.findings).toEqual([]);
    expect(r.cleaned.targetInputs?.redirectUri).toBe('https://erp.fabrikam.com/microsoft_outlook/confirm');
  });

  it.each(rows)('%s', (_label, patch, expected, opts) => {
    const { findings } = run(patch, opts);
    const hit = findings.find((f: Finding) => f.code === expected.code);
    expect(hit, `codes found: ${findings.map((f) => f.code).join(', ')}`).toBeDefined();
    expect(hit!.severity).toBe(expected.severity ?? 'error');
    if (expected.field) expect(hit!.field).toBe(expected.field);
    expect(hit!.message.length).toBeGreaterThan(20);
  });

  it('never repeats the secret value in a finding', () => {
    for (const secretValue of [`${SECRET}\n`, 'Erp~Secret Value_0123456789abcdef', 'abc~123', `Value: ${SECRET}`]) {
      const { findings } = run({}, { secretValue });
      for (const f of findings) expect(f.message).not.toContain(secretValue.trim().replace('Value: ', ''));
    }
  });

  it('cleans pasted ids unambiguously', () => {
    const r = run({ clientId: `Application (client) ID:\u00a0{${CLIENT.toUpperCase()}}\u200b`, tenant: ` "${TENANT}" `, mailbox: 'Reception <reception@fabrikam.com>' });
    expect(r.cleaned.clientId).toBe(CLIENT);
    expect(r.cleaned.tenant).toBe(TENANT);
    expect(r.cleaned.mailbox).toBe('reception@fabrikam.com');
    expect(r.findings.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('derives the redirect from a cleaned base URL', () => {
    const r = run({ target: 'flexdeploy', targetInputs: { baseUrl: 'https://deploy.fabrikam.com/' } });
    expect(r.cleaned.targetInputs?.redirectUri).toBe('https://deploy.fabrikam.com/flexdeploy/rest/v2/oauth');
  });

  it('derives the redirect from the catalogue, inputs included (FlexDeploy version, Frappe Connected App name)', () => {
    const base = 'https://deploy.fabrikam.com';
    expect(run({ target: 'flexdeploy', targetInputs: { baseUrl: base, version: '6' } }).cleaned.targetInputs?.redirectUri).toBe(`${base}/flexdeploy/facesrest/v2/oauth`);
    expect(run({ target: 'flexdeploy', targetInputs: { baseUrl: base, version: '5.6' } }).cleaned.targetInputs?.redirectUri).toBe(`${base}/flexdeploy/faces/oauth`);
    const frappe = run({ target: 'frappe', targetInputs: { baseUrl: 'https://erp.fabrikam.com', connectedAppName: 'a1b2c3d4e5' } });
    expect(frappe.cleaned.targetInputs?.redirectUri).toBe('https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/a1b2c3d4e5');
    expect(targetHintsFor('generic')?.flow).toBeUndefined();
    expect(targetHintsFor('generic-app-only')?.flow).toBe('app-only');
  });

  it('accepts the catalogue\'s hints as a parameter', () => {
    const hints = { id: 'custom', needsBaseUrl: true, requiresHttps: true, redirectPath: (b: string) => `${b}/cb`, flow: 'delegated' as const };
    const r = validateProfile({ ...good, target: 'custom', targetInputs: { baseUrl: 'https://x.fabrikam.com' } }, { now: NOW, target: hints });
    expect(r.cleaned.targetInputs?.redirectUri).toBe('https://x.fabrikam.com/cb');
    expect(r.findings.find((f) => f.code === 'target-unknown')).toBeUndefined();
  });

  it('accepts the well-known tenant aliases and domains', () => {
    for (const tenant of ['organizations', 'fabrikam.onmicrosoft.com', 'FABRIKAM.COM']) {
      expect(run({ tenant }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    }
    expect(run({ tenant: 'consumers', mailbox: 'alex@outlook.com' }).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
