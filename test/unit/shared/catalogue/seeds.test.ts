/**
 * For each seed guide (/work/shared/seeds): the checklist reproduces every step of the guide, in the
 * guide's order, with the computed values; and the paste card export holds every field the guide
 * asks the user to paste, labelled as the target labels it, with its value.
 */
import { describe, expect, it } from 'vitest';
import { checklist, type Step } from '../../../../shared/catalogue';
import { exportProfile } from '../../../../electron/engine/export';
import { CLIENT_ID, MAILBOX, NOW, PROFILES, SECRET_ID, TENANT } from './fixtures';

const PH = '<paste the client secret Value here>';
const MULTI_PERSONAL = 'Accounts in any organizational directory (Any Microsoft Entra directory - Multitenant) and personal Microsoft accounts (such as Skype and Xbox)';

/** [what the guide says, step id, strings the step must contain]. In guide order, unless `anywhere`. */
type GuideStep = [guide: string, stepId: string, mustContain: string[], anywhere?: 'anywhere'];

const text = (s: Step): string => [s.title, s.body, ...s.copy.map((c) => `${c.label}: ${c.value}`)].join('\n');

function holdGuide(targetId: string, guide: GuideStep[], profile = PROFILES[targetId]!): void {
  const steps = checklist(targetId, profile);
  let last = -1;
  for (const [said, id, must, anywhere] of guide) {
    const index = steps.findIndex((s) => s.id === id);
    expect(index, `guide: "${said}" -> step ${id} missing`).toBeGreaterThanOrEqual(0);
    for (const m of must) expect(text(steps[index]!), `guide: "${said}" -> step ${id} lacks "${m}"`).toContain(m);
    if (!anywhere) {
      expect(index, `guide: "${said}" -> step ${id} out of the guide's order`).toBeGreaterThanOrEqual(last);
      last = index;
    }
  }
}

/** [field label on the target's screen, expected value]: each must be a line of the paste card. */
function holdFields(targetId: string, fields: [string, string][], profile = PROFILES[targetId]!): void {
  const card = exportProfile(profile, 'paste-card', { includeSecret: false, now: NOW }).content;
  for (const [label, value] of fields) {
    const re = new RegExp(`^  ${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*: ${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`, 'm');
    expect(card, `field "${label}" = "${value}"`).toMatch(re);
  }
}

describe('seed 000: Flectra', () => {
  const redirect = 'https://erp.fabrikam.com/microsoft_outlook/confirm';
  it('checklist reproduces the guide', () =>
    holdGuide('flectra', [
      ['Add > App registration; Name Flectra; Supported account types multitenant + personal', 'register', ['New registration', '**Name**', `**${MULTI_PERSONAL}**`]],
      ['Redirect URL: Web, https://<flectra base url>/microsoft_outlook/confirm; Register', 'register', ['**Web**', redirect, '**Register**']],
      ['API permissions > Add a Permission > Microsoft Graph > Delegated Permissions', 'permissions', ['**API permissions > Add a permission**', '**Microsoft Graph > Delegated permissions**', '**Add permissions**']],
      ['SMTP.Send, IMAP.AccessAsUser.All; User.Read added by default', 'permissions', ['**SMTP.Send**', '**IMAP.AccessAsUser.All**', '**User.Read** is already listed by default']],
      ['Managed Application in Local Directory > Users and Groups > Add User/Group > None Selected > Select > Assign', 'assign-users', ['**Managed application in local directory**', '**Users and groups > Add user/group**', '**None Selected**', '**Select**', '**Assign**']],
      ['Client ID from the Overview page', 'copy-ids', ['**Overview**', '**Application (client) ID**', CLIENT_ID]],
      ['Certificates & Secrets > New Client Secret; Description "Flectra Fetchmail"; expiration', 'client-secret', ['**Certificates & secrets > Client secrets > New client secret**', '**Description**', 'Flectra Fetchmail', '**Expires**', '**Add**']],
      ['copy the Value; the Secret ID is not needed; note the expiration', 'client-secret', ['Copy the **Value** now', '**Secret ID** (a GUID) is not the secret and is not needed', 'expiry']],
      ['Apps: remove the Apps filter, search Outlook, install Microsoft Outlook', 'install-module', ['**Apps**', 'Outlook', '**Microsoft Outlook**']],
      ['Settings > General Settings > Discuss > Custom Email Servers > Outlook Credentials; Save', 'outlook-credentials', ['**Settings > General Settings**', '**Discuss**', '**Custom Email Servers**', '**Outlook Credentials**', '**Save**']],
      ['paste Client ID and Client Secret into the fields', 'outlook-credentials', [`ID: ${CLIENT_ID}`, `Secret: ${PH}`]],
      ['Outgoing Email Servers: new server, Outlook box, Name, Username, From Filter', 'outgoing-server', ['**Outgoing Email Servers**', '**Outlook Authentication**', '**Name**', `**Username** \`${MAILBOX}\``, '**From Filter**']],
      ['Connect your Outlook account; Yes; Outlook Token Valid; Test Connection', 'outgoing-server', ['**Connect your Outlook account**', '**Yes**', '**Outlook Token Valid**', '**Test Connection**']],
      ['Multiple users: from-filter per user, fallback transactional server, mail.default.from', 'several-users', ['**FROM Filtering**', 'fallback general transactional server', '**mail.default.from**', `Value: ${MAILBOX}`]],
      ['System Parameters: Settings > Technical > Parameters > System Parameters (debug mode)', 'several-users', ['**Settings > Technical > Parameters > System Parameters**', 'Developer Mode']],
      ['Incoming Mail Servers: Outlook Oauth Authentication, username, Connect, Test and Confirm', 'incoming-server', ['**Incoming Mail Servers**', '**Outlook Oauth Authentication**', `\`${MAILBOX}\``, '**Connect your Outlook account**', '**Outlook Token Valid**', '**Test & Confirm**']],
    ]));

  it('export holds every field the guide asks to paste', () =>
    holdFields('flectra', [
      ['ID', CLIENT_ID],
      ['Secret', PH],
      ['Name', `${MAILBOX} (Outlook)`],
      ['Outlook Authentication', 'ticked'],
      ['Username', MAILBOX],
      ['FROM Filtering', MAILBOX],
      ['Key', 'mail.default.from'],
      ['Server Type', 'IMAP Server'],
    ]));
});

describe('seed 001: FlexDeploy', () => {
  it('checklist reproduces the guide (6.x path as in the guide)', () =>
    holdGuide('flexdeploy', [
      ['redirect: your FlexDeploy server with /flexdeploy/facesrest/v2/oauth', 'register', ['https://flexdeploy.fabrikam.com/flexdeploy/facesrest/v2/oauth', '**Web**']],
      ['Request Permissions', 'permissions', ['**IMAP.AccessAsUser.All**', '**SMTP.Send**', '**offline_access**', '**User.Read**']],
      ['Server Base Url in General Settings matches the redirect, without the path', 'server-base-url', ['**General Settings**', '**Server Base URL**', 'https://flexdeploy.fabrikam.com', 'must NOT include']],
      ['Microsoft OAuth auth type in Email Settings', 'email-settings', ['**Email Settings**', '**Microsoft OAuth**']],
      ['1. SMTP Host Name - smtp.outlook.com', 'email-settings', ['**SMTP Host Name**: `smtp.outlook.com`']],
      ['2. SMTP/IMAP Username', 'email-settings', [`**SMTP/IMAP Username**: \`${MAILBOX}\``]],
      ['3. Client Id  4. Client Secret  5. Tenant Id', 'email-settings', [`**Client Id**: \`${CLIENT_ID}\``, '**Client Secret**', `**Tenant Id**: \`${TENANT}\``]],
      ['log in as the user first (SSO); select the same user', 'authorize', ['sign out of Microsoft', 'SSO', `sign in as \`${MAILBOX}\``]],
      ['click Authorize or Re-Authorize', 'authorize', ['**Authorize**', '**Re-Authorize**']],
      ['Bad User is Authenticated But Not Connected: reauthorize as the correct user; sign out first', 'authorize', ['**Bad User is Authenticated But Not Connected**', 're-authorize as the mailbox user']],
      ['Test Email Configuration: sends to the logged-in user, reads the Approval Reply Address inbox', 'test-email', ['**Test Email Configuration**', '**Save**', '**Approval Reply Address**']],
    ]));

  it('uses the 7.0+ path by default and 5.6 path when asked', () => {
    expect(text(checklist('flexdeploy', { ...PROFILES.flexdeploy!, targetInputs: { baseUrl: 'https://fd.fabrikam.com' } })[0]!)).toContain('https://fd.fabrikam.com/flexdeploy/rest/v2/oauth');
    expect(text(checklist('flexdeploy', { ...PROFILES.flexdeploy!, targetInputs: { baseUrl: 'https://fd.fabrikam.com', version: '5.6' } })[0]!)).toContain('/flexdeploy/faces/oauth');
  });

  it('export holds every field the guide asks to paste', () =>
    holdFields('flexdeploy', [
      ['Server Base URL', 'https://flexdeploy.fabrikam.com'],
      ['SMTP Host Name', 'smtp.outlook.com'],
      ['SMTP/IMAP Username', MAILBOX],
      ['Client Id', CLIENT_ID],
      ['Client Secret', PH],
      ['Tenant Id', TENANT],
    ]));
});

describe('seed 002: EmailEngine', () => {
  const redirect = 'http://localhost:3000/oauth';
  it('checklist reproduces the guide (IMAP and SMTP)', () =>
    holdGuide('emailengine', [
      ['App Registrations > New registration: name, account types, redirect app URI + /oauth, Web', 'register', ['App registrations > New registration**', '**Name**', '**Supported account types**', redirect, '**Web**']],
      ['copy the Application ID', 'copy-ids', ['**Application (client) ID**', CLIENT_ID]],
      ['API permissions > Add a permission > Microsoft Graph > delegated', 'permissions', ['Add a permission**', '**Microsoft Graph > Delegated permissions**']],
      ['IMAP.AccessAsUser.All, SMTP.Send, offline_access', 'permissions', ['**IMAP.AccessAsUser.All**', '**SMTP.Send**', '**offline_access**']],
      ['Certificates & secrets > New client secret, name + expiry; copy the Value', 'client-secret', ['**Certificates & secrets > Client secrets > New client secret**', '**Expires**', 'Copy the **Value** now', '**Client Secret**']],
      ['Configuration > OAuth2 > new Outlook application', 'emailengine-app', ['**Configuration > OAuth2**', '**Outlook**']],
      ['Application Id and Client secret; Redirect URL exactly the same', 'emailengine-app', ['**Application (client) ID**', '**Client Secret**', `**Redirect URL**: \`${redirect}\``, 'byte for byte']],
      ['Account types: consumers / organizations / common / Directory ID', 'emailengine-app', ['**Supported account types**', `**Directory (tenant) ID** \`${TENANT}\``]],
      ['mark Enable this app', 'emailengine-app', ['**Enable this app**']],
      ['Base scope: IMAP and SMTP', 'emailengine-app', ['**Base scopes**: **IMAP and SMTP**']],
      ['Add account > Sign in with Microsoft > connected', 'emailengine-account', ['**Add account**', '**Sign in with Microsoft**', '**connected**']],
      ['admin.microsoft.com: enable IMAP and SMTP', 'mail-protocols', ['**Microsoft 365 admin center**', '**IMAP**', '**Authenticated SMTP**'], 'anywhere'],
    ]));

  it('checklist reproduces the guide (MS Graph API)', () =>
    holdGuide(
      'emailengine',
      [
        ['Mail.ReadWrite, Mail.Send, offline_access', 'permissions', ['**Mail.ReadWrite**', '**Mail.Send**', '**offline_access**']],
        ['Base scope: MS Graph API', 'emailengine-app', ['**Base scopes**: **MS Graph API**']],
      ],
      { ...PROFILES.emailengine!, targetInputs: { baseUrl: 'http://localhost:3000', baseScope: 'api' } },
    ));

  it('export holds every field the guide asks to paste', () =>
    holdFields('emailengine', [
      // EmailEngine's own form labels the client id "Azure Application Id" (views/partials/oauth_form.hbs).
      ['Azure Application Id', CLIENT_ID],
      ['Azure cloud environment', 'Azure global service'],
      ['Client Secret', PH],
      ['Redirect URL', redirect],
      ['Supported account types', 'Accounts in the specified organizational directory only (Single tenant)'],
      ['Directory (tenant) ID', TENANT],
      ['Enable this app', 'ticked'],
      ['Base scopes', 'IMAP and SMTP'],
    ]));
});

describe('seed 003: Frappe', () => {
  const redirect = 'https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/8f3c1b2a9d';
  const openid = `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`;
  it('checklist reproduces the guide', () =>
    holdGuide('frappe', [
      ['New Connected App, enter the name, save, copy the Redirect URI', 'connected-app-create', ['**New Connected App**', '**Save**', '**Redirect URI**', redirect]],
      ['Microsoft Entra ID > Add > App registration', 'register', ['**Microsoft Entra ID > Add > App registration**']],
      ['app name, account type, paste the redirect URI, platform Web', 'register', ['**Name**', '**Supported account types**', redirect, '**Web**']],
      ['Register; copy the Application ID (Client ID of the Connected App)', 'copy-ids', ['**Application (client) ID**', '**Client Id**', CLIENT_ID]],
      ['API Permission: Microsoft Graph, Delegated: IMAP.AccessAsUser.All, SMTP.Send, offline_access; Add permissions', 'permissions', ['**Microsoft Graph > Delegated permissions**', '**IMAP.AccessAsUser.All**', '**SMTP.Send**', '**offline_access**', '**Add permissions**']],
      ['Certificates & Secrets: client secret, description, add, copy the Value into Client Secret', 'client-secret', ['New client secret**', '**Description**', '**Add**', '**Value**', '**Client Secret**']],
      ['Endpoints > OpenID Connect metadata document -> OpenID Configuration; Get OpenID Configuration', 'connected-app-fill', ['**Endpoints > OpenID Connect metadata document**', '**OpenID Configuration**', openid, '**Get OpenID Configuration**']],
      ['add the three scopes, save', 'connected-app-fill', ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', '`offline_access`', '**Save**']],
      ['Connect to {your connected app name}; same account as the Email Account', 'connect', ['**Connect to Microsoft 365**', MAILBOX]],
      ['Token Cache: refresh and access token', 'connect', ['**Token Cache**', 'refresh token', 'access token']],
      ['Email Account: method OAuth, connected app, user', 'email-account', ['**Email Account**', '**Method** **OAuth**', '**Connected App** `8f3c1b2a9d`', '**Connected User**']],
      ['outlook server settings', 'email-account', ['outlook.office365.com', 'smtp.office365.com']],
      ['Microsoft restricts sending from any other address', 'email-account', ['send as itself']],
    ]));

  it('export holds every field the guide asks to paste', () =>
    holdFields('frappe', [
      ['Provider Name', 'Microsoft 365'],
      ['OpenID Configuration', openid],
      ['Client Id', CLIENT_ID],
      ['Redirect URI', redirect],
      ['Client Secret', PH],
      ['Scopes', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
      ['Scopes', 'https://outlook.office.com/SMTP.Send'],
      ['Scopes', 'offline_access'],
      ['Method', 'OAuth'],
      ['Connected App', '8f3c1b2a9d'],
      ['Connected User', '<the Frappe user who clicked Connect>'],
    ]));
});

describe('seed 004: CXT Software', () => {
  it('checklist reproduces the guide', () =>
    holdGuide('cxt', [
      ['App registrations > New registration: Name; Supported account types: any org + personal', 'register', ['App registrations > New registration**', '**Name**', `**${MULTI_PERSONAL}**`]],
      ['Redirect URI: Web, https://localhost; Register', 'register', ['**Web**', '`https://localhost`', '**Register**']],
      ['Overview: copy the Application (client) ID', 'copy-ids', ['**Overview**', '**Application (client) ID**', CLIENT_ID]],
      ['Authentication > Web > Redirect URIs https://localhost, http://localhost', 'authentication', ['**Authentication**', 'Add a platform > Web**', '**Redirect URIs**', '`https://localhost`', '`http://localhost`']],
      ['Implicit grant and hybrid flows: Access tokens, ID tokens', 'authentication', ['**Implicit grant and hybrid flows**', '**Access tokens (used for implicit flows)**', '**ID tokens (used for implicit and hybrid flows)**']],
      ['Allow public client flows: Enable the following mobile and desktop flows: Yes; Save', 'authentication', ['Allow public client flows**', '**Enable the following mobile and desktop flows**', '**Yes**', '**Save**']],
      // Issue 19, safe by default: the guide's tenant-wide permissions and consent are the explicit opt-in; the
      // default is the Exchange step that limits the app to the mailbox.
      ['(safe default) Exchange RBAC for Applications limits the app to the mailbox', 'limit-mailbox', ['**Who runs it**', 'New-ManagementRoleAssignment', "'Application Mail.Read'", "'Application Mail.Send'"]],
      ['API permissions > Add a permission > Microsoft Graph > Application permissions: Mail.Read, Mail.Send', 'every-mailbox', ['Add a permission**', '**Microsoft Graph > Application permissions**', '**Mail.Read**', '**Mail.Send**']],
      ['(admin consent, TARGETS.md)', 'every-mailbox', ['**Grant admin consent for', 'every mailbox in your organisation']],
      ['Certificates & secrets > New client secret: Description "Oauth", Expires', 'client-secret', ['New client secret**', '`Oauth`', '**Expires**']],
      ['copy both the Value and Secret ID', 'client-secret', ['Copy the **Value**', 'Also copy the **Secret ID**']],
      ['Provide Client ID, Client Secret Value, Client Secret ID, Mailbox username', 'hand-over', [`Client ID: ${CLIENT_ID}`, `Client Secret Value: ${PH}`, `Client Secret ID: ${SECRET_ID}`, `Mailbox username: ${MAILBOX}`]],
      ['Mailbox password: explained, never collected', 'hand-over', ['also asks for the mailbox password', 'not needed', 'Never send an account password']],
    ]));

  it('export holds every field the guide asks to paste, and no password', () =>
    holdFields('cxt', [
      ['Client ID', CLIENT_ID],
      ['Client Secret Value', PH],
      ['Client Secret ID', SECRET_ID],
      ['Mailbox username', MAILBOX],
      ['Mailbox password', 'not provided: not needed'],
    ]));
});
