/**
 * Odoo and Flectra, module "Microsoft Outlook" (seed 000, TARGETS.md). Flectra is an Odoo fork
 * with the Odoo 15 screens, so both entries come from one builder.
 */
import { TARGET_DEFAULT_HOSTS } from '../clouds';
import { audienceInput, baseUrlInput } from '../inputs';
import { oauthEndpointBase } from '../portal-links';
import { outlookDelegatedScopes } from '../scopes';
import {
  adminConsentStep,
  assignUsersStep,
  overviewStep,
  permissionsStep,
  proveStep,
  registerStep,
  secretStep,
  smtpAuthStep,
} from '../steps';
import type { PasteCard, Step, TargetContext, TargetEntry } from '../types';
import { COMMON_FORMATS } from '../formats';

export const ODOO_REDIRECT_PATH = '/microsoft_outlook/confirm';
/** Key read by later Odoo versions and Flectra. */
export const ODOO_ENDPOINT_KEY = 'microsoft_outlook.endpoint';
/** Key spelled this way in an earlier Odoo 16+ version (TARGETS.md). */
export const ODOO_ENDPOINT_KEY_OLD = 'microsoft.outlook.endpoint';

interface Family {
  id: 'odoo' | 'flectra';
  name: 'Odoo' | 'Flectra';
  seed?: string;
  /** Odoo asks the version (15 uses a checkbox, 16+ a selection); Flectra has the Odoo 15 screens. */
  versioned: boolean;
}

/** Odoo 16+ choose "Authenticate with: Outlook OAuth Authentication"; Odoo 15 and Flectra tick "Outlook Authentication". */
export function usesAuthenticateWith(ctx: Pick<TargetContext, 'inputs'>, family: Family): boolean {
  return family.versioned && (ctx.inputs.version ?? '17') !== '15';
}

export function needsEndpointParameter(ctx: Pick<TargetContext, 'audience'>): boolean {
  return ctx.audience === 'single';
}

export interface SystemParameter {
  key: string;
  value: string;
  note: string;
}

/** System parameters to set (Settings > Technical > Parameters > System Parameters). */
export function odooSystemParameters(ctx: TargetContext): SystemParameter[] {
  const params: SystemParameter[] = [
    { key: 'microsoft_outlook_client_id', value: ctx.clientId, note: 'Set by Outlook Credentials > ID.' },
    { key: 'microsoft_outlook_client_secret', value: ctx.secret, note: 'Set by Outlook Credentials > Secret.' },
  ];
  if (needsEndpointParameter(ctx)) {
    const endpoint = oauthEndpointBase(ctx.hosts.signInHost, ctx.tenant);
    params.push(
      { key: ODOO_ENDPOINT_KEY, value: endpoint, note: 'Single-tenant app: without it the sign-in uses /common and fails with AADSTS50194.' },
      { key: ODOO_ENDPOINT_KEY_OLD, value: endpoint, note: 'The same setting as spelled by an earlier Odoo 16 version; set both if unsure.' },
    );
  }
  return params;
}

export interface MailServerValues {
  model: 'ir.mail_server' | 'fetchmail.server';
  values: Record<string, string | number | boolean>;
}

/** The outgoing and incoming server records, in Odoo's field names. */
export function odooMailServers(ctx: TargetContext, family: Family): MailServerValues[] {
  const outgoing: Record<string, string | number | boolean> = { name: `${ctx.mailbox} (Outlook)` };
  if (usesAuthenticateWith(ctx, family)) outgoing.smtp_authentication = 'outlook';
  else outgoing.use_microsoft_outlook_service = true;
  Object.assign(outgoing, {
    smtp_host: TARGET_DEFAULT_HOSTS.smtp.host,
    smtp_port: TARGET_DEFAULT_HOSTS.smtp.port,
    smtp_encryption: 'starttls',
    smtp_user: ctx.mailbox,
    from_filter: ctx.mailbox,
  });
  // Odoo 16+: server_type 'outlook'. Odoo 15 and Flectra 2.x (module fetchmail_outlook): server_type
  // 'imap' plus the Boolean use_microsoft_outlook_service ("Outlook mail server %r only supports IMAP
  // server type."; the onchange sets server_type = 'imap'): flectra-hq/flectra
  // addons/fetchmail_outlook/models/fetchmail_server.py @ ca2bc06c616267489e130c1890f60715eeb023ab.
  const modern = usesAuthenticateWith(ctx, family);
  const incoming: Record<string, string | number | boolean> = {
    name: `${ctx.mailbox} (Outlook)`,
    ...(modern ? { server_type: 'outlook' } : { server_type: 'imap', use_microsoft_outlook_service: true }),
    server: TARGET_DEFAULT_HOSTS.imap.host,
    port: TARGET_DEFAULT_HOSTS.imap.port,
    is_ssl: true,
    user: ctx.mailbox,
  };
  return [
    { model: 'ir.mail_server', values: outgoing },
    { model: 'fetchmail.server', values: incoming },
  ];
}

function steps(ctx: TargetContext, f: Family): Step[] {
  const single = needsEndpointParameter(ctx);
  const endpoint = oauthEndpointBase(ctx.hosts.signInHost, ctx.tenant);
  const outlookAuth = usesAuthenticateWith(ctx, f)
    ? 'set **Authenticate with** to **Outlook OAuth Authentication**'
    : 'tick **Outlook Authentication** (the Outlook box)';
  const list: Step[] = [
    registerStep(ctx, {
      system: f.name,
      why: single
        ? `You chose only your organization: ${f.name} must then be told your tenant (a later step), or Microsoft answers AADSTS50194.`
        : `${f.name} signs in through Microsoft's /common address by default, which this choice supports.`,
    }),
    permissionsStep(ctx, {
      system: f.name,
      note: `${f.name} reads mail over IMAP and sends over SMTP; **offline_access** lets it stay signed in.`,
    }),
    assignUsersStep(ctx, { system: f.name }),
    overviewStep(ctx, { system: f.name, calledThere: '**ID** under **Outlook Credentials**' }),
    secretStep(ctx, { system: f.name, fieldThere: '**Secret** under **Outlook Credentials**' }),
    adminConsentStep(ctx),
    smtpAuthStep(ctx, { imap: true }),
    proveStep(ctx, { system: f.name }),
    {
      id: 'install-module',
      title: `Install ${f.name}'s Outlook module`,
      body: `In ${f.name}, open **Apps**, remove the **Apps** filter from the search bar, type ${'`Outlook`'} and install the module **Microsoft Outlook**.`,
      where: 'target',
      copy: [{ label: 'Search', value: 'Outlook' }],
    },
    {
      id: 'outlook-credentials',
      title: `Give ${f.name} the app's ID and secret`,
      body: [
        `Open **Settings > General Settings**; in the **Discuss** section tick **Custom Email Servers** and **Save**. A new option **Outlook Credentials** appears${f.versioned ? ' (later versions may title it differently)' : ''}.`,
        'Paste the **Application (client) ID** into **ID** and the secret\'s **Value** into **Secret**, then **Save**.',
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'ID', value: ctx.clientId },
        { label: 'Secret', value: ctx.secret, secret: true },
      ],
    },
  ];
  if (single)
    list.push({
      id: 'endpoint-parameter',
      title: `Tell ${f.name} your organization's sign-in address`,
      body: [
        'Your app accepts only your organization, so the default /common sign-in address fails (AADSTS50194).',
        `Activate **Developer Mode**, open **Settings > Technical > Parameters > System Parameters**, click **New**: **Key** ${'`' + ODOO_ENDPOINT_KEY + '`'}, **Value** ${'`' + endpoint + '`'}, **Save**.`,
        `An earlier Odoo 16 version spells the key ${'`' + ODOO_ENDPOINT_KEY_OLD + '`'}: if unsure, create both.`,
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Key', value: ODOO_ENDPOINT_KEY },
        { label: 'Key (earlier Odoo 16)', value: ODOO_ENDPOINT_KEY_OLD },
        { label: 'Value', value: endpoint },
      ],
    });
  list.push(
    {
      id: 'outgoing-server',
      title: `Let ${f.name} send as ${ctx.mailbox}`,
      body: [
        'Under **Custom Email Servers**, click **Outgoing Email Servers** (or **Settings > Technical > Outgoing Mail Servers**) and create a new server.',
        `Fill in **Name** (anything), ${outlookAuth}, **Username** ${'`' + ctx.mailbox + '`'}, and **FROM Filtering** (Flectra's guide: **From Filter**) ${'`' + ctx.mailbox + '`'}. ${f.name} fills in the server (${TARGET_DEFAULT_HOSTS.smtp.host}, port ${TARGET_DEFAULT_HOSTS.smtp.port}, TLS) itself.`,
        `Click **Connect your Outlook account**, sign in as ${'`' + ctx.mailbox + '`'} and accept with **Yes**. Back in ${f.name}, **Outlook Token Valid** shows in green. Click **Test Connection**.`,
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Username', value: ctx.mailbox },
        { label: 'FROM Filtering', value: ctx.mailbox },
      ],
    },
    {
      id: 'several-users',
      title: `If several people send mail from ${f.name}`,
      body: [
        'Create one outgoing server per person, each with **FROM Filtering** set to that person\'s address, so each server only sends as its own user.',
        'Then add a fallback general transactional server for notifications, and set the system parameter **mail.default.from** (**Settings > Technical > Parameters > System Parameters**, Developer Mode) to that server\'s username.',
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Key', value: 'mail.default.from' },
        { label: 'Value', value: ctx.mailbox },
      ],
      optional: true,
    },
    {
      id: 'incoming-server',
      title: `Let ${f.name} read ${ctx.mailbox}`,
      body: [
        'Open **Incoming Mail Servers** (**Settings > Technical**) and create a new one.',
        usesAuthenticateWith(ctx, f)
          ? `Choose **Server Type** **Outlook OAuth Authentication**, enter **Username** ${'`' + ctx.mailbox + '`'}. ${f.name} fills in ${TARGET_DEFAULT_HOSTS.imap.host}, port ${TARGET_DEFAULT_HOSTS.imap.port}, SSL/TLS.`
          : `Tick **Outlook Oauth Authentication** (the **Outlook** box; ${f.name} sets **Server Type** to **IMAP Server** itself), enter **Username** ${'`' + ctx.mailbox + '`'}. ${f.name} fills in ${TARGET_DEFAULT_HOSTS.imap.host}, port ${TARGET_DEFAULT_HOSTS.imap.port}, SSL/TLS.`,
        `Click **Connect your Outlook account**; when **Outlook Token Valid** shows, click **Test & Confirm**.`,
      ].join('\n'),
      where: 'target',
      copy: [{ label: 'Username', value: ctx.mailbox }],
    },
  );
  return list;
}

function pasteCard(ctx: TargetContext, f: Family): PasteCard {
  const single = needsEndpointParameter(ctx);
  const endpoint = oauthEndpointBase(ctx.hosts.signInHost, ctx.tenant);
  const sections: PasteCard['sections'] = [
    {
      title: 'Outlook Credentials',
      where: 'Settings > General Settings > Discuss > Custom Email Servers > Outlook Credentials',
      fields: [
        { label: 'ID', value: ctx.clientId, note: 'Application (client) ID' },
        { label: 'Secret', value: ctx.secret, secret: true, note: "The client secret's Value, not its Secret ID" },
      ],
    },
  ];
  if (single)
    sections.push({
      title: 'System Parameters',
      where: 'Settings > Technical > Parameters > System Parameters (Developer Mode) > New',
      fields: [
        { label: 'Key', value: ODOO_ENDPOINT_KEY },
        { label: 'Value', value: endpoint },
        { label: 'Key', value: ODOO_ENDPOINT_KEY_OLD, note: 'Earlier Odoo 16 spelling: create it too if unsure' },
        { label: 'Value', value: endpoint },
      ],
      notes: ['Needed because the app accepts only your organization (otherwise AADSTS50194).'],
    });
  const outgoingAuth = usesAuthenticateWith(ctx, f)
    ? { label: 'Authenticate with', value: 'Outlook OAuth Authentication' }
    : { label: 'Outlook Authentication', value: 'ticked' };
  sections.push(
    {
      title: 'Outgoing Mail Server',
      where: 'Settings > General Settings > Custom Email Servers > Outgoing Email Servers > New',
      fields: [
        { label: 'Name', value: `${ctx.mailbox} (Outlook)` },
        outgoingAuth,
        { label: 'Username', value: ctx.mailbox },
        f.id === 'flectra' ? { label: 'FROM Filtering', value: ctx.mailbox, note: "Flectra's guide calls it From Filter" } : { label: 'FROM Filtering', value: ctx.mailbox },
        { label: 'SMTP Server', value: TARGET_DEFAULT_HOSTS.smtp.host, note: 'filled in automatically' },
        { label: 'SMTP Port', value: String(TARGET_DEFAULT_HOSTS.smtp.port), note: 'filled in automatically' },
        { label: 'Connection Encryption', value: 'TLS (STARTTLS)', note: 'filled in automatically' },
      ],
      notes: [`Then: Connect your Outlook account (sign in as ${ctx.mailbox}), wait for "Outlook Token Valid", Test Connection.`],
    },
    {
      title: 'Several users',
      where: 'Outgoing Mail Servers, and Settings > Technical > Parameters > System Parameters',
      fields: [
        { label: 'Key', value: 'mail.default.from' },
        { label: 'Value', value: ctx.mailbox, note: 'the username of the general transactional (fallback) server' },
      ],
      notes: [
        "One outgoing server per person, each with FROM Filtering = that person's address.",
        'Plus one fallback general transactional server for notifications; mail.default.from = its username.',
      ],
    },
    {
      title: 'Incoming Mail Server',
      where: 'Settings > Technical > Incoming Mail Servers > New',
      fields: [
        { label: 'Name', value: `${ctx.mailbox} (Outlook)` },
        ...(usesAuthenticateWith(ctx, f)
          ? [{ label: 'Server Type', value: 'Outlook OAuth Authentication' }]
          : [
              { label: 'Outlook Authentication', value: 'ticked', note: f.id === 'flectra' ? "the Outlook box; Flectra's guide: Outlook Oauth Authentication" : 'the Outlook box' },
              { label: 'Server Type', value: 'IMAP Server', note: 'filled in automatically' },
            ]),
        { label: 'Username', value: ctx.mailbox },
        { label: 'Server Name', value: TARGET_DEFAULT_HOSTS.imap.host, note: 'filled in automatically' },
        { label: 'Port', value: String(TARGET_DEFAULT_HOSTS.imap.port), note: 'filled in automatically' },
        { label: 'SSL/TLS', value: 'ticked', note: 'filled in automatically' },
      ],
      notes: ['Then: Connect your Outlook account, wait for "Outlook Token Valid", Test & Confirm.'],
    },
  );
  return { title: `${f.name}: Microsoft Outlook settings`, sections };
}

export function odooFamily(f: Family): TargetEntry {
  return {
    id: f.id,
    displayName: f.name,
    description: `${f.name} sends and fetches mail through its Microsoft Outlook module (Outlook Credentials + Outlook mail servers).`,
    seed: f.seed,
    inputs: [
      baseUrlInput({
        label: `Your ${f.name}'s web address`,
        help: `The address people type to open ${f.name} (system parameter web.base.url), for example https://erp.fabrikam.com.`,
        placeholder: 'https://erp.fabrikam.com',
        requireHttps: true,
      }),
      ...(f.versioned
        ? [
            {
              id: 'version',
              label: 'Odoo version',
              help: 'Odoo 15 shows an "Outlook Authentication" box on mail servers; 16 and later an "Authenticate with" choice.',
              placeholder: '',
              kind: 'choice' as const,
              options: [
                { value: '17', label: '17 or later' },
                { value: '16', label: '16' },
                { value: '15', label: '15' },
              ],
              required: true,
              default: '17',
            },
          ]
        : []),
      audienceInput(['multi-personal', 'multi', 'single'], 'multi-personal'),
    ],
    platform: 'web',
    needsBaseUrl: true,
    requiresHttps: true,
    flow: 'delegated',
    api: 'imap-smtp',
    audience: {
      recommended: 'multi-personal',
      allowed: ['multi-personal', 'multi', 'single'],
      why: `${f.name} signs in through /common unless its endpoint system parameter names your tenant; a single-tenant app needs that parameter (else AADSTS50194).`,
    },
    redirectPath: () => ODOO_REDIRECT_PATH,
    resolve: (ctx) => ({
      flow: 'delegated',
      api: 'imap-smtp',
      redirectUris: [`${ctx.value('baseUrl')}${ODOO_REDIRECT_PATH}`],
      permissions: ['graph.delegated.IMAP.AccessAsUser.All', 'graph.delegated.SMTP.Send', 'graph.delegated.offline_access', 'graph.delegated.User.Read'],
      scopes: [outlookDelegatedScopes(ctx)],
      checks: ['network', 'token', 'imap', 'smtp', 'roundtrip'],
    }),
    steps: (ctx) => steps(ctx, f),
    pasteCard: (ctx) => pasteCard(ctx, f),
    exports: [...COMMON_FORMATS, 'odoo-system-parameters'],
    // The guide's "Users and groups" step: assignment required, the mailbox user assigned.
    registration: { assignmentRequired: true, secretDescription: `${f.name} Fetchmail` },
  };
}

export const FLECTRA_FAMILY: Family = { id: 'flectra', name: 'Flectra', seed: '000', versioned: false };
export const ODOO_FAMILY: Family = { id: 'odoo', name: 'Odoo', seed: '000', versioned: true };
export const flectra = odooFamily(FLECTRA_FAMILY);
export const odoo = odooFamily(ODOO_FAMILY);
