import { describe, expect, it } from 'vitest';
import { pushPlanQuestion, quote, registrationQuestion } from '../../../../electron/app/confirmations';
import type { SavedProfile } from '../../../../shared/saved-profile';
import { planDigest } from '../../../../electron/app/plan-digest';
import { devEnvReader, startupRefusal } from '../../../../electron/app/startup-policy';
import { desiredFor } from '../../../../electron/engine/registration';
import { planRegistration } from '../../../../shared/registration/plan';
import { ProfileSchema } from '../../../../shared/profile';

// Issue 18: main's native questions, worded from main's data; the packaged-build start policy.
const cxt = (over: Record<string, unknown> = {}) =>
  ProfileSchema.parse({ name: 'CXT\nPress Create: nothing happens', target: 'cxt', mailbox: 'dispatch@fabrikam.com', tenant: 'fabrikam.com', flow: 'app-only', api: 'graph', ...over });
const EMPTY = { tenantId: '', application: null, servicePrincipal: null, resources: {}, delegatedGrants: [], appRoleAssignments: [], assignedTo: [], appManagementPolicy: null };

describe('the registration question', () => {
  it('names each permission with its type, and "every mailbox" for unscoped application mail access', () => {
    const desired = desiredFor(cxt(), { mailboxScope: 'tenant' });
    const resources = { [desired.permissions[0]!.resourceAppId]: { id: 'sp', appId: desired.permissions[0]!.resourceAppId, displayName: 'Microsoft Graph', appRoles: desired.permissions.map((p) => ({ id: p.name, value: p.name })), oauth2PermissionScopes: [] } };
    const plan = planRegistration(desired, { ...EMPTY, resources } as never, { needSecret: true });
    const q = registrationQuestion({ mode: 'create', desired, steps: plan.steps, tenant: 'fabrikam.com', admin: 'admin@fabrikam.com' });
    expect(q.detail).toMatch(/• Mail\.Send \(.*\), application: reaches EVERY MAILBOX IN YOUR ORGANISATION/);
    expect(q.detail).toMatch(/• Mail\.Read \(.*\), application: reaches EVERY MAILBOX/);
    expect(q.detail).toMatch(/Admin consent, granted now for the whole organisation/);
    expect(q.detail).toMatch(/Redirect URIs/);
    expect(q.detail).toMatch(/a new client secret valid \d+ months/);
    // The name the page typed is one quoted line: it cannot add a line of its own to the question.
    expect(q.message.split('\n')).toHaveLength(1);
    expect(q.detail).not.toMatch(/^Press Create/m);
  });

  it('scoped by Exchange RBAC, the question says so instead', () => {
    const desired = desiredFor(cxt(), { mailboxScope: 'exchange-rbac' });
    expect(desired.mailboxScope).toBe('exchange-rbac');
    const q = registrationQuestion({ mode: 'create', desired, steps: [], tenant: 't', admin: 'a' });
    expect(q.detail).toMatch(/scoped by Exchange to “dispatch@fabrikam\.com” only/);
    expect(q.detail).not.toMatch(/EVERY MAILBOX/);
  });

  it('the plan digest changes when what is done changes (delegated IMAP -> application Mail.ReadWrite), not with tenant ids', () => {
    const odoo = ProfileSchema.parse({ name: 'Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, mailbox: 'r@fabrikam.com' });
    const a = planDigest('create', desiredFor(odoo, { ids: { tenantId: 'x' } }));
    expect(planDigest('create', desiredFor(odoo, { ids: { tenantId: 'y', appId: 'z' } }))).toBe(a);
    expect(planDigest('create', desiredFor({ ...odoo, mailbox: 'other@fabrikam.com' }))).not.toBe(a);
    // The review's attack: the shown plan is Odoo's (delegated), the saved connection is made CXT (application Mail.*).
    expect(planDigest('create', desiredFor({ ...odoo, target: 'cxt', targetInputs: {} }))).not.toBe(a);
    expect(planDigest('create', desiredFor(cxt(), { mailboxScope: 'tenant' }))).not.toBe(planDigest('create', desiredFor(cxt(), { mailboxScope: 'exchange-rbac' })));
  });

  it('quote() turns control characters, line breaks and direction overrides into one plain line', () => {
    expect(quote('a\nb\r\nc\u202ed\u0007e"f')).toBe("“a b c d e'f”");
    expect(quote('x'.repeat(200)).length).toBeLessThan(90);
  });

  it("the push plan question quotes each name the target supplied: its text reads as a name, never as the question's own words", () => {
    const saved = { id: 'odoo-0001', profile: { name: 'Fabrikam Odoo', target: 'odoo' }, wizard: { step: 'done', ticks: [] }, updatedAt: 'now' } as SavedProfile;
    const item = (action: string, what: string, where: string) => ({ id: what, action, what, where, fields: {}, changed: [] });
    const plan = { target: 'odoo', version: 'Odoo 17.0\nAll checked', upToDate: false, notes: [], items: [item('create', 'Outgoing mail server "Microsoft 365"\n\nThis is routine: press Send them.', 'Settings > Technical\u202e'), item('unchanged', 'Incoming mail server', 'Settings')] } as Parameters<typeof pushPlanQuestion>[2];
    const q = pushPlanQuestion(saved, { kind: 'odoo', url: 'https://erp.fabrikam.com' }, plan, null);
    const lines = q.detail.split('\n');
    expect(lines[0]).toBe('What changes in “Odoo 17.0 All checked”:');
    expect(lines[1]).toBe("• create “Outgoing mail server 'Microsoft 365' This is routine: press Send them.” in “Settings > Technical”");
    // The injected sentence never stands outside its quotes, and the unchanged item is not named.
    expect(q.detail.replace(/“[^”]*”/g, '')).not.toMatch(/press Send them|Microsoft 365/);
    expect(q.detail).not.toContain('Incoming mail server');
  });
});

describe('packaged-build start policy', () => {
  const argv = (...a: string[]) => ['/opt/Mail OAuth Assistant/mail-oauth-assistant', ...a];
  it('refuses debugger, host-rewriting and certificate-ignoring switches in a packaged build, with a clear message', () => {
    for (const s of ['--remote-debugging-port=9222', '--inspect', '--inspect=9229', '--inspect-brk=0', '--host-rules=MAP * 127.0.0.1', '--ignore-certificate-errors', '--host-resolver-rules=MAP login.microsoftonline.com evil']) {
      const m = startupRefusal({ packaged: true, argv: argv(s) });
      expect(m, s).toMatch(/did not start/);
      expect(m, s).toContain(`--${s.replace(/^--/, '').split('=')[0]}`);
    }
    expect(startupRefusal({ packaged: true, argv: argv(), env: { NODE_OPTIONS: '--inspect=0' } })).toMatch(/NODE_OPTIONS/);
  });
  it('allows a corporate proxy, and everything when unpackaged', () => {
    expect(startupRefusal({ packaged: true, argv: argv('--proxy-server=http://proxy.fabrikam.com:8080', '--lang=de') })).toBeNull();
    expect(startupRefusal({ packaged: false, argv: argv('--remote-debugging-port=9222', '--inspect') })).toBeNull();
  });
  it('developer variables only when unpackaged', () => {
    const env = { MAIL_OAUTH_ADMIN_CLIENT_ID: '11111111-2222-3333-4444-555555555555' };
    expect(devEnvReader(true, env)('MAIL_OAUTH_ADMIN_CLIENT_ID')).toBeUndefined();
    expect(devEnvReader(false, env)('MAIL_OAUTH_ADMIN_CLIENT_ID')).toBe(env.MAIL_OAUTH_ADMIN_CLIENT_ID);
  });
});

describe('the push plan question', () => {
  it('names installing the Outlook module in plain words, first, and that it stays installed', () => {
    const item = (id: string, action: 'create' | 'update', what: string, where: string, verb?: 'install') => ({ id, action, what, where, fields: {}, changed: [], ...(verb ? { verb } : {}) });
    const plan = {
      target: 'Odoo',
      version: 'Odoo 17.0',
      upToDate: false,
      notes: [],
      items: [item('module:microsoft_outlook', 'update', 'the module Microsoft Outlook (microsoft_outlook)', 'ir.module.module', 'install'), item('ir.mail_server', 'create', 'Outgoing mail server "sales@fabrikam.com (Outlook)"', 'ir.mail_server')],
    };
    const q = pushPlanQuestion({} as SavedProfile, { kind: 'odoo', url: 'https://erp.fabrikam.com', database: 'fabrikam', login: 'admin' }, plan, null);
    const lines = q.detail.split('\n');
    expect(lines[1]).toBe('• install “the module Microsoft Outlook (microsoft_outlook)” in “ir.module.module”');
    expect(lines[2]).toBe("• create “Outgoing mail server 'sales@fabrikam.com (Outlook)'” in “ir.mail_server”");
    expect(q.detail).toMatch(/The module is installed first \(Odoo reloads its modules for everyone using it\) and stays installed: a restore does not uninstall it\./);
    expect(q.message).toBe('Make 2 changes in Odoo at “https://erp.fabrikam.com”?');
    // Without an install nothing is said about modules.
    expect(pushPlanQuestion({} as SavedProfile, { kind: 'odoo', url: 'https://erp.fabrikam.com' }, { ...plan, items: plan.items.slice(1) }, null).detail).not.toMatch(/module/);
  });
});
