/**
 * Checklist steps shared by several targets. Bodies are Markdown; every label the user must find
 * on a portal screen is in **bold**, spelled as PORTAL-STEPS.md spells it.
 */
import { ACCOUNT_TYPES } from './account-types';
import { PERMISSIONS, type PermissionKey } from './permissions';
import { adminConsentUrl, appPageUrl, enterpriseAppUrl, M365_ACTIVE_USERS, newRegistrationUrl } from './portal-links';
import type { Step, TargetContext } from './types';

const code = (v: string): string => `\`${v}\``;

export function registerStep(ctx: TargetContext, opts: { system: string; why: string; redirect?: string; extra?: string }): Step {
  const accountType = ACCOUNT_TYPES[ctx.audience];
  const lines = [
    'Open **Entra ID > App registrations > New registration** (older portal: **Identity > Applications > App registrations > New registration**).',
    '',
    `1. **Name**: ${code(ctx.appName)}. People who sign in see this name; anything recognizable works.`,
    `2. **Supported account types**: **${accountType.label}**. ${opts.why}`,
  ];
  if (opts.redirect) {
    lines.push(`3. **Redirect URI (optional)**: choose **Web** as the platform and paste ${code(opts.redirect)}. It must match exactly, including https and without a trailing slash.`);
    lines.push('4. Click **Register**.');
  } else {
    lines.push('3. Leave **Redirect URI (optional)** empty and click **Register**.');
  }
  if (opts.extra) lines.push('', opts.extra);
  const copy = [{ label: 'Name', value: ctx.appName }];
  if (opts.redirect) copy.push({ label: 'Redirect URI (Web)', value: opts.redirect });
  return {
    id: 'register',
    title: `Create the app registration for ${opts.system}`,
    body: lines.join('\n'),
    where: 'entra',
    copy,
    link: { label: 'Open New registration in the portal', url: newRegistrationUrl() },
    illustration: 'new-registration',
  };
}

export function overviewStep(ctx: TargetContext, opts: { system: string; calledThere: string }): Step {
  return {
    id: 'copy-ids',
    title: "Copy the app's ID into the assistant",
    body: [
      `On the app's **Overview**, copy the **Application (client) ID** (${opts.system} calls it ${opts.calledThere}) and the **Directory (tenant) ID**, and paste both into the assistant.`,
      'The **Object ID** on that page is not needed.',
    ].join('\n'),
    where: 'entra',
    copy: [
      { label: 'Application (client) ID', value: ctx.clientId },
      { label: 'Directory (tenant) ID', value: ctx.tenant },
    ],
    link: { label: 'Open Overview in the portal', url: appPageUrl(ctx.profile.clientId, 'Overview') },
    illustration: 'app-overview',
  };
}

export function authenticationStep(
  ctx: TargetContext,
  opts: { uris: string[]; implicit?: boolean; publicClientFlows?: boolean; title?: string },
): Step {
  const lines = [
    'Open **Authentication**, then **Add a platform > Web** (newer portal: **Redirect URI configuration > Add Redirect URI > Web**).',
    `Under **Redirect URIs**, make sure each of these is listed, exactly as shown: ${opts.uris.map(code).join(', ')}.`,
  ];
  if (opts.implicit)
    lines.push(
      'Under **Implicit grant and hybrid flows**, tick **Access tokens (used for implicit flows)** and **ID tokens (used for implicit and hybrid flows)** (newer portal: tab **Settings**).',
    );
  if (opts.publicClientFlows)
    lines.push('Under **Advanced settings > Allow public client flows**, set **Enable the following mobile and desktop flows** to **Yes**.');
  lines.push('Click **Save**.');
  return {
    id: 'authentication',
    title: opts.title ?? 'Tell Microsoft where the sign-in may return',
    body: lines.join('\n'),
    where: 'entra',
    copy: opts.uris.map((u) => ({ label: 'Redirect URI (Web)', value: u })),
    link: { label: 'Open Authentication in the portal', url: appPageUrl(ctx.profile.clientId, 'Authentication') },
    illustration: 'add-platform-web',
  };
}

export function permissionsStep(ctx: TargetContext, opts: { system: string; keys?: PermissionKey[]; note?: string }): Step {
  const keys = opts.keys ?? ctx.permissions;
  const perms = keys.map((k) => PERMISSIONS[k]);
  const lines: string[] = ['Open **API permissions > Add a permission**.'];
  const groups = [
    { resource: 'Microsoft Graph', type: 'delegated', how: '**Microsoft Graph > Delegated permissions**' },
    { resource: 'Microsoft Graph', type: 'application', how: '**Microsoft Graph > Application permissions**' },
    {
      resource: 'Office 365 Exchange Online',
      type: 'application',
      how: '**APIs my organization uses**, search **Office 365 Exchange Online**, then **Application permissions**',
    },
  ] as const;
  for (const group of groups) {
    const names = perms.filter((p) => p.resource === group.resource && p.type === group.type && !('addedByDefault' in p && p.addedByDefault)).map((p) => p.name);
    if (names.length === 0) continue;
    lines.push(`- Choose ${group.how}, tick ${names.map((n) => `**${n}**`).join(', ')} under **Select permissions** (typing the first letters finds them), then **Add permissions**.`);
  }
  if (perms.some((p) => 'addedByDefault' in p && p.addedByDefault)) lines.push('**User.Read** is already listed by default: keep it.');
  lines.push(`They now show under **Configured permissions**. ${opts.note ?? ''}`.trim());
  return {
    id: 'permissions',
    title: `Let ${opts.system} read and send mail`,
    body: lines.join('\n'),
    where: 'entra',
    copy: perms.map((p) => ({ label: `${p.resource}, ${p.type}`, value: p.name })),
    link: { label: 'Open API permissions in the portal', url: appPageUrl(ctx.profile.clientId, 'CallAnAPI') },
    illustration: 'api-permissions',
  };
}

export function adminConsentStep(ctx: TargetContext, opts: { required: boolean }): Step {
  const tenantName = '<tenant>';
  const url = adminConsentUrl(ctx.hosts.signInHost, ctx.profile.tenant, ctx.profile.clientId);
  const lines = [
    `On **API permissions**, click **Grant admin consent for ${tenantName}**, answer **Yes**, then **Refresh**. Each permission's **Status** must show **Granted for ${tenantName}**.`,
    opts.required
      ? 'Application permissions do nothing until an administrator grants consent (Microsoft Graph application permissions need a Privileged Role Administrator; Cloud Application Administrator is enough otherwise).'
      : 'Needed when users of your organization may not consent to apps themselves ("Need admin approval"); harmless otherwise.',
  ];
  return {
    id: 'admin-consent',
    title: opts.required ? 'Have an administrator approve the permissions' : 'Approve the permissions for everyone (if your organization requires it)',
    body: lines.join('\n'),
    where: 'entra',
    copy: url ? [{ label: 'Admin consent link', value: url }] : [],
    link: url ? { label: 'Open the admin consent page', url } : { label: 'Open API permissions in the portal', url: appPageUrl(ctx.profile.clientId, 'CallAnAPI') },
    illustration: 'admin-consent',
    optional: !opts.required,
  };
}

export function secretStep(ctx: TargetContext, opts: { system: string; description: string; keepSecretId?: boolean; fieldThere: string }): Step {
  const lines = [
    'Open **Certificates & secrets > Client secrets > New client secret**.',
    `- **Description**: ${code(opts.description)}.`,
    `- **Expires**: the longest your policy allows (at most 24 months; Microsoft recommends under 12). ${opts.system} stops sending and reading mail the day it expires: the assistant makes a calendar reminder.`,
    '- Click **Add**.',
    `Copy the **Value** now and paste it into the assistant: the portal shows it only once. It is what ${opts.system} calls ${opts.fieldThere}.`,
    opts.keepSecretId
      ? `Also copy the **Secret ID** (a GUID): ${opts.system} asks for it too, but it is NOT the secret.`
      : 'The **Secret ID** (a GUID) is not the secret and is not needed.',
    'Note the expiry date shown in the **Expires** column.',
  ];
  return {
    id: 'client-secret',
    title: `Create the password ${opts.system} will use (client secret)`,
    body: lines.join('\n'),
    where: 'entra',
    copy: [{ label: 'Description', value: opts.description }],
    link: { label: 'Open Certificates & secrets in the portal', url: appPageUrl(ctx.profile.clientId, 'Credentials') },
    illustration: 'certificates-secrets',
  };
}

export function assignUsersStep(ctx: TargetContext, opts: { system: string }): Step {
  return {
    id: 'assign-users',
    title: `Choose who may connect ${opts.system} to their mailbox`,
    body: [
      "On the app's **Overview**, open **Managed application in local directory** (the enterprise application).",
      `Open **Users and groups > Add user/group**, click **None Selected** under **Users and groups**, pick the people who will send mail from ${opts.system} (${ctx.mailbox}), click **Select**, then **Assign**.`,
      'Only needed when **Properties > Assignment required?** is **Yes**; assigning groups needs Entra ID P1/P2.',
    ].join('\n'),
    where: 'entra',
    copy: [{ label: 'User', value: ctx.mailbox }],
    link: { label: 'Open the enterprise application', url: enterpriseAppUrl(ctx.profile.clientId, ctx.inputs.servicePrincipalObjectId) },
    illustration: 'enterprise-app-users',
    optional: true,
  };
}

export function smtpAuthStep(ctx: TargetContext, opts: { imap: boolean }): Step {
  const cmd = `Set-CASMailbox -Identity ${ctx.mailbox} -SmtpClientAuthenticationDisabled $false`;
  const protocols = opts.imap ? '**IMAP** and **Authenticated SMTP**' : '**Authenticated SMTP**';
  return {
    id: 'mail-protocols',
    title: 'Make sure the mailbox may use IMAP and SMTP',
    body: [
      `In the **Microsoft 365 admin center**, open **Users > Active users**, select ${code(ctx.mailbox)}, then **Mail > Email apps: Manage email apps**. Tick ${protocols} and click **Save changes**.`,
      'New tenants and security defaults turn Authenticated SMTP off; signing in with OAuth does not bypass it. The mailbox setting overrides the tenant setting. Changes can take up to an hour.',
      `Or, in Exchange Online PowerShell: ${code(cmd)}`,
    ].join('\n'),
    where: 'm365-admin',
    copy: [
      { label: 'Mailbox', value: ctx.mailbox },
      { label: 'PowerShell', value: cmd },
    ],
    link: { label: 'Open Active users in the Microsoft 365 admin center', url: M365_ACTIVE_USERS },
    illustration: 'manage-email-apps',
    optional: true,
  };
}

export function exchangeServicePrincipalStep(ctx: TargetContext): Step {
  const sp = ctx.inputs.servicePrincipalObjectId || '<Object ID of the enterprise application>';
  const tenant = ctx.tenant;
  const commands = [
    `Connect-ExchangeOnline -Organization ${tenant}`,
    `New-ServicePrincipal -AppId ${ctx.clientId} -ObjectId ${sp}`,
    `Add-MailboxPermission -Identity ${ctx.mailbox} -User ${sp} -AccessRights FullAccess`,
    `Add-RecipientPermission -Identity ${ctx.mailbox} -Trustee ${sp} -AccessRights SendAs`,
  ];
  return {
    id: 'exchange-service-principal',
    title: 'Give the app access to the mailbox in Exchange Online',
    body: [
      'Application permissions alone do not open a mailbox over IMAP/SMTP: Exchange Online must know the app and which mailbox it may use.',
      'Find the **Object ID** under **Entra ID > Enterprise apps** > your app > **Overview**: it is the enterprise application\'s, NOT the **Object ID** on the app registration\'s page.',
      'Then, in Exchange Online PowerShell (an Exchange administrator):',
      ...commands.map((c) => `    ${c}`),
    ].join('\n'),
    where: 'exchange-powershell',
    copy: commands.map((c) => ({ label: 'PowerShell', value: c })),
    link: { label: 'Open the enterprise application', url: enterpriseAppUrl(ctx.profile.clientId, ctx.inputs.servicePrincipalObjectId) },
  };
}

export function proveStep(ctx: TargetContext, opts: { system: string }): Step {
  const what = ctx.flow === 'app-only' ? 'gets a token for the app (no one signs in)' : `opens a Microsoft sign-in: sign in as ${code(ctx.mailbox)}, not as yourself`;
  return {
    id: 'prove',
    title: 'Let the assistant prove it works before you touch the settings',
    body: `Back in the assistant, click **Run checks**. It ${what}, then tests ${ctx.checks.join(', ')} exactly as ${opts.system} will, and tells you what to fix if anything fails.`,
    where: 'assistant',
    copy: [],
  };
}
