import { describe, expect, it } from 'vitest';
import { cacheKey } from '../../../../../electron/engine/auth';
import { MemoryVault } from '../../../../../electron/engine';
import { refreshTokenFromVault, validateTargetUrl, TargetError } from '../../../../../electron/engine/targets';
import { classifyOdooError, odooDialect, odooProtocol } from '../../../../../electron/engine/targets/odoo';
import { frappeMessages } from '../../../../../electron/engine/targets/frappe';
import { emailEngineAccountId } from '../../../../../electron/engine/targets/emailengine';
import { exportProfile } from '../../../../../electron/engine/export';
import { checklist, createContext, getTarget, pasteCard, resolveTarget } from '../../../../../shared/catalogue';
import { emailEngineOAuth2Body, TargetProfileError } from '../../../../../shared/catalogue/targets/emailengine';
import { diagnose } from '../../../../../shared/diagnosis';
import { TARGET_CODES } from '../../../../../shared/diagnosis/domains/targets.codes';
import type { ProfileInput } from '../../../../../shared/profile';

const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const ee = (inputs: Record<string, string>, extra: Partial<ProfileInput> = {}): ProfileInput => ({ name: 'EE', target: 'emailengine', tenant: TENANT, clientId: '11111111-2222-4333-8444-000000000001', mailbox: 'support@fabrikam.com', targetInputs: { baseUrl: 'https://emailengine.fabrikam.com', ...inputs }, ...extra });

describe('EmailEngine variants in the catalogue', () => {
  it('IMAP/SMTP: resolve() includes openid and profile, so the checklist and the desired registration ask for them', () => {
    const r = resolveTarget('emailengine', ee({ baseScope: 'imap' }));
    expect(r.permissions).toEqual(expect.arrayContaining(['graph.delegated.openid', 'graph.delegated.profile', 'graph.delegated.IMAP.AccessAsUser.All', 'graph.delegated.SMTP.Send', 'graph.delegated.offline_access']));
    const permissions = checklist('emailengine', ee({ baseScope: 'imap' })).find((s) => s.id === 'permissions')!;
    expect(permissions.body).toContain('**openid**');
    expect(permissions.body).toContain('**profile**');
  });

  it("the paste card uses EmailEngine's own labels: Azure Application Id and the cloud dropdown's names", () => {
    const fields = pasteCard('emailengine', ee({}, { cloud: 'gcc-high' })).sections[0]!.fields;
    expect(fields.find((f) => f.label === 'Azure Application Id')?.value).toBe('11111111-2222-4333-8444-000000000001');
    expect(fields.find((f) => f.label === 'Azure cloud environment')?.value).toBe('GCC High');
    for (const [cloud, label] of [['global', 'Azure global service'], ['dod', 'DoD'], ['china', 'Azure China']] as const)
      expect(pasteCard('emailengine', ee({}, { cloud })).sections[0]!.fields.find((f) => f.label === 'Azure cloud environment')?.value).toBe(label);
  });

  it('Outlook (application): app-only Graph, application permissions, no redirect; the body has a tenant id and no redirectUrl', () => {
    const profile = ee({ provider: 'outlookService', audience: 'single' }, { flow: 'app-only', api: 'graph' });
    const r = resolveTarget('emailengine', profile);
    expect(r).toMatchObject({ flow: 'app-only', api: 'graph', redirectUris: [] });
    expect(r.permissions).toEqual(['graph.application.Mail.ReadWrite', 'graph.application.Mail.Send']);
    const body = emailEngineOAuth2Body(createContext(getTarget('emailengine'), profile, 'S'));
    expect(body).toEqual({ name: 'EmailEngine mail', provider: 'outlookService', enabled: true, clientId: '11111111-2222-4333-8444-000000000001', clientSecret: 'S', authority: TENANT, cloud: 'global' });
    expect(checklist('emailengine', profile).find((s) => s.id === 'register')!.body).toContain('Leave **Redirect URI (optional)** empty');
  });

  it('an export for a profile EmailEngine cannot take fails with a clear message instead of printing a body', () => {
    const appOnlyDelegatedType = ee({}, { flow: 'app-only' });
    expect(() => emailEngineOAuth2Body(createContext(getTarget('emailengine'), appOnlyDelegatedType))).toThrow(TargetProfileError);
    expect(() => exportProfile(appOnlyDelegatedType, 'emailengine-oauth2-json', { includeSecret: false, now: new Date() })).toThrow(/app-only .*Outlook \(application\)/);
    const serviceOnCommon = ee({ provider: 'outlookService' }, { flow: 'app-only', tenant: 'common' });
    expect(() => exportProfile(serviceOnCommon, 'emailengine-curl', { includeSecret: false, now: new Date() })).toThrow(/client credentials flow requires a specific tenant ID/);
  });
});

describe('target connection rules', () => {
  it('https, or http only on loopback; no credentials, query or fragment in the address', () => {
    expect(validateTargetUrl(' https://erp.fabrikam.com/ ')).toBe('https://erp.fabrikam.com');
    expect(validateTargetUrl('http://127.0.0.1:8069')).toBe('http://127.0.0.1:8069');
    expect(validateTargetUrl('http://localhost:3000/')).toBe('http://localhost:3000');
    for (const bad of ['http://erp.fabrikam.com', 'ftp://x', 'https://admin:pw@erp.fabrikam.com', 'https://erp.fabrikam.com/?db=x', 'erp.fabrikam.com'])
      expect(() => validateTargetUrl(bad), bad).toThrow(TargetError);
  });

  it('the refresh token handed over is the mailbox account\'s, for this client id only', async () => {
    const profile = { clientId: 'c1', tenant: 't', name: 'p', mailbox: 'Support@Fabrikam.com' };
    const vault = new MemoryVault();
    expect(await refreshTokenFromVault(profile, vault)).toBeUndefined();
    await vault.set(
      cacheKey(profile),
      JSON.stringify({
        Account: { a: { home_account_id: 'h1', username: 'support@fabrikam.com' }, b: { home_account_id: 'h2', username: 'someone@fabrikam.com' } },
        RefreshToken: { x: { home_account_id: 'h2', client_id: 'c1', secret: 'OTHER-USER' }, y: { home_account_id: 'h1', client_id: 'c2', secret: 'OTHER-CLIENT' }, z: { home_account_id: 'h1', client_id: 'c1', secret: 'RIGHT' } },
      }),
    );
    expect(await refreshTokenFromVault(profile, vault)).toBe('RIGHT');
  });

  it('EmailEngine account ids are stable per mailbox', () => {
    expect(emailEngineAccountId(' Support@Fabrikam.com ')).toBe('support-fabrikam-com');
  });
});

describe("the targets' own error words → diagnosis codes", () => {
  it('Odoo / Flectra JSON-RPC errors', () => {
    const e = (name: string, message: string) => classifyOdooError({ data: { name, message } }, 'erp').hint;
    expect(e('psycopg2.OperationalError', 'connection to server failed: FATAL:  database "x" does not exist')).toBe('target-wrong-database');
    expect(e('odoo.exceptions.AccessDenied', 'Access Denied')).toBe('target-bad-credentials');
    expect(e('flectra.exceptions.AccessError', "You are not allowed to access 'System Parameter'")).toBe('target-insufficient-rights');
    expect(e('builtins.ValueError', "Invalid field 'use_microsoft_outlook_service' on model 'fetchmail.server'")).toBe('target-module-missing');
    expect(e('builtins.ValueError', "Wrong value for ir.mail_server.smtp_authentication: 'outlook'")).toBe('target-module-missing');
    expect(e('odoo.exceptions.UserError', 'Please leave the password field empty')).toBe('target-validation');
  });

  it('Odoo versions: 16+ selection and the one endpoint key each reads (16 the dotted one, 17+ the underscored one), 15.0 Boolean without endpoint, Flectra 2 Boolean with the new key; 14 and Flectra 1 refused; 19+ (22 too) accepted', () => {
    expect(odooDialect('Odoo', [17, 0], '17.0')).toMatchObject({ outlookSelection: true, endpointKeys: ['microsoft_outlook.endpoint'] });
    expect(odooDialect('Odoo', [18, 0], '18.0')).toMatchObject({ endpointKeys: ['microsoft_outlook.endpoint'] });
    expect(odooDialect('Odoo', [16, 0], '16.0')).toMatchObject({ outlookSelection: true, endpointKeys: ['microsoft.outlook.endpoint'] });
    for (const v of [19, 20, 21]) expect(odooDialect('Odoo', [v, 0], `${v}.0`)).toMatchObject({ outlookSelection: true, endpointKeys: ['microsoft_outlook.endpoint'] });
    expect(odooDialect('Odoo', [15, 0], '15.0')).toMatchObject({ outlookSelection: false, endpointKeys: [], modules: ['microsoft_outlook', 'fetchmail_outlook'] });
    expect(odooDialect('Flectra', [2, 0], '2.0')).toMatchObject({ outlookSelection: false, endpointKeys: ['microsoft_outlook.endpoint'] });
    for (const [p, v] of [['Odoo', 14], ['Flectra', 1]] as const) expect(() => odooDialect(p, [v, 0], `${v}.0`)).toThrow(TargetError);
    expect(odooDialect('Odoo', [22, 0], '22.0')).toMatchObject({ outlookSelection: true, endpointKeys: ['microsoft_outlook.endpoint'], protocol: 'json2' });
  });
  it('Odoo version → protocol: JSON-RPC for 15-18 and Flectra, the external JSON-2 API from 19 on (JSON-RPC stays until 22, but is not used)', () => {
    for (const v of [15, 16, 17, 18]) expect([odooProtocol('Odoo', v), odooDialect('Odoo', [v, 0], `${v}.0`).protocol]).toEqual(['jsonrpc', 'jsonrpc']);
    for (const v of [19, 20, 21, 22, 23]) expect([odooProtocol('Odoo', v), odooDialect('Odoo', [v, 0], `${v}.0`).protocol]).toEqual(['json2', 'json2']);
    expect(odooProtocol('Flectra', 2)).toBe('jsonrpc');
    expect(odooDialect('Flectra', [2, 0], '2.0').protocol).toBe('jsonrpc');
    expect(odooDialect('Odoo', ['19', '0'], '19.0').protocol).toBe('json2');
  });

  it("Frappe's _server_messages are unpacked to the words Frappe shows", () => {
    const body = { exc_type: 'MandatoryError', _server_messages: JSON.stringify([JSON.stringify({ message: 'Error: Value missing for Connected App: <b>Provider Name</b>' })]) };
    expect(frappeMessages(body)).toEqual({ excType: 'MandatoryError', text: 'Error: Value missing for Connected App: Provider Name' });
  });

  it('every target code has a title, a cause and a fix, and a diagnosis keeps secrets out of the evidence', () => {
    for (const code of TARGET_CODES) {
      const d = diagnose({ source: 'internal', text: 'Access Denied for key k3y-VALUE-123456', hint: code, host: 'erp.fabrikam.com' }, { profile: { target: 'odoo', mailbox: 'sales@fabrikam.com' }, secrets: ['k3y-VALUE-123456'] });
      expect(d.code).toBe(code);
      expect(d.title.length, code).toBeGreaterThan(10);
      expect(d.cause.length, code).toBeGreaterThan(10);
      expect(d.fix.length, code).toBeGreaterThan(0);
      expect(JSON.stringify(d)).not.toContain('k3y-VALUE-123456');
    }
  });
});
