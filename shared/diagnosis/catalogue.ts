import type { DiagnosisCode } from './types';
import { psQuote } from '../registration/quote';
import { adminConsent, adminOnly, apiPermissions, authentication, credentials, exchangeConnect, mb, overview, signInAgain, type CatalogueContext, type Entry } from './entry';
import { REGISTRATION_ENTRIES } from './domains/registration';
import { TARGET_ENTRIES } from './domains/targets';
import { KEEPALIVE_ENTRIES } from './domains/keepalive';
import { aadErrorLookupUrl, HARDENING_ENTRIES } from './domains/hardening';
import { FIELD_ENTRIES } from './domains/field';
import { RELAY_ENTRIES } from './domains/relay';
import { portal } from './links';

export type { CatalogueContext, Entry };

const entries: Record<DiagnosisCode, Entry> = {
  ...REGISTRATION_ENTRIES,
  ...TARGET_ENTRIES,
  ...KEEPALIVE_ENTRIES,
  ...HARDENING_ENTRIES,
  ...FIELD_ENTRIES,
  ...RELAY_ENTRIES,
  'aadsts-7000215-secret-id-pasted': {
    title: () => 'Microsoft refused the client secret: the Secret ID was used instead of the secret Value',
    cause: () => 'The secret entered is a GUID, which is the secret\'s ID. Microsoft needs the secret\'s Value, the longer text shown only once when the secret was created.',
    fix: (c) => [credentials(c), { text: 'Under **Client secrets**, copy the **Value** column (not **Secret ID**). If it shows as hidden, choose **New client secret** and copy the new Value right away.' }, { text: 'Paste it as the client secret and run the check again.' }],
  },
  'aadsts-7000215-invalid-secret': {
    title: () => 'Microsoft refused the client secret',
    cause: () => 'The secret does not belong to this app registration, or was copied incompletely. Secrets of another app, or of a deleted secret, are refused the same way.',
    fix: (c) => [credentials(c), { text: 'Create a **New client secret**, copy its **Value** immediately, and paste it here.' }],
  },
  'aadsts-7000222-secret-expired': {
    title: () => 'The client secret has expired',
    cause: () => 'Client secrets have an end date. After it, Microsoft refuses every sign-in that uses the secret, in every system that uses it.',
    fix: (c) => [credentials(c), { text: 'Choose **New client secret**, copy the **Value**, and update every system that used the old secret (this one too).' }, { text: 'Delete the expired secret once everything runs on the new one.' }],
  },
  'aadsts-7000218-secret-required': {
    title: () => 'Microsoft wants a client secret for this app',
    cause: () => 'The redirect address is registered as a Web platform, which makes the app confidential: the code can only be redeemed together with the client secret.',
    fix: (c) => [credentials(c), { text: 'Enter the client secret **Value** in the profile, or register the redirect under **Mobile and desktop applications** if the system really has no secret.' }],
  },
  'aadsts-700025-public-client-secret': {
    title: () => 'Microsoft refused a secret for an app registered as a desktop app',
    cause: () => 'The redirect address is registered under "Mobile and desktop applications" (a public client), and public clients must not send a secret.',
    fix: (c) => [authentication(c), { text: 'Register the redirect address under **Web** (the target system keeps a secret), or remove the secret from this profile.' }],
  },
  'aadsts-700016-app-not-found': {
    title: () => 'Microsoft does not know this application in this organisation',
    cause: (c) => `No app with client ID ${c.clientId || '(empty)'} exists in tenant ${c.tenant || '(empty)'}: the client ID is wrong, or the app was registered in another tenant.`,
    fix: (c) => [overview(c), { text: 'Copy **Application (client) ID** and **Directory (tenant) ID** again from the same app\'s Overview page.' }],
  },
  'aadsts-90002-tenant-not-found': {
    title: () => 'Microsoft cannot find this organisation',
    cause: (c) => `The tenant "${c.tenant}" does not exist in this cloud: a typo in the tenant ID or domain, or the organisation lives in another cloud (e.g. GCC High).`,
    fix: (c) => [overview(c), { text: 'Copy the **Directory (tenant) ID**, and check the cloud setting of the profile.' }],
  },
  'aadsts-50011-redirect-mismatch': {
    title: () => 'The redirect address is not registered exactly as used',
    cause: (c) => `The app registration does not list ${c.redirectUri ?? 'the redirect address'} exactly (scheme, host, port, path and trailing slash all count).`,
    fix: (c) => [authentication(c), { text: `Under **Web**, **Add URI** and paste exactly: ${c.redirectUri ?? 'the redirect address shown in the assistant'}` }],
  },
  'aadsts-500113-no-reply-address': {
    title: () => 'The app registration has no redirect address',
    cause: () => 'The app has no Web platform with a redirect URI, so Microsoft has nowhere to send the sign-in.',
    fix: (c) => [authentication(c), { text: `**Add a platform > Web** and paste ${c.redirectUri ?? 'the redirect address shown in the assistant'}.` }],
  },
  'aadsts-65001-consent-required': {
    title: (c) => (adminOnly(c) ? 'The app needs an administrator\'s consent' : 'Nobody has consented to the app\'s permissions yet'),
    cause: (c) =>
      adminOnly(c)
        ? `The sign-in asks for permissions (${c.api === 'graph' ? 'Mail.ReadWrite, Mail.Send, offline_access' : 'IMAP.AccessAsUser.All, SMTP.Send, offline_access'}) that no administrator has approved for this app, and users of this organisation may not approve them themselves. A permission may also be missing from the app registration, or be listed as an Application permission instead of a Delegated one.`
        : 'The app asks for permissions that neither the user nor an administrator has approved for it.',
    fix: (c) => [
      apiPermissions(c),
      { text: `Check that every permission the sign-in asks for is listed as **Delegated**: ${c.api === 'graph' ? 'Mail.ReadWrite, Mail.Send, User.Read and offline_access' : 'IMAP.AccessAsUser.All, SMTP.Send, User.Read and offline_access'} (add any that is missing with **Add a permission**).` },
      { text: `Choose **Grant admin consent for** your organisation on the API permissions page (an administrator must do this), or send an administrator the admin consent address: ${portal.adminConsent(c.signInHost, c.tenant, c.clientId)}`, link: { label: 'Open admin consent', url: portal.adminConsent(c.signInHost, c.tenant, c.clientId) } },
      { text: 'Then run the sign-in again.' },
    ],
  },
  'aadsts-50020-user-not-in-tenant': {
    title: () => 'This account is not part of the app\'s organisation',
    cause: (c) => `The account that signed in is a personal account or a guest, and the app only accepts accounts of its own tenant${c.signedInAs ? ` (signed in as ${c.signedInAs})` : ''}.`,
    fix: (c) => [{ text: `Sign in as ${mb(c)}, a member of the organisation.` }, { text: 'Or change **Supported account types** on the app\'s Authentication page.', link: { label: 'Open Authentication', url: portal.app(c.clientId, 'Authentication') } }],
  },
  'aadsts-50194-single-tenant-on-common': {
    title: () => 'A single-organisation app was used with the shared "common" sign-in address',
    cause: () => 'The app registration accepts only its own organisation, but the sign-in went to /common or /organizations.',
    fix: (c) => [{ text: 'Set the tenant to the **Directory (tenant) ID** (Odoo/Flectra: system parameter microsoft_outlook.endpoint, older Odoo 16: microsoft.outlook.endpoint).' }, { text: 'Or allow accounts in any organisation under **Supported account types**.', link: { label: 'Open Authentication', url: portal.app(c.clientId, 'Authentication') } }],
  },
  'aadsts-70011-invalid-scope': {
    title: () => 'Microsoft rejected the requested permissions as malformed',
    cause: () => 'A scope is missing its resource prefix (https://outlook.office.com/…) or is written wrongly.',
    fix: () => [{ text: 'Use https://outlook.office.com/IMAP.AccessAsUser.All, https://outlook.office.com/SMTP.Send and offline_access (delegated), or https://outlook.office365.com/.default (app-only).' }],
  },
  'aadsts-650053-scope-not-on-resource': {
    title: () => 'A requested permission does not exist',
    cause: () => 'A scope has a typo or a stray character (often a line break copied with it).',
    fix: () => [{ text: 'Retype the scopes without spaces or line breaks, exactly as Microsoft spells them.' }],
  },
  'aadsts-700022-multiple-resources': {
    title: () => 'Outlook and Graph permissions were requested in one go',
    cause: () => 'One token cannot cover two resources: Outlook (IMAP/SMTP) and Microsoft Graph need separate sign-in requests.',
    fix: () => [{ text: 'Request the Outlook scopes and the Graph scopes in two separate token requests.' }],
  },
  'aadsts-53003-conditional-access': {
    title: () => 'A Conditional Access policy blocked the sign-in',
    cause: () => 'The organisation\'s Conditional Access (or security defaults) does not allow this app, device or location to sign in.',
    fix: () => [{ text: 'An administrator opens **Conditional Access > Policies** and checks the sign-in logs for the policy that blocked it; exclude the app or allow the device.', link: { label: 'Open Conditional Access', url: portal.conditionalAccess() } }, { text: 'If the policy requires a compliant device, sign in from the system browser on a managed device.' }],
  },
  'aadsts-50076-mfa-required': {
    title: () => 'The sign-in needs multi-factor authentication',
    cause: () => 'The organisation requires a second factor for this account, which only an interactive sign-in can provide.',
    fix: (c) => [{ text: `Sign in again in the sign-in window as ${mb(c)} and complete the second factor.` }, { text: 'If MFA is not set up yet for the account, register it first.', link: { label: 'Set up MFA', url: portal.mfaSetup() } }],
  },
  'aadsts-90072-external-mfa': {
    title: () => 'An external account cannot complete this organisation\'s MFA',
    cause: () => 'The account that signed in belongs to another organisation and cannot satisfy this tenant\'s MFA requirement.',
    fix: (c) => [{ text: `Sign in with a member account of the organisation: ${mb(c)}.` }],
  },
  'aadsts-700082-refresh-expired': {
    title: () => 'The saved sign-in has expired',
    cause: () => 'The refresh token expired after a long period of inactivity, or was revoked (for example by a password reset).',
    fix: () => [signInAgain],
  },
  'aadsts-54005-code-redeemed': {
    title: () => 'The sign-in code was already used',
    cause: () => 'A sign-in code works once. Another party (often the target system itself, reached through the redirect) redeemed it first.',
    fix: () => [signInAgain, { text: 'Make sure the sign-in window is the one catching the redirect.' }],
  },
  'aadsts-501481-pkce-mismatch': {
    title: () => 'The sign-in code did not match its proof key',
    cause: () => 'The code verifier sent with the code does not match the challenge sent at sign-in. This is a defect in the client, not in your settings.',
    fix: () => [signInAgain, { text: 'If it happens again, report it with the details below.' }],
  },
  'aadsts-50126-bad-password': {
    title: () => 'The user name or password is wrong',
    cause: () => 'Microsoft refused the password for this account.',
    fix: (c) => [{ text: `Sign in again as ${mb(c)} with the current password.` }],
  },
  'aadsts-700054-id-token-disabled': {
    title: () => 'The app does not allow ID tokens',
    cause: () => 'The request asked for an ID token, which is disabled in the app registration.',
    fix: (c) => [authentication(c), { text: 'Tick **ID tokens** under Implicit grant and hybrid flows, or don\'t request id_token.' }],
  },
  'aad-unauthorized-client-consumers': {
    title: () => 'This app does not accept personal Microsoft accounts',
    cause: () => 'The app registration is limited to work accounts, but a personal (Outlook.com) account or the consumers tenant was used.',
    fix: (c) => [{ text: 'Change **Supported account types** to include personal Microsoft accounts.', link: { label: 'Open Authentication', url: portal.app(c.clientId, 'Authentication') } }],
  },
  'aad-other': {
    title: () => 'Microsoft refused the sign-in',
    cause: (c) => `Microsoft returned an error that the assistant has no specific advice for${c.evidence.aadsts ? ` (AADSTS${c.evidence.aadsts})` : ''}. The text is shown below as received.`,
    fix: (c) => [
      { text: 'Read the server text below, as Microsoft sent it.' },
      c.evidence.aadsts
        ? { text: `Microsoft explains each error number on its error lookup page: AADSTS${c.evidence.aadsts}.`, link: { label: `Look up AADSTS${c.evidence.aadsts}`, url: aadErrorLookupUrl(c.evidence.aadsts) } }
        : { text: 'Search Microsoft\'s documentation for the error code in it.' },
    ],
  },
  'sign-in-cancelled': {
    title: () => 'The sign-in window was closed before the sign-in finished',
    cause: () => 'No sign-in result came back: the window was closed, or the time allowed ran out.',
    fix: () => [signInAgain],
    transient: true,
  },
  'sign-in-state-mismatch': {
    title: () => 'The sign-in answer did not belong to this sign-in',
    cause: () => 'The state value returned with the code differs from the one sent. The answer was ignored for safety.',
    fix: () => [signInAgain],
  },
  'sign-in-nonce-mismatch': {
    title: () => 'The sign-in token did not belong to this sign-in',
    cause: () => 'The nonce in the ID token differs from the one sent. The tokens were discarded for safety.',
    fix: () => [signInAgain],
  },
  'sign-in-required': {
    title: () => 'Nobody has signed in for this profile yet',
    cause: (c) => `The delegated flow needs ${mb(c)} to sign in once; no saved sign-in was found.`,
    fix: (c) => [{ text: `Sign in as ${mb(c)} (desktop app: Sign in; CLI: mail-oauth check --device-code).` }],
  },
  'device-code-expired': {
    title: () => 'The device code expired before anyone signed in',
    cause: () => 'The code shown for signing in on another device was not used within its lifetime.',
    fix: () => [signInAgain],
    transient: true,
  },
  'token-wrong-audience': {
    title: () => 'The token is for the wrong service',
    cause: (c) => `The token was issued for ${c.evidence.text.match(/audience (\S+)/)?.[1] ?? 'another resource'}, but ${c.api === 'graph' ? 'Microsoft Graph' : 'IMAP and SMTP need Outlook (https://outlook.office.com)'}. IMAP answers such tokens with "AUTHENTICATE failed".`,
    fix: (c) => [apiPermissions(c), { text: c.api === 'graph' ? 'Request Graph scopes (https://graph.microsoft.com/Mail.ReadWrite …).' : 'Request https://outlook.office.com/IMAP.AccessAsUser.All and SMTP.Send (not the graph.microsoft.com variants).' }],
  },
  'token-missing-scope': {
    title: () => 'The token lacks a permission the mailbox check needs',
    cause: (c) => `The signed-in token does not include ${c.evidence.text.match(/missing (.+)$/)?.[1] ?? 'the needed permission'}.`,
    fix: (c) => [apiPermissions(c), { text: 'Add the delegated permission, grant consent, and sign in again.' }, adminConsent(c)],
  },
  'token-missing-role': {
    title: () => 'The app has no application permission for this mailbox access',
    cause: (c) => `The app-only token carries no ${c.evidence.text.match(/missing (.+)$/)?.[1] ?? 'role'} role: the application permission is missing or not admin-consented.`,
    fix: (c) => [apiPermissions(c), { text: c.api === 'graph' ? 'Add Microsoft Graph > Application permissions > Mail.Read / Mail.Send.' : 'Add APIs my organization uses > Office 365 Exchange Online > Application permissions > IMAP.AccessAsApp and SMTP.SendAsApp.' }, adminConsent(c)],
  },
  'token-wrong-tenant': {
    title: () => 'The token comes from another organisation',
    cause: (c) => `The token's tenant differs from the profile's tenant ${c.tenant}.`,
    fix: (c) => [overview(c)],
  },
  'signed-in-wrong-account': {
    title: (c) => `Signed in as ${c.signedInAs ?? 'another account'} instead of ${mb(c)}`,
    cause: (c) => `The sign-in belongs to ${c.signedInAs ?? 'another account'}, which has no access to ${mb(c)}. Browsers often sign in silently with an account used before.`,
    fix: (c) => [{ text: `Sign in again and pick ${mb(c)} (the sign-in window starts a fresh session each time).` }, { text: `Or, to use ${c.signedInAs ?? 'that account'} as a delegate, give it Full Access:`, command: `Add-MailboxPermission -Identity ${psQuote(mb(c))} -User ${psQuote(c.signedInAs ?? '<account>')} -AccessRights FullAccess` }],
  },
  'imap-auth-failed': {
    title: (c) => `The mailbox server refused the sign-in for ${mb(c)}`,
    cause: () => 'IMAP refused the token: it was issued for the wrong resource or scope, or IMAP is turned off for the mailbox.',
    fix: (c) => [{ text: 'Make sure IMAP is enabled for the mailbox (Exchange Online PowerShell):', command: `${exchangeConnect(c)}\nSet-CASMailbox -Identity ${psQuote(mb(c))} -ImapEnabled $true` }, apiPermissions(c)],
  },
  'imap-app-only-not-registered': {
    title: (c) => `The app may not open ${mb(c)} over IMAP`,
    cause: () => 'App-only IMAP needs the app\'s service principal registered in Exchange Online and given Full Access to the mailbox. The token is fine; Exchange does not know the app yet.',
    fix: (c) => [{ text: 'Run in Exchange Online PowerShell (ObjectId = the Enterprise application\'s Object ID, not the app registration\'s):', command: `${exchangeConnect(c)}\nNew-ServicePrincipal -AppId ${c.clientId || '<clientId>'} -ObjectId <enterprise-app-object-id>\nAdd-MailboxPermission -Identity ${psQuote(mb(c))} -User <enterprise-app-object-id> -AccessRights FullAccess` }],
  },
  'imap-wrong-account': {
    title: (c) => `The signed-in account cannot open ${mb(c)}`,
    cause: (c) => `The token is valid but its user has no access to ${mb(c)} ("authenticated but not connected"): usually someone else signed in.`,
    fix: (c) => [{ text: `Sign out of Microsoft in the browser, sign in again as ${mb(c)}.` }, { text: 'Or give the signed-in account Full Access:', command: `Add-MailboxPermission -Identity ${psQuote(mb(c))} -User <signed-in account> -AccessRights FullAccess` }],
  },
  'imap-disabled': {
    title: (c) => `IMAP is turned off for ${mb(c)}`,
    cause: () => 'The mailbox does not allow IMAP access.',
    fix: (c) => [{ text: 'Enable IMAP for the mailbox:', command: `${exchangeConnect(c)}\nSet-CASMailbox -Identity ${psQuote(mb(c))} -ImapEnabled $true` }, { text: 'Outlook.com personal accounts: Settings > Mail > Forwarding and IMAP.', link: { label: 'Open Outlook.com IMAP settings', url: portal.outlookComImap() } }],
  },
  'pop-auth-failed': {
    title: (c) => `The POP server refused the sign-in for ${mb(c)}`,
    cause: () => 'As for IMAP: wrong resource or scope, or POP disabled for the mailbox.',
    fix: (c) => [{ text: 'Enable POP for the mailbox:', command: `Set-CASMailbox -Identity ${psQuote(mb(c))} -PopEnabled $true` }],
  },
  'pop-app-only-role-missing': {
    title: (c) => `The app may not read ${mb(c)} over POP: its token has no POP.AccessAsApp`,
    cause: () => 'Reading a mailbox over POP without a signed-in user needs the application permission POP.AccessAsApp (Office 365 Exchange Online), consented by an administrator. The token Microsoft gave the app does not carry it, so Exchange refused the POP sign-in. Sending is not affected.',
    fix: (c) => [apiPermissions(c), { text: 'Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > POP.AccessAsApp.' }, adminConsent(c), { text: 'The next POP sign-in gets a new token with the role (no restart needed).' }],
  },
  'pop-app-only-not-registered': {
    title: (c) => `Exchange refused the app's POP sign-in for ${mb(c)}`,
    cause: () => 'The token carries POP.AccessAsApp, but Exchange still refused: app-only POP also needs the app\'s service principal registered in Exchange Online and Full Access on the mailbox, and POP turned on for the mailbox. Exchange gives the same answer for each of these.',
    fix: (c) => [{ text: 'Run in Exchange Online PowerShell (ObjectId = the Enterprise application\'s Object ID, not the app registration\'s):', command: `${exchangeConnect(c)}\nNew-ServicePrincipal -AppId ${c.clientId || '<clientId>'} -ObjectId <enterprise-app-object-id>\nAdd-MailboxPermission -Identity ${psQuote(mb(c))} -User <enterprise-app-object-id> -AccessRights FullAccess\nSet-CASMailbox -Identity ${psQuote(mb(c))} -PopEnabled $true` }],
  },
  'pop-xoauth2-refused': {
    title: () => 'The POP server did not take an OAuth sign-in',
    cause: (c) => `The server at ${c.evidence.host ?? 'the POP address'}${c.evidence.port ? `:${c.evidence.port}` : ''} did not greet like a POP server or did not accept AUTH XOAUTH2, as Microsoft 365's POP (outlook.office365.com, port 995, TLS) does. The address is probably not Microsoft's POP server.`,
    fix: () => [{ text: 'Point the relay\'s profile at Microsoft 365\'s POP: outlook.office365.com, port 995 (the "pop" endpoint, or none for the default).' }],
  },
  'smtp-auth-disabled-tenant': {
    title: () => 'Microsoft 365 refused to let this organisation send mail over SMTP',
    cause: () => 'Authenticated SMTP is turned off for the whole organisation. Microsoft turns it off by default for new tenants; OAuth sign-in does not bypass it.',
    fix: (c) => [{ text: 'Turn it on for this one mailbox (preferred), in Exchange Online PowerShell:', command: `${exchangeConnect(c)}\nSet-CASMailbox -Identity ${psQuote(mb(c))} -SmtpClientAuthenticationDisabled $false` }, { text: 'Or for the whole organisation:', command: 'Set-TransportConfig -SmtpClientAuthenticationDisabled $false' }, { text: 'Changes can take up to an hour to apply.', link: { label: 'Microsoft: SMTP AUTH disabled', url: portal.smtpAuthDisabled() } }],
  },
  'smtp-auth-disabled-mailbox': {
    title: () => 'Microsoft 365 refused to let this mailbox send mail over SMTP',
    cause: (c) => `Authenticated SMTP is turned off for ${mb(c)}. Microsoft 365 turns it off by default for new tenants; OAuth sign-in does not bypass it.`,
    fix: (c) => [{ text: `Open **Microsoft 365 admin center > Users > Active users**, select ${mb(c)}, **Mail > Manage email apps**, tick **Authenticated SMTP**, **Save changes**.`, link: { label: 'Open Active users', url: portal.activeUsers() } }, { text: 'Or in Exchange Online PowerShell:', command: `Set-CASMailbox -Identity ${psQuote(mb(c))} -SmtpClientAuthenticationDisabled $false` }, { text: 'Changes can take up to an hour to apply.' }],
  },
  'smtp-security-defaults': {
    title: () => 'Security defaults block sending over SMTP',
    cause: () => 'The organisation uses security defaults, which block authenticated SMTP for this account.',
    fix: () => [{ text: 'An administrator replaces security defaults with Conditional Access policies that allow this mailbox, or uses Microsoft Graph to send instead.', link: { label: 'Open tenant properties', url: portal.securityDefaults() } }],
  },
  'smtp-auth-unsuccessful': {
    title: (c) => `The mail server refused to let ${mb(c)} send`,
    cause: (c) => c.flow === 'app-only' ? `For app-only SMTP, Exchange must know the app (New-ServicePrincipal) and the app needs a right on ${mb(c)}: the Exchange role Application SMTP.SendAsApp scoped to the mailbox (RBAC for Applications, for an app that only sends), or Full Access (when it also reads over IMAP/POP, together with SMTP.SendAsApp admin-consented).` : 'The signed-in account is not the mailbox, or the token lacks SMTP.Send.',
    // Microsoft "SMTP Onboarding to App RBAC" (2025-10-17, MicrosoftDocs/office-developer-exchange-docs
    // docs/legacy-protocols/smtp-app-rbac-onboarding.md): no Entra permission and no mailbox permission needed.
    fix: (c) => c.flow === 'app-only'
      ? [
          { text: 'Register the app in Exchange and give it the send-only role for this one mailbox (RBAC for Applications):', command: `${exchangeConnect(c)}\nNew-ServicePrincipal -AppId ${c.clientId || '<clientId>'} -ObjectId <enterprise-app-object-id>\nNew-ManagementScope -Name ${psQuote(`${mb(c)} SMTP`)} -RecipientRestrictionFilter ${psQuote(`PrimarySmtpAddress -eq '${mb(c).replace(/'/g, "''")}'`)}\nNew-ManagementRoleAssignment -App <enterprise-app-object-id> -Role 'Application SMTP.SendAsApp' -CustomResourceScope ${psQuote(`${mb(c)} SMTP`)}` },
          { text: 'Or, when the app also reads the mailbox over IMAP/POP, give it Full Access instead:', command: `Add-MailboxPermission -Identity ${psQuote(mb(c))} -User <enterprise-app-object-id> -AccessRights FullAccess` },
          adminConsent(c),
        ]
      : [{ text: `Sign in again as ${mb(c)}.` }, apiPermissions(c), { text: 'Check that SMTP.Send is among the delegated permissions and consented.' }],
  },
  'smtp-client-not-authenticated': {
    title: () => 'The mail server wanted a sign-in before accepting the message',
    cause: () => 'The client skipped authentication, or the authentication failed silently before sending.',
    fix: () => [{ text: 'Make sure the system authenticates with OAuth (XOAUTH2) before sending.' }],
  },
  'smtp-send-as-denied': {
    title: () => 'The mailbox may not send as this From address',
    cause: (c) => `The From address differs from ${mb(c)} and the account has no Send As right on it.`,
    fix: (c) => [{ text: 'Give Send As on the From address:', command: `Add-RecipientPermission -Identity <from address> -Trustee ${psQuote(mb(c))} -AccessRights SendAs` }, { text: `Or send with From = ${mb(c)}.` }],
  },
  'smtp-basic-auth-rejected': {
    title: () => 'The mail server refused a password login',
    // Exchange Team blog 2026-01-27 (…/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835):
    // default-off at the end of December 2026, administrators can turn it back on until the final removal, whose
    // date is announced in H2 2027. High Volume Email keeps Basic for internal recipients until September 2028 [3P];
    // connector relay and Direct Send do not use SMTP AUTH (docs/MICROSOFT-FACTS-2026-12.md).
    cause: () => 'Microsoft refuses user name and password for SMTP submission (550 5.7.30). Basic authentication for SMTP AUTH is off by default for existing tenants from the end of December 2026; an administrator can still turn it back on until the final removal, whose date Microsoft announces in the second half of 2027. OAuth (XOAUTH2) is the way that stays.',
    fix: () => [
      { text: 'Move the system to OAuth (XOAUTH2): on the Start screen choose **My system still sends with a password**, pick the system, and let the Test step send one message with OAuth before switching the system over.' },
      { text: 'For a device or application that cannot do OAuth: a connector relay or Direct Send do not use SMTP AUTH at all; High Volume Email accepts Basic authentication for internal recipients until September 2028.' },
    ],
  },
  'roundtrip-not-arrived': {
    title: (c) => `The test message did not arrive in ${mb(c)} in time`,
    cause: () => 'SMTP accepted the message but it was not seen over IMAP within the time allowed: delivery is slow, or mail to this mailbox is redirected or filtered.',
    fix: (c) => [{ text: 'Run the check again; look for the test message in Junk and in transport rules.' }, { text: 'Message trace (Exchange Online PowerShell):', command: `Get-MessageTrace -RecipientAddress ${psQuote(mb(c))} -StartDate (Get-Date).AddHours(-1) -EndDate (Get-Date)` }],
    transient: true,
  },
  'graph-unauthorized': {
    title: () => 'Microsoft Graph refused the token',
    cause: () => 'The token is not a Graph token, has expired, or is malformed.',
    fix: (c) => [apiPermissions(c), signInAgain],
  },
  'graph-forbidden': {
    title: (c) => `Microsoft Graph refused access to ${mb(c)}`,
    cause: (c) => c.flow === 'app-only' ? `The app lacks Mail.Read/Mail.Send application permissions with admin consent, or ${mb(c)} is not in the app's scope: an Exchange role assignment (RBAC for Applications) whose management scope leaves the mailbox out, or an older Application Access Policy that excludes it.` : 'The signed-in account has no access to this mailbox, or Mail.ReadWrite/Mail.Send were not consented.',
    fix: (c) => c.flow === 'app-only'
      ? [
          apiPermissions(c),
          adminConsent(c),
          { text: `Check whether Exchange puts ${mb(c)} in the app's scope (InScope True/False per role), and list older Application Access Policies:`, command: `${exchangeConnect(c)}\nTest-ServicePrincipalAuthorization -Identity <enterprise-app-object-id> -Resource ${psQuote(mb(c))}\nGet-ApplicationAccessPolicy` },
        ]
      : [apiPermissions(c), adminConsent(c)],
  },
  'graph-mailbox-not-found': {
    title: (c) => `Microsoft Graph found no mailbox ${mb(c)}`,
    cause: () => 'The user does not exist in this tenant or has no Exchange Online mailbox (no licence, or a guest).',
    fix: (c) => [{ text: `Check the address, and that ${mb(c)} has an Exchange Online licence.`, link: { label: 'Open Active users', url: portal.activeUsers() } }],
  },
  'network-dns': {
    title: (c) => `The name ${c.evidence.host ?? 'of the server'} could not be found`,
    cause: () => 'DNS does not know the host: a typo in an endpoint override, no internet access, or a DNS filter.',
    fix: () => [{ text: 'Check the host name and the machine\'s DNS / internet access; behind a proxy, set the proxy in the profile.' }],
    transient: true,
  },
  'network-refused': {
    title: (c) => `${c.evidence.host ?? 'The server'}${c.evidence.port ? `:${c.evidence.port}` : ''} refused the connection`,
    cause: () => 'Nothing listens on that port, or a firewall rejects it.',
    fix: () => [{ text: 'Check the port (IMAP 993, SMTP 587) and ask the network team to allow outgoing connections to it.' }],
    transient: true,
  },
  'network-timeout': {
    title: (c) => `No answer from ${c.evidence.host ?? 'the server'}${c.evidence.port ? `:${c.evidence.port}` : ''} in time`,
    cause: () => 'The connection did not complete within the time allowed: a firewall silently drops the traffic, or the network is very slow.',
    fix: () => [{ text: 'Ask the network team to allow outgoing connections to this host and port; then run the check again.' }],
    transient: true,
  },
  'network-black-hole': {
    title: (c) => `${c.evidence.host ?? 'The server'}${c.evidence.port ? `:${c.evidence.port}` : ''} accepted the connection but never answered`,
    cause: () => 'Something (often a firewall, proxy or antivirus intercepting mail ports) accepts connections but does not pass the traffic on.',
    fix: () => [{ text: 'Ask the network team whether mail ports are intercepted; check the endpoint override and port.' }],
    transient: true,
  },
  'network-reset': {
    title: (c) => `${c.evidence.host ?? 'The server'} closed the connection abruptly`,
    cause: () => 'The connection was reset: a firewall, proxy or the server dropped it.',
    fix: () => [{ text: 'Run the check again; if it persists, ask the network team about interception of this port.' }],
    transient: true,
  },
  'network-proxy': {
    title: () => 'The proxy refused or failed the connection',
    cause: () => 'The configured proxy could not be reached or refused to connect onward.',
    fix: () => [{ text: 'Check the proxy URL in the profile and that it allows CONNECT to the Microsoft hosts.' }],
    transient: true,
  },
  'tls-untrusted': {
    title: (c) => `The certificate of ${c.evidence.host ?? 'the server'} is not trusted`,
    cause: () => 'The server presented a certificate from an authority this machine does not trust: usually corporate TLS inspection.',
    fix: () => [{ text: 'Add the organisation\'s inspection CA certificate (PEM) under extra CA certificates in the profile, or exempt Microsoft hosts from inspection.' }],
  },
  'tls-expired': {
    title: (c) => `The certificate of ${c.evidence.host ?? 'the server'} has expired`,
    cause: () => 'The server (or an inspecting proxy) presents an expired certificate, or this machine\'s clock is wrong.',
    fix: () => [{ text: 'Check the machine\'s date and time; ask the network team to renew the inspection certificate.' }],
  },
  'tls-hostname': {
    title: (c) => `The certificate of ${c.evidence.host ?? 'the server'} is for another name`,
    cause: () => 'The certificate does not cover the host name connected to: a wrong endpoint override, or interception.',
    fix: () => [{ text: 'Use the exact host name from the cloud\'s defaults (e.g. outlook.office365.com), not an IP address or alias.' }],
  },
  throttled: {
    title: () => 'Microsoft asked to slow down',
    cause: (c) => `The service is throttling requests (HTTP ${c.evidence.httpStatus ?? '429/503'}); the assistant waited once${c.evidence.retryAfterSeconds !== undefined ? ` (${c.evidence.retryAfterSeconds} s as asked)` : ''} and it was still busy.`,
    fix: () => [{ text: 'Wait a few minutes and run the check again.' }],
    transient: true,
  },
  unrecognised: {
    title: () => 'Something failed that the assistant does not recognise',
    cause: () => 'The error below is shown exactly as received (secrets removed) rather than guessing at a cause.',
    fix: () => [{ text: 'Read the text below; copy it into a support ticket if it is not clear.' }],
  },
};

export function catalogueEntry(code: DiagnosisCode): Entry {
  return entries[code];
}
