import { describe, expect, it } from 'vitest';
import { registrationQuestion } from '../../../../electron/app/confirmations';
import { planDigest } from '../../../../electron/app/plan-digest';
import { desiredFor } from '../../../../electron/engine/registration';
import { judgeClaims } from '../../../../electron/engine/token';
import { checkedProfile } from '../../../../electron/ipc/engine-facade';
import { mailboxScopeFor } from '../../../../electron/ipc/registration-facade';
import { PlanChoicesSchema } from '../../../../shared/ipc/registration';
import { ProfileSchema } from '../../../../shared/profile';
import { mailReach } from '../../../../shared/registration/reach';
import { UserProfileSchema } from '../../../../shared/saved-profile';

// Issue 19, "safe by default": app-only mail is scoped to the mailbox unless the person widens it, and the
// reach is said in plain words wherever it is not scoped.
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const cxt = () => ProfileSchema.parse({ name: 'CXT', target: 'cxt', mailbox: 'dispatch@fabrikam.com', tenant: TENANT, flow: 'app-only', api: 'graph' });

describe('the reach of Create it for me', () => {
  it('is the mailbox by default, on the Fix path too; the organisation only when chosen; a fix keeps what was created', () => {
    expect(mailboxScopeFor({}, 'create')).toBe('exchange-rbac');
    expect(mailboxScopeFor({}, 'create', { mailAccess: 'organisation' })).toBe('tenant');
    expect(mailboxScopeFor({}, 'fix')).toBe('exchange-rbac');
    expect(mailboxScopeFor({}, 'fix', { mailAccess: 'organisation' })).toBe('tenant');
    expect(mailboxScopeFor({ registration: { method: 'checked', state: 'complete', mailboxScope: 'tenant' } }, 'fix')).toBe('tenant');
    expect(mailboxScopeFor({ registration: { method: 'created', state: 'complete', mailboxScope: 'exchange-rbac' } }, 'fix')).toBe('exchange-rbac');
    expect(mailboxScopeFor({ registration: { method: 'created', state: 'complete', mailboxScope: 'exchange-rbac' } }, 'fix', { mailAccess: 'organisation' })).toBe('tenant');
  });

  it('scoped: no Graph mail permission in Entra, the Exchange step is required, and every grant reaches only the mailbox', () => {
    const d = desiredFor(cxt(), { mailboxScope: 'exchange-rbac' });
    expect(d.permissions.filter((p) => /^Mail\./.test(p.name))).toEqual([]);
    expect(d.manualSteps.find((m) => m.id === 'limit-mailbox-scope')?.optional).toBe(false);
    const reach = mailReach(d);
    expect(reach.map((r) => r.grant)).toEqual(["Exchange role 'Application Mail.Read'", "Exchange role 'Application Mail.Send'"]);
    expect(reach.every((r) => r.limited && r.reach.includes('dispatch@fabrikam.com'))).toBe(true);
  });

  it('unscoped: "every mailbox in your organisation" for each Graph mail permission', () => {
    const reach = mailReach(desiredFor(cxt(), { mailboxScope: 'tenant' }));
    expect(reach.filter((r) => !r.limited).map((r) => `${r.grant}: ${r.reach}`)).toEqual(['Mail.Read (application): every mailbox in your organisation', 'Mail.Send (application): every mailbox in your organisation']);
  });

  it('a delegated or Exchange-only system has no scoping choice (mailboxScope stays tenant)', () => {
    const odoo = ProfileSchema.parse({ name: 'Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'r@fabrikam.com' });
    expect(desiredFor(odoo, { mailboxScope: 'exchange-rbac' }).mailboxScope).toBe('tenant');
  });

  it('the native question for app-only IMAP/SMTP does not claim "every mailbox": Exchange grants only the named mailbox', () => {
    const imap = ProfileSchema.parse({ name: 'Generic', target: 'app-only-imap-smtp', mailbox: 'dispatch@fabrikam.com', tenant: TENANT, flow: 'app-only', api: 'imap-smtp' });
    const d = desiredFor(imap);
    expect(d.permissions.some((p) => p.resource === 'Office 365 Exchange Online' && p.type === 'application')).toBe(true);
    const q = registrationQuestion({ mode: 'create', desired: d, steps: [], tenant: 't', admin: 'a' });
    expect(q.detail).not.toMatch(/EVERY MAILBOX/);
    expect(q.detail).toMatch(/only the mailboxes an Exchange administrator grants it \(here “dispatch@fabrikam\.com”; none until then\)/);
  });

  it('the scoped question says who does the scoping and that the app reaches no mailbox until then', () => {
    const q = registrationQuestion({ mode: 'create', desired: desiredFor(cxt(), { mailboxScope: 'exchange-rbac' }), steps: [], tenant: 't', admin: 'a' });
    expect(q.detail).toMatch(/An Exchange administrator runs that step afterwards \(Microsoft Graph cannot\); until then the app reaches no mailbox\./);
  });
});

describe('the plan digest and its choices', () => {
  it('changes with the Require assignment opt-in (who loses access is part of what was agreed)', () => {
    const odoo = ProfileSchema.parse({ name: 'Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'r@fabrikam.com' });
    const d = desiredFor(odoo);
    expect(planDigest('fix', d, { requireAssignment: true })).not.toBe(planDigest('fix', d));
    expect(planDigest('fix', d, { requireAssignment: false })).toBe(planDigest('fix', d));
  });

  it('choices are strict: unknown fields and values refused', () => {
    expect(PlanChoicesSchema.safeParse({ mailAccess: 'mailbox', requireAssignment: true }).success).toBe(true);
    expect(PlanChoicesSchema.safeParse({ mailAccess: 'everything' }).success).toBe(false);
    expect(PlanChoicesSchema.safeParse({ mailboxScope: 'tenant' }).success).toBe(false);
  });

  it('mailboxScope is a main field: the page cannot set it through profiles:save', () => {
    expect(UserProfileSchema.safeParse({ name: 'x', mailboxScope: 'exchange-rbac' }).success).toBe(false);
  });
});

describe('claims of a scoped app-only token', () => {
  const claims = (roles: string[]) => ({ audience: 'https://graph.microsoft.com', scopes: [], roles, kind: 'app' as const, tenantId: TENANT });
  const p = { flow: 'app-only' as const, api: 'graph' as const, mailbox: 'dispatch@fabrikam.com', tenant: TENANT, targetInputs: {} };
  it('no Entra mail role is right when Exchange RBAC scopes the access; otherwise it is the missing consent', () => {
    expect(judgeClaims(claims([]), { ...p, mailboxScope: 'exchange-rbac' })).toBeNull();
    expect(judgeClaims(claims([]), p)?.code).toBe('token-missing-role');
    expect(judgeClaims(claims([]), { ...p, mailboxScope: 'tenant' })?.code).toBe('token-missing-role');
  });
});

describe('the checks of a connection made through the portal checklist (scoped by default, issue 19)', () => {
  const claims = (roles: string[]) => ({ audience: 'https://graph.microsoft.com', scopes: [], roles, kind: 'app' as const, tenantId: TENANT });
  const conn = (registration?: { method: 'manual' | 'created'; state: 'complete'; mailboxScope?: 'tenant' | 'exchange-rbac' }, profile = cxt()) => ({ profile, saved: { registration } as never });
  it('nothing recorded: judged as scoped, so a token without Entra mail roles is not "missing consent" (the mailbox checks decide)', () => {
    expect(checkedProfile(conn()).mailboxScope).toBe('exchange-rbac');
    expect(judgeClaims(claims([]), checkedProfile(conn()))).toBeNull();
  });
  it('every mailbox recorded: the token must carry Mail.Read and Mail.Send; delegated or IMAP connections are untouched', () => {
    const tenantWide = checkedProfile(conn({ method: 'created', state: 'complete', mailboxScope: 'tenant' }));
    expect(tenantWide.mailboxScope).toBe('tenant');
    expect(judgeClaims(claims([]), tenantWide)?.code).toBe('token-missing-role');
    const delegated = ProfileSchema.parse({ name: 'Odoo', target: 'odoo', mailbox: 'r@fabrikam.com', tenant: TENANT });
    expect(checkedProfile(conn(undefined, delegated))).toBe(delegated);
  });
});
