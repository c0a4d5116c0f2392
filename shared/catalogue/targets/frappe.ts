/** Frappe / ERPNext (seed 003): Connected App + Email Account with Method OAuth. */
import { COMMON_FORMATS } from '../formats';
import { audienceInput, baseUrlInput } from '../inputs';
import { openIdConfigurationUrl } from '../portal-links';
import { outlookDelegatedScopes } from '../scopes';
import { adminConsentStep, overviewStep, permissionsStep, proveStep, registerStep, secretStep, smtpAuthStep } from '../steps';
import type { PasteCard, Step, TargetContext, TargetEntry } from '../types';

export const FRAPPE_CALLBACK_PATH = '/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/';

export function frappeRedirect(site: string, connectedApp: string): string {
  return `${site}${FRAPPE_CALLBACK_PATH}${connectedApp}`;
}

/** The three rows of the Connected App's Scopes table, as the Frappe guide lists them. */
export function frappeScopes(ctx: Pick<TargetContext, 'hosts'>): string[] {
  const r = ctx.hosts.outlookResource;
  return [`${r}/IMAP.AccessAsUser.All`, `${r}/SMTP.Send`, 'offline_access'];
}

export function frappeOpenIdConfiguration(ctx: TargetContext): string {
  return openIdConfigurationUrl(ctx.hosts.signInHost, ctx.authority);
}

/** Connected App document values (field names of the DocType). */
export function frappeConnectedApp(ctx: TargetContext): Record<string, unknown> {
  return {
    doctype: 'Connected App',
    name: ctx.value('connectedAppName'),
    provider_name: ctx.inputs.providerName || 'Microsoft 365',
    openid_configuration: frappeOpenIdConfiguration(ctx),
    client_id: ctx.clientId,
    redirect_uri: ctx.redirectUris[0] ?? '',
    client_secret: ctx.secret,
    scopes: frappeScopes(ctx).map((scope) => ({ scope })),
  };
}

/** Email Account document values. */
export function frappeEmailAccount(ctx: TargetContext): Record<string, unknown> {
  return {
    doctype: 'Email Account',
    email_id: ctx.mailbox,
    auth_method: 'OAuth',
    connected_app: ctx.value('connectedAppName'),
    connected_user: ctx.inputs.connectedUser || '<the Frappe user who clicked Connect>',
    enable_incoming: 1,
    use_imap: 1,
    // Frappe v15 email_account.py validate(): incoming IMAP needs at least one row of the IMAP Folder
    // table, else "You need to set one IMAP folder for <address>".
    imap_folder: [{ folder_name: 'INBOX' }],
    use_ssl: 1,
    email_server: ctx.hosts.imap.host,
    incoming_port: String(ctx.hosts.imap.port),
    enable_outgoing: 1,
    use_tls: 1,
    smtp_server: ctx.hosts.smtp.host,
    smtp_port: String(ctx.hosts.smtp.port),
  };
}

/** The step of making the Connected App, which the assistant can do itself on Details (issue 19). */
export const FRAPPE_CONNECTED_APP_STEP = 'connected-app-create';

function steps(ctx: TargetContext): Step[] {
  const redirect = ctx.redirectUris[0] ?? '';
  const provider = ctx.inputs.providerName || 'Microsoft 365';
  return [
    {
      id: FRAPPE_CONNECTED_APP_STEP,
      title: 'Start a Connected App in Frappe',
      body: [
        `In your Frappe site, create a **New Connected App**, enter the **Provider Name** (${'`' + provider + '`'}) and **Save**.`,
        `Frappe then shows its **Redirect URI**; it should read ${'`' + redirect + '`'}. If the part after ${'`callback/`'} differs, type the Connected App's name into the assistant again.`,
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Provider Name', value: provider },
        { label: 'Redirect URI', value: redirect },
      ],
    },
    registerStep(ctx, {
      system: 'Frappe',
      why: "Frappe signs in through the OpenID configuration you give it; with your organization only, that is your tenant's own address.",
      extra: 'Older portal: **Microsoft Entra ID > Add > App registration**.',
    }),
    overviewStep(ctx, { system: 'Frappe', calledThere: '**Client Id** on the Connected App' }),
    permissionsStep(ctx, { system: 'Frappe', note: 'Frappe reads over IMAP and sends over SMTP; **offline_access** keeps its Token Cache fresh.' }),
    secretStep(ctx, { system: 'Frappe', fieldThere: '**Client Secret** on the Connected App' }),
    adminConsentStep(ctx),
    smtpAuthStep(ctx, { imap: true }),
    proveStep(ctx, { system: 'Frappe' }),
    {
      id: 'connected-app-fill',
      title: 'Finish the Connected App',
      body: [
        `Paste **Client Id** ${'`' + ctx.clientId + '`'} and **Client Secret** (the secret's **Value**).`,
        `**OpenID Configuration**: ${'`' + frappeOpenIdConfiguration(ctx) + '`'} (the portal's **Endpoints > OpenID Connect metadata document**). Click **Get OpenID Configuration**: it fills the endpoints.`,
        `Under **Scopes**, add three rows: ${frappeScopes(ctx).map((s) => '`' + s + '`').join(', ')}. **Save**.`,
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Client Id', value: ctx.clientId },
        { label: 'Client Secret', value: ctx.secret, secret: true },
        { label: 'OpenID Configuration', value: frappeOpenIdConfiguration(ctx) },
        ...frappeScopes(ctx).map((s) => ({ label: 'Scope', value: s })),
      ],
    },
    {
      id: 'connect',
      title: `Connect Frappe to ${ctx.mailbox}`,
      body: [
        `Click **Connect to ${provider}** (top right) and sign in as ${'`' + ctx.mailbox + '`'}: the account you will use in the Email Account.`,
        `Back on the Connected App, open the **Token Cache** (${'`' + ctx.value('connectedAppName') + '-<user>`'}) and check it holds both a refresh token and an access token.`,
      ].join('\n'),
      where: 'target',
      copy: [{ label: 'Sign in as', value: ctx.mailbox }],
    },
    {
      id: 'email-account',
      title: 'Create the Email Account',
      body: [
        `Create a new **Email Account**: **Email Address** ${'`' + ctx.mailbox + '`'}, **Method** **OAuth**, **Connected App** ${'`' + ctx.value('connectedAppName') + '`'}, **Connected User** the user who clicked Connect.`,
        `Incoming: **Incoming Server** ${'`' + ctx.hosts.imap.host + '`'}, **Port** ${ctx.hosts.imap.port}, **Use SSL**. Outgoing: **Outgoing Server** ${'`' + ctx.hosts.smtp.host + '`'}, **Port** ${ctx.hosts.smtp.port}, **Use TLS**.`,
        `Microsoft only lets ${ctx.mailbox} send as itself (or as addresses it has Send As rights on): tick **Always use this email address as sender address** if users send from Frappe.`,
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Email Address', value: ctx.mailbox },
        { label: 'Incoming Server', value: ctx.hosts.imap.host },
        { label: 'Outgoing Server', value: ctx.hosts.smtp.host },
      ],
    },
  ];
}

function pasteCard(ctx: TargetContext): PasteCard {
  const ea = frappeEmailAccount(ctx);
  return {
    title: 'Frappe: Connected App and Email Account',
    sections: [
      {
        title: 'Connected App',
        where: `Connected App ${ctx.value('connectedAppName')}`,
        fields: [
          { label: 'Provider Name', value: ctx.inputs.providerName || 'Microsoft 365' },
          { label: 'OpenID Configuration', value: frappeOpenIdConfiguration(ctx), note: 'then click Get OpenID Configuration' },
          { label: 'Client Id', value: ctx.clientId },
          { label: 'Redirect URI', value: ctx.redirectUris[0] ?? '', note: 'read-only: check it equals the registered one' },
          { label: 'Client Secret', value: ctx.secret, secret: true },
          ...frappeScopes(ctx).map((s) => ({ label: 'Scopes', value: s })),
        ],
        notes: [`Save, then Connect to ${ctx.inputs.providerName || 'Microsoft 365'} as ${ctx.mailbox}; the Token Cache must hold a refresh and an access token.`],
      },
      {
        title: 'Email Account',
        where: 'Email Account > New',
        fields: [
          { label: 'Email Address', value: ctx.mailbox },
          { label: 'Method', value: 'OAuth' },
          { label: 'Connected App', value: ctx.value('connectedAppName') },
          { label: 'Connected User', value: String(ea.connected_user) },
          { label: 'Enable Incoming', value: 'ticked' },
          { label: 'Use IMAP', value: 'ticked' },
          { label: 'Use SSL', value: 'ticked' },
          { label: 'Incoming Server', value: ctx.hosts.imap.host },
          { label: 'Port', value: String(ctx.hosts.imap.port) },
          { label: 'Enable Outgoing', value: 'ticked' },
          { label: 'Use TLS', value: 'ticked' },
          { label: 'Outgoing Server', value: ctx.hosts.smtp.host },
          { label: 'Port', value: String(ctx.hosts.smtp.port) },
        ],
        notes: ['Microsoft only lets the signed-in account send as itself (or with Send As rights).'],
      },
    ],
  };
}

export const frappe: TargetEntry = {
  id: 'frappe',
  displayName: 'Frappe / ERPNext',
  description: 'Frappe and ERPNext sign in to Microsoft through a Connected App, then use it in an Email Account.',
  seed: '003',
  inputs: [
    baseUrlInput({
      label: 'Your Frappe site address',
      help: 'The address of your Frappe or ERPNext site, e.g. https://erp.fabrikam.com.',
      placeholder: 'https://erp.fabrikam.com',
      requireHttps: true,
    }),
    {
      id: 'connectedAppName',
      label: "The Connected App's name",
      help: 'Filled when the assistant creates the Connected App (above) or from the Redirect URI you paste; Frappe names it: the last part of its Redirect URI (after callback/).',
      placeholder: 'e.g. 1a2b3c4d5e',
      kind: 'text',
      required: true,
      validation: { pattern: '^[^\\s/?#%]+$', message: 'Only the name: no spaces, slashes or question marks.' },
    },
    {
      id: 'providerName',
      label: 'Provider name shown in Frappe',
      help: 'The Connected App\'s Provider Name; its "Connect to ..." button uses it.',
      placeholder: 'Microsoft 365',
      kind: 'text',
      required: false,
      default: 'Microsoft 365',
    },
    audienceInput(['single', 'multi', 'multi-personal'], 'single'),
  ],
  platform: 'web',
  needsBaseUrl: true,
  requiresHttps: true,
  flow: 'delegated',
  api: 'imap-smtp',
  audience: {
    recommended: 'single',
    allowed: ['single', 'multi', 'multi-personal'],
    why: "Frappe's OpenID Configuration can name your tenant, so accounts of your organization are enough.",
  },
  redirectPath: (inputs) => `${FRAPPE_CALLBACK_PATH}${inputs.connectedAppName ?? ''}`,
  resolve: (ctx) => ({
    flow: 'delegated',
    api: 'imap-smtp',
    redirectUris: [frappeRedirect(ctx.value('baseUrl'), ctx.value('connectedAppName'))],
    permissions: ['graph.delegated.IMAP.AccessAsUser.All', 'graph.delegated.SMTP.Send', 'graph.delegated.offline_access', 'graph.delegated.User.Read'],
    scopes: [outlookDelegatedScopes(ctx)],
    checks: ['network', 'token', 'imap', 'smtp', 'roundtrip'],
  }),
  steps,
  pasteCard,
  exports: [...COMMON_FORMATS, 'frappe-connected-app'],
  registration: { secretDescription: 'Frappe' },
};
