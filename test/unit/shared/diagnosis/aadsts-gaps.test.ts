/**
 * The sign-in failures users report most (REGISTRATION-FACTS.md section 5) that had no diagnosis of
 * their own, each fed with the exact text Microsoft returns, as MSAL Node surfaces it.
 */
import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_CODES, diagnose, type DiagnosisCode } from '../../../../shared/diagnosis';
import { HARDENING_CODES } from '../../../../shared/diagnosis/domains/hardening.codes';

const CLIENT = '11111111-2222-4333-8444-000000000001';
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const REDIRECT = 'https://erp.fabrikam.com/microsoft_outlook/confirm';
const profile = {
  name: 'p',
  target: 'odoo',
  mailbox: 'reception@fabrikam.com',
  clientId: CLIENT,
  tenant: TENANT,
  flow: 'delegated' as const,
  api: 'imap-smtp' as const,
  targetInputs: { baseUrl: 'https://erp.fabrikam.com', redirectUri: REDIRECT },
};
const TAIL = ' Trace ID: 0a1b2c3d-0000-4000-8000-000000000001 Correlation ID: 0a1b2c3d-0000-4000-8000-000000000002 Timestamp: 2026-11-23 12:00:00Z';
/** What msal-node throws for a token endpoint error (ServerError: errorCode, errorMessage). */
const msal = (errorCode: string, text: string) => ({ name: 'ServerError', errorCode, errorMessage: `${text}${TAIL}`, message: `${errorCode}: ${text}${TAIL}` });

type Row = [code: DiagnosisCode, error: unknown, expect: { title: RegExp; cause: RegExp[]; fix: (string | RegExp)[] }];

const rows: Row[] = [
  [
    'aadsts-50105-user-not-assigned',
    msal('invalid_grant', "AADSTS50105: Your administrator has configured the application Fabrikam Odoo ('11111111-2222-4333-8444-000000000001') to block users unless they are specifically granted ('assigned') access to the application. The signed in user 'reception@fabrikam.com' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application."),
    { title: /not assigned|assigned/i, cause: [/Assignment required/i, /reception@fabrikam\.com/], fix: [/Users and groups/, /Add user\/group/, 'reception@fabrikam.com', /Assignment required/] },
  ],
  [
    'aadsts-50105-user-not-assigned',
    msal('invalid_grant', "AADSTS50105: The signed in user 'reception@fabrikam.com' is not assigned to a role for the application '11111111-2222-4333-8444-000000000001'(Fabrikam Odoo)."),
    { title: /assigned/i, cause: [/reception@fabrikam\.com/], fix: [/Users and groups/] },
  ],
  [
    'aadsts-500112-reply-address-scheme-port',
    msal('invalid_grant', "AADSTS500112: The reply address 'http://erp.fabrikam.com/microsoft_outlook/confirm' does not match the reply address 'https://erp.fabrikam.com/microsoft_outlook/confirm' provided when requesting Authorization code."),
    { title: /redirect address/i, cause: [/http:\/\/erp\.fabrikam\.com\/microsoft_outlook\/confirm/, /https:\/\/erp\.fabrikam\.com\/microsoft_outlook\/confirm/, /reverse proxy/i], fix: [/X-Forwarded-Proto/, /https:\/\/erp\.fabrikam\.com/, /web\.base\.url|proxy_mode/] },
  ],
  [
    'aadsts-900971-no-reply-address',
    msal('invalid_request', 'AADSTS900971: No reply address provided.'),
    { title: /redirect address/i, cause: [/redirect_uri/], fix: [REDIRECT, /Authentication/] },
  ],
  [
    'aadsts-90023-public-client-secret',
    msal('invalid_request', "AADSTS90023: Public clients can't send a client secret."),
    { title: /secret/i, cause: [/public client/i], fix: [/Web/, /Mobile and desktop applications|Single-page application/] },
  ],
  [
    'aadsts-70043-sign-in-frequency',
    msal('invalid_grant', 'AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2026-11-20T08:00:00.0000000Z and the maximum allowed lifetime for this request is 43200.'),
    { title: /sign in again|signed in again|again/i, cause: [/Conditional Access/, /sign-in frequency/i, /12 hours/], fix: [/Sign in again as reception@fabrikam\.com/, /Sign-in frequency/, /app-only|client credentials/i] },
  ],
  [
    'aadsts-650057-resource-not-allowed',
    msal('invalid_client', 'AADSTS650057: Invalid resource. The client has requested access to a resource which is not listed in the requested permissions in the client\'s application registration. Client app ID: 11111111-2222-4333-8444-000000000001(Fabrikam Odoo). Resource value from request: https://outlook.office.com. Resource app ID: 00000002-0000-0ff1-ce00-000000000000. List of valid resources from app registration: 00000003-0000-0000-c000-000000000000.'),
    { title: /permission/i, cause: [/https:\/\/outlook\.office\.com/, /Office 365 Exchange Online/, /not listed/i], fix: [/API permissions/, /IMAP\.AccessAsUser\.All/, /SMTP\.Send/] },
  ],
  [
    'aadsts-65002-first-party-preauthorization',
    msal('invalid_grant', "AADSTS65002: Consent between first party application '04b07795-8ddb-461a-bbee-02f9e1bf7b46' and first party resource '00000003-0000-0000-c000-000000000000' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API."),
    { title: /Microsoft's own/i, cause: [/Microsoft Azure CLI/, /04b07795-8ddb-461a-bbee-02f9e1bf7b46/, /Microsoft Graph/], fix: [/New registration/, /own/] },
  ],
];

describe('diagnosis gaps closed (REGISTRATION-FACTS.md section 5)', () => {
  it.each(rows)('%s', (code, error, want) => {
    const d = diagnose(error, { profile, check: 'token' });
    expect(d.code).toBe(code);
    expect(HARDENING_CODES as readonly string[]).toContain(code);
    expect(d.title).toMatch(want.title);
    expect(d.title).not.toMatch(/AADSTS/);
    for (const re of want.cause) expect(d.cause).toMatch(re);
    const fix = d.fix.map((f) => [f.text, f.command ?? '', f.link?.url ?? '', f.link?.label ?? ''].join(' ')).join('\n');
    for (const w of want.fix) expect(fix).toMatch(typeof w === 'string' ? new RegExp(w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) : w);
    // The raw server text stays in the evidence, with its trace and correlation ids.
    expect(d.evidence.text).toContain(`AADSTS${d.evidence.aadsts}`);
    expect(d.evidence.traceId).toBe('0a1b2c3d-0000-4000-8000-000000000001');
  });

  it('AADSTS50105 leads from this app registration to its enterprise application', () => {
    const d = diagnose(rows[0]![1], { profile, check: 'token' });
    const step = d.fix.find((f) => f.link?.url.endsWith(`/Overview/appId/${CLIENT}`));
    expect(step?.text).toMatch(/Managed application in local directory/);
  });

  it('AADSTS500112 names both addresses from the server text', () => {
    const d = diagnose(rows[2]![1], { profile, check: 'token' });
    expect(d.cause).toMatch(/sent http:\/\/erp\.fabrikam\.com\/microsoft_outlook\/confirm/);
  });

  it('AADSTS65002 and AADSTS650057 with a Microsoft client id tell the user to register their own app', () => {
    const d = diagnose(msal('invalid_client', "AADSTS650057: Invalid resource. The client has requested access to a resource which is not listed in the requested permissions in the client's application registration. Client app ID: 04b07795-8ddb-461a-bbee-02f9e1bf7b46(Microsoft Azure CLI). Resource value from request: https://outlook.office.com. Resource app ID: 00000002-0000-0ff1-ce00-000000000000. List of valid resources from app registration: ."), { profile: { ...profile, clientId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46' }, check: 'token' });
    expect(d.code).toBe('aadsts-650057-resource-not-allowed');
    expect(d.cause).toMatch(/Microsoft Azure CLI/);
    expect(d.fix.map((f) => f.text).join(' ')).toMatch(/your own app registration/i);
  });
});

describe('unknown AADSTS codes', () => {
  it('keep their raw text and link Microsoft\'s error lookup for that code', () => {
    const text = 'AADSTS9999999: Something nobody has seen before happened.';
    const d = diagnose(msal('invalid_request', text), { profile, check: 'token' });
    expect(d.code).toBe('aad-other');
    expect(d.evidence.text).toContain(text);
    expect(d.cause).toContain('AADSTS9999999');
    const link = d.fix.find((f) => f.link)?.link;
    expect(link?.url).toBe('https://login.microsoftonline.com/error?code=9999999');
    expect(link?.label).toMatch(/AADSTS9999999/);
  });

  it('uses the number from the text, not a fixed one', () => {
    const d = diagnose(msal('invalid_request', 'AADSTS123456: Other.'), { profile, check: 'token' });
    expect(d.fix.some((f) => f.link?.url === 'https://login.microsoftonline.com/error?code=123456')).toBe(true);
  });

  it('every hardening code is part of the one code list', () => {
    for (const c of HARDENING_CODES) expect(DIAGNOSIS_CODES as readonly string[]).toContain(c);
    expect(HARDENING_CODES.length).toBeGreaterThanOrEqual(7);
  });
});
