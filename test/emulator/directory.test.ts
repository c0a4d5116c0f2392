import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { PERMISSIONS } from '../../shared/catalogue/permissions';
import { startEmulator, msalConfigFor, demoScenario, GRAPH_CLI_APP_ID, GRAPH_TEXTS, type Emulator, type ScenarioInput } from './index.js';
import { kit, claimsOf } from './testkit.js';

const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const CONTOSO = '7a9e3c21-5b4d-4f68-8c2e-1d0f3a6b7c92';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const EXO = '00000002-0000-0ff1-ce00-000000000000';
const ADMIN_SCOPES = 'Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All Policy.Read.All Directory.Read.All User.Read';
const IMAP_ID = '652390e4-393a-48de-9484-05f9b1212954';
const SMTP_ID = '258f6531-6087-4cc4-bb90-092c5fb3ed3f';
const OFFLINE_ID = '7427e0e9-2fba-42fe-b0c0-848c9e6a8182';
const EXO_IMAP_APP = '5e5addcd-3e8d-4e90-baf5-964efab2b20a';
const GRAPH_MAIL_SEND_APP = 'b633e1c5-b582-4048-a93e-9f11b44c7e96';

const extraUsers = [
  ['appadmin', 'Application Administrator'],
  ['cloudadmin', 'Cloud Application Administrator'],
  ['pra', 'Privileged Role Administrator'],
  ['dev', 'Application Developer'],
] as const;
const scenario: ScenarioInput = {
  ...structuredClone(demoScenario),
  settings: { ...structuredClone(demoScenario.settings), deviceCodeIntervalSeconds: 1 },
  users: [
    ...structuredClone(demoScenario.users),
    ...extraUsers.map(([n, role], i) => ({ upn: `${n}@fabrikam.com`, displayName: `Fabrikam ${n}`, password: `${n}-Pass-1`, objectId: `c0c0c0c0-000${i}-4a5b-9c6d-00000000000${i}`, tenantId: TENANT, roles: [role] })),
  ],
};

let emu: Emulator;
let k: ReturnType<typeof kit>;
const tok = (upn: string, scp = ADMIN_SCOPES) => emu.admin.issueToken({ upn, clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp });
const adminTok = () => tok('admin@fabrikam.com');

beforeAll(async () => {
  emu = await startEmulator(scenario);
  k = kit(emu);
});
afterAll(async () => {
  await emu?.stop();
});

async function createApp(body: Record<string, unknown>, token = adminTok()) {
  const r = await k.graph('POST', '/applications', token, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; appId: string } & Record<string, unknown>;
}
async function createSp(appId: string, token = adminTok()) {
  const r = await k.graph('POST', '/servicePrincipals', token, { appId });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; appId: string };
}
async function resourceSp(appId: string) {
  const r = await k.graph('GET', `/servicePrincipals(appId='${appId}')?$select=id,appId,appRoles,oauth2PermissionScopes`, adminTok());
  expect(r.status).toBe(200);
  return r.body as { id: string; appRoles: { id: string; value: string }[]; oauth2PermissionScopes: { id: string; value: string; type: string }[] };
}
const webApp = (name: string) => ({
  displayName: name,
  signInAudience: 'AzureADMyOrg',
  web: { redirectUris: ['https://erp.fabrikam.com/microsoft_outlook/confirm'] },
  requiredResourceAccess: [{ resourceAppId: GRAPH, resourceAccess: [IMAP_ID, SMTP_ID, OFFLINE_ID].map((id) => ({ id, type: 'Scope' })) }],
});

describe('resource service principals', () => {
  it('Microsoft Graph and Exchange Online exist with every permission of the catalogue, same ids', async () => {
    const g = await resourceSp(GRAPH);
    const x = await resourceSp(EXO);
    expect(Object.keys(g).sort()).toEqual(['@odata.context', 'appRoles', 'id', 'oauth2PermissionScopes', 'appId'].sort());
    for (const p of Object.values(PERMISSIONS)) {
      const sp = p.resource === 'Microsoft Graph' ? g : x;
      const list = p.type === 'delegated' ? sp.oauth2PermissionScopes : sp.appRoles;
      expect(list.find((e) => e.value === p.name)?.id, `${p.resource} ${p.name}`).toBe(p.id);
    }
    expect(g.oauth2PermissionScopes.find((s) => s.value === 'Application.ReadWrite.All')).toMatchObject({ id: 'bdfbf15f-ee85-4955-8675-146e8e5296b5', type: 'Admin' });
    const byName = await k.graph('GET', `/servicePrincipals?$filter=displayName eq 'Microsoft Graph'&$select=id,appId`, adminTok());
    expect(byName.body.value).toEqual([{ id: g.id, appId: GRAPH }]);
    // same tenant, same ids; another tenant, other object ids
    const contosoToken = emu.admin.issueToken({ upn: 'bob@contoso.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: 'Application.Read.All' });
    // The token really is for the other tenant (its tid), so the differing id is that tenant's own.
    expect(JSON.parse(Buffer.from(contosoToken.split('.')[1]!, 'base64url').toString('utf8')).tid).toBe(CONTOSO);
    const contoso = await k.graph('GET', `/servicePrincipals(appId='${GRAPH}')?$select=id`, contosoToken);
    expect(contoso.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(contoso.body.id).not.toBe(g.id);
  });
});

describe('applications', () => {
  it('create, read by id / appId alternate key / $filter, patch, delete', async () => {
    const app = await createApp({ ...webApp('Odoo mail (test)'), web: { redirectUris: ['https://erp.fabrikam.com'] } });
    expect(app.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.appId).not.toBe(app.id);
    expect((app.web as { redirectUris: string[] }).redirectUris).toEqual(['https://erp.fabrikam.com/']); // reply-url doc: trailing slash added
    const byAlt = await k.graph('GET', `/applications(appId='${app.appId}')?$select=id,appId,displayName,requiredResourceAccess,passwordCredentials`, adminTok());
    expect(byAlt.status).toBe(200);
    expect(byAlt.body).toMatchObject({ id: app.id, appId: app.appId, displayName: 'Odoo mail (test)', passwordCredentials: [] });
    expect(byAlt.body.requiredResourceAccess).toEqual([{ resourceAppId: GRAPH, resourceAccess: [IMAP_ID, SMTP_ID, OFFLINE_ID].map((id) => ({ id, type: 'Scope' })) }]);
    expect(byAlt.body).not.toHaveProperty('web');
    const byFilter = await k.graph('GET', `/applications?$filter=appId eq '${app.appId}'`, adminTok());
    expect(byFilter.body.value?.map((a) => a.id)).toEqual([app.id]);
    const byName = await k.graph('GET', `/applications?$filter=displayName eq 'Odoo mail (test)'&$select=id`, adminTok());
    expect(byName.body.value).toEqual([{ id: app.id }]);
    const patched = await k.graph('PATCH', `/applications/${app.id}`, adminTok(), { web: { redirectUris: ['https://erp.fabrikam.com/microsoft_outlook/confirm'] }, isFallbackPublicClient: true });
    expect(patched.status).toBe(204);
    const after = await k.graph('GET', `/applications/${app.id}?$select=web,isFallbackPublicClient`, adminTok());
    expect(after.body).toMatchObject({ isFallbackPublicClient: true, web: { redirectUris: ['https://erp.fabrikam.com/microsoft_outlook/confirm'] } });
    expect(emu.scenario.apps.find((a) => a.clientId === app.appId)?.webRedirectUris).toEqual(['https://erp.fabrikam.com/microsoft_outlook/confirm']);
    expect((await k.graph('DELETE', `/applications/${app.id}`, adminTok())).status).toBe(204);
    const gone = await k.graph('GET', `/applications/${app.id}`, adminTok());
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: 'Request_ResourceNotFound', message: `Resource '${app.id}' does not exist or one of its queried reference-property objects are not present.` });
  });

  it('refuses what Graph refuses, with its words, and changes nothing', async () => {
    const bad = async (body: Record<string, unknown>) => k.graph('POST', '/applications', adminTok(), body);
    const pw = await bad({ displayName: 'x', passwordCredentials: [{ displayName: 'p' }] });
    expect(pw.status).toBe(400);
    expect(pw.body.error).toMatchObject({ code: 'Request_BadRequest', message: 'New password credentials must be generated with service actions.' });
    const v = await bad({ displayName: 'x', signInAudience: 'AzureADandPersonalMicrosoftAccount' });
    expect(v.status).toBe(400);
    expect(v.body.error).toMatchObject({ code: 'InvalidAccessTokenVersion', message: 'Property api.requestedAccessTokenVersion is invalid.' });
    expect((await bad({ displayName: 'x', signInAudience: 'PersonalMicrosoftAccount', api: { requestedAccessTokenVersion: 2 } })).status).toBe(201);
    const aud = await bad({ displayName: 'x', signInAudience: 'Everyone' });
    expect(aud.body.error?.message).toBe("Invalid value specified for property 'signInAudience' of resource 'Application'.");
    const http = await bad({ displayName: 'x', web: { redirectUris: ['http://erp.fabrikam.com/cb'] } });
    expect(http.status).toBe(400);
    expect(http.body.error?.message).toBe("Invalid value specified for property 'web' of resource 'Application'.");
    expect((await bad({ displayName: 'x', web: { redirectUris: ['http://localhost:8069/cb', 'http://127.0.0.1/cb'] } })).status).toBe(201);
    const perm = await bad({ displayName: 'x', requiredResourceAccess: [{ resourceAppId: EXO, resourceAccess: [{ id: IMAP_ID, type: 'Scope' }] }] });
    expect(perm.status).toBe(400); // Graph's IMAP id under Exchange Online: the pitfall MICROSOFT-FACTS names
    // PATCH to a personal audience without v2 tokens: refused, nothing changed
    const app = await createApp(webApp('patch target'));
    const p = await k.graph('PATCH', `/applications/${app.id}`, adminTok(), { signInAudience: 'AzureADandPersonalMicrosoftAccount', web: { redirectUris: ['https://changed.example/cb'] } });
    expect(p.body.error?.code).toBe('InvalidAccessTokenVersion');
    const still = await k.graph('GET', `/applications/${app.id}?$select=signInAudience,web`, adminTok());
    expect(still.body).toMatchObject({ signInAudience: 'AzureADMyOrg', web: { redirectUris: ['https://erp.fabrikam.com/microsoft_outlook/confirm'] } });
    expect((await k.graph('PATCH', `/applications/${app.id}`, adminTok(), { signInAudience: 'AzureADandPersonalMicrosoftAccount', api: { requestedAccessTokenVersion: 2 } })).status).toBe(204);
  });

  it('addPassword returns the secret once (hint = first 3 chars, 2-year default); it signs in; removePassword revokes it', async () => {
    const app = await createApp({ displayName: 'daemon (test)', signInAudience: 'AzureADMyOrg' });
    await createSp(app.appId);
    const r = await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), { passwordCredential: { displayName: 'Mail OAuth Assistant' } });
    expect(r.status).toBe(200);
    const pc = r.body as { secretText: string; hint: string; keyId: string; endDateTime: string; startDateTime: string; displayName: string };
    expect(pc.secretText.length).toBeGreaterThanOrEqual(16);
    expect(pc.hint).toBe(pc.secretText.slice(0, 3));
    expect(pc.displayName).toBe('Mail OAuth Assistant');
    const years = (Date.parse(pc.endDateTime) - Date.parse(pc.startDateTime)) / (365 * 24 * 3600_000);
    expect(years).toBeGreaterThan(1.99);
    expect(years).toBeLessThan(2.01);
    const read = await k.graph('GET', `/applications(appId='${app.appId}')?$select=passwordCredentials`, adminTok());
    expect(read.body.passwordCredentials).toEqual([{ customKeyIdentifier: null, displayName: 'Mail OAuth Assistant', endDateTime: pc.endDateTime, hint: pc.hint, keyId: pc.keyId, secretText: null, startDateTime: pc.startDateTime }]);
    expect(JSON.stringify(read.body)).not.toContain(pc.secretText);
    const cca = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: app.appId, clientSecret: pc.secretText, tenant: TENANT }));
    const t = await cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] });
    expect(claimsOf(t!.accessToken)).toMatchObject({ appid: app.appId, idtyp: 'app' });
    const custom = await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), { passwordCredential: { displayName: 'short', endDateTime: '2027-02-28T00:00:00Z' } });
    expect(custom.body.endDateTime).toBe('2027-02-28T00:00:00Z');
    expect((await k.graph('POST', `/applications/${app.id}/removePassword`, adminTok(), { keyId: pc.keyId })).status).toBe(204);
    const cca2 = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: app.appId, clientSecret: pc.secretText, tenant: TENANT }));
    await expect(cca2.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] })).rejects.toMatchObject({ errorCode: 'invalid_client', message: expect.stringContaining('AADSTS7000215') });
  });
});

describe('service principals, grants, role assignments', () => {
  it('SP create / duplicate / unknown appId; PATCH appRoleAssignmentRequired', async () => {
    const app = await createApp(webApp('sp test'));
    const sp = await createSp(app.appId);
    expect(sp).toMatchObject({ appId: app.appId, appRoleAssignmentRequired: false, accountEnabled: true });
    const dup = await k.graph('POST', '/servicePrincipals', adminTok(), { appId: app.appId });
    expect(dup.status).toBe(409);
    expect(dup.body.error?.code).toBe('Request_MultipleObjectsWithSameKeyValue');
    const none = await k.graph('POST', '/servicePrincipals', adminTok(), { appId: '99999999-9999-4999-8999-999999999999' });
    expect(none.status).toBe(400);
    expect(none.body.error?.message).toBe("The appId '99999999-9999-4999-8999-999999999999' of the service principal does not reference a valid application object.");
    expect((await k.graph('PATCH', `/servicePrincipals/${sp.id}`, adminTok(), { appRoleAssignmentRequired: true })).status).toBe(204);
    const back = await k.graph('GET', `/servicePrincipals(appId='${app.appId}')?$select=id,appRoleAssignmentRequired`, adminTok());
    expect(back.body).toEqual({ '@odata.context': expect.any(String), id: sp.id, appRoleAssignmentRequired: true });
  });

  it('oauth2PermissionGrants: create, 409 on a duplicate, filter by clientId, patch scope, delete', async () => {
    const app = await createApp(webApp('grant test'));
    const sp = await createSp(app.appId);
    const graphSp = await resourceSp(GRAPH);
    const body = { clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'IMAP.AccessAsUser.All offline_access' };
    const g = await k.graph('POST', '/oauth2PermissionGrants', adminTok(), body);
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ clientId: sp.id, consentType: 'AllPrincipals', principalId: null, resourceId: graphSp.id, scope: 'IMAP.AccessAsUser.All offline_access' });
    const dup = await k.graph('POST', '/oauth2PermissionGrants', adminTok(), body);
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'Request_MultipleObjectsWithSameKeyValue', message: 'Permission entry already exists.' });
    const list = await k.graph('GET', `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`, adminTok());
    expect(list.body.value?.map((x) => x.id)).toEqual([g.body.id]);
    expect((await k.graph('PATCH', `/oauth2PermissionGrants/${String(g.body.id)}`, adminTok(), { scope: 'IMAP.AccessAsUser.All SMTP.Send offline_access' })).status).toBe(204);
    expect((await k.graph('GET', `/oauth2PermissionGrants/${String(g.body.id)}`, adminTok())).body.scope).toBe('IMAP.AccessAsUser.All SMTP.Send offline_access');
    const wrong = await k.graph('POST', '/oauth2PermissionGrants', adminTok(), { ...body, consentType: 'Principal', principalId: emu.scenario.users[0]!.objectId, scope: 'IMAP.AccessAsUser.All Bogus.Scope' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.message).toBe(`Claim is invalid: Bogus.Scope does not exist on resource application ${GRAPH}`);
    expect((await k.graph('DELETE', `/oauth2PermissionGrants/${String(g.body.id)}`, adminTok())).status).toBe(204);
    expect((await k.graph('GET', `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`, adminTok())).body.value).toEqual([]);
  });

  it('roles: Application Administrator grants delegated consent and Exchange app roles, not Microsoft Graph app roles', async () => {
    const app = await createApp({ displayName: 'roles test' });
    const sp = await createSp(app.appId);
    const exo = await resourceSp(EXO);
    const graphSp = await resourceSp(GRAPH);
    for (const who of ['appadmin@fabrikam.com', 'cloudadmin@fabrikam.com']) {
      const g = await k.graph('POST', '/oauth2PermissionGrants', tok(who), { clientId: sp.id, consentType: 'Principal', principalId: emu.scenario.users[0]!.objectId, resourceId: graphSp.id, scope: `User.Read${who.startsWith('cloud') ? ' offline_access' : ''}` });
      if (who.startsWith('app')) expect(g.status).toBe(201);
      else expect(g.status).toBe(409); // same (client, resource, Principal, user): the first one exists
    }
    const exoRole = await k.graph('POST', `/servicePrincipals/${exo.id}/appRoleAssignedTo`, tok('appadmin@fabrikam.com'), { principalId: sp.id, resourceId: exo.id, appRoleId: EXO_IMAP_APP });
    expect(exoRole.status).toBe(201);
    expect(exoRole.body).toMatchObject({ appRoleId: EXO_IMAP_APP, principalId: sp.id, principalType: 'ServicePrincipal', resourceId: exo.id, resourceDisplayName: 'Office 365 Exchange Online' });
    const graphRole = { principalId: sp.id, resourceId: graphSp.id, appRoleId: GRAPH_MAIL_SEND_APP };
    for (const who of ['appadmin@fabrikam.com', 'cloudadmin@fabrikam.com', 'dev@fabrikam.com', 'reception@fabrikam.com']) {
      const r = await k.graph('POST', `/servicePrincipals/${graphSp.id}/appRoleAssignedTo`, tok(who), graphRole);
      expect(r.status, who).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    }
    const byPra = await k.graph('POST', `/servicePrincipals/${graphSp.id}/appRoleAssignedTo`, tok('pra@fabrikam.com'), graphRole);
    expect(byPra.status).toBe(201);
    const dup = await k.graph('POST', `/servicePrincipals/${graphSp.id}/appRoleAssignedTo`, tok('pra@fabrikam.com'), graphRole);
    expect(dup.body.error?.message).toBe('Permission being assigned already exists on the object');
    const bogus = await k.graph('POST', `/servicePrincipals/${exo.id}/appRoleAssignedTo`, adminTok(), { principalId: sp.id, resourceId: exo.id, appRoleId: IMAP_ID });
    expect(bogus.body.error?.message).toBe(`Permission being assigned was not found on application '${EXO}'.`);
    const mine = await k.graph('GET', `/servicePrincipals/${sp.id}/appRoleAssignments`, adminTok());
    expect(mine.body.value?.map((a) => a.appRoleId).sort()).toEqual([EXO_IMAP_APP, GRAPH_MAIL_SEND_APP].sort());
    // app-only token roles = these assignments
    const secret = (await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), {})).body.secretText as string;
    const cca = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: app.appId, clientSecret: secret, tenant: TENANT }));
    expect(claimsOf((await cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] }))!.accessToken).roles).toEqual(['IMAP.AccessAsApp']);
    expect(claimsOf((await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }))!.accessToken).roles).toEqual(['Mail.Send']);
    // removing the assignment removes the role
    const del = await k.graph('DELETE', `/servicePrincipals/${exo.id}/appRoleAssignedTo/${String(exoRole.body.id)}`, adminTok());
    expect(del.status).toBe(204);
    expect(claimsOf((await cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'], skipCache: true }))!.accessToken).roles).toBeUndefined();
  });

  it('a token without the scope is refused; users may register apps unless the tenant says no', async () => {
    const noScope = await k.graph('POST', '/applications', tok('admin@fabrikam.com', 'User.Read Application.Read.All'), { displayName: 'x' });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error?.code).toBe('Authorization_RequestDenied');
    const plain = await k.graph('POST', '/applications', tok('reception@fabrikam.com'), { displayName: 'user app' });
    expect(plain.status).toBe(201);
    // the creator owns it and may add a secret; another plain user may not
    expect((await k.graph('POST', `/applications/${String(plain.body.id)}/addPassword`, tok('reception@fabrikam.com'), {})).status).toBe(200);
    expect((await k.graph('POST', `/applications/${String(plain.body.id)}/addPassword`, tok('sales@fabrikam.com'), {})).status).toBe(403);
    await emu.admin.setFault('usersCannotRegisterApps', true);
    try {
      const refused = await k.graph('POST', '/applications', tok('reception@fabrikam.com'), { displayName: 'user app 2' });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'Authorization_RequestDenied', message: GRAPH_TEXTS.usersMayNotRegister });
      expect((await k.graph('POST', '/applications', tok('dev@fabrikam.com'), { displayName: 'dev app' })).status).toBe(201);
      // Application Developer may create but not consent
      const devApp = await createApp({ displayName: 'dev app 2' }, tok('dev@fabrikam.com'));
      const devSp = await createSp(devApp.appId, tok('dev@fabrikam.com')); // owner may create its SP
      const graphSp = await resourceSp(GRAPH);
      const dev = await k.graph('POST', '/oauth2PermissionGrants', tok('dev@fabrikam.com'), { clientId: devSp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'User.Read' });
      expect(dev.status).toBe(403);
      expect(dev.body.error?.code).toBe('Authorization_RequestDenied');
    } finally {
      await emu.admin.setFault('usersCannotRegisterApps', false);
    }
  });
});

describe('tenant policy, organization, users, errors', () => {
  it('defaultAppManagementPolicy: readable by admins; blocks secrets or caps their lifetime', async () => {
    const open = await k.graph('GET', '/policies/defaultAppManagementPolicy', adminTok());
    expect(open.body).toMatchObject({ id: '00000000-0000-0000-0000-000000000000', displayName: 'Default app management tenant policy', isEnabled: false, applicationRestrictions: { passwordCredentials: [] } });
    expect((await k.graph('GET', '/policies/defaultAppManagementPolicy', tok('reception@fabrikam.com'))).status).toBe(403);
    const app = await createApp({ displayName: 'policy test' });
    await emu.admin.setFault('appPolicy', { maxPasswordLifetime: 'P90D' });
    try {
      const pol = await k.graph('GET', '/policies/defaultAppManagementPolicy', adminTok());
      expect(pol.body).toMatchObject({ isEnabled: true, applicationRestrictions: { passwordCredentials: [{ restrictionType: 'passwordLifetime', maxLifetime: 'P90D' }] } });
      const long = await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), {});
      expect(long.status).toBe(400);
      expect(long.body.error).toMatchObject({ code: 'CredentialInvalidLifetimeAsPerAppPolicy', message: 'Credential lifetime exceeds the max value allowed as per assigned policy 00000000-0000-0000-0000-000000000000.' });
      const short = await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), { passwordCredential: { endDateTime: new Date(Date.now() + 80 * 86400_000).toISOString() } });
      expect(short.status).toBe(200);
      await emu.admin.setFault('appPolicy', { passwordAdditionBlocked: true });
      const blocked = await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), {});
      expect(blocked.body.error?.code).toBe('CredentialTypeNotAllowedAsPerAppPolicy');
      await emu.admin.setFault('appPolicy', { allowedSignInAudiences: ['AzureADMyOrg'] });
      const multi = await k.graph('POST', '/applications', adminTok(), { displayName: 'multi', signInAudience: 'AzureADMultipleOrgs' });
      expect(multi.body.error?.code).toBe('SignInAudienceNotAllowedAsPerAppPolicy');
    } finally {
      await emu.admin.setFault('appPolicy', null);
    }
  });

  it('organization and users lookup; errors carry request-id / client-request-id / date', async () => {
    const org = await k.graph('GET', '/organization', adminTok());
    expect(org.body.value?.[0]).toMatchObject({ id: TENANT, displayName: 'Fabrikam' });
    const u = await k.graph('GET', '/users/reception@fabrikam.com?$select=id,userPrincipalName,mail', adminTok());
    expect(u.body).toMatchObject({ id: 'a1b2c3d4-0001-4a5b-9c6d-000000000001', userPrincipalName: 'reception@fabrikam.com', mail: 'reception@fabrikam.com' });
    // User.Read reads the signed-in user only; another user needs User.ReadBasic.All or Directory.Read.All
    expect((await k.graph('GET', '/users/reception@fabrikam.com', tok('admin@fabrikam.com', 'User.Read'))).status).toBe(403);
    expect((await k.graph('GET', '/users/admin@fabrikam.com', tok('admin@fabrikam.com', 'User.Read'))).status).toBe(200);
    expect((await k.graph('GET', '/users/reception@fabrikam.com', tok('admin@fabrikam.com', 'User.ReadBasic.All'))).status).toBe(200);
    const byId = await k.graph('GET', '/users/a1b2c3d4-0001-4a5b-9c6d-000000000001', adminTok());
    expect(byId.body.userPrincipalName).toBe('reception@fabrikam.com');
    const e = await k.graph('GET', '/applications/00000000-1111-4111-8111-000000000000', adminTok(), undefined, { 'client-request-id': 'my-correlation-1' });
    expect(e.status).toBe(404);
    expect(e.headers['client-request-id']).toBe('my-correlation-1');
    expect(e.headers['request-id']).toBe(e.body.error?.innerError?.['request-id']);
    expect(e.body.error?.innerError).toMatchObject({ 'client-request-id': 'my-correlation-1', date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) });
    expect(e.headers.date).toBeTruthy();
    const unsupported = await k.graph('GET', `/applications?$filter=startswith(displayName,'x')`, adminTok());
    expect(unsupported.body.error?.code).toBe('Request_UnsupportedQuery');
  });

  it('throttling: 429 with Retry-After for `count` requests, then normal answers', async () => {
    await emu.admin.setFault('graphThrottle', { retryAfterSeconds: 7, count: 2 });
    const a = await k.graph('GET', '/organization', adminTok());
    const b = await k.graph('GET', '/organization', adminTok());
    const c = await k.graph('GET', '/organization', adminTok());
    expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
    expect(a.headers['retry-after']).toBe('7');
    expect(a.body.error?.code).toBe('TooManyRequests');
    await emu.admin.setFault('graphThrottle', null);
  });

  it('replication lag: fresh objects are invisible, then appear', async () => {
    await emu.admin.setFault('replicationLagSeconds', 1.5);
    try {
      // On the emulator's clock (the engine's Clock port in tests): waiting moves it forward, no real sleeping.
      const clock = emu.clock;
      const t0 = clock.nowMs();
      const app = await createApp(webApp('lag test'));
      const get = await k.graph('GET', `/applications(appId='${app.appId}')`, adminTok());
      expect(get.status).toBe(404);
      expect(get.body.error?.message).toBe(`Resource '${app.appId}' does not exist or one of its queried reference-property objects are not present.`);
      expect((await k.graph('GET', `/applications?$filter=appId eq '${app.appId}'`, adminTok())).body.value).toEqual([]);
      const sp0 = await k.graph('POST', '/servicePrincipals', adminTok(), { appId: app.appId });
      expect(sp0.status).toBe(400);
      expect(sp0.body.error?.message).toContain('does not reference a valid application object');
      const waitVisible = async (fn: () => Promise<boolean>) => {
        for (let i = 0; i < 40; i++) {
          if (await fn()) return clock.nowMs() - t0;
          await clock.sleep(100);
        }
        throw new Error('never visible');
      };
      expect(await waitVisible(async () => (await k.graph('GET', `/applications(appId='${app.appId}')`, adminTok())).status === 200)).toBeGreaterThanOrEqual(1400);
      const t1 = clock.nowMs();
      const sp = await createSp(app.appId);
      const graphSp = await resourceSp(GRAPH);
      const g0 = await k.graph('POST', '/oauth2PermissionGrants', adminTok(), { clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'User.Read' });
      expect(g0.status).toBe(400);
      expect(g0.body.error).toMatchObject({ code: 'Request_BadRequest', message: 'Not a valid reference update.' });
      const exo = await resourceSp(EXO);
      const a0 = await k.graph('POST', `/servicePrincipals/${exo.id}/appRoleAssignedTo`, adminTok(), { principalId: sp.id, resourceId: exo.id, appRoleId: EXO_IMAP_APP });
      expect(a0.body.error?.message).toBe('Not a valid reference update.');
      await waitVisible(async () => (await k.graph('POST', '/oauth2PermissionGrants', adminTok(), { clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'User.Read' })).status === 201);
      expect(clock.nowMs() - t1).toBeGreaterThanOrEqual(1400);
    } finally {
      await emu.admin.setFault('replicationLagSeconds', 0);
    }
  });
});

describe('what Graph creates is a real registration', () => {
  it('web app: created, consented, mailbox user signs in with msal-node; IMAP and SMTP accept the token', async () => {
    const app = await createApp(webApp('Odoo (created by Graph)'));
    const sp = await createSp(app.appId);
    const graphSp = await resourceSp(GRAPH);
    expect((await k.graph('POST', '/oauth2PermissionGrants', adminTok(), { clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'IMAP.AccessAsUser.All SMTP.Send offline_access' })).status).toBe(201);
    const secret = (await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), {})).body.secretText as string;
    const cca = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: app.appId, clientSecret: secret, tenant: TENANT }));
    const pkce = await new CryptoProvider().generatePkceCodes();
    const scopes = ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access'];
    const redirectUri = 'https://erp.fabrikam.com/microsoft_outlook/confirm';
    const url = await cca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', loginHint: 'reception@fabrikam.com' });
    const s = await k.signIn(url, 'reception@fabrikam.com', 'Reception-Pass-1');
    expect(s.page).toBe(''); // no consent page: the AllPrincipals grant covers it
    const code = s.redirect?.searchParams.get('code');
    expect(code).toBeTruthy();
    const t = await cca.acquireTokenByCode({ code: code!, redirectUri, scopes, codeVerifier: pkce.verifier });
    expect(claimsOf(t.accessToken)).toMatchObject({ aud: 'https://outlook.office.com', scp: 'IMAP.AccessAsUser.All SMTP.Send', upn: 'reception@fabrikam.com', appid: app.appId });
    expect(await k.imapLogin('reception@fabrikam.com', t.accessToken)).toBe(true);
    const info = await k.mailer('reception@fabrikam.com', t.accessToken).sendMail({ from: 'reception@fabrikam.com', to: 'reception@fabrikam.com', subject: 'created by graph', text: 'ok' });
    expect(info.response).toMatch(/^250 /);
    // assignment required: unassigned user gets AADSTS50105, assigned user signs in
    expect((await k.graph('PATCH', `/servicePrincipals/${sp.id}`, adminTok(), { appRoleAssignmentRequired: true })).status).toBe(204);
    const url2 = await cca.getAuthCodeUrl({ scopes, redirectUri, prompt: 'login' });
    const refused = await k.signIn(url2, 'reception@fabrikam.com', 'Reception-Pass-1');
    expect(refused.redirect).toBeNull();
    expect(refused.page).toContain('AADSTS50105');
    expect(refused.page.replace(/&#39;/g, "'")).toContain(`The signed in user 'reception@fabrikam.com' is not assigned to a role for the application '${app.appId}'(Odoo (created by Graph)).`);
    const user = await k.graph('GET', '/users/reception@fabrikam.com?$select=id', adminTok());
    const asg = await k.graph('POST', `/servicePrincipals/${sp.id}/appRoleAssignedTo`, adminTok(), { principalId: user.body.id, resourceId: sp.id, appRoleId: '00000000-0000-0000-0000-000000000000' });
    expect(asg.status).toBe(201);
    expect(asg.body).toMatchObject({ principalType: 'User', principalDisplayName: 'Fabrikam Reception' });
    const ok = await k.signIn(await cca.getAuthCodeUrl({ scopes, redirectUri, prompt: 'login' }), 'reception@fabrikam.com', 'Reception-Pass-1');
    expect(ok.redirect?.searchParams.get('code')).toBeTruthy();
  });

  it('without a grant the user meets the consent page; the consent shows up as a Principal grant in Graph', async () => {
    const app = await createApp(webApp('needs consent'));
    const sp = await createSp(app.appId);
    const secret = (await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), {})).body.secretText as string;
    const cca = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: app.appId, clientSecret: secret, tenant: TENANT }));
    const url = await cca.getAuthCodeUrl({ scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All'], redirectUri: 'https://erp.fabrikam.com/microsoft_outlook/confirm' });
    const s = await k.signIn(url, 'sales@fabrikam.com', 'Sales-Pass-1');
    expect(s.redirect?.searchParams.get('code')).toBeTruthy();
    const grants = await k.graph('GET', `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`, adminTok());
    // msal-node adds openid profile offline_access: offline_access is a Microsoft Graph permission, IMAP one of Exchange Online's
    const exo = await resourceSp(EXO);
    const graphSp = await resourceSp(GRAPH);
    const byResource = Object.fromEntries((grants.body.value ?? []).map((g) => [g.resourceId, g]));
    expect(byResource[exo.id]).toMatchObject({ consentType: 'Principal', principalId: 'a1b2c3d4-0003-4a5b-9c6d-000000000003', scope: 'IMAP.AccessAsUser.All' });
    expect(byResource[graphSp.id]).toMatchObject({ consentType: 'Principal', principalId: 'a1b2c3d4-0003-4a5b-9c6d-000000000003', scope: 'offline_access' });
    expect(grants.body.value).toHaveLength(2);
  });

  it('app-only: before the Exchange step IMAP refuses the valid token, after it IMAP and SMTP accept it', async () => {
    const app = await createApp({ displayName: 'Helpdesk IMAP (app-only)', signInAudience: 'AzureADMyOrg', requiredResourceAccess: [{ resourceAppId: EXO, resourceAccess: [{ id: EXO_IMAP_APP, type: 'Role' }, { id: '7146a1f0-8703-45b3-9eae-527a64c00995', type: 'Role' }] }] });
    const sp = await createSp(app.appId);
    const exo = await resourceSp(EXO);
    for (const role of [EXO_IMAP_APP, '7146a1f0-8703-45b3-9eae-527a64c00995'])
      expect((await k.graph('POST', `/servicePrincipals/${exo.id}/appRoleAssignedTo`, adminTok(), { principalId: sp.id, resourceId: exo.id, appRoleId: role })).status).toBe(201);
    const secret = (await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), {})).body.secretText as string;
    const cca = new ConfidentialClientApplication(msalConfigFor(emu, { clientId: app.appId, clientSecret: secret, tenant: TENANT }));
    const token = (await cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] }))!.accessToken;
    expect(claimsOf(token).roles).toEqual(['IMAP.AccessAsApp', 'SMTP.SendAsApp']);
    expect(await k.imapLogin('info@fabrikam.com', token)).toBe(false);
    expect(emu.admin.imapDecisions.at(-1)?.reason).toBe('service principal not registered in Exchange (New-ServicePrincipal)');
    // the app registration's object id instead of the enterprise app's: recorded, still refused
    expect(emu.admin.exchangeRegisterServicePrincipal({ appId: app.appId, objectId: app.id, mailbox: 'info@fabrikam.com' })).toEqual({ registered: true, objectIdMatches: false });
    expect(await k.imapLogin('info@fabrikam.com', token)).toBe(false);
    expect(emu.admin.exchangeRegisterServicePrincipal({ appId: app.appId, objectId: sp.id, mailbox: 'info@fabrikam.com', access: ['FullAccess', 'SendAs'] })).toEqual({ registered: true, objectIdMatches: true });
    expect(await k.imapLogin('info@fabrikam.com', token)).toBe(true);
    const info = await k.mailer('info@fabrikam.com', token).sendMail({ from: 'info@fabrikam.com', to: 'reception@fabrikam.com', subject: 'app-only', text: 'ok' });
    expect(info.response).toMatch(/^250 /);
  });

  it('sign-in replication lag (opt-in fault): a fresh app is AADSTS700016 at the token endpoint, then signs in', async () => {
    await emu.admin.setFault('signInReplicationLagSeconds', 1);
    try {
      const app = await createApp({ displayName: 'fresh daemon' });
      await createSp(app.appId);
      const secret = (await k.graph('POST', `/applications/${app.id}/addPassword`, adminTok(), {})).body.secretText as string;
      const form = { client_id: app.appId, client_secret: secret, grant_type: 'client_credentials', scope: 'https://outlook.office365.com/.default' };
      const early = await k.http('POST', `${emu.loginUrl}/${TENANT}/oauth2/v2.0/token`, form);
      expect(early.status).toBe(400);
      expect(JSON.parse(early.text)).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
      emu.clock.advance(1100);
      expect((await k.http('POST', `${emu.loginUrl}/${TENANT}/oauth2/v2.0/token`, form)).status).toBe(200);
    } finally {
      await emu.admin.setFault('signInReplicationLagSeconds', 0);
    }
  });

  it('scenario-declared consent is visible in Graph (the demo daemon\'s app roles, the web app\'s grant)', async () => {
    const daemonSp = await k.graph('GET', `/servicePrincipals(appId='11111111-2222-4333-8444-000000000003')?$select=id`, adminTok());
    const roles = await k.graph('GET', `/servicePrincipals/${String(daemonSp.body.id)}/appRoleAssignments`, adminTok());
    expect(roles.body.value?.length).toBe(4);
    const desktopSp = await k.graph('GET', `/servicePrincipals(appId='11111111-2222-4333-8444-000000000002')?$select=id`, adminTok());
    const grants = await k.graph('GET', `/oauth2PermissionGrants?$filter=clientId eq '${String(desktopSp.body.id)}'`, adminTok());
    expect(grants.body.value?.[0]).toMatchObject({ consentType: 'AllPrincipals' });
  });
});

describe('the administrator signs in with Microsoft Graph Command Line Tools', () => {
  it('auth code + PKCE on http://localhost (any port): consent page, then a Graph token with the requested scopes', async () => {
    const pca = new PublicClientApplication(msalConfigFor(emu, { clientId: GRAPH_CLI_APP_ID, tenant: TENANT }));
    const scopes = ['https://graph.microsoft.com/Application.ReadWrite.All', 'https://graph.microsoft.com/DelegatedPermissionGrant.ReadWrite.All', 'https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All'];
    const pkce = await new CryptoProvider().generatePkceCodes();
    const redirectUri = 'http://localhost:51234';
    const url = await pca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    const s = await k.signIn(url, 'appadmin@fabrikam.com', 'appadmin-Pass-1', { consent: true });
    const code = s.redirect?.searchParams.get('code');
    expect(code, s.page).toBeTruthy();
    const t = await pca.acquireTokenByCode({ code: code!, redirectUri, scopes, codeVerifier: pkce.verifier });
    expect(claimsOf(t.accessToken)).toMatchObject({ aud: 'https://graph.microsoft.com', appid: GRAPH_CLI_APP_ID, scp: 'Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All', wids: ['9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3'] });
    const created = await k.graph('POST', '/applications', t.accessToken, { displayName: 'made with the admin token' });
    expect(created.status).toBe(201);
  });

  it('device code (the fallback): msal-node polls, the admin enters the code and signs in', async () => {
    const pca = new PublicClientApplication(msalConfigFor(emu, { clientId: GRAPH_CLI_APP_ID, tenant: TENANT }));
    let page = '';
    const result = await pca.acquireTokenByDeviceCode({
      scopes: ['https://graph.microsoft.com/Application.Read.All'],
      deviceCodeCallback: (r) => {
        void k.deviceLogin(r.userCode, 'cloudadmin@fabrikam.com', 'cloudadmin-Pass-1', { consent: true }).then((p) => (page = p));
      },
    });
    expect(page).toContain('id="deviceDone"');
    expect(claimsOf(result!.accessToken)).toMatchObject({ appid: GRAPH_CLI_APP_ID, scp: 'Application.Read.All', upn: 'cloudadmin@fabrikam.com' });
    expect((await k.graph('GET', `/applications?$top=1`, result!.accessToken)).status).toBe(200);
  });

  it('a user without an admin role cannot consent to admin scopes (AADSTS90094)', async () => {
    const pca = new PublicClientApplication(msalConfigFor(emu, { clientId: GRAPH_CLI_APP_ID, tenant: TENANT }));
    const url = await pca.getAuthCodeUrl({ scopes: ['https://graph.microsoft.com/Application.ReadWrite.All'], redirectUri: 'http://localhost:40000' });
    const s = await k.signIn(url, 'dev@fabrikam.com', 'dev-Pass-1');
    expect(s.redirect?.searchParams.get('error')).toBe('access_denied');
    expect(s.redirect?.searchParams.get('error_description')).toContain('AADSTS90094');
  });
});
