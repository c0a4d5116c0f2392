/**
 * Texts from the field (issue 20). Each entry names where its words and its advice come from:
 * - Microsoft Graph Command Line Tools (14d82eec-204b-4c2f-b7e8-296a70dab67e) is the client administrators
 *   sign in to before the organisation's own app exists (electron/engine/registration/admin-signin.ts).
 *   Tenants that set "Assignment required" on it answer AADSTS50105 naming it (o365soa/soa#90);
 *   Conditional Access answers 53003, token protection 530084 ("Access has been blocked by conditional
 *   access token protection policy", Azure/azure-dev#7704; Microsoft: aka.ms/TBCADocs); a disabled app
 *   7000112 ("Application '<id>'(<name>) is disabled.", isaacrlevin/presencelight#935, Worklytics/psoxy#74).
 * - 430 4.2.0 STOREDRV; mailbox logon failure ... MapiExceptionLogonFailed: app-only SMTP whose service
 *   principal is registered but has no right on the mailbox (simonrob/email-oauth2-proxy#271).
 * - MailboxNotEnabledForRESTAPI: "The mailbox is either inactive, soft-deleted, or is hosted on-premise."
 *   (iyear/E5SubBot#39; licence: microsoftgraph/msgraph-sdk-javascript#1756; guests: microsoft-graph-docs-contrib#405).
 * - "Access to OData is disabled." (ErrorAccessDenied, 403): Microsoft Graph docs "auth-limit-mailbox-access",
 *   section "Handling API errors": the answer when an application access policy denies the mailbox; the
 *   "[RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings" variant names it.
 * - "LOGIN failed." over IMAP: a password login, refused since Basic auth for IMAP/POP was turned off in
 *   Exchange Online (frappe/helpdesk#3172, ax-meyer/SimpleMailArchive#89).
 * - RBAC for Applications replaces Application Access Policies (MICROSOFT-FACTS December 2026,
 *   docs/MICROSOFT-FACTS-2026-12.md in this repository).
 */
import { psQuote } from '../../registration/quote';
import { mb, exchangeConnect, signInAgain, type CatalogueContext, type Entry } from '../entry';
import { portal } from '../links';
import type { FixStep } from '../types';
import type { FieldCode } from './field.codes';

export const GRAPH_CLI_TOOLS_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
export const GRAPH_CLI_TOOLS_NAME = 'Microsoft Graph Command Line Tools';
const ENTERPRISE_APPS = 'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview';
const TOKEN_PROTECTION_DOCS = 'https://aka.ms/TBCADocs';

const quoted = (c: CatalogueContext, re: RegExp): string | undefined => re.exec(c.evidence.text)?.[1];
/** The administrator's account when Microsoft names it (AADSTS50105: "The signed in user '...'"). */
const admin = (c: CatalogueContext) => quoted(c, /signed in user '([^']+)'/) ?? 'the administrator';

/** Use the organisation's own sign-in application instead of Graph Command Line Tools (Register screen, or the CLI option). */
export const ownSignInApp: FixStep = {
  text: "Or sign in through your organisation's own sign-in application instead: in the app, **Register > Use your organisation's own sign-in application…** and paste its Application (client) ID (a public client with the redirect URI http://localhost); in the CLI, `mail-oauth register --admin-client-id <id>`.",
  action: { id: 'sign-in-application-setting', label: "Use your organisation's own sign-in application" },
};

export const FIELD_ENTRIES: Record<FieldCode, Entry> = {
  'aadsts-50105-admin-tool-not-assigned': {
    title: (c) => `${admin(c)} may not sign in to ${GRAPH_CLI_TOOLS_NAME}`,
    cause: (c) => `The administrator's sign-in goes to ${GRAPH_CLI_TOOLS_NAME} (${GRAPH_CLI_TOOLS_ID}), Microsoft's client that registers apps before your own app exists. Your organisation set **Assignment required** on it, and ${admin(c)} is not assigned to it, so Microsoft refuses the sign-in. The connection's own app is not involved.`,
    fix: (c) => [
      { text: `An administrator who can manage enterprise applications opens **Enterprise applications**, searches for **${GRAPH_CLI_TOOLS_NAME}** (Application ID ${GRAPH_CLI_TOOLS_ID}), then **Users and groups > Add user/group**, selects ${admin(c)} and **Assign**.`, link: { label: 'Open Enterprise applications', url: ENTERPRISE_APPS } },
      ownSignInApp,
      { text: 'Then sign in again.' },
    ],
  },
  'aadsts-53003-admin-tool-blocked': {
    title: () => `Conditional Access blocked the administrator's sign-in to ${GRAPH_CLI_TOOLS_NAME}`,
    cause: (c) => `A Conditional Access policy${c.evidence.aadsts === '530084' ? ' with token protection' : ''} does not let this device or this client (${GRAPH_CLI_TOOLS_NAME}, ${GRAPH_CLI_TOOLS_ID}) get a token. Policies often require a compliant or managed device, or token protection (which only some sign-in paths, such as the system's own account broker, can meet). The connection's own app is not involved.`,
    fix: () => [
      { text: "Sign in in the system browser on a compliant (managed) device: in the CLI, `mail-oauth register` without `--device-code` opens the system browser. Device code sign-in is blocked by many policies." },
      ownSignInApp,
      { text: 'An administrator can read which policy blocked it in **Sign-in logs** (Conditional Access tab) and exclude the sign-in application or allow the device.', link: { label: 'Open Conditional Access', url: portal.conditionalAccess() } },
    ],
  },
  'aadsts-530084-token-protection': {
    title: () => 'Conditional Access token protection blocked the sign-in',
    cause: () => 'A Conditional Access policy requires token protection (tokens bound to the device) for this account or app. Sign-ins from a browser window, a device code or a server cannot bind tokens, so Microsoft refuses them.',
    fix: (c) => [
      { text: 'An administrator finds the policy in **Sign-in logs** (Conditional Access tab) and excludes this app or this mailbox account from token protection, if the organisation\'s rules allow.', link: { label: 'Open Conditional Access', url: portal.conditionalAccess() } },
      { text: 'For unattended mail, app-only access (client credentials) has no user sign-in and is not subject to token protection.' },
      { text: `Microsoft: token protection in Conditional Access (${TOKEN_PROTECTION_DOCS}).`, link: { label: 'Token protection', url: TOKEN_PROTECTION_DOCS } },
      ...(c.clientId ? [] : [signInAgain]),
    ],
  },
  'aadsts-7000112-app-disabled': {
    title: (c) => {
      const name = quoted(c, /Application '[^']*'\(([^)]+)\)/);
      return name ? `The application ${name} is disabled` : 'The application is disabled';
    },
    cause: (c) => {
      const id = quoted(c, /Application '([^']+)'/) ?? c.clientId;
      if (id?.toLowerCase() === GRAPH_CLI_TOOLS_ID) return `Your organisation disabled ${GRAPH_CLI_TOOLS_NAME} (${GRAPH_CLI_TOOLS_ID}), the client administrators sign in to before your own app exists ("Enabled for users to sign in?" is No).`;
      return `The application ${id || ''} is disabled in this organisation: its enterprise application has **Enabled for users to sign in?** set to No, or Microsoft disabled it (for example as suspected consent phishing).`;
    },
    fix: (c) => {
      const id = quoted(c, /Application '([^']+)'/) ?? c.clientId;
      const steps: FixStep[] = [
        { text: `An administrator opens **Enterprise applications**, finds ${id || 'the application'}, and under **Properties** sets **Enabled for users to sign in?** to **Yes**, then **Save** (or: \`az ad sp update --id ${id || '<application id>'} --set accountEnabled=true\`). If Microsoft disabled it, the portal says so and only a new registration helps.`, link: { label: 'Open Enterprise applications', url: ENTERPRISE_APPS } },
      ];
      if (id?.toLowerCase() === GRAPH_CLI_TOOLS_ID) steps.push(ownSignInApp);
      return steps;
    },
  },
  'aadsts-9002313-request-malformed': {
    title: () => 'Microsoft could not read the sign-in request',
    cause: () => 'The token request was malformed: the sign-in code or refresh token was cut, changed in case, copied twice or sent to another tenant\'s address, or the system built the request wrongly.',
    fix: () => [signInAgain, { text: 'If the system stores the token itself, remove the saved token and connect again; make sure nothing (a proxy, a form field) shortens or changes it.' }],
  },
  'aadsts-70000-grant-invalid': {
    title: () => 'Microsoft refused the saved sign-in for the permissions asked for',
    cause: () => 'The refresh token or code does not cover the permissions now requested ("one or more scopes requested are unauthorized or expired"): the system asks for other scopes than it signed in with, or the consent was removed.',
    fix: () => [{ text: 'Sign in again so the user (or an administrator) grants the permissions the system now asks for.' }, { text: 'Make sure the system requests the same scopes when it refreshes as when it signed in.' }],
  },
  'aadsts-900144-parameter-missing': {
    title: () => 'The sign-in request lacked a required value',
    cause: (c) => `The request to Microsoft did not include ${quoted(c, /following parameter: '([^']+)'/) ?? 'a required parameter'}: a setting of the system is empty (often the scope or the client ID).`,
    fix: () => [{ text: 'Fill in the missing setting in the system (scope, client ID, client secret) and connect again.' }],
  },
  'smtp-app-only-mailbox-logon-failed': {
    title: (c) => `Exchange accepted the app's sign-in but would not open ${mb(c)} to send`,
    cause: (c) => `The token and the service principal are fine, but the app has no right on ${mb(c)}: with the SMTP.SendAsApp permission in its token, Exchange checks the mailbox's permissions and finds none ("mailbox logon failure ... MapiExceptionLogonFailed").`,
    fix: (c) => [
      { text: `For an app that only sends, give it the Exchange role for ${mb(c)} alone (RBAC for Applications) and remove SMTP.SendAsApp from the app registration's API permissions (with it in the token, Exchange checks mailbox permissions instead):`, command: `${exchangeConnect(c)}\nNew-ManagementScope -Name ${psQuote(`${mb(c)} SMTP`)} -RecipientRestrictionFilter ${psQuote(`PrimarySmtpAddress -eq '${mb(c).replace(/'/g, "''")}'`)}\nNew-ManagementRoleAssignment -App <enterprise-app-object-id> -Role 'Application SMTP.SendAsApp' -CustomResourceScope ${psQuote(`${mb(c)} SMTP`)}` },
      { text: 'Or, if it also reads the mailbox over IMAP/POP, give it Full Access:', command: `Add-MailboxPermission -Identity ${psQuote(mb(c))} -User <enterprise-app-object-id> -AccessRights FullAccess` },
      { text: 'Permission changes take a while to reach Exchange (up to an hour); send again afterwards.' },
    ],
  },
  'graph-mailbox-not-rest-enabled': {
    title: (c) => `Microsoft Graph cannot reach the mailbox of ${mb(c)}`,
    cause: () => 'Graph answered MailboxNotEnabledForRESTAPI ("inactive, soft-deleted, or hosted on-premise"): the account has no Exchange Online mailbox yet (no licence, or just licensed and not provisioned), is a guest, or its mailbox is on an on-premises Exchange server.',
    fix: (c) => [{ text: `Check that ${mb(c)} has an Exchange Online licence and that its mailbox exists (Microsoft 365 admin center > Users > Active users > Mail); a new licence can take a few hours.`, link: { label: 'Open Active users', url: portal.activeUsers() } }, { text: 'A mailbox that lives on an on-premises Exchange server needs the hybrid REST setup, or IMAP/SMTP to that server.' }],
  },
  'imap-basic-auth-rejected': {
    title: (c) => `The mail server refused a password login for ${mb(c)}`,
    cause: () => 'The system signed in to IMAP or POP with a user name and password ("LOGIN failed"). Exchange Online turned Basic authentication off for IMAP and POP in 2022; app passwords are refused the same way. Only OAuth (XOAUTH2) works.',
    fix: () => [{ text: 'Switch the system to OAuth for Microsoft 365 (in Odoo: the Outlook server type; in Frappe: a Connected App; in EmailEngine: an Outlook OAuth2 app), and connect again. The assistant\'s Start screen walks through it for each system.' }],
  },
  'graph-app-access-policy-blocked': {
    title: (c) => `An Application Access Policy keeps the app away from ${mb(c)}`,
    cause: () => 'Graph answered "Access to OData is disabled", which Microsoft documents as the answer when an Application Access Policy denies this app this mailbox ("[RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings"). A new or changed policy can take hours to apply. Application Access Policies are being replaced by RBAC for Applications.',
    fix: (c) => [
      { text: 'See which policies apply and whether the mailbox is allowed:', command: `${exchangeConnect(c)}\nGet-ApplicationAccessPolicy\nTest-ApplicationAccessPolicy -Identity ${psQuote(mb(c))} -AppId ${c.clientId ? psQuote(c.clientId) : '<clientId>'}` },
      { text: 'Move to RBAC for Applications (Microsoft\'s replacement): a management scope for the mailbox and a role assignment for the app, then test it, then remove the old policy:', command: `New-ManagementScope -Name ${psQuote(`${mb(c)} app`)} -RecipientRestrictionFilter ${psQuote(`PrimarySmtpAddress -eq '${mb(c).replace(/'/g, "''")}'`)}\nNew-ManagementRoleAssignment -App <enterprise-app-object-id> -Role 'Application Mail.Send' -CustomResourceScope ${psQuote(`${mb(c)} app`)}\nTest-ServicePrincipalAuthorization -Identity <enterprise-app-object-id> -Resource ${psQuote(mb(c))}\nRemove-ApplicationAccessPolicy -Identity <policy identity>` },
    ],
  },
};
