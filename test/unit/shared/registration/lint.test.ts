/**
 * diff + plan together: a registration made wrong on purpose for each finding is caught with its
 * code; the plan fixes each fixable one (proved by playing it with simulateApply and linting again);
 * the unfixable ones say who must do what; a correct registration plans nothing.
 */
import { describe, expect, it } from 'vitest';
import { getTarget } from '../../../../shared/catalogue';
import { desiredRegistration, diffRegistration, planRegistration } from '../../../../shared/registration';
import type { ActualRegistration, DesiredRegistration, RegistrationFinding } from '../../../../shared/registration/types';
import { DIAGNOSIS_CODES } from '../../../../shared/diagnosis/types';
import { clone, desiredFor, emptyActual, MAILBOX_USER_ID, NOW, PROFILES, TARGET_IDS } from './fixtures';
import { simulateApply } from './simulate';

const GRAPH = '00000003-0000-0000-c000-000000000000';
const EXO = '00000002-0000-0ff1-ce00-000000000000';
const DAY = 86_400_000;

/** The registration as the plan creates it from nothing (a correct one). */
function created(d: DesiredRegistration): ActualRegistration {
  return simulateApply(emptyActual(), planRegistration(d, emptyActual(), { now: NOW }), NOW);
}

const codes = (f: RegistrationFinding[]) => f.map((x) => x.code);
const lint = (d: DesiredRegistration, a: ActualRegistration, o: { typedSecret?: string; deviceCode?: boolean } = {}) => diffRegistration(d, a, { now: NOW, ...o });

/** Plan, play, lint again: nothing fixable may remain, and a second plan is empty. */
function fixAndRelint(d: DesiredRegistration, broken: ActualRegistration, o: { deviceCode?: boolean } = {}) {
  const plan = planRegistration(d, broken, { now: NOW, ...o });
  const after = simulateApply(broken, plan, NOW);
  const findings = lint(d, after, o);
  expect(findings.filter((f) => f.fixable), JSON.stringify(findings, null, 1)).toEqual([]);
  expect(planRegistration(d, after, { now: NOW, ...o }).steps).toEqual([]);
  return { plan, after, findings };
}

/**
 * The first step's words, written out (issue 24: not rebuilt from the summary under test). The account
 * type in brackets is the portal's "Supported account types" choice (PORTAL-STEPS.md) for the fixture
 * profiles (test/unit/shared/catalogue/fixtures.ts): Flectra and CXT are set up there for any
 * organization and personal accounts, every other one for this organization only.
 */
const CREATE_SUMMARY: Record<string, string> = {
  odoo: 'Create the app registration “Odoo mail” (only your organization)',
  flectra: 'Create the app registration “Flectra mail” (any organization and personal Microsoft accounts)',
  flexdeploy: 'Create the app registration “FlexDeploy mail” (only your organization)',
  emailengine: 'Create the app registration “EmailEngine mail” (only your organization)',
  frappe: 'Create the app registration “Frappe / ERPNext mail” (only your organization)',
  cxt: 'Create the app registration “CXT Software mail” (any organization and personal Microsoft accounts)',
  'generic-imap-smtp': 'Create the app registration “My own application (IMAP/SMTP) mail” (only your organization)',
  'generic-graph': 'Create the app registration “My own application (Graph) mail” (only your organization)',
  'app-only-imap-smtp': 'Create the app registration “Shared mailbox or service (app-only IMAP/SMTP) mail” (only your organization)',
  'relay-device': 'Create the app registration “A device or program that cannot use OAuth (scanner, printer, older software) mail” (only your organization)',
};

describe('create from nothing, for every target', () => {
  it('every target has its written-out first step', () => expect(Object.keys(CREATE_SUMMARY).sort()).toEqual([...TARGET_IDS].sort()));

  it.each(TARGET_IDS)('%s: plan creates it, lint is then clean, a second plan changes nothing', (id) => {
    const d = desiredFor(id);
    const empty = emptyActual();
    expect(codes(lint(d, empty))).toEqual(['registration-app-missing']);
    const plan = planRegistration(d, empty, { now: NOW });
    expect(plan.steps[0]!.kind).toBe('create-application');
    expect(plan.steps[0]!.summary).toBe(CREATE_SUMMARY[id]);
    expect(plan.steps.map((s) => s.kind)).toContain('create-service-principal');
    expect(plan.steps.filter((s) => s.kind === 'add-password')).toHaveLength(1);
    for (const s of plan.steps) expect(s.summary.length).toBeGreaterThan(15);
    const after = simulateApply(empty, plan, NOW);
    expect(lint(d, after)).toEqual([]);
    expect(planRegistration(d, after, { now: NOW }).steps).toEqual([]);
  });

  it('Odoo: the create body is REGISTRATION-FACTS 2.2 with ids resolved from the tenant; consent names every scope', () => {
    const d = desiredFor('flectra');
    const plan = planRegistration(d, emptyActual(), { now: NOW });
    expect(plan.steps.map((s) => s.kind)).toEqual(['create-application', 'create-service-principal', 'add-password', 'grant-delegated', 'assign-user', 'patch-service-principal']);
    expect(plan.steps[0]).toMatchObject({
      body: {
        displayName: 'Flectra mail',
        signInAudience: 'AzureADandPersonalMicrosoftAccount',
        api: { requestedAccessTokenVersion: 2 },
        web: { redirectUris: ['https://erp.fabrikam.com/microsoft_outlook/confirm'], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
        requiredResourceAccess: [
          {
            resourceAppId: GRAPH,
            resourceAccess: [
              { id: '652390e4-393a-48de-9484-05f9b1212954', type: 'Scope' },
              { id: '258f6531-6087-4cc4-bb90-092c5fb3ed3f', type: 'Scope' },
              { id: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182', type: 'Scope' },
              { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' },
            ],
          },
        ],
      },
    });
    expect(JSON.stringify(plan.steps[0])).not.toMatch(/passwordCredentials|secretText/);
    expect(plan.steps[3]).toMatchObject({ kind: 'grant-delegated', resourceAppId: GRAPH, scopes: ['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access', 'User.Read'] });
    expect(plan.steps[3]!.summary).toBe('Grant admin consent for IMAP.AccessAsUser.All, SMTP.Send, offline_access, User.Read (Microsoft Graph, delegated, for everyone in the organisation)');
    expect(plan.steps[4]).toEqual({ kind: 'assign-user', userPrincipalName: 'reception@fabrikam.com', principalId: MAILBOX_USER_ID, summary: 'Assign reception@fabrikam.com to the enterprise application (Users and groups)' });
  });

  it('ids come from the tenant\'s resource service principals, not the catalogue table', () => {
    const d = desiredFor('app-only-imap-smtp');
    const tenant = emptyActual();
    const exo = tenant.resources[EXO]!;
    const TENANT_ID = '0a0a0a0a-1111-4222-8333-444444444444';
    exo.appRoles = exo.appRoles.map((r) => (r.value === 'SMTP.SendAsApp' ? { ...r, id: TENANT_ID } : r));
    const plan = planRegistration(d, tenant, { now: NOW });
    const body = plan.steps[0]!.kind === 'create-application' ? plan.steps[0]!.body : {};
    expect(JSON.stringify(body)).toContain(TENANT_ID);
    expect(JSON.stringify(body)).not.toContain('7146a1f0-8703-45b3-9eae-527a64c00995');
    expect(plan.steps.find((s) => s.kind === 'assign-app-role' && s.role === 'SMTP.SendAsApp')).toMatchObject({ appRoleId: TENANT_ID, resourceId: exo.id });
    // An app declaring the table's id for SMTP.SendAsApp is told the permission is missing, and the unknown id is named.
    const after = simulateApply(tenant, plan, NOW);
    after.application!.requiredResourceAccess[0]!.resourceAccess = after.application!.requiredResourceAccess[0]!.resourceAccess.map((x) => (x.id === TENANT_ID ? { ...x, id: '7146a1f0-8703-45b3-9eae-527a64c00995' } : x));
    const f = lint(d, after);
    expect(codes(f)).toEqual(['registration-consent-not-declared', 'registration-permission-not-needed']);
    expect(f[1]!.summary).toContain('unknown id 7146a1f0-8703-45b3-9eae-527a64c00995');
  });
});

type Case = [name: string, target: string, code: string, mutate: (a: ActualRegistration) => void, opts?: { typedSecret?: string; deviceCode?: boolean; everyMailbox?: boolean }];

const web = (a: ActualRegistration) => a.application!.web!;
const FLECTRA_URI = 'https://erp.fabrikam.com/microsoft_outlook/confirm';

const FIXABLE: Case[] = [
  ['redirect missing', 'flectra', 'registration-redirect-missing', (a) => void (web(a).redirectUris = [])],
  ['redirect on the wrong platform', 'flectra', 'registration-redirect-wrong-platform', (a) => { web(a).redirectUris = []; a.application!.publicClient = { redirectUris: [FLECTRA_URI] }; }],
  ['redirect differs by case', 'flectra', 'registration-redirect-differs-case', (a) => void (web(a).redirectUris = ['https://erp.fabrikam.com/Microsoft_Outlook/confirm'])],
  ['redirect differs by scheme', 'flectra', 'registration-redirect-differs-scheme', (a) => void (web(a).redirectUris = ['http://erp.fabrikam.com/microsoft_outlook/confirm'])],
  ['redirect differs by port', 'flectra', 'registration-redirect-differs-port', (a) => void (web(a).redirectUris = ['https://erp.fabrikam.com:8443/microsoft_outlook/confirm'])],
  ['redirect differs by a trailing slash', 'flectra', 'registration-redirect-differs-trailing-slash', (a) => void (web(a).redirectUris = [`${FLECTRA_URI}/`])],
  ['single tenant where /common is used (AADSTS50194)', 'flectra', 'registration-audience-single-tenant', (a) => void (a.application!.signInAudience = 'AzureADMyOrg')],
  ['no personal accounts', 'flectra', 'registration-audience-no-personal', (a) => void (a.application!.signInAudience = 'AzureADMultipleOrgs')],
  ['audience wider than chosen', 'generic-imap-smtp', 'registration-audience-mismatch', (a) => void (a.application!.signInAudience = 'AzureADMultipleOrgs')],
  ['personal accounts without v2 tokens', 'flectra', 'registration-token-version-missing', (a) => void (a.application!.api = { requestedAccessTokenVersion: null })],
  ['public client flows off (CXT)', 'cxt', 'registration-public-client-off', (a) => void (a.application!.isFallbackPublicClient = false)],
  ['public client flows off with device code', 'generic-imap-smtp', 'registration-public-client-off', () => undefined, { deviceCode: true }],
  ['implicit grant off (CXT)', 'cxt', 'registration-implicit-grant-off', (a) => void (web(a).implicitGrantSettings = { enableAccessTokenIssuance: false, enableIdTokenIssuance: true })],
  ['permission missing', 'flexdeploy', 'registration-permission-missing', (a) => {
    a.application!.requiredResourceAccess[0]!.resourceAccess = a.application!.requiredResourceAccess[0]!.resourceAccess.filter((x) => x.id !== '258f6531-6087-4cc4-bb90-092c5fb3ed3f');
    a.delegatedGrants[0]!.scope = a.delegatedGrants[0]!.scope.replace('SMTP.Send ', '');
  }],
  ['application instead of delegated', 'generic-graph', 'registration-permission-wrong-type', (a) => {
    a.application!.requiredResourceAccess[0]!.resourceAccess = a.application!.requiredResourceAccess[0]!.resourceAccess.map((x) => (x.id === 'b633e1c5-b582-4048-a93e-9f11b44c7e96' ? { id: 'e383f46e-2787-4529-855e-0e479a3ffac0', type: 'Scope' } : x));
  }, { everyMailbox: true }],
  ['under the wrong resource', 'cxt', 'registration-permission-wrong-resource', (a) => {
    a.application!.requiredResourceAccess = [
      { resourceAppId: GRAPH, resourceAccess: [{ id: '810c84a8-4a9e-49e6-bf7d-12d183f40d01', type: 'Role' }] },
      { resourceAppId: EXO, resourceAccess: [{ id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', type: 'Role' }] },
    ];
  }, { everyMailbox: true }],
  ['delegated consent missing', 'frappe', 'registration-consent-missing', (a) => void (a.delegatedGrants = [])],
  ['delegated consent partly missing', 'odoo', 'registration-consent-missing', (a) => void (a.delegatedGrants[0]!.scope = 'User.Read')],
  ['application consent missing', 'app-only-imap-smtp', 'registration-consent-missing', (a) => void (a.appRoleAssignments = a.appRoleAssignments.slice(0, 1))],
  ['granted but not declared', 'cxt', 'registration-consent-not-declared', (a) => {
    a.application!.requiredResourceAccess[0]!.resourceAccess = a.application!.requiredResourceAccess[0]!.resourceAccess.filter((x) => x.id !== 'b633e1c5-b582-4048-a93e-9f11b44c7e96');
  }, { everyMailbox: true }],
  ['no service principal', 'emailengine', 'registration-service-principal-missing', (a) => { a.servicePrincipal = null; a.delegatedGrants = []; }],
  ['mailbox user not assigned (AADSTS50105)', 'flectra', 'registration-mailbox-not-assigned', (a) => void (a.assignedTo = [])],
  ['no secret', 'cxt', 'registration-secret-none', (a) => void (a.application!.passwordCredentials = [])],
  ['secret expired', 'frappe', 'registration-secret-expired', (a) => void (a.application!.passwordCredentials[0]!.endDateTime = new Date(NOW.getTime() - DAY).toISOString())],
  ['secret expiring within 30 days', 'flexdeploy', 'registration-secret-expiring', (a) => void (a.application!.passwordCredentials[0]!.endDateTime = new Date(NOW.getTime() + 10 * DAY).toISOString())],
];

describe('each fixable finding: caught with its code, fixed by the plan, clean afterwards', () => {
  it.each(FIXABLE)('%s (%s)', (_name, target, code, mutate, opts) => {
    // Application mail permissions declared in Entra exist only when every mailbox was chosen (issue 19).
    const d = desiredFor(target, opts?.everyMailbox ? { mailboxScope: 'tenant' } : {});
    const broken = clone(created(d));
    mutate(broken);
    const findings = lint(d, broken, opts);
    const hit = findings.find((f) => f.code === code);
    expect(hit, JSON.stringify(findings, null, 1)).toBeDefined();
    expect(hit!.fixable).toBe(true);
    expect(DIAGNOSIS_CODES).toContain(hit!.code);
    expect(hit!.summary.length).toBeGreaterThan(20);
    fixAndRelint(d, broken, { deviceCode: opts?.deviceCode });
  });

  it('a redirect near-miss is replaced and says which difference it is', () => {
    const d = desiredFor('flectra');
    const broken = clone(created(d));
    web(broken).redirectUris = ['http://erp.fabrikam.com/microsoft_outlook/confirm', 'https://other.fabrikam.com/keep'];
    const [f] = lint(d, broken);
    expect(f).toMatchObject({ code: 'registration-redirect-differs-scheme', detail: { difference: 'scheme', uri: FLECTRA_URI } });
    expect(f!.summary).toBe(`Registered redirect URI http://erp.fabrikam.com/microsoft_outlook/confirm differs in the scheme (http / https) from ${FLECTRA_URI}`);
    const { plan, after } = fixAndRelint(d, broken);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.summary).toContain(`replace redirect URI http://erp.fabrikam.com/microsoft_outlook/confirm with ${FLECTRA_URI}`);
    expect(after.application!.web!.redirectUris).toEqual(['https://other.fabrikam.com/keep', FLECTRA_URI]);
  });

  it('a URI without path matches the one Graph stores with a trailing slash (no endless fix)', () => {
    const d = desiredFor('cxt');
    const a = clone(created(d));
    web(a).redirectUris = ['https://localhost/', 'http://localhost/'];
    expect(lint(d, a)).toEqual([]);
  });

  it('an existing grant is extended (PATCH), never a second one, and the plan says what it adds', () => {
    const d = desiredFor('odoo');
    const broken = clone(created(d));
    broken.delegatedGrants[0]!.scope = 'User.Read';
    const plan = planRegistration(d, broken, { now: NOW });
    expect(plan.steps).toEqual([
      expect.objectContaining({ kind: 'grant-delegated', grantId: broken.delegatedGrants[0]!.id, scopes: ['User.Read', 'IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access'], added: ['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access'] }),
    ]);
    expect(simulateApply(broken, plan, NOW).delegatedGrants).toHaveLength(1);
  });

  it('an expired secret gets a new one next to it; nothing is removed', () => {
    const d = desiredFor('frappe');
    const broken = clone(created(d));
    broken.application!.passwordCredentials[0]!.endDateTime = new Date(NOW.getTime() - DAY).toISOString();
    const plan = planRegistration(d, broken, { now: NOW });
    expect(plan.steps.map((s) => s.kind)).toEqual(['add-password']);
    expect(simulateApply(broken, plan, NOW).application!.passwordCredentials).toHaveLength(2);
  });

  it('wrong-type and wrong-resource declarations are replaced in one application patch', () => {
    const d = desiredFor('cxt', { mailboxScope: 'tenant' });
    const broken = clone(created(d));
    broken.application!.requiredResourceAccess = [{ resourceAppId: EXO, resourceAccess: [{ id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', type: 'Role' }, { id: '810c84a8-4a9e-49e6-bf7d-12d183f40d01', type: 'Role' }] }];
    expect(codes(lint(d, broken))).toEqual(['registration-permission-wrong-resource', 'registration-permission-wrong-resource']);
    const { plan, after } = fixAndRelint(d, broken);
    expect(plan.steps.map((s) => s.kind)).toEqual(['patch-application']);
    expect(after.application!.requiredResourceAccess).toEqual([{ resourceAppId: GRAPH, resourceAccess: [{ id: '810c84a8-4a9e-49e6-bf7d-12d183f40d01', type: 'Role' }, { id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', type: 'Role' }] }]);
  });
});

describe('findings the plan cannot fix say who must do what', () => {
  const UNFIXABLE: Case[] = [
    ['a permission the target does not need (least privilege)', 'odoo', 'registration-permission-not-needed', (a) => void a.application!.requiredResourceAccess[0]!.resourceAccess.push({ id: 'e2a3a72e-5f79-4c64-b1b1-878b674786c9', type: 'Role' })],
    ['no Exchange Online in the tenant', 'app-only-imap-smtp', 'registration-resource-missing', (a) => void delete a.resources[EXO]],
    ['mailbox user not found', 'flectra', 'registration-mailbox-user-not-found', (a) => { a.mailboxUserId = null; a.assignedTo = []; }],
    ['typed secret is the Secret ID', 'cxt', 'registration-secret-typed-is-id', () => undefined, { typedSecret: 'KEYID' }],
    ['typed secret matches no hint', 'flectra', 'registration-secret-typed-unknown', () => undefined, { typedSecret: 'Xyz~another.apps.secret.value' }],
    ['typed secret is an expired one', 'flectra', 'registration-secret-typed-expired', (a) => void a.application!.passwordCredentials.push({ keyId: '0b0b0b0b-0000-4000-8000-000000000001', hint: 'Old', endDateTime: new Date(NOW.getTime() - DAY).toISOString() }), { typedSecret: 'Old~expired.secret.value' }],
    ['secrets blocked by policy', 'frappe', 'registration-secrets-blocked', (a) => { a.application!.passwordCredentials = []; a.appManagementPolicy = { passwordAdditionBlocked: true }; }],
  ];
  it.each(UNFIXABLE)('%s (%s)', (_name, target, code, mutate, opts) => {
    const d = desiredFor(target);
    const broken = clone(created(d));
    mutate(broken);
    const typed = opts?.typedSecret === 'KEYID' ? broken.application!.passwordCredentials[0]!.keyId : opts?.typedSecret;
    const findings = lint(d, broken, { typedSecret: typed });
    const hit = findings.find((f) => f.code === code);
    expect(hit, JSON.stringify(findings, null, 1)).toBeDefined();
    expect(hit!.fixable).toBe(false);
    expect(hit!.who).toMatch(/^(You|An? |A Microsoft)/);
    if (typed) expect(JSON.stringify(findings)).not.toContain(typed);
    const plan = planRegistration(d, broken, { now: NOW });
    if (!typed) expect(plan.unfixable.map((f) => f.code)).toContain(code);
  });

  it('the typed secret that matches a valid hint raises nothing; a GUID that is no Secret ID is "unknown"', () => {
    const d = desiredFor('flectra');
    const a = created(d);
    expect(lint(d, a, { typedSecret: 'Sim~the.current.value' })).toEqual([]);
    expect(codes(lint(d, a, { typedSecret: '5a6b7c8d-0001-4e2f-9a3b-000000000051' }))).toEqual(['registration-secret-typed-unknown']);
  });

  it('a policy that caps secret lifetimes shortens the new secret and says so', () => {
    const d = desiredFor('cxt');
    const a = emptyActual();
    a.appManagementPolicy = { passwordAdditionBlocked: false, maxPasswordLifetime: 'P180D' };
    expect(codes(lint(d, a))).toEqual(['registration-app-missing', 'registration-secret-lifetime-capped']);
    const plan = planRegistration(d, a, { now: NOW });
    expect(plan.steps.find((s) => s.kind === 'add-password')).toMatchObject({ lifetimeMonths: 5 });
  });

  it('secrets blocked: the plan adds no password and lists the finding', () => {
    const d = desiredFor('frappe');
    const a = emptyActual();
    a.appManagementPolicy = { passwordAdditionBlocked: true };
    const plan = planRegistration(d, a, { now: NOW });
    expect(plan.steps.map((s) => s.kind)).not.toContain('add-password');
    expect(plan.unfixable.map((f) => f.code)).toEqual(['registration-secrets-blocked']);
  });

  // Issue 19: the Check path says what the Fix plan does. Scoped (the default), the Graph mail roles are the
  // Exchange step's, never a consent to fix: one finding, in plain words, unfixable by the assistant.
  it('CXT scoped by Exchange: Mail.Read/Mail.Send consented tenant-wide = "can read the mail of and send mail as every mailbox", the fix is the Exchange step', () => {
    const tenantWide = created(desiredFor('cxt', { mailboxScope: 'tenant' }));
    const d = desiredFor('cxt', { mailboxScope: 'exchange-rbac' });
    const f = lint(d, tenantWide);
    expect(codes(f)).toEqual(['registration-mail-every-mailbox']);
    const x = f[0]!;
    expect(x).toMatchObject({ severity: 'warning', fixable: false });
    const mailbox = d.mailbox;
    expect(x.summary).toBe(
      `While it is not limited, the app can read the mail of and send mail as every mailbox in your organisation: Mail.Read and Mail.Send (Microsoft Graph, application) are admin-consented tenant-wide. The safe fix limits the app to ${mailbox} in Exchange (RBAC for Applications: a management scope and a role assignment, “Limit the app to ${mailbox} (Exchange RBAC for Applications)” below); every mailbox only if you choose it on the fix plan`,
    );
    expect(x.who).toMatch(/revokes the admin consent for Mail\.Read and Mail\.Send/);
    // The step it names is the required (not optional) Exchange step of the same desired state, with the role assignments.
    const step = d.manualSteps.find((m) => m.id === 'limit-mailbox-scope')!;
    expect(step.optional).toBeFalsy();
    expect(step.command).toMatch(/New-ManagementScope[\s\S]*New-ManagementRoleAssignment .*'Application Mail\.Read'[\s\S]*'Application Mail\.Send'/);
    // The plan grants nothing tenant-wide and lists the finding as someone else's.
    const plan = planRegistration(d, tenantWide, { now: NOW });
    expect(plan.steps).toEqual([]);
    expect(plan.unfixable.map((u) => u.code)).toEqual(['registration-mail-every-mailbox']);
  });

  it('CXT scoped by Exchange: configured but not consented = no consent finding to fix; consenting is named as opening every mailbox', () => {
    const d = desiredFor('cxt', { mailboxScope: 'exchange-rbac' });
    const notConsented = created(desiredFor('cxt', { mailboxScope: 'tenant' }));
    notConsented.appRoleAssignments = notConsented.appRoleAssignments.filter((r) => r.resourceId !== notConsented.resources[GRAPH]!.id);
    const f = lint(d, notConsented);
    expect(codes(f)).toEqual(['registration-mail-every-mailbox']);
    expect(f[0]).toMatchObject({ severity: 'info', fixable: false });
    expect(f[0]!.summary).toMatch(/^Mail\.Read and Mail\.Send \(Microsoft Graph, application\) are configured but not consented, and stay so: consented tenant-wide, they would let the app read the mail of and send mail as every mailbox in your organisation\. The safe fix limits the app to /);
    expect(planRegistration(d, notConsented, { now: NOW }).steps.map((x) => x.kind)).not.toContain('assign-app-role');
  });

  it('CXT, every mailbox chosen: the missing consent is fixable and says "every mailbox"; nothing about limiting', () => {
    const d = desiredFor('cxt', { mailboxScope: 'tenant' });
    const notConsented = created(d);
    notConsented.appRoleAssignments = notConsented.appRoleAssignments.filter((r) => r.resourceId !== notConsented.resources[GRAPH]!.id);
    const f = lint(d, notConsented);
    expect(codes(f)).toEqual(['registration-consent-missing']);
    expect(f[0]).toMatchObject({ fixable: true, summary: 'Admin consent is missing for Microsoft Graph application permissions Mail.Read, Mail.Send (granted, they let the app read the mail of and send mail as every mailbox in your organisation)' });
  });
});

describe('incomplete profiles and the typed secret of an older key', () => {
  it('a redirect still holding a placeholder: lint says what is missing, the plan writes nothing', () => {
    const d = desiredRegistration(getTarget('odoo'), { ...PROFILES.odoo!, targetInputs: {} });
    const f = lint(d, emptyActual());
    expect(codes(f)).toEqual(['registration-desired-incomplete', 'registration-app-missing']);
    expect(f[0]!.fixable).toBe(false);
    expect(planRegistration(d, emptyActual(), { now: NOW }).steps).toEqual([]);
  });

  it('the typed secret is an older one about to expire while a newer one exists: a warning the plan does not "fix"', () => {
    const d = desiredFor('flexdeploy');
    const a = clone(created(d));
    a.application!.passwordCredentials.push({ keyId: '0c0c0c0c-0000-4000-8000-000000000002', hint: 'Old', endDateTime: new Date(NOW.getTime() + 5 * DAY).toISOString() });
    const f = lint(d, a, { typedSecret: 'Old~secret.value' });
    expect(f).toEqual([expect.objectContaining({ code: 'registration-secret-expiring', fixable: false, detail: { keyId: '0c0c0c0c-0000-4000-8000-000000000002' } })]);
    expect(planRegistration(d, a, { now: NOW }).steps).toEqual([]);
  });

  it('delegated consent missing without assignment is a warning (users may consent); with assignment required an error', () => {
    const ee = desiredFor('emailengine');
    const a = clone(created(ee));
    a.delegatedGrants = [];
    expect(lint(ee, a).find((x) => x.code === 'registration-consent-missing')!.severity).toBe('warning');
    const od = desiredFor('odoo');
    const b = clone(created(od));
    b.delegatedGrants = [];
    expect(lint(od, b).find((x) => x.code === 'registration-consent-missing')!.severity).toBe('error');
  });
});

describe('Assignment required (issue 19): never turned on silently, no contradictory findings', () => {
  const OTHER = '0d0d0d0d-0000-4000-8000-0000000000a1';
  const THIRD = '0d0d0d0d-0000-4000-8000-0000000000a2';
  /** An existing Odoo registration with "Assignment required?" No, the mailbox not assigned, two people who consented themselves. */
  function existing() {
    const d = desiredFor('odoo');
    const a = clone(created(d));
    const sp = a.servicePrincipal!;
    sp.appRoleAssignmentRequired = false;
    a.assignedTo = [];
    const g = a.delegatedGrants[0]!;
    a.delegatedGrants.push({ ...g, id: 'user-grant-1', consentType: 'Principal', principalId: OTHER }, { ...g, id: 'user-grant-2', consentType: 'Principal', principalId: THIRD });
    return { d, a };
  }

  it('while Assignment required is No, the mailbox is not reported as "not assigned, and assignment is required"', () => {
    const { d, a } = existing();
    const f = lint(d, a);
    expect(codes(f)).not.toContain('registration-mailbox-not-assigned');
    const info = f.find((x) => x.code === 'registration-assignment-not-required')!;
    expect(info).toMatchObject({ severity: 'info', fixable: false, found: 'No' });
    expect(info.summary).toContain('not part of Fix everything');
    expect(info.summary).toContain('2 people the directory shows signing in to this app today are not assigned');
    expect(info.summary).toContain('organisation-wide consent');
  });

  it('"Fix everything" leaves the switch alone: no patch of appRoleAssignmentRequired; the mailbox is assigned as the guide says', () => {
    const { d, a } = existing();
    const plan = planRegistration(d, a, { now: NOW });
    expect(plan.steps.filter((s) => s.kind === 'patch-service-principal')).toEqual([]);
    expect(plan.steps.map((s) => s.kind)).toEqual(['assign-user']);
    const after = simulateApply(a, plan, NOW);
    expect(after.servicePrincipal!.appRoleAssignmentRequired).toBe(false);
  });

  it('the opt-in assigns everyone who signs in today first, then turns it on: no one is locked out', () => {
    const { d, a } = existing();
    const plan = planRegistration(d, a, { now: NOW, requireAssignment: true });
    expect(plan.steps.map((s) => s.kind)).toEqual(['assign-user', 'assign-user', 'assign-user', 'patch-service-principal']);
    expect(plan.steps.slice(0, 2).map((s) => (s.kind === 'assign-user' ? s.principalId : ''))).toEqual([OTHER, THIRD]);
    const after = simulateApply(a, plan, NOW);
    expect(after.servicePrincipal!.appRoleAssignmentRequired).toBe(true);
    const assigned = new Set(after.assignedTo.map((x) => x.principalId));
    for (const who of [OTHER, THIRD, MAILBOX_USER_ID]) expect(assigned.has(who)).toBe(true);
    expect(planRegistration(d, after, { now: NOW, requireAssignment: true }).steps).toEqual([]);
  });

  it('once assignment is really required, an unassigned mailbox is the AADSTS50105 error and Fix everything assigns it', () => {
    const { d, a } = existing();
    a.servicePrincipal!.appRoleAssignmentRequired = true;
    const f = lint(d, a);
    expect(f.find((x) => x.code === 'registration-mailbox-not-assigned')).toMatchObject({ severity: 'error', fixable: true });
    expect(codes(f)).not.toContain('registration-assignment-not-required');
  });

  it('a new registration (no one signs in to it yet) follows the guide: assignment required, the mailbox assigned', () => {
    const d = desiredFor('odoo');
    const kinds = planRegistration(d, emptyActual(), { now: NOW }).steps.map((s) => s.kind);
    expect(kinds.slice(-2)).toEqual(['assign-user', 'patch-service-principal']);
  });
});

describe('redirect matching follows Microsoft', () => {
  it('a localhost redirect that differs only in the port matches (the loopback port is ignored)', () => {
    const d = desiredFor('emailengine');
    const a = clone(created(d));
    web(a).redirectUris = ['http://localhost:8080/oauth'];
    expect(lint(d, a)).toEqual([]);
    web(a).redirectUris = ['https://localhost:3000/oauth'];
    expect(codes(lint(d, a))).toEqual(['registration-redirect-differs-scheme']);
  });

  it('a non-loopback port difference is a finding', () => {
    const d = desiredFor('frappe');
    const a = clone(created(d));
    web(a).redirectUris = [d.redirectUris.web[0]!.replace('erp.fabrikam.com', 'erp.fabrikam.com:8000')];
    expect(codes(lint(d, a))).toEqual(['registration-redirect-differs-port']);
  });
});

describe('needSecret: a connection with no Value of its own', () => {
  it.each(TARGET_IDS)('%s: a correct registration plans one more secret only when asked (and none for a public client)', (id) => {
    const d = desiredFor(id);
    const done = created(d);
    expect(planRegistration(d, done, { now: NOW }).steps).toEqual([]);
    const asked = planRegistration(d, done, { now: NOW, needSecret: true }).steps;
    if (d.credential.kind === 'secret') {
      expect(asked.map((s) => s.kind)).toEqual(['add-password']);
      expect(asked[0]!.summary).toMatch(/existing ones are kept/);
    } else expect(asked).toEqual([]);
  });

  it('an expired secret is replaced once, not twice, when needSecret is also set', () => {
    const d = desiredFor('odoo');
    const a = clone(created(d));
    expect(a.application!.passwordCredentials.length).toBeGreaterThan(0);
    for (const c of a.application!.passwordCredentials) c.endDateTime = new Date(NOW.getTime() - DAY).toISOString();
    expect(codes(lint(d, a))).toContain('registration-secret-expired');
    expect(planRegistration(d, a, { now: NOW, needSecret: true }).steps.filter((s) => s.kind === 'add-password')).toHaveLength(1);
  });
});
