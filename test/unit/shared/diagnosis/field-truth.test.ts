/**
 * What the assistant says matches Microsoft as of December 2026 (issue 20); sources in
 * docs/MICROSOFT-FACTS-2026-12.md. Each test guards one corrected statement.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../../../shared/diagnosis';
import { TIMELINE, timelineNow } from '../../../../renderer/src/screens/basic-auth/facts';

const profile = { name: 'p', target: 'generic', mailbox: 'info@fabrikam.com', clientId: '11111111-2222-4333-8444-000000000001', tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01', flow: 'delegated' as const, api: 'imap-smtp' as const };
const appOnly = { ...profile, flow: 'app-only' as const };
const words = (d: Diagnosis) => [d.title, d.cause, ...d.fix.map((f) => `${f.text} ${f.command ?? ''} ${f.link?.url ?? ''}`)].join('\n');
const GRAPH_CLI = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
const aad = (code: string, msg: string) => ({ errorCode: 'invalid_grant', errorMessage: `AADSTS${code}: ${msg} Trace ID: 0a1b2c3d-0000-4000-8000-000000000001 Correlation ID: 0a1b2c3d-0000-4000-8000-000000000002` });

describe('Basic authentication for SMTP AUTH: the switch stays until the final removal', () => {
  it('the Basic-auth screen: Microsoft announces the date in H2 2027, the removal comes later', () => {
    const after = timelineNow(new Date('2027-01-15T00:00:00Z')).text;
    expect(after).not.toMatch(/goes away once Microsoft announces/);
    expect(after).toContain('That switch stays until the final removal');
    expect(after).toContain('second half of 2027, and the removal comes after that announcement');
    expect(TIMELINE.at(-1)).toEqual({ when: 'Second half of 2027', what: expect.stringContaining('the removal itself comes later') });
  });

  it('550 5.7.30: not "only OAuth keeps working"; the admin switch, HVE, relay and Direct Send are named', () => {
    const d = diagnose({ response: '550 5.7.30 Basic authentication is not supported for Client Submission.' }, { profile, check: 'smtp' });
    expect(d.code).toBe('smtp-basic-auth-rejected');
    expect(d.cause).not.toMatch(/only OAuth keeps working/);
    expect(d.cause).toContain('an administrator can still turn it back on until the final removal');
    const w = words(d);
    for (const s of ['connector relay', 'Direct Send', 'do not use SMTP AUTH', 'High Volume Email', 'September 2028']) expect(w).toContain(s);
  });

  it('535 5.7.139 basic authentication is disabled: Set-CASMailbox is not presented as the way back', () => {
    const d = diagnose({ response: '535 5.7.139 Authentication unsuccessful, basic authentication is disabled.' }, { profile, check: 'smtp' });
    expect(d.code).toBe('smtp-basic-auth-disabled');
    const w = words(d);
    expect(w).toContain('is not confirmed to bring Basic back');
    expect(w).toContain('an authentication policy that blocks Basic for SMTP overrides it');
    expect(w).toContain('AllowBasicAuthSmtp');
    expect(d.fix.some((f) => f.command?.includes('Set-CASMailbox'))).toBe(false);
  });
});

describe('the administrator\'s bootstrap client (Microsoft Graph Command Line Tools)', () => {
  it('AADSTS50105 naming it: assign the administrator there, or use the organisation\'s own sign-in app; not the connection\'s app', () => {
    const d = diagnose(aad('50105', `Your administrator has configured the application Microsoft Graph Command Line Tools ('${GRAPH_CLI}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user 'admin@fabrikam.com' is blocked because they are not a direct member of a group with access.`), { profile, check: 'token' });
    expect(d.code).toBe('aadsts-50105-admin-tool-not-assigned');
    const w = words(d);
    expect(w).toContain('Microsoft Graph Command Line Tools');
    expect(w).toContain('admin@fabrikam.com');
    expect(w).not.toContain(`appId/${profile.clientId}`);
    expect(d.fix.find((f) => f.action)?.action).toEqual({ id: 'sign-in-application-setting', label: "Use your organisation's own sign-in application" });
  });

  it('the connection\'s own app keeps its advice (assignment on that app)', () => {
    const d = diagnose(aad('50105', "The signed in user 'reception@fabrikam.com' is not assigned to a role for the application '11111111-2222-4333-8444-000000000001'(Odoo)."), { profile, check: 'token' });
    expect(d.code).toBe('aadsts-50105-user-not-assigned');
  });

  it.each(['53003', '530084'])('AADSTS%s on the bootstrap client: system browser on a compliant device, or the organisation\'s own app', (code) => {
    const d = diagnose(aad(code, 'Access has been blocked by Conditional Access policies.'), { profile, check: 'token', signInClientId: GRAPH_CLI });
    expect(d.code).toBe('aadsts-53003-admin-tool-blocked');
    const w = words(d);
    expect(w).toContain('system browser on a compliant (managed) device');
    expect(w).toContain("organisation's own sign-in application");
  });

  it('AADSTS530084 elsewhere: token protection, explained', () => {
    const d = diagnose(aad('530084', 'Access has been blocked by conditional access token protection policy configured by this organization.'), { profile, check: 'token' });
    expect(d.code).toBe('aadsts-530084-token-protection');
    expect(words(d)).toContain('aka.ms/TBCADocs');
  });

  it('AADSTS7000112: which application is disabled, and how to enable it; for the bootstrap client the own-app way too', () => {
    const own = diagnose(aad('7000112', `Application '${profile.clientId}'(Odoo mail) is disabled.`), { profile, check: 'token' });
    expect(own.code).toBe('aadsts-7000112-app-disabled');
    expect(own.title).toBe('The application Odoo mail is disabled');
    expect(words(own)).toContain('Enabled for users to sign in?');
    const boot = diagnose(aad('7000112', `Application '${GRAPH_CLI}'(Microsoft Graph Command Line Tools) is disabled.`), { profile, check: 'token' });
    expect(boot.cause).toContain('Your organisation disabled Microsoft Graph Command Line Tools');
    expect(boot.fix.some((f) => f.action?.id === 'sign-in-application-setting')).toBe(true);
  });
});

describe('app-only mail: least privilege in the advice', () => {
  it('535 5.7.3 app-only: the scoped SMTP role for a sender, Full Access only for a reader; no Send As', () => {
    const d = diagnose({ code: 'EAUTH', response: '535 5.7.3 Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]' }, { profile: appOnly, check: 'smtp' });
    expect(d.code).toBe('smtp-auth-unsuccessful');
    const w = words(d);
    expect(w).toContain("New-ManagementRoleAssignment -App <enterprise-app-object-id> -Role 'Application SMTP.SendAsApp' -CustomResourceScope 'info@fabrikam.com SMTP'");
    expect(w).toContain("-RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''info@fabrikam.com'''");
    expect(w).not.toContain('SendAs -');
  });

  it('graph-forbidden app-only: "not in scope" with Test-ServicePrincipalAuthorization, and older Application Access Policies', () => {
    const d = diagnose({ status: 403, message: 'ErrorAccessDenied: Access is denied. Check credentials and try again.' }, { profile: { ...appOnly, api: 'graph' }, check: 'graph' });
    expect(d.code).toBe('graph-forbidden');
    expect(d.cause).toContain("is not in the app's scope");
    expect(words(d)).toContain("Test-ServicePrincipalAuthorization -Identity <enterprise-app-object-id> -Resource 'info@fabrikam.com'");
    expect(words(d)).toContain('Get-ApplicationAccessPolicy');
  });

  it('"Access to OData is disabled": the Application Access Policy, with the move to RBAC for Applications', () => {
    const d = diagnose({ status: 403, message: '{"error":{"code":"ErrorAccessDenied","message":"Access to OData is disabled."}}' }, { profile: { ...appOnly, api: 'graph' }, check: 'graph' });
    expect(d.code).toBe('graph-app-access-policy-blocked');
    const w = words(d);
    for (const s of ['Get-ApplicationAccessPolicy', 'Test-ApplicationAccessPolicy', 'New-ManagementScope', 'Test-ServicePrincipalAuthorization', 'Remove-ApplicationAccessPolicy']) expect(w).toContain(s);
  });
});
