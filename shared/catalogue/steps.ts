/**
 * Checklist steps shared by several targets. Bodies are Markdown; every label the user must find
 * on a portal screen is in **bold**, spelled as PORTAL-STEPS.md spells it.
 *
 * One source, two renderings: every Entra / Exchange step renders from `ctx.registration`, the
 * desired registration (shared/registration/derive.ts) that the registration engine creates and
 * lints, so the checklist and the engine can never disagree on the account type, the redirect
 * URIs, the permissions and their type, the secret or the assignment. A value that is not known yet
 * (a `<placeholder>`) is never offered for copying (issue 14 item 1).
 */
import { ACCOUNT_TYPES } from './account-types';
import { hasPlaceholder } from './context';
import { adminConsentUrl, appPageUrl, enterpriseAppUrl, M365_ACTIVE_USERS, newRegistrationUrl } from './portal-links';
import type { CopyValue, Step, TargetContext } from './types';
import type { DesiredPermission, DesiredRegistration, ManualStep, Platform } from '../registration/types';
import { EVERY_MAILBOX, everyMailboxWords, isGraphMailRole } from '../registration/reach';
import { PERMISSIONS } from './permissions';

const code = (v: string): string => `\`${v}\``;

/** A Copy value, or nothing while the value is unknown (empty or still a `<placeholder>`). */
export function known(label: string, value: string | undefined, secret?: boolean): CopyValue[] {
  if (!value || !value.trim() || (!secret && hasPlaceholder(value))) return [];
  return [secret ? { label, value, secret } : { label, value }];
}

/** The portal's name of each redirect platform (Add a platform / Redirect URI dropdown). */
export const PLATFORM_LABELS: Record<Platform, string> = {
  web: 'Web',
  spa: 'Single-page application (SPA)',
  publicClient: 'Public client/native (mobile & desktop)',
};

/** The label under which a redirect URI is offered for copying: "Redirect URI (Web)". */
export const redirectCopyLabel = (p: Platform): string => `Redirect URI (${PLATFORM_LABELS[p]})`;

/** The portal's label for a secret lifetime (the Expires list of New client secret). */
export function expiresLabel(months: number): string {
  const labels: Record<number, string> = {
    3: '90 days (3 months)',
    6: '180 days (6 months)',
    12: '365 days (12 months)',
    18: '545 days (18 months)',
    24: '730 days (24 months)',
  };
  return labels[months] ?? `Custom: ${months} months from today`;
}

function redirectsOf(reg: DesiredRegistration): Array<{ platform: Platform; uri: string }> {
  return (Object.keys(reg.redirectUris) as Platform[]).flatMap((platform) => reg.redirectUris[platform].map((uri) => ({ platform, uri })));
}

const isDefaultPermission = (p: DesiredPermission): boolean => p.resource === 'Microsoft Graph' && p.type === 'delegated' && p.name === 'User.Read';

/** The desired registration's manual step with this id (Exchange / admin center). */
export function manualStep(ctx: TargetContext, id: string): ManualStep | undefined {
  return ctx.registration.manualSteps.find((s) => s.id === id);
}

/** A manual step's command to copy, or nothing while it still holds a placeholder. */
function commandCopy(s: ManualStep | undefined, label = 'PowerShell'): CopyValue[] {
  if (!s || (s.unresolved && s.unresolved.length > 0) || hasPlaceholder(s.command)) return [];
  return [{ label, value: s.command }];
}

export function registerStep(
  ctx: TargetContext,
  opts: {
    system: string;
    why: string;
    /** @deprecated Ignored: the redirect comes from the desired registration (ctx.registration). */
    redirect?: string;
    extra?: string;
  },
): Step {
  const reg = ctx.registration;
  const accountType = ACCOUNT_TYPES[reg.audience];
  const first = redirectsOf(reg)[0];
  const lines = [
    'Open **Entra ID > App registrations > New registration** (older portal: **Identity > Applications > App registrations > New registration**).',
    '',
    `1. **Name**: ${code(reg.displayName)}. People who sign in see this name; anything recognizable works.`,
    `2. **Supported account types**: **${accountType.label}**. ${opts.why}`,
  ];
  if (first) {
    lines.push(
      `3. **Redirect URI (optional)**: choose **${PLATFORM_LABELS[first.platform]}** as the platform and paste ${code(first.uri)}. It must match exactly, including https and without a trailing slash.`,
    );
    lines.push('4. Click **Register**.');
  } else {
    lines.push('3. Leave **Redirect URI (optional)** empty and click **Register**.');
  }
  if (opts.extra) lines.push('', opts.extra);
  const copy = [...known('Name', reg.displayName), ...(first ? known(redirectCopyLabel(first.platform), first.uri) : [])];
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
    copy: [...known('Application (client) ID', ctx.clientId), ...known('Directory (tenant) ID', ctx.tenant)],
    link: { label: 'Open Overview in the portal', url: appPageUrl(ctx.profile.clientId, 'Overview') },
    illustration: 'app-overview',
  };
}

/** Authentication page: every redirect URI per platform, implicit grant and public client flows, as desired. */
export function authenticationStep(ctx: TargetContext, opts: { title?: string; why?: string } = {}): Step {
  const reg = ctx.registration;
  const redirects = redirectsOf(reg);
  const platforms = [...new Set(redirects.map((r) => r.platform))];
  const lines: string[] = [];
  for (const p of platforms.length ? platforms : (['web'] as Platform[])) {
    const uris = redirects.filter((r) => r.platform === p).map((r) => r.uri);
    lines.push(
      `Open **Authentication**, then **Add a platform > ${PLATFORM_LABELS[p]}** (newer portal: **Redirect URI configuration > Add Redirect URI > ${PLATFORM_LABELS[p]}**).`,
    );
    if (uris.length) lines.push(`Under **Redirect URIs**, make sure each of these is listed, exactly as shown: ${uris.map(code).join(', ')}.`);
  }
  const implicit = reg.implicitGrant;
  if (implicit.accessTokens || implicit.idTokens) {
    const ticks = [
      ...(implicit.accessTokens ? ['**Access tokens (used for implicit flows)**'] : []),
      ...(implicit.idTokens ? ['**ID tokens (used for implicit and hybrid flows)**'] : []),
    ];
    lines.push(`Under **Implicit grant and hybrid flows**, tick ${ticks.join(' and ')} (newer portal: tab **Settings**).`);
  }
  if (reg.isFallbackPublicClient) lines.push('Under **Advanced settings > Allow public client flows**, set **Enable the following mobile and desktop flows** to **Yes**.');
  if (opts.why) lines.push(opts.why);
  lines.push('Click **Save**.');
  return {
    id: 'authentication',
    title: opts.title ?? 'Tell Microsoft where the sign-in may return',
    body: lines.join('\n'),
    where: 'entra',
    copy: redirects.flatMap((r) => known(redirectCopyLabel(r.platform), r.uri)),
    link: { label: 'Open Authentication in the portal', url: appPageUrl(ctx.profile.clientId, 'Authentication') },
    illustration: 'add-platform-web',
  };
}

export function permissionsStep(ctx: TargetContext, opts: { system: string; note?: string }): Step {
  const perms = ctx.registration.permissions;
  const lines: string[] = ['Open **API permissions > Add a permission**.'];
  const groups = [
    { resource: 'Microsoft Graph', type: 'delegated', how: '**Microsoft Graph > Delegated permissions**' },
    { resource: 'Microsoft Graph', type: 'application', how: '**Microsoft Graph > Application permissions**' },
    {
      resource: 'Office 365 Exchange Online',
      type: 'delegated',
      how: '**APIs my organization uses**, search **Office 365 Exchange Online**, then **Delegated permissions**',
    },
    {
      resource: 'Office 365 Exchange Online',
      type: 'application',
      how: '**APIs my organization uses**, search **Office 365 Exchange Online**, then **Application permissions**',
    },
  ] as const;
  for (const group of groups) {
    const names = perms.filter((p) => p.resource === group.resource && p.type === group.type && !isDefaultPermission(p)).map((p) => p.name);
    if (names.length === 0) continue;
    lines.push(`- Choose ${group.how}, tick ${names.map((n) => `**${n}**`).join(', ')} under **Select permissions** (typing the first letters finds them), then **Add permissions**.`);
  }
  if (perms.some(isDefaultPermission)) lines.push('**User.Read** is already listed by default: keep it.');
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

export function adminConsentStep(
  ctx: TargetContext,
  _opts: {
    /** @deprecated Ignored: the desired registration decides (application permissions or assignment required). */
    required?: boolean;
  } = {},
): Step {
  const reg = ctx.registration;
  const required = reg.consent.application || reg.assignment.required;
  const tenantName = '<tenant>';
  const url = adminConsentUrl(ctx.hosts.signInHost, ctx.profile.tenant, ctx.profile.clientId);
  const names = reg.permissions.map((p) => `**${p.name}**`).join(', ');
  const lines = [
    `On **API permissions**, click **Grant admin consent for ${tenantName}**, answer **Yes**, then **Refresh**. The **Status** of ${names} must show **Granted for ${tenantName}**.`,
    reg.consent.application
      ? 'Application permissions do nothing until an administrator grants consent (Microsoft Graph application permissions need a Privileged Role Administrator; Cloud Application Administrator is enough otherwise).'
      : reg.assignment.required
        ? 'With **Assignment required?** set to **Yes**, users cannot consent themselves: an administrator must grant consent (Cloud Application Administrator or Application Administrator is enough).'
        : 'Needed when users of your organization may not consent to apps themselves ("Need admin approval"); harmless otherwise.',
  ];
  return {
    id: 'admin-consent',
    title: required ? 'Have an administrator approve the permissions' : 'Approve the permissions for everyone (if your organization requires it)',
    body: lines.join('\n'),
    where: 'entra',
    copy: url ? [{ label: 'Admin consent link', value: url }] : [],
    link: url ? { label: 'Open the admin consent page', url } : { label: 'Open API permissions in the portal', url: appPageUrl(ctx.profile.clientId, 'CallAnAPI') },
    illustration: 'admin-consent',
    optional: !required,
  };
}

export function secretStep(
  ctx: TargetContext,
  opts: {
    system: string;
    /** @deprecated Ignored: the description is the desired registration's credential.displayName (entry.registration.secretDescription). */
    description?: string;
    keepSecretId?: boolean;
    fieldThere: string;
  },
): Step {
  const cred = ctx.registration.credential;
  if (cred.kind === 'none')
    return {
      id: 'client-secret',
      title: `${opts.system} needs no client secret`,
      body: `${opts.system} signs in as a public client: do not create a client secret (Microsoft refuses a secret from a public client, AADSTS700025).`,
      where: 'entra',
      copy: [],
    };
  const lines = [
    'Open **Certificates & secrets > Client secrets > New client secret**.',
    `- **Description**: ${code(cred.displayName)}.`,
    `- **Expires**: **${expiresLabel(cred.lifetimeMonths)}**, or shorter if your policy requires (at most 24 months; Microsoft recommends 12 or less). ${opts.system} stops sending and reading mail the day it expires: the assistant makes a calendar reminder.`,
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
    copy: known('Description', cred.displayName),
    link: { label: 'Open Certificates & secrets in the portal', url: appPageUrl(ctx.profile.clientId, 'Credentials') },
    illustration: 'certificates-secrets',
  };
}

export function assignUsersStep(ctx: TargetContext, opts: { system: string }): Step {
  const reg = ctx.registration;
  const who = reg.mailbox || 'the mailbox user';
  const lines = ["On the app's **Overview**, open **Managed application in local directory** (the enterprise application)."];
  if (reg.assignment.required)
    lines.push('Open **Properties**, set **Assignment required?** to **Yes** and click **Save**: only the people you assign may then sign in (others get AADSTS50105).');
  lines.push(
    `Open **Users and groups > Add user/group**, click **None Selected** under **Users and groups**, pick the people who will send mail from ${opts.system} (${who}), click **Select**, then **Assign**.`,
  );
  lines.push(reg.assignment.required ? 'Assigning groups needs Entra ID P1/P2; personal accounts can only be added as users.' : 'Only needed when **Properties > Assignment required?** is **Yes**; assigning groups needs Entra ID P1/P2.');
  return {
    id: 'assign-users',
    title: `Choose who may connect ${opts.system} to their mailbox`,
    body: lines.join('\n'),
    where: 'entra',
    copy: known('User', reg.mailbox),
    link: { label: 'Open the enterprise application', url: enterpriseAppUrl(ctx.profile.clientId, ctx.inputs.servicePrincipalObjectId) },
    illustration: 'enterprise-app-users',
    optional: !reg.assignment.required,
  };
}

export function smtpAuthStep(ctx: TargetContext, opts: { imap: boolean }): Step {
  const m = manualStep(ctx, 'smtp-auth-mailbox');
  const mailbox = ctx.registration.mailbox;
  const protocols = opts.imap ? '**IMAP** and **Authenticated SMTP**' : '**Authenticated SMTP**';
  return {
    id: 'mail-protocols',
    title: 'Make sure the mailbox may use IMAP and SMTP',
    body: [
      `In the **Microsoft 365 admin center**, open **Users > Active users**, select ${code(mailbox || 'the mailbox')}, then **Mail > Email apps: Manage email apps**. Tick ${protocols} and click **Save changes**.`,
      'New tenants and security defaults turn Authenticated SMTP off; signing in with OAuth does not bypass it. The mailbox setting overrides the tenant setting. Changes can take up to an hour.',
      ...(m ? [`Or, in Exchange Online PowerShell: ${code(m.command)}`] : []),
    ].join('\n'),
    where: 'm365-admin',
    copy: [...known('Mailbox', mailbox), ...commandCopy(m)],
    link: { label: 'Open Active users in the Microsoft 365 admin center', url: M365_ACTIVE_USERS },
    illustration: 'manage-email-apps',
    optional: true,
  };
}

export function exchangeServicePrincipalStep(ctx: TargetContext): Step {
  const ids = ['exchange-connect', 'exchange-service-principal', 'exchange-mailbox-permission', 'exchange-smtp-role', 'exchange-access-policies'];
  const steps = ids.map((id) => manualStep(ctx, id)).filter((s): s is ManualStep => !!s);
  const waiting = [...new Set(steps.flatMap((s) => s.unresolved ?? []))];
  return {
    id: 'exchange-service-principal',
    title: 'Give the app access to the mailbox in Exchange Online',
    body: [
      'Application permissions alone do not open a mailbox over IMAP/SMTP: Exchange Online must know the app and which mailbox it may use.',
      "Find the **Object ID** under **Entra ID > Enterprise apps** > your app > **Overview**: it is the enterprise application's, NOT the **Object ID** on the app registration's page.",
      'Then, in Exchange Online PowerShell (an Exchange administrator):',
      ...steps.flatMap((s) => s.command.split('\n')).map((c) => `    ${c}`),
      ...(waiting.length ? [`The commands can be copied once the assistant knows ${waiting.map((w) => WAITING_FOR[w]).join(', ')}.`] : []),
    ].join('\n'),
    where: 'exchange-powershell',
    copy: steps.flatMap((s) => commandCopy(s)),
    link: { label: 'Open the enterprise application', url: enterpriseAppUrl(ctx.profile.clientId, ctx.inputs.servicePrincipalObjectId) },
  };
}

const WAITING_FOR: Record<NonNullable<ManualStep['unresolved']>[number], string> = {
  appId: 'the Application (client) ID',
  servicePrincipalId: "the enterprise application's Object ID",
  tenantId: 'the Directory (tenant) ID',
  mailbox: 'the mailbox address',
};

/**
 * App-only Graph (CXT, own daemon): the Exchange step that gives the app the mail roles for the one mailbox
 * (RBAC for Applications). Required by default (issue 19: scoped is the default); optional only when the
 * desired registration was asked for tenant-wide consent, where it also says the consent must go.
 */
export function limitMailboxStep(ctx: TargetContext): Step | undefined {
  const m = manualStep(ctx, 'limit-mailbox-scope');
  if (!m) return undefined;
  const connect = manualStep(ctx, 'exchange-connect');
  const waiting = m.unresolved ?? [];
  return {
    id: 'limit-mailbox',
    title: m.title,
    body: [
      `**Who runs it**: ${m.who}. The assistant cannot: Microsoft Graph cannot set Exchange roles.`,
      m.why ?? '',
      'In Exchange Online PowerShell:',
      ...[connect, m].filter((s): s is ManualStep => !!s).flatMap((s) => s.command.split('\n')).map((c) => `    ${c}`),
      ...(waiting.length ? [`The commands can be copied once the assistant knows ${waiting.map((w) => WAITING_FOR[w]).join(', ')}.`] : []),
      'Check with **Test-ServicePrincipalAuthorization**: the mailbox must show **InScope** True. Changes can take up to an hour.',
    ].join('\n'),
    where: 'exchange-powershell',
    copy: [connect, m].flatMap((s) => commandCopy(s)),
    optional: !!m.optional,
  };
}

/** The Graph application mail permissions of this target (Mail.Read, Mail.Send…), whatever the scope chosen. */
function graphMailRoles(ctx: TargetContext): string[] {
  return ctx.permissions.map((k) => PERMISSIONS[k]).filter((p) => p.resource === 'Microsoft Graph' && p.type === 'application' && isGraphMailRole(p.name)).map((p) => p.name);
}

/**
 * App-only Graph, scoped by default (issue 19): the tenant-wide alternative as an explicit opt-in, saying in
 * plain words what it allows. Absent when the desired registration is not scoped (its permission and consent
 * steps already say it) or the target has no Graph application mail permission.
 */
export function everyMailboxStep(ctx: TargetContext, opts: { system: string }): Step | undefined {
  const names = graphMailRoles(ctx);
  if (ctx.registration.mailboxScope !== 'exchange-rbac' || names.length === 0) return undefined;
  const who = ctx.registration.mailbox || 'the mailbox';
  const tenantName = '<tenant>';
  return {
    id: 'every-mailbox',
    title: `Instead, only if you choose it: let ${opts.system} reach ${EVERY_MAILBOX}`,
    body: [
      `Skip this unless ${opts.system} must reach more than ${code(who)}: the Exchange step above is the safe way and needs no permission here.`,
      `If you choose it: open **API permissions > Add a permission**, choose **Microsoft Graph > Application permissions**, tick ${names.map((n) => `**${n}**`).join(', ')}, click **Add permissions**, then **Grant admin consent for ${tenantName}** and **Yes**.`,
      `What that allows: the app can ${everyMailboxWords(names)}, with the client secret alone and no one signed in, not only ${code(who)}. An Exchange scope does not narrow a tenant-wide consent (the two add up), and **Check what I did** warns about it.`,
    ].join('\n'),
    where: 'entra',
    copy: names.map((name) => ({ label: 'Microsoft Graph, application', value: name })),
    link: { label: 'Open API permissions in the portal', url: appPageUrl(ctx.profile.clientId, 'CallAnAPI') },
    illustration: 'api-permissions',
    optional: true,
  };
}

export function proveStep(ctx: TargetContext, opts: { system: string }): Step {
  const what = ctx.flow === 'app-only' ? 'gets a token for the app (no one signs in)' : `opens a Microsoft sign-in: sign in as ${code(ctx.mailbox)}, not as yourself`;
  return {
    id: 'prove',
    title: 'Let the assistant prove it works before you touch the settings',
    body: `The assistant does this part itself, on its ${ctx.flow === 'app-only' ? '**Test** screen' : '**Sign in** and **Test** screens'}: it ${what}, then tests ${ctx.checks.join(', ')} exactly as ${opts.system} will, and tells you what to fix if anything fails.`,
    where: 'assistant',
    copy: [],
  };
}
