/**
 * Least privilege for app-only mail (issue 20). Microsoft's sources:
 * - "SMTP Onboarding to App RBAC" (2025-10-17, MicrosoftDocs/office-developer-exchange-docs,
 *   docs/legacy-protocols/smtp-app-rbac-onboarding.md): no Entra SMTP.SendAsApp ("would trigger an
 *   unnecessary check for mailbox permissions"), New-ServicePrincipal, New-ManagementScope,
 *   New-ManagementRoleAssignment -Role 'Application SMTP.SendAsApp' -App … -CustomResourceScope ….
 * - IMAP/POP app-only: Full Access on the mailbox; Send As only for another From address.
 * - Unscoped Graph application mail permissions reach every mailbox (auth-limit-mailbox-access).
 */
import { describe, expect, it } from 'vitest';
import { createContext, getTarget, type TargetEntry } from '../../../../shared/catalogue';
import { desiredRegistration, EVERY_MAILBOX, mailReach, mailReachLine, registrationScript, smtpSendRoute } from '../../../../shared/registration';
import { desiredFor, PROFILES } from './fixtures';

const SP_ID = 'e5f6a7b8-0003-4e9f-8a1b-000000000043';
const base = getTarget('app-only-imap-smtp');
/** A send-only app-only system: the catalogue entry with only SMTP.SendAsApp (as a device or a notifier needs). */
const sendOnly: TargetEntry = {
  ...base,
  id: 'app-only-imap-smtp',
  resolve: (ctx) => ({ ...base.resolve(ctx), permissions: ['exchange.application.SMTP.SendAsApp'], checks: ['network', 'token', 'smtp'] }),
};
const profile = { ...PROFILES['app-only-imap-smtp']!, targetInputs: { servicePrincipalObjectId: SP_ID } };

describe('send-only app-only SMTP goes through RBAC for Applications by default', () => {
  const d = desiredRegistration(sendOnly, profile);
  it('no SMTP.SendAsApp in Entra, no mailbox permission, no Send As; a role scoped to the mailbox', () => {
    expect(smtpSendRoute([{ resource: 'Office 365 Exchange Online', name: 'SMTP.SendAsApp', type: 'application' }])).toBe('rbac');
    expect(d.permissions.map((p) => p.name)).toEqual([]);
    expect(d.consent.application).toBe(false);
    const ids = d.manualSteps.map((m) => m.id);
    expect(ids).toEqual(['exchange-connect', 'exchange-service-principal', 'exchange-smtp-role', 'exchange-access-policies', 'smtp-auth-mailbox']);
    expect(d.manualSteps.find((m) => m.id === 'exchange-smtp-role')!.command.split('\n')).toEqual([
      "New-ManagementScope -Name 'Shared mailbox or service (app-only IMAP/SMTP) mail SMTP' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''info@fabrikam.com'''",
      `New-ManagementRoleAssignment -App '${SP_ID}' -Role 'Application SMTP.SendAsApp' -CustomResourceScope 'Shared mailbox or service (app-only IMAP/SMTP) mail SMTP'`,
      `Test-ServicePrincipalAuthorization -Identity '${SP_ID}' -Resource 'info@fabrikam.com'`,
    ]);
    const all = d.manualSteps.map((m) => m.command).join('\n');
    expect(all).not.toContain('Add-MailboxPermission');
    expect(all).not.toContain('Add-RecipientPermission');
  });
  it('both scripts carry the route with the new ids, and the Application Access Policy check', () => {
    for (const kind of ['powershell', 'azure-cli'] as const) {
      const script = registrationScript(d, kind);
      expect(script).toContain('Application SMTP.SendAsApp');
      expect(script).toContain('New-ManagementScope -Name');
      expect(script).toContain(kind === 'powershell' ? 'New-ManagementRoleAssignment -App $sp.Id -Role' : 'New-ManagementRoleAssignment -App %s -Role');
      expect(script).toContain('Get-ApplicationAccessPolicy');
      expect(script).not.toContain('SMTP.SendAsApp (Office 365 Exchange Online, application)');
      expect(script).toContain('Mailboxes reached: Exchange role \'Application SMTP.SendAsApp\': only info@fabrikam.com (its management scope)');
    }
    expect(registrationScript(d, 'powershell')).toContain("New-ManagementRoleAssignment -App $sp.Id -Role 'Application SMTP.SendAsApp'");
  });
  it('the checklist says the same', () => {
    const ctx = createContext(sendOnly, profile);
    const step = sendOnly.steps(ctx).find((s) => s.id === 'exchange-service-principal')!;
    expect(step.body).toContain("New-ManagementRoleAssignment -App 'e5f6a7b8-0003-4e9f-8a1b-000000000043' -Role 'Application SMTP.SendAsApp'");
    expect(step.body).not.toContain('Add-MailboxPermission');
  });
});

describe('reading over IMAP/POP keeps Full Access, without Send As', () => {
  it('app-only IMAP/SMTP', () => {
    const d = desiredFor('app-only-imap-smtp');
    expect(smtpSendRoute(d.permissions)).toBe('full-access');
    const all = d.manualSteps.map((m) => m.command).join('\n');
    expect(all).toContain('-AccessRights FullAccess');
    expect(all).not.toContain('SendAs');
    expect(d.manualSteps.find((m) => m.id === 'exchange-mailbox-permission')!.why).toMatch(/Send As is needed only if the system sends with a different From address/);
    expect(mailReach(d)).toEqual([
      { grant: 'IMAP.AccessAsApp (application)', reach: 'only mailboxes given Full Access in Exchange (here: info@fabrikam.com)', limited: true },
      { grant: 'SMTP.SendAsApp (application)', reach: 'only mailboxes given Full Access in Exchange (here: info@fabrikam.com)', limited: true },
    ]);
  });
});

describe('unscoped application mail permissions are "every mailbox in your organisation"', () => {
  it('CXT as its guide asks (tenant-wide consent, only when chosen)', () => {
    const d = desiredFor('cxt', { mailboxScope: 'tenant' });
    expect(mailReach(d).map((r) => r.reach)).toEqual([EVERY_MAILBOX, EVERY_MAILBOX]);
    expect(d.permissions.find((p) => p.name === 'Mail.Send')!.why).toBe('sends mail as every mailbox in your organisation, no one signed in');
    expect(registrationScript(d, 'powershell')).toContain(`Mailboxes reached: Mail.Read (application): ${EVERY_MAILBOX}; Mail.Send (application): ${EVERY_MAILBOX}`);
  });
  it('CXT scoped by Exchange RBAC reaches only the mailbox', () => {
    const d = desiredFor('cxt', { mailboxScope: 'exchange-rbac' });
    expect(mailReachLine(d)).toBe("Exchange role 'Application Mail.Read': only reception@fabrikam.com (its management scope); Exchange role 'Application Mail.Send': only reception@fabrikam.com (its management scope)");
  });
  it('delegated reaches only the signed-in person', () => {
    expect(mailReach(desiredFor('odoo')).every((r) => r.limited && /person who signs in/.test(r.reach))).toBe(true);
  });
});
