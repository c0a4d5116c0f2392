/** The app registration itself, read and changed through Microsoft Graph (registration engine). */
import { portal } from '../links';
import { adminConsent, apiPermissions, authentication, credentials, overview, type CatalogueContext, type Entry } from '../entry';
import type { RegistrationCode, RegistrationEngineCode, RegistrationHandoffCode, RegistrationLintCode } from './registration.codes';

// --- Graph errors, admin sign-in and apply (engine: electron/engine/registration) -------------
// The engine puts the failing step and what it knows into the evidence text ("while granting the
// Microsoft Graph application permission Mail.Send"; "created: ...; missing: ..."); entries read it.

/** Microsoft Graph app roles need a Privileged Role Administrator (grant-admin-consent doc, REGISTRATION-FACTS 2.9). */
const needsPrivilegedRole = (c: CatalogueContext) => /Microsoft Graph application permission/i.test(c.evidence.text) || (c.flow === 'app-only' && c.api === 'graph' && /application permission|appRoleAssignedTo/i.test(c.evidence.text));
const roleNeeded = (c: CatalogueContext) =>
  needsPrivilegedRole(c)
    ? 'Privileged Role Administrator or Global Administrator (Microsoft Graph application permissions can only be granted by these roles)'
    : 'Application Administrator or Cloud Application Administrator (enough to create the app and grant delegated mail permissions and Exchange Online application permissions)';
const roles = (c: CatalogueContext) => ({ text: `Sign in as an administrator with the Entra role ${roleNeeded(c)}, or ask one to run the registration (or the generated PowerShell / Azure CLI script).`, link: { label: 'Open Roles and administrators', url: 'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/RolesManagementMenuBlade/~/AllRoles' } });
const step = (c: CatalogueContext) => /\(while ([^)]+)\)/.exec(c.evidence.text)?.[1];
const policyLink = { label: 'Open App management policies', url: 'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/AppManagementPolicies.ReactView' };

const ENGINE_ENTRIES: Record<RegistrationEngineCode, Entry> = {
  'registration-role-required': {
    title: () => 'Microsoft Entra refused the change: the signed-in administrator lacks a role',
    cause: (c) => `Graph answered 403 Authorization_RequestDenied ("Insufficient privileges to complete the operation")${step(c) ? ` while ${step(c)}` : ''}. This needs the Entra role ${roleNeeded(c)}, and the admin sign-in must have been granted the permissions the assistant asked for.`,
    fix: (c) => [roles(c), { text: 'Then run the registration again: what was already created is found and reused, nothing is created twice.' }],
  },
  'registration-users-cannot-register': {
    title: () => 'This organisation does not let users register applications',
    cause: () => 'Entra\'s user setting "Users can register applications" is off, and the signed-in account has no role that may create app registrations anyway.',
    fix: (c) => [roles(c), { text: 'Or an administrator turns on **Users can register applications** (Entra admin center > Identity > Users > User settings).', link: { label: 'Open User settings', url: 'https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/UserSettings' } }],
  },
  'registration-secret-not-allowed': {
    title: () => 'The organisation\'s app management policy forbids client secrets',
    cause: () => 'Graph refused the new client secret with CredentialTypeNotAllowedAsPerAppPolicy: a tenant app management policy blocks password credentials for new apps.',
    fix: (c) => [{ text: 'An administrator who manages app management policies adds an exception for this app, or the system uses a certificate instead of a secret.', link: policyLink }, credentials(c)],
  },
  'registration-secret-lifetime': {
    title: () => 'The secret\'s lifetime is longer than the organisation allows',
    cause: (c) => `Graph refused the new client secret with CredentialInvalidLifetimeAsPerAppPolicy ("Credential lifetime exceeds the max value allowed as per assigned policy").${/max(?:imum)? lifetime ([^;)]+)/i.exec(c.evidence.text)?.[1] ? ` The policy allows at most ${/max(?:imum)? lifetime ([^;)]+)/i.exec(c.evidence.text)![1]}.` : ''}`,
    fix: () => [{ text: 'Run the registration again with a shorter secret lifetime (the assistant offers the policy\'s maximum), and note the earlier expiry date: the secret must be renewed before it.' }, { text: 'Or an administrator relaxes the policy.', link: policyLink }],
  },
  'registration-audience-not-allowed': {
    title: () => 'The organisation\'s policy does not allow these supported account types',
    cause: () => 'Graph refused the sign-in audience with SignInAudienceNotAllowedAsPerAppPolicy: an app management policy limits which account types new apps may accept.',
    fix: () => [{ text: 'An administrator allows the audience this system needs, or the profile uses an audience the policy allows (if the system supports it).', link: policyLink }],
  },
  'registration-token-version': {
    title: () => 'Personal Microsoft accounts need version 2 access tokens',
    cause: () => 'Graph refused the audience with InvalidAccessTokenVersion ("Property api.requestedAccessTokenVersion is invalid"): apps that accept personal accounts must set api.requestedAccessTokenVersion to 2.',
    fix: (c) => [{ text: 'The assistant sets requestedAccessTokenVersion = 2 together with the audience; run the registration again. In the portal: the app\'s **Manifest**, "requestedAccessTokenVersion": 2.', link: { label: 'Open the app', url: portal.app(c.clientId, 'Overview') } }],
  },
  'registration-throttled': {
    title: () => 'Microsoft Graph asked to slow down for longer than the assistant waits',
    cause: (c) => `Graph answered HTTP ${c.evidence.httpStatus ?? 429}${c.evidence.retryAfterSeconds !== undefined ? ` with Retry-After ${c.evidence.retryAfterSeconds} s` : ''}, and the wait did not fit in the time allowed.`,
    fix: () => [{ text: 'Wait a few minutes and run the registration again: what was already done is found and kept.' }],
    transient: true,
  },
  'registration-replication-timeout': {
    title: () => 'Microsoft Entra did not finish replicating the new app in time',
    cause: (c) => `Entra ID needs time (no documented limit) before a new app or service principal can be referenced. The assistant retried within its time budget and stopped. ${/created: [^|]*/.exec(c.evidence.text)?.[0] ?? ''}`.trim(),
    fix: () => [{ text: 'Wait a few minutes and run the registration again: it finds what was created (by client ID or display name) and adds only what is still missing.' }],
    transient: true,
  },
  'registration-graph-error': {
    title: () => 'Microsoft Graph refused a change to the registration',
    cause: (c) => `Graph answered: ${c.evidence.text.slice(0, 300)}`,
    fix: (c) => [apiPermissions(c), { text: 'Read the error text and the request id below; run the registration again after fixing the cause.' }],
  },
  'registration-step-not-attempted': {
    title: () => 'A change was not attempted because an earlier one failed',
    cause: () => 'The change depends on an earlier step (the app or its enterprise application) that did not complete.',
    fix: () => [{ text: 'Fix the first failure listed and run the registration again.' }],
  },
  'registration-cancelled': {
    title: () => 'The registration was cancelled',
    cause: () => 'It was stopped before every change was made; what is listed as applied was made and verified.',
    fix: () => [{ text: 'Run the registration again to finish it: existing parts are found and reused.' }],
  },
  'registration-admin-consent-needed': {
    title: () => 'The administrator sign-in needs consent for the registration permissions',
    cause: () => 'The sign-in application (Microsoft Graph Command Line Tools by default) has not been granted the permissions the assistant asks for, and the signed-in account may not consent to them for the organisation.',
    fix: () => [{ text: 'Sign in as a Global Administrator or Privileged Role Administrator who can consent for the organisation, or set your organisation\'s own admin client ID (Settings, or --admin-client-id) whose permissions are already consented.' }],
  },
};
// --- end of engine block ---


// --- Lint findings (pure: shared/registration/diff.ts) ------------------------------------------
// The finding's one-line summary (what exactly differs) is the evidence text; entries say why it
// matters and how to fix it in the portal. "Fix it for me" runs the registration engine's plan.

const said = (c: CatalogueContext) => (c.evidence.text ? ` ${c.evidence.text.replace(/\.?$/, '.')}` : '');
const enterpriseApp = (c: CatalogueContext) => ({
  text: "Open **Entra ID > Enterprise apps**, search the app's name or client ID, and open it (the **Managed application in local directory** link on the app's Overview leads there too).",
  link: { label: 'Open the app Overview', url: portal.app(c.clientId, 'Overview') },
});
const engineFix = { text: 'Or let the assistant fix it: **Fix the registration** (or `mail-oauth register <profile>`) shows the change first, then makes it.' };
const redirectFix = (c: CatalogueContext) => [authentication(c), { text: `Under the **Web** platform's **Redirect URIs**, make the address read exactly ${c.redirectUri ?? 'as the assistant shows it'} (scheme, host, port, path, case and trailing slash all count), remove the near-miss, and click **Save**.` }, engineFix];

const LINT_ENTRIES: Record<RegistrationLintCode, Entry> = {
  'registration-desired-incomplete': {
    title: () => 'The assistant cannot work out the registration yet: a detail is missing',
    cause: (c) => `A value the registration is computed from (the system's web address, a name) is still empty, so the redirect URI is not known.${said(c)}`,
    fix: () => [{ text: 'Go back to **Details**, fill in the missing value, and check or create the registration again.' }],
  },
  'registration-app-missing': {
    title: () => 'There is no app registration with this client ID',
    cause: (c) => `Microsoft Entra has no application with client ID ${c.clientId || '(empty)'} in this organisation: it was never created, was deleted, or lives in another tenant. Every sign-in fails with AADSTS700016.`,
    fix: (c) => [overview(c), { text: 'Copy the **Application (client) ID** from the right app, or let the assistant create the registration: **Create the registration** (or `mail-oauth register <profile>`).' }],
  },
  'registration-redirect-missing': {
    title: () => 'A redirect URI the system uses is not registered',
    cause: (c) => `Microsoft only returns a sign-in to addresses listed on the app's Authentication page; this one is not there, so the sign-in ends with AADSTS50011.${said(c)}`,
    fix: (c) => [authentication(c), { text: `**Add a platform > Web** (or **Add URI** under the existing Web platform) and paste exactly ${c.redirectUri ?? 'the address the assistant shows'}, then **Save**.` }, engineFix],
  },
  'registration-redirect-wrong-platform': {
    title: () => 'The redirect URI is registered under the wrong platform',
    cause: (c) => `The address is listed, but under another platform than the system uses. A system that keeps a client secret needs it under **Web**; under **Mobile and desktop applications** Microsoft treats the app as public and refuses the secret (AADSTS700025), and the other way round it demands one (AADSTS7000218).${said(c)}`,
    fix: (c) => [authentication(c), { text: 'Remove the address from the wrong platform and add it under the platform the assistant names, then **Save**.' }, engineFix],
  },
  'registration-redirect-differs-case': {
    title: () => 'The registered redirect URI differs only in upper/lower case',
    cause: (c) => `Redirect URIs are compared case-sensitively: Microsoft answers AADSTS50011 although the address looks the same.${said(c)}`,
    fix: redirectFix,
  },
  'registration-redirect-differs-scheme': {
    title: () => 'The registered redirect URI uses http where https is used (or the reverse)',
    cause: (c) => `The scheme is part of the address: http and https are different redirects (AADSTS50011, or AADSTS500112 behind a proxy that rewrites https to http).${said(c)}`,
    fix: redirectFix,
  },
  'registration-redirect-differs-port': {
    title: () => 'The registered redirect URI has a different port',
    cause: (c) => `The port is part of the address (except for localhost on a desktop app): the sign-in ends with AADSTS50011.${said(c)}`,
    fix: redirectFix,
  },
  'registration-redirect-differs-trailing-slash': {
    title: () => 'The registered redirect URI differs by a trailing slash',
    cause: (c) => `"…/confirm" and "…/confirm/" are different redirects for Microsoft: the sign-in ends with AADSTS50011.${said(c)}`,
    fix: redirectFix,
  },
  'registration-audience-single-tenant': {
    title: () => 'The app accepts only your organisation, but the system signs in through /common',
    cause: (c) => `The app's Supported account types is "this organizational directory only", while the system signs in through Microsoft's shared /common or /organizations address. Microsoft refuses that for apps created after October 2018 with AADSTS50194.${said(c)}`,
    fix: (c) => [{ text: "Open the app's **Authentication** page (newer portal: **Supported accounts**) and choose the account type the assistant names, then **Save**; or, if the system can be told your tenant (Odoo/Flectra's endpoint system parameter), set that instead.", link: { label: 'Open Authentication', url: portal.app(c.clientId, 'Authentication') } }, engineFix],
  },
  'registration-audience-no-personal': {
    title: () => 'The app does not accept personal Microsoft accounts',
    cause: (c) => `The system is set up for personal Microsoft accounts (Outlook.com) too, but the app accepts only work or school accounts: such users get AADSTS50020.${said(c)}`,
    fix: (c) => [authentication(c), { text: 'Change **Supported account types** to include personal Microsoft accounts (the app must also use version 2 access tokens: the assistant sets both).' }, engineFix],
  },
  'registration-audience-mismatch': {
    title: () => "The app's supported account types differ from what this setup needs",
    cause: (c) => `The app accepts other accounts than the profile chose. Wider than needed lets more people sign in to it; narrower makes some sign-ins fail.${said(c)}`,
    fix: (c) => [authentication(c), { text: 'Choose the **Supported account types** the assistant names, or change the profile\'s "Whose mailboxes will connect" to match the app.' }, engineFix],
  },
  'registration-token-version-missing': {
    title: () => 'Personal accounts need version 2 access tokens, and the app asks for version 1',
    cause: (c) => `Apps that accept personal Microsoft accounts must set api.requestedAccessTokenVersion to 2; Graph refuses changes otherwise (InvalidAccessTokenVersion).${said(c)}`,
    fix: (c) => [{ text: 'Open the app\'s **Manifest** and set "requestedAccessTokenVersion": 2 (older manifest: "accessTokenAcceptedVersion": 2), then **Save**.', link: { label: 'Open the app', url: portal.app(c.clientId, 'Overview') } }, engineFix],
  },
  'registration-public-client-off': {
    title: () => 'Public client flows are off for this app',
    cause: (c) => `Signing in with a device code (or as the system's guide asks) needs **Allow public client flows** = Yes; without it Microsoft answers AADSTS7000218 ("must contain client_assertion or client_secret").${said(c)}`,
    fix: (c) => [authentication(c), { text: 'Under **Advanced settings > Allow public client flows**, set **Enable the following mobile and desktop flows** to **Yes** and **Save**.' }, engineFix],
  },
  'registration-implicit-grant-off': {
    title: () => "Implicit grant settings the system's guide asks for are off",
    cause: (c) => `The guide asks for access tokens and ID tokens under "Implicit grant and hybrid flows"; the system's own sign-in may fail without them.${said(c)}`,
    fix: (c) => [authentication(c), { text: 'Under **Implicit grant and hybrid flows**, tick **Access tokens (used for implicit flows)** and **ID tokens (used for implicit and hybrid flows)**, then **Save**.' }, engineFix],
  },
  'registration-resource-missing': {
    title: () => 'This organisation has no service principal for a Microsoft API the system needs',
    cause: (c) => `The permissions cannot be looked up or granted because the API (for example Office 365 Exchange Online) is not present in this tenant, usually because no licence includes it.${said(c)}`,
    fix: () => [{ text: 'A Microsoft 365 administrator checks that the organisation has Exchange Online (a licence that includes it) and that the mailbox exists, then runs the registration again.' }],
  },
  'registration-permission-missing': {
    title: () => 'A permission the system needs is not configured',
    cause: (c) => `The app does not list the permission under **Configured permissions**, so the token will not carry it (IMAP/SMTP then fail with "AUTHENTICATE failed" / 535 5.7.3, Graph with 403).${said(c)}`,
    fix: (c) => [apiPermissions(c), { text: '**Add a permission**, pick the API and type the assistant names (Delegated or Application), tick the permission, **Add permissions**, then grant admin consent.' }, engineFix],
  },
  'registration-permission-wrong-type': {
    title: () => 'A permission is configured as the wrong type (application instead of delegated, or the reverse)',
    cause: (c) => `Delegated permissions act as the signed-in user; application permissions act with no one signed in. The system uses the other kind, so its token lacks the permission.${said(c)}`,
    fix: (c) => [apiPermissions(c), { text: 'Remove the wrong entry (… > **Remove permission**) and add the same permission under the type the assistant names, then grant admin consent.' }, engineFix],
  },
  'registration-permission-wrong-resource': {
    title: () => 'A permission is configured under the wrong API',
    cause: (c) => `Permissions with the same name exist under Microsoft Graph and Office 365 Exchange Online, and they are not interchangeable: app-only IMAP/SMTP needs Office 365 Exchange Online, Graph mail needs Microsoft Graph.${said(c)}`,
    fix: (c) => [apiPermissions(c), { text: 'Remove the entry under the wrong API and add it under the API the assistant names (**APIs my organization uses** finds Office 365 Exchange Online), then grant admin consent.' }, engineFix],
  },
  'registration-permission-not-needed': {
    title: () => 'The app has a permission this system does not need',
    cause: (c) => `Least privilege: every permission the app holds is one more thing a leaked secret could do. Application permissions on Microsoft Graph mail reach every mailbox in the organisation.${said(c)}`,
    fix: (c) => [apiPermissions(c), { text: 'If nothing else uses this app, remove the permission (… > **Remove permission**; for granted ones also **Revoke admin consent**). The assistant never removes permissions by itself.' }],
  },
  // Issue 19, safe by default: Graph application mail permissions reach every mailbox unless Exchange scopes them
  // (learn.microsoft.com/graph/auth-limit-mailbox-access; additive with the Exchange scope, REGISTRATION-FACTS 4.3).
  'registration-mail-every-mailbox': {
    title: (c) => (/admin-consented tenant-wide/.test(c.evidence.text) ? 'The app can reach every mailbox in your organisation' : 'Consenting these permissions would open every mailbox in your organisation'),
    cause: (c) =>
      `Microsoft Graph application permissions for mail (Mail.Read, Mail.Send…), consented in Entra, work for every mailbox in the organisation, with no one signed in. Exchange's RBAC for Applications grants the same permissions for named mailboxes only (a management scope and a role assignment); the two add up, so a tenant-wide consent keeps every mailbox open whatever Exchange limits.${said(c)}`,
    fix: (c) => [
      { text: 'An Exchange administrator runs the step “Limit the app to …” shown with the findings (Exchange Online PowerShell, the ids filled in): the app then reaches this mailbox only.' },
      ...(/admin-consented tenant-wide/.test(c.evidence.text) ? [{ ...apiPermissions(c), text: 'Then, under **API permissions**, revoke the admin consent for these Microsoft Graph mail permissions (… > **Revoke admin consent**). The assistant never removes permissions by itself.' }] : []),
      { text: 'To let the app reach every mailbox instead, choose “Every mailbox in your organisation” on the fix plan: the plan then grants the consent, and says so.' },
    ],
  },
  'registration-service-principal-missing': {
    title: () => 'The app has no enterprise application in this organisation',
    cause: (c) => `Consent, assignment and Exchange's app registration all hang on the enterprise application (service principal). Without it, no one can consent and app-only tokens cannot be issued.${said(c)}`,
    fix: (c) => [adminConsent(c), { text: 'Granting admin consent creates the enterprise application; or let the assistant create it.' }, engineFix],
  },
  'registration-consent-missing': {
    title: () => 'A permission is configured but not granted',
    cause: (c) => `The permission is listed but its **Status** is not "Granted for <tenant>": users see "Need admin approval" (AADSTS65001 / 90094), and application permissions do nothing at all until consented.${said(c)}`,
    fix: (c) => [apiPermissions(c), { text: 'Click **Grant admin consent for <tenant>**, answer **Yes**, **Refresh**: every status must read **Granted for <tenant>**. Microsoft Graph application permissions need a Privileged Role Administrator or Global Administrator.' }, adminConsent(c), engineFix],
  },
  'registration-consent-not-declared': {
    title: () => 'A permission is granted but not configured on the app',
    cause: (c) => `The permission was consented but is missing from the app's configured permissions, so the portal lists it under "Other permissions granted" and a later "Grant admin consent" can drop it.${said(c)}`,
    fix: (c) => [apiPermissions(c), { text: 'Add the same permission under **Configured permissions** (**Add a permission**), so what is configured and what is granted agree.' }, engineFix],
  },
  'registration-assignment-not-required': {
    title: () => "The enterprise application lets anyone in the organisation sign in, and the system's guide restricts it",
    cause: (c) => `The guide asks to assign the people who may use the app ("Users and groups"); that restriction only applies when **Assignment required?** is Yes.${said(c)}`,
    fix: (c) => [enterpriseApp(c), { text: 'Open **Properties**, set **Assignment required?** to **Yes**, **Save**, and assign the mailbox user under **Users and groups**.' }, engineFix],
  },
  'registration-mailbox-not-assigned': {
    title: () => 'The mailbox user is not assigned to the app, and assignment is required',
    cause: (c) => `With **Assignment required?** = Yes, only assigned users may sign in; ${c.mailbox || 'the mailbox user'} is not assigned (directly), so the sign-in fails with AADSTS50105.${said(c)}`,
    fix: (c) => [enterpriseApp(c), { text: `Open **Users and groups > Add user/group**, click **None Selected**, pick ${c.mailbox || 'the mailbox user'}, **Select**, **Assign**.` }, engineFix],
  },
  'registration-mailbox-user-not-found': {
    title: () => 'The mailbox user does not exist in this organisation',
    cause: (c) => `No user ${c.mailbox || ''} was found in the tenant, so it cannot be assigned to the app. The address may be an alias, a shared mailbox's address, or in another tenant.${said(c)}`,
    fix: () => [{ text: 'Check the mailbox address (its sign-in name, UPN) in **Microsoft 365 admin center > Users > Active users**, correct it in the profile, and run the check again.', link: { label: 'Open Active users', url: portal.activeUsers() } }],
  },
  'registration-secret-none': {
    title: () => 'The app has no client secret',
    cause: (c) => `The system signs in with a client secret, and the app has none: every token request fails (AADSTS7000215 / 7000218).${said(c)}`,
    fix: (c) => [credentials(c), { text: '**New client secret**, copy the **Value** at once and paste it into the assistant; or let the assistant create it (its Value goes straight into the protected store).' }, engineFix],
  },
  'registration-secret-expired': {
    title: () => "The app's client secrets have all expired",
    cause: (c) => `After its end date Microsoft refuses a secret (AADSTS7000222), in every system that uses it.${said(c)}`,
    fix: (c) => [credentials(c), { text: 'Create a **New client secret**, update every system that used the old one, then delete the expired one. The assistant adds a new secret but never deletes one without asking.' }, engineFix],
  },
  'registration-secret-expiring': {
    title: () => 'The client secret expires within 30 days',
    cause: (c) => `On its end date the system stops sending and reading mail at once.${said(c)}`,
    fix: (c) => [credentials(c), { text: 'Create a **New client secret** now, put its **Value** into the system, check mail works, then delete the old secret.' }, engineFix],
  },
  'registration-secret-typed-is-id': {
    title: () => 'The secret entered is the Secret ID, not the secret Value',
    cause: (c) => `It equals the **Secret ID** (a GUID) of one of the app's secrets. Microsoft needs the **Value**, the longer text shown only once; the Secret ID is refused with AADSTS7000215.${said(c)}`,
    fix: (c) => [credentials(c), { text: 'Copy the **Value** column (not **Secret ID**). If it shows only as "abc***", it cannot be read again: create a **New client secret** and copy its Value right away.' }],
  },
  'registration-secret-typed-unknown': {
    title: () => 'The secret entered belongs to none of this app\'s secrets',
    cause: (c) => `Microsoft shows the first three characters of each secret (the hint); the entered value starts like none of them. It is another app's secret, a deleted one, or a typo, and would be refused with AADSTS7000215.${said(c)}`,
    fix: (c) => [credentials(c), { text: 'Compare with the **Value** column\'s first characters; if the Value is no longer readable, create a **New client secret** and paste its Value.' }],
  },
  'registration-secret-typed-expired': {
    title: () => 'The secret entered is one that has expired',
    cause: (c) => `Its first characters match a secret whose end date has passed; a newer secret exists. Microsoft refuses the expired one (AADSTS7000222).${said(c)}`,
    fix: (c) => [credentials(c), { text: 'Paste the current secret\'s **Value** (or create a **New client secret**), and update the system too.' }],
  },
  'registration-secrets-blocked': {
    title: () => "The organisation's policy forbids client secrets for this app",
    cause: (c) => `A tenant app management policy blocks new password credentials, and the system needs one.${said(c)}`,
    fix: () => [{ text: 'An administrator who manages app management policies adds an exception for this app, or the system signs in with a certificate instead (where it supports one).', link: policyLink }],
  },
  'registration-secret-lifetime-capped': {
    title: () => "The organisation's policy allows shorter secrets than planned",
    cause: (c) => `A tenant app management policy caps the lifetime of new secrets; the assistant uses the policy's maximum instead, so the secret must be renewed sooner.${said(c)}`,
    fix: () => [{ text: 'Nothing to do now; note the earlier expiry date (the assistant makes a reminder).' }],
  },
};
// --- end of lint block ---

// The sealed hand-off: the file the administrator's script wrote, opened by main (electron/app/sealed-handoff.ts).
const sendScriptAgain = { text: 'Make the script again under “Send the steps to my administrator” on this computer, in this connection, and ask your administrator to run that one: it seals the secret to this assistant\'s key. Do not ask for the secret Value by mail or chat.' };
const HANDOFF_ENTRIES: Record<RegistrationHandoffCode, Entry> = {
  'registration-handoff-not-sealed': {
    title: () => 'This is not a sealed secret file from the administrator\'s script',
    cause: () => 'The file picked is not the small .sealed-secret.json file the script writes (it is another file, empty, or larger than such a file can be). Nothing was read from it and nothing was stored.',
    fix: () => [{ text: 'Pick the file that ends in .sealed-secret.json: the script names it in its last lines, in the folder it was run from.' }, sendScriptAgain],
  },
  'registration-handoff-other-key': {
    title: () => 'This file was sealed for another connection or another computer',
    cause: () => 'The file is sealed to a key this connection does not hold: it came from a script made for another connection, on another computer, or before this connection was deleted and made again. Only the assistant that made the script can open it; nothing was stored.',
    fix: () => [{ text: 'Open the connection the script was made for, on the computer it was made on, and open the file there.' }, sendScriptAgain],
  },
  'registration-handoff-tampered': {
    title: () => 'The sealed file was changed or damaged on the way, so it was refused',
    cause: () => 'The file names this connection\'s key, but its sealed content does not decrypt (RSA-OAEP refuses any changed byte) or does not hold an app, a tenant and a secret. Nothing from it was stored.',
    fix: () => [{ text: 'Ask your administrator to send the same file again as an attachment, unchanged (not pasted into a message or re-saved by an editor).' }, sendScriptAgain],
  },
};

export const REGISTRATION_ENTRIES: Record<RegistrationCode, Entry> = {
  ...ENGINE_ENTRIES,
  ...HANDOFF_ENTRIES,
  ...LINT_ENTRIES,
};
