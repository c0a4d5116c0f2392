import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_CODES, catalogueEntry, diagnose, redact, toBase64, type DiagnosisCode } from '../../../../shared/diagnosis';
import type { CheckId } from '../../../../shared/checks';

const profile = { name: 'p', target: 'odoo', mailbox: 'reception@fabrikam.com', clientId: '11111111-2222-4333-8444-000000000001', tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01', flow: 'delegated' as const, api: 'imap-smtp' as const };
const aad = (code: string, msg = 'Something.') => ({ errorCode: 'invalid_client', errorMessage: `AADSTS${code}: ${msg} Trace ID: 0a1b2c3d-0000-4000-8000-000000000001 Correlation ID: 0a1b2c3d-0000-4000-8000-000000000002 Timestamp: 2026-11-23 12:00:00Z`, correlationId: '0a1b2c3d-0000-4000-8000-000000000002' });
const net = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`connect ${code} 127.0.0.1:993`), { code, ...extra });

type Row = [label: string, error: unknown, check: CheckId, expected: DiagnosisCode, extra?: { secretValue?: string; flow?: 'app-only' }];
const rows: Row[] = [
  ['secret id pasted', aad('7000215', 'Invalid client secret provided.'), 'token', 'aadsts-7000215-secret-id-pasted', { secretValue: '5a6b7c8d-0001-4e2f-9a3b-000000000051' }],
  ['invalid secret', aad('7000215', 'Invalid client secret provided.'), 'token', 'aadsts-7000215-invalid-secret', { secretValue: 'wrong~value_abcdefghijklmnop' }],
  ['secret expired', aad('7000222'), 'token', 'aadsts-7000222-secret-expired'],
  ['secret required', aad('7000218'), 'token', 'aadsts-7000218-secret-required'],
  ['public client secret', aad('700025'), 'token', 'aadsts-700025-public-client-secret'],
  ['app not found', aad('700016'), 'token', 'aadsts-700016-app-not-found'],
  ['tenant not found', aad('90002'), 'token', 'aadsts-90002-tenant-not-found'],
  ['redirect mismatch', aad('50011'), 'token', 'aadsts-50011-redirect-mismatch'],
  ['no reply address', aad('500113'), 'token', 'aadsts-500113-no-reply-address'],
  ['consent', aad('65001'), 'token', 'aadsts-65001-consent-required'],
  ['admin consent needed (users may not consent)', aad('90094', 'App needs permission to access resources in your organization that only an admin can grant.'), 'token', 'aadsts-65001-consent-required'],
  ['user not in tenant', aad('50020'), 'token', 'aadsts-50020-user-not-in-tenant'],
  ['single tenant on common', aad('50194'), 'token', 'aadsts-50194-single-tenant-on-common'],
  ['invalid scope', aad('70011'), 'token', 'aadsts-70011-invalid-scope'],
  ['scope not on resource', aad('650053'), 'token', 'aadsts-650053-scope-not-on-resource'],
  ['two resources', aad('700022'), 'token', 'aadsts-700022-multiple-resources'],
  ['conditional access', aad('53003'), 'token', 'aadsts-53003-conditional-access'],
  ['security defaults block', aad('530035'), 'token', 'aadsts-53003-conditional-access'],
  ['mfa required', aad('50076'), 'token', 'aadsts-50076-mfa-required'],
  ['mfa registration', aad('50079'), 'token', 'aadsts-50076-mfa-required'],
  ['external mfa', aad('90072'), 'token', 'aadsts-90072-external-mfa'],
  ['refresh expired', aad('700082'), 'token', 'aadsts-700082-refresh-expired'],
  ['refresh revoked', aad('50173'), 'token', 'aadsts-700082-refresh-expired'],
  ['code redeemed', aad('54005'), 'token', 'aadsts-54005-code-redeemed'],
  ['pkce mismatch', aad('501481'), 'token', 'aadsts-501481-pkce-mismatch'],
  ['bad password', aad('50126'), 'token', 'aadsts-50126-bad-password'],
  ['id token disabled', aad('700054'), 'token', 'aadsts-700054-id-token-disabled'],
  ['unknown aadsts', aad('9999999'), 'token', 'aad-other'],
  ['consumers not enabled', { errorCode: 'unauthorized_client', errorMessage: 'The client does not exist or is not enabled for consumers.' }, 'token', 'aad-unauthorized-client-consumers'],
  ['throttled 429', { errorCode: 'temporarily_unavailable', errorMessage: 'Too many requests', status: 429, retryAfterSeconds: 2 }, 'token', 'throttled'],
  ['throttled 503', { message: 'Service unavailable', status: 503 }, 'graph', 'throttled'],
  ['dns', net('ENOTFOUND', { hostname: 'outlook.office365.con' }), 'network', 'network-dns'],
  ['refused', net('ECONNREFUSED', { address: '127.0.0.1', port: 993 }), 'network', 'network-refused'],
  ['timeout', net('ETIMEDOUT'), 'imap', 'network-timeout'],
  ['reset', net('ECONNRESET'), 'smtp', 'network-reset'],
  ['tls untrusted', net('SELF_SIGNED_CERT_IN_CHAIN'), 'network', 'tls-untrusted'],
  ['tls leaf untrusted', net('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'imap', 'tls-untrusted'],
  ['tls expired', net('CERT_HAS_EXPIRED'), 'network', 'tls-expired'],
  ['tls hostname', net('ERR_TLS_CERT_ALTNAME_INVALID'), 'network', 'tls-hostname'],
  ['black hole hint', { source: 'imap', text: 'no greeting within 2000 ms', hint: 'network-black-hole' }, 'imap', 'network-black-hole'],
  ['smtp disabled tenant', { code: 'EAUTH', responseCode: 535, response: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.' }, 'smtp', 'smtp-auth-disabled-tenant'],
  ['smtp disabled mailbox', { code: 'EAUTH', responseCode: 535, response: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.' }, 'smtp', 'smtp-auth-disabled-mailbox'],
  ['smtp security defaults', { code: 'EAUTH', response: "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy" }, 'smtp', 'smtp-security-defaults'],
  // Microsoft's words as quoted in nodemailer#1714 and rpremraj/mailR#107 (shared/diagnosis/domains/keepalive.ts).
  ['smtp basic auth disabled', { code: 'EAUTH', responseCode: 535, response: '535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]' }, 'smtp', 'smtp-basic-auth-disabled'],
  ['smtp 5.7.139 other text', { code: 'EAUTH', responseCode: 535, response: '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.' }, 'smtp', 'smtp-auth-unsuccessful'],
  ['smtp 5.7.3', { code: 'EAUTH', response: '535 5.7.3 Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]' }, 'smtp', 'smtp-auth-unsuccessful'],
  ['smtp 5.7.57', { code: 'EENVELOPE', response: '530 5.7.57 Client not authenticated to send mail' }, 'smtp', 'smtp-client-not-authenticated'],
  ['smtp send as', { code: 'EMESSAGE', response: '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied' }, 'smtp', 'smtp-send-as-denied'],
  ['smtp basic', { response: '550 5.7.30 Basic authentication is not supported for Client Submission' }, 'smtp', 'smtp-basic-auth-rejected'],
  ['imap authenticate failed', { authenticationFailed: true, responseText: 'AUTHENTICATE failed.', serverResponseCode: 'AUTHENTICATIONFAILED' }, 'imap', 'imap-auth-failed'],
  ['imap app-only failed', { authenticationFailed: true, responseText: 'AUTHENTICATE failed.' }, 'imap', 'imap-app-only-not-registered', { flow: 'app-only' }],
  ['imap wrong account', { responseText: 'User is authenticated but not connected.' }, 'imap', 'imap-wrong-account'],
  ['pop failed', { message: '-ERR Authentication failure: unknown user name or bad password.' }, 'imap', 'pop-auth-failed'],
  ['graph 401', { source: 'graph', text: 'InvalidAuthenticationToken', httpStatus: 401 }, 'graph', 'graph-unauthorized'],
  ['graph 403', { source: 'graph', text: 'ErrorAccessDenied: Access is denied.', httpStatus: 403 }, 'graph', 'graph-forbidden'],
  ['graph 404', { source: 'graph', text: 'ErrorInvalidUser', httpStatus: 404 }, 'graph', 'graph-mailbox-not-found'],
  ['wrong account hint', { source: 'token', text: 'signed in as bob@contoso.com', hint: 'signed-in-wrong-account' }, 'token', 'signed-in-wrong-account'],
  ['garbage', new Error('kaboom 42'), 'imap', 'unrecognised'],
];

describe('diagnose', () => {
  it.each(rows)('%s', (_l, error, check, expected, extra = {}) => {
    const d = diagnose(error, { profile: { ...profile, ...(extra.flow ? { flow: extra.flow } : {}) }, check, ...(extra.secretValue ? { secretValue: extra.secretValue } : {}) });
    expect(d.code).toBe(expected);
    expect(d.title).not.toMatch(/AADSTS|\b5\.7\.\d+/);
    expect(d.fix.length).toBeGreaterThan(0);
  });

  it('extracts AADSTS, trace and correlation ids', () => {
    const d = diagnose(aad('7000222'), { profile, check: 'token' });
    expect(d.evidence).toMatchObject({ aadsts: '7000222', traceId: '0a1b2c3d-0000-4000-8000-000000000001', correlationId: '0a1b2c3d-0000-4000-8000-000000000002' });
  });

  it('fills the mailbox into PowerShell fixes', () => {
    const d = diagnose({ response: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.' }, { profile, check: 'smtp' });
    expect(d.fix.map((f) => f.command ?? '').join('\n')).toContain("Set-CASMailbox -Identity 'reception@fabrikam.com' -SmtpClientAuthenticationDisabled $false");
  });

  it('links the portal page of this app', () => {
    const d = diagnose(aad('7000215'), { profile, check: 'token', secretValue: '5a6b7c8d-0001-4e2f-9a3b-000000000051' });
    expect(d.fix[0]!.link!.url).toContain(`/Credentials/appId/${profile.clientId}`);
  });

  it('AADSTS90094: says an administrator must consent, with the portal page and the admin consent address for this tenant and app', () => {
    const d = diagnose(aad('90094', 'App needs permission to access resources in your organization that only an admin can grant.'), { profile, check: 'token' });
    expect(d.code).toBe('aadsts-65001-consent-required');
    expect(d.evidence.aadsts).toBe('90094');
    expect(d.title).toMatch(/administrator/);
    expect(d.cause).toMatch(/may not approve them themselves/);
    expect(d.cause).toContain('IMAP.AccessAsUser.All');
    const admin = `https://login.microsoftonline.com/${profile.tenant}/adminconsent?client_id=${profile.clientId}`;
    expect(d.fix.some((f) => f.link?.url === admin && f.text.includes(admin))).toBe(true);
    expect(d.fix.some((f) => f.link?.url.endsWith(`/CallAnAPI/appId/${profile.clientId}`))).toBe(true);
  });

  it('shows unrecognised errors as raw redacted text', () => {
    const d = diagnose(new Error('weird failure with token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'), { profile, check: 'graph' });
    expect(d.code).toBe('unrecognised');
    expect(d.evidence.text).toContain('weird failure');
    expect(d.evidence.text).not.toContain('eyJ');
  });

  it('POP failures (the relay\'s POP proxy, source pop) get POP\'s own codes, never IMAP\'s', () => {
    const refused = { message: 'POP AUTH XOAUTH2 failed: -ERR Authentication failure: unknown user name or bad password.', host: 'outlook.office365.com', port: 995 };
    const pop = (e: unknown, flow: 'app-only' | 'delegated') => diagnose(e, { profile: { ...profile, flow }, source: 'pop' });
    expect(pop(refused, 'app-only').code).toBe('pop-app-only-not-registered');
    expect(pop(refused, 'app-only').fix.map((f) => f.command ?? '').join('\n')).toMatch(/Add-MailboxPermission -Identity 'reception@fabrikam\.com'.*FullAccess[\s\S]*-PopEnabled \$true/);
    expect(pop(refused, 'delegated').code).toBe('pop-auth-failed');
    expect(pop({ ...refused, hint: 'pop-app-only-role-missing' }, 'app-only').code).toBe('pop-app-only-role-missing');
    expect(pop({ message: 'POP AUTH XOAUTH2: -ERR Unrecognized authentication type.', host: 'mail.example.com', port: 995 }, 'app-only').code).toBe('pop-xoauth2-refused');
    expect(pop({ message: 'POP greeting: * OK IMAP4rev1 ready', host: 'mail.example.com', port: 995 }, 'app-only').cause).toContain('mail.example.com:995');
    // an IMAP text never gets an IMAP code from the POP side; from an IMAP check it keeps its IMAP code
    expect(diagnose({ message: 'AUTHENTICATE failed.' }, { profile: { ...profile, flow: 'app-only' }, source: 'pop' }).code).toBe('unrecognised');
    expect(diagnose({ message: 'AUTHENTICATE failed.' }, { profile: { ...profile, flow: 'app-only' }, check: 'imap' }).code).toBe('imap-app-only-not-registered');
  });

  it('every code has a catalogue entry', () => {
    for (const code of DIAGNOSIS_CODES) {
      const e = catalogueEntry(code);
      const ctx = { mailbox: 'm@f.com', clientId: 'c', tenant: 't', signInHost: 'h', flow: 'delegated' as const, api: 'imap-smtp' as const, target: 'generic', evidence: { source: 'internal' as const, text: '' } };
      expect(e.title(ctx).length, code).toBeGreaterThan(10);
      expect(e.cause(ctx).length, code).toBeGreaterThan(10);
      expect(e.fix(ctx).length, code).toBeGreaterThan(0);
    }
  });
});

describe('redact', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbSJ9.AbCdEf0123456789-_xyz';
  it.each([
    ['literal secret', 'secret is Erp~Secret.Value_0123456789abcdefGHIJ here', 'Erp~Secret.Value_0123456789abcdefGHIJ'],
    ['jwt', `token ${jwt} end`, jwt],
    ['bearer', 'Authorization: Bearer abc.def-ghi_jkl', 'abc.def-ghi_jkl'],
    ['xoauth2 imap', `A1 AUTHENTICATE XOAUTH2 ${toBase64(`user=a@b.com\x01auth=Bearer ${jwt}\x01\x01`)}`, toBase64(`user=a@b.com\x01auth=Bearer ${jwt}\x01\x01`)],
    ['xoauth2 bare', `blob ${toBase64('user=a@b.com\x01auth=Bearer xyz\x01\x01')}`, toBase64('user=a@b.com\x01auth=Bearer xyz\x01\x01')],
    ['refresh token org', 'rt=0.AXoAabcdefghijklmnopqrstuvwxyz0123456789', '0.AXoAabcdefghijklmnopqrstuvwxyz0123456789'],
    ['refresh token consumer', 'M.C105_BAY.0.U.-Cabcdefghijklmnopqrstu!', 'M.C105_BAY.0.U.-Cabcdefghijklmnopqrstu'],
    ['json refresh token', '{"refresh_token":"opaque-rt-value"}', 'opaque-rt-value'],
    ['form client secret', 'client_secret=s3cr3t&grant_type=client_credentials', 's3cr3t'],
    ['code param', 'https://erp/confirm?code=abcDEF123&state=x', 'abcDEF123'],
    ['opaque long token', 'token AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGh', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGh'],
  ])('%s', (_l, text, secret) => {
    const out = redact(text, ['Erp~Secret.Value_0123456789abcdefGHIJ']);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
  it('keeps GUIDs, hosts and server texts', () => {
    const t = '535 5.7.139 Authentication unsuccessful, Trace ID: 0a1b2c3d-0000-4000-8000-000000000001 https://erp.fabrikam.com/microsoft_outlook/confirm';
    expect(redact(t)).toBe(t);
  });
});
