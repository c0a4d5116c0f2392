/** desiredRegistration for every catalogue entry: derived from the catalogue, never a second copy. */
import { describe, expect, it } from 'vitest';
import { ACCOUNT_TYPES, createContext, getTarget, permissionsFor, RESOURCES, resolveTarget } from '../../../../shared/catalogue';
import { desiredRegistration, ID_PLACEHOLDERS, rolesNeeded, smtpSendRoute } from '../../../../shared/registration';
import { desiredFor, PROFILES, TARGET_IDS, TENANT } from './fixtures';

const CLIENT_ID = PROFILES.odoo!.clientId!;
const SP_ID = 'e5f6a7b8-0003-4e9f-8a1b-000000000043';

describe('desired registration, every target', () => {
  it.each(TARGET_IDS)('%s follows the catalogue entry', (id) => {
    const t = getTarget(id);
    const profile = PROFILES[id]!;
    const ctx = createContext(t, profile);
    const d = desiredRegistration(t, profile);
    expect(d.target).toBe(id);
    expect(d.displayName).toBe(ctx.appName);
    expect(d.audience).toBe(ctx.audience);
    expect(t.audience.allowed).toContain(d.audience);
    expect(d.signInAudience).toBe(ACCOUNT_TYPES[ctx.audience].signInAudience);
    expect(d.requestedAccessTokenVersion).toBe(['multi-personal', 'personal'].includes(d.audience) ? 2 : null);
    expect([...d.redirectUris.web, ...d.redirectUris.publicClient, ...d.redirectUris.spa]).toEqual(resolveTarget(t, profile).redirectUris);
    // Send-only app-only SMTP goes through Exchange's RBAC for Applications: no Entra SMTP.SendAsApp (derive.ts smtpSendRoute).
    const rbacSmtp = ctx.flow === 'app-only' && smtpSendRoute(permissionsFor(t, profile)) === 'rbac';
    // App-only Graph mail is scoped by Exchange by default (issue 19): its roles are not Entra permissions.
    const rbacGraph = (p: { resource: string; name: string; type: string }) => ctx.flow === 'app-only' && p.resource === 'Microsoft Graph' && p.type === 'application' && /^Mail\.(Read|ReadWrite|Send)$/.test(p.name);
    expect(d.permissions.map((p) => [p.resource, p.name, p.type])).toEqual(
      permissionsFor(t, profile)
        .filter((p) => !(rbacSmtp && p.name === 'SMTP.SendAsApp') && !rbacGraph(p))
        .map((p) => [p.resource, p.name, p.type]),
    );
    for (const p of d.permissions) {
      expect(p.resourceAppId).toBe(RESOURCES[p.resource]);
      expect(p.why.length).toBeGreaterThan(10);
    }
    expect(d.consent.delegated).toBe(d.permissions.some((p) => p.type === 'delegated'));
    expect(d.consent.application).toBe(d.permissions.some((p) => p.type === 'application'));
    expect(d.credential.kind).toBe('secret');
    expect(d.mailbox).toBe(profile.mailbox);
    expect(d.tenantId).toBe(TENANT);
    // The context carries the same object the checklist renders from.
    expect(ctx.registration).toEqual(d);
    // Every command is either ready or lists what it still waits for.
    for (const m of d.manualSteps) {
      expect(m.needs.length).toBeGreaterThan(0);
      expect(/<[^<>]+>/.test(m.command)).toBe((m.unresolved ?? []).length > 0);
    }
  });

  it('Odoo and Flectra: Web redirect, assignment required with the mailbox assigned (the guide\'s Users and groups step)', () => {
    for (const id of ['odoo', 'flectra']) {
      const d = desiredFor(id);
      expect(d.redirectUris.web[0]).toMatch(/\/microsoft_outlook\/confirm$/);
      expect(d.assignment).toEqual({ required: true, assignMailbox: true });
      expect(d.credential).toEqual({ kind: 'secret', displayName: id === 'odoo' ? 'Odoo Fetchmail' : 'Flectra Fetchmail', lifetimeMonths: 12 });
    }
    expect(desiredFor('flectra').signInAudience).toBe('AzureADandPersonalMicrosoftAccount');
    expect(desiredFor('flectra').requestedAccessTokenVersion).toBe(2);
    expect(desiredFor('odoo').signInAudience).toBe('AzureADMyOrg'); // the fixture chose single-tenant
  });

  it('a delegated app registered as "Public client/native (mobile & desktop)": public client flows on, no secret (PORTAL-STEPS.md, Authentication > Advanced settings > Allow public client flows)', () => {
    // No catalogue entry uses this platform today; the rule still holds for one that does.
    const entry = { ...getTarget('generic-imap-smtp'), registration: { platform: 'publicClient' as const } };
    const d = desiredRegistration(entry, PROFILES['generic-imap-smtp']!);
    expect(d.redirectUris.web).toEqual([]);
    expect(d.isFallbackPublicClient).toBe(true);
    expect(d.credential).toEqual({ kind: 'none' });
  });

  it('CXT is scoped to the mailbox by default (issue 19): no Entra mail permission, the Exchange step required', () => {
    const d = desiredFor('cxt');
    expect(d.mailboxScope).toBe('exchange-rbac');
    expect(d.permissions).toEqual([]);
    expect(d.consent.application).toBe(false);
    expect(d.manualSteps.find((m) => m.id === 'limit-mailbox-scope')!.optional).toBe(false);
    expect(desiredFor('generic-graph').mailboxScope).toBe(PROFILES['generic-graph']!.flow === 'app-only' ? 'exchange-rbac' : 'tenant');
  });

  it('CXT, every mailbox chosen: both localhost redirects on Web, public client flows, implicit grant, application Mail.Read/Mail.Send, optional mailbox limit', () => {
    const d = desiredFor('cxt', { mailboxScope: 'tenant' });
    expect(d.redirectUris).toEqual({ web: ['https://localhost', 'http://localhost'], publicClient: [], spa: [] });
    expect(d.isFallbackPublicClient).toBe(true);
    expect(d.implicitGrant).toEqual({ accessTokens: true, idTokens: true });
    expect(d.signInAudience).toBe('AzureADandPersonalMicrosoftAccount');
    expect(d.requestedAccessTokenVersion).toBe(2);
    expect(d.permissions.map((p) => `${p.name}/${p.type}`)).toEqual(['Mail.Read/application', 'Mail.Send/application']);
    expect(d.consent).toEqual({ delegated: false, application: true });
    expect(d.credential).toMatchObject({ kind: 'secret', displayName: 'Oauth' });
    const limit = d.manualSteps.find((m) => m.id === 'limit-mailbox-scope')!;
    expect(limit.optional).toBe(true);
    expect(limit.command).toContain(`New-ManagementRoleAssignment -App ${ID_PLACEHOLDERS.servicePrincipalId} -Role 'Application Mail.Read'`);
    expect(limit.command).toContain("-RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''reception@fabrikam.com'''");
    expect(limit.why).toMatch(/every mailbox/);
    expect(limit.unresolved).toEqual(['servicePrincipalId']);
  });

  it('CXT limited by Exchange RBAC: Mail.Read/Mail.Send are not consented in Entra, the RBAC step is required', () => {
    const d = desiredFor('cxt', { mailboxScope: 'exchange-rbac', ids: { servicePrincipalId: SP_ID } });
    expect(d.mailboxScope).toBe('exchange-rbac');
    expect(d.permissions).toEqual([]);
    expect(d.consent.application).toBe(false);
    const limit = d.manualSteps.find((m) => m.id === 'limit-mailbox-scope')!;
    expect(limit.optional).toBe(false);
    expect(limit.unresolved).toEqual([]);
    expect(limit.command.split('\n')).toEqual([
      `New-ServicePrincipal -AppId '${CLIENT_ID}' -ObjectId '${SP_ID}' -DisplayName 'CXT Software mail'`,
      "New-ManagementScope -Name 'CXT Software mail mailbox' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''reception@fabrikam.com'''",
      `New-ManagementRoleAssignment -App '${SP_ID}' -Role 'Application Mail.Read' -CustomResourceScope 'CXT Software mail mailbox'`,
      `New-ManagementRoleAssignment -App '${SP_ID}' -Role 'Application Mail.Send' -CustomResourceScope 'CXT Software mail mailbox'`,
      `Test-ServicePrincipalAuthorization -Identity '${SP_ID}' -Resource 'reception@fabrikam.com'`,
      'Get-ApplicationAccessPolicy',
    ]);
  });

  it('app-only IMAP/SMTP: Exchange Online application permissions and the Exchange PowerShell steps with the real ids', () => {
    const d = desiredFor('app-only-imap-smtp');
    expect(d.permissions.map((p) => `${p.resource}/${p.name}/${p.type}`)).toEqual([
      'Office 365 Exchange Online/IMAP.AccessAsApp/application',
      'Office 365 Exchange Online/SMTP.SendAsApp/application',
    ]);
    expect(d.redirectUris).toEqual({ web: [], publicClient: [], spa: [] });
    expect(d.signInAudience).toBe('AzureADMyOrg');
    const cmd = Object.fromEntries(d.manualSteps.map((m) => [m.id, m.command]));
    expect(cmd).toEqual({
      'exchange-connect': `Connect-ExchangeOnline -Organization '${TENANT}'`,
      'exchange-service-principal': `New-ServicePrincipal -AppId '${CLIENT_ID}' -ObjectId '${SP_ID}' -DisplayName 'Shared mailbox or service (app-only IMAP/SMTP) mail'`,
      'exchange-mailbox-permission': `Add-MailboxPermission -Identity 'info@fabrikam.com' -User '${SP_ID}' -AccessRights FullAccess`,
      // Issue 20: no Send As for sending as the mailbox itself (Full Access covers SMTP; Send As only for another From).
      'exchange-access-policies': `Get-ApplicationAccessPolicy\nTest-ApplicationAccessPolicy -Identity 'info@fabrikam.com' -AppId '${CLIENT_ID}'`,
      'smtp-auth-mailbox': "Set-CASMailbox -Identity 'info@fabrikam.com' -SmtpClientAuthenticationDisabled $false",
    });
  });

  it('ids given after create fill the commands; unknown ids stay visible placeholders and are listed as unresolved', () => {
    const profile = { ...PROFILES['app-only-imap-smtp']!, clientId: '', tenant: '', targetInputs: {} };
    const before = desiredRegistration(getTarget('app-only-imap-smtp'), profile);
    const sp = before.manualSteps.find((m) => m.id === 'exchange-service-principal')!;
    expect(sp.command).toBe(`New-ServicePrincipal -AppId ${ID_PLACEHOLDERS.appId} -ObjectId ${ID_PLACEHOLDERS.servicePrincipalId} -DisplayName 'Shared mailbox or service (app-only IMAP/SMTP) mail'`);
    expect(sp.unresolved).toEqual(['appId', 'servicePrincipalId']);
    const after = desiredRegistration(getTarget('app-only-imap-smtp'), profile, { ids: { appId: '99999999-0000-4000-8000-000000000001', servicePrincipalId: SP_ID, tenantId: TENANT } });
    const sp2 = after.manualSteps.find((m) => m.id === 'exchange-service-principal')!;
    expect(sp2.command).toBe(`New-ServicePrincipal -AppId '99999999-0000-4000-8000-000000000001' -ObjectId '${SP_ID}' -DisplayName 'Shared mailbox or service (app-only IMAP/SMTP) mail'`);
    expect(sp2.unresolved).toEqual([]);
    expect(after.manualSteps.every((m) => (m.unresolved ?? []).length === 0)).toBe(true);
  });

  it('EmailEngine follows its base scope: Graph delegated mail with base scope api', () => {
    const d = desiredRegistration(getTarget('emailengine'), { ...PROFILES.emailengine!, targetInputs: { baseUrl: 'http://localhost:3000', baseScope: 'api' } });
    expect(d.permissions.map((p) => p.name)).toEqual(expect.arrayContaining(['Mail.ReadWrite', 'Mail.Send', 'offline_access']));
    expect(d.permissions.every((p) => p.resource === 'Microsoft Graph')).toBe(true);
    expect(d.manualSteps.find((m) => m.id === 'smtp-auth-mailbox')).toBeUndefined();
  });

  it('secret lifetime and display name can be chosen; a mailbox with a quote stays one PowerShell literal', () => {
    const d = desiredFor('frappe', { secretLifetimeMonths: 6, displayName: 'ERP mail (Fabrikam)' });
    expect(d.credential).toEqual({ kind: 'secret', displayName: 'Frappe', lifetimeMonths: 6 });
    expect(d.displayName).toBe('ERP mail (Fabrikam)');
    const odd = desiredRegistration(getTarget('frappe'), { ...PROFILES.frappe!, mailbox: "o'brien@fabrikam.com" });
    expect(odd.manualSteps.find((m) => m.id === 'smtp-auth-mailbox')!.command).toBe("Set-CASMailbox -Identity 'o''brien@fabrikam.com' -SmtpClientAuthenticationDisabled $false");
  });
});

describe("who you'll need (issue 14 item 8), from the desired registration", () => {
  it('CXT, every mailbox chosen, needs a Privileged Role Administrator for the Graph application permissions; Exchange only for the optional limit', () => {
    const r = rolesNeeded(desiredFor('cxt', { mailboxScope: 'tenant' }));
    expect(r.map((x) => [x.role.split(' (')[0], !!x.optional])).toEqual([
      ['Application Developer', false],
      ['Privileged Role Administrator or Global Administrator', false],
      ['Exchange Administrator', true],
    ]);
    expect(r[1]!.task).toBe('Grant admin consent for Mail.Read, Mail.Send');
  });

  it('Flectra: consent and assignment by an Application Administrator; SMTP AUTH only if it is off', () => {
    const r = rolesNeeded(desiredFor('flectra'));
    expect(r.map((x) => [x.role.split(' (')[0], !!x.optional])).toEqual([
      ['Application Developer', false],
      ['Cloud Application Administrator or Application Administrator', false],
      ['Cloud Application Administrator or Application Administrator', false],
      ['Exchange Administrator or Microsoft 365 administrator', true],
    ]);
  });

  it('app-only IMAP/SMTP: an Exchange Administrator registers the app in Exchange; no Graph application permission', () => {
    const r = rolesNeeded(desiredFor('app-only-imap-smtp'));
    expect(r.map((x) => x.role.split(' (')[0])).toEqual(['Application Developer', 'Cloud Application Administrator or Application Administrator', 'Exchange Administrator', 'Exchange Administrator or Microsoft 365 administrator']);
    expect(r[2]!.task).toBe('Register the app in Exchange Online; Let the app open info@fabrikam.com; Check for older Application Access Policies');
  });
});
