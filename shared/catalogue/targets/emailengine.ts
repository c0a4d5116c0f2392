/** EmailEngine (seed 002): Configuration > OAuth2 > new Outlook application. */
import type { Cloud } from '../../profile';
import type { Audience } from '../account-types';
import { COMMON_FORMATS } from '../formats';
import { audienceInput, baseUrlInput } from '../inputs';
import { graphDelegatedScopes, outlookDelegatedScopes } from '../scopes';
import { adminConsentStep, overviewStep, permissionsStep, proveStep, registerStep, secretStep, smtpAuthStep } from '../steps';
import type { PasteCard, Step, TargetContext, TargetEntry } from '../types';

/** http is allowed only for localhost (PORTAL-STEPS.md redirect rules). */
const EE_URL_PATTERN = '^(https://[^\\s/?#]+|http://localhost(:\\d+)?)(/[^\\s?#]*)?$';

/** EmailEngine's own labels for the Supported account types radio buttons. */
export const EMAILENGINE_ACCOUNT_TYPES: Record<Audience, string> = {
  single: 'Accounts in the specified organizational directory only (Single tenant)',
  multi: 'Accounts in any organizational directory (Any Microsoft Entra ID tenant - Multitenant)',
  'multi-personal': 'Accounts in any organizational directory (Any Microsoft Entra ID tenant - Multitenant) and personal Microsoft accounts (e.g. Skype, Xbox)',
  personal: 'Personal Microsoft accounts only',
};

export const EMAILENGINE_CLOUDS: Record<Cloud, string> = { global: 'global', 'gcc-high': 'gcc-high', dod: 'dod', china: 'china' };

export function emailEngineRedirect(baseUrl: string): string {
  return `${baseUrl.replace(/\/oauth$/, '')}/oauth`;
}

export function baseScopes(ctx: Pick<TargetContext, 'inputs'>): 'imap' | 'api' {
  return ctx.inputs.baseScope === 'api' ? 'api' : 'imap';
}

/** The body of EmailEngine's `POST /v1/oauth2` for this registration. */
export function emailEngineOAuth2Body(ctx: TargetContext): Record<string, unknown> {
  return {
    name: ctx.appName,
    provider: 'outlook',
    enabled: true,
    clientId: ctx.clientId,
    clientSecret: ctx.secret,
    authority: ctx.authority,
    cloud: EMAILENGINE_CLOUDS[ctx.profile.cloud],
    redirectUrl: ctx.redirectUris[0] ?? '',
    baseScopes: baseScopes(ctx),
  };
}

function steps(ctx: TargetContext): Step[] {
  const api = baseScopes(ctx) === 'api';
  const redirect = ctx.redirectUris[0] ?? '';
  const list: Step[] = [
    registerStep(ctx, {
      system: 'EmailEngine',
      why: "EmailEngine's **Account types** must say the same thing; only your organization's mailboxes is the safe default.",
      redirect,
      extra: 'The **Name** is shown to people on the Microsoft consent screen: make it easy to understand.',
    }),
    overviewStep(ctx, { system: 'EmailEngine', calledThere: '**Application (client) ID** (its guide: "Application Id")' }),
    permissionsStep(ctx, {
      system: 'EmailEngine',
      note: api
        ? 'These match EmailEngine\'s base scope **MS Graph API**. **offline_access** lets EmailEngine renew access in the background.'
        : 'These match EmailEngine\'s base scope **IMAP and SMTP**. **offline_access** lets EmailEngine renew access in the background.',
    }),
    secretStep(ctx, { system: 'EmailEngine', description: 'EmailEngine', fieldThere: '**Client Secret**' }),
    adminConsentStep(ctx, { required: false }),
  ];
  if (!api) list.push(smtpAuthStep(ctx, { imap: true }));
  list.push(
    proveStep(ctx, { system: 'EmailEngine' }),
    {
      id: 'emailengine-app',
      title: 'Create the Outlook app in EmailEngine',
      body: [
        'In EmailEngine, open **Configuration > OAuth2** and create a new **Outlook** application:',
        `- **Application name**: ${'`' + ctx.appName + '`'}, tick **Enable this app** (otherwise Outlook does not show in the hosted sign-in form).`,
        `- **Application (client) ID**: ${'`' + ctx.clientId + '`'}; **Client Secret**: the secret's **Value**.`,
        `- **Supported account types**: **${EMAILENGINE_ACCOUNT_TYPES[ctx.audience]}**${ctx.audience === 'single' ? `, **Directory (tenant) ID** ${'`' + ctx.tenant + '`'}` : ''}.`,
        `- **Redirect URL**: ${'`' + redirect + '`'}, byte for byte the one registered in Microsoft.`,
        `- **Base scopes**: **${api ? 'MS Graph API' : 'IMAP and SMTP'}**.`,
        'Or create it through the API: the assistant exports the `POST /v1/oauth2` body and a curl command.',
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Application (client) ID', value: ctx.clientId },
        { label: 'Client Secret', value: ctx.secret, secret: true },
        { label: 'Directory (tenant) ID', value: ctx.authority },
        { label: 'Redirect URL', value: redirect },
      ],
    },
    {
      id: 'emailengine-account',
      title: 'Connect the mailbox in EmailEngine',
      body: `Click **Add account** (hosted authentication form), then **Sign in with Microsoft** and sign in as ${'`' + ctx.mailbox + '`'}. The account switches to **connected** shortly after.`,
      where: 'target',
      copy: [{ label: 'Sign in as', value: ctx.mailbox }],
    },
  );
  return list;
}

function pasteCard(ctx: TargetContext): PasteCard {
  const fields: PasteCard['sections'][number]['fields'] = [
    { label: 'Application name', value: ctx.appName },
    { label: 'Enable this app', value: 'ticked' },
    { label: 'Application (client) ID', value: ctx.clientId },
    { label: 'Client Secret', value: ctx.secret, secret: true, note: "the secret's Value" },
    { label: 'Azure cloud environment', value: EMAILENGINE_CLOUDS[ctx.profile.cloud] },
    { label: 'Supported account types', value: EMAILENGINE_ACCOUNT_TYPES[ctx.audience] },
  ];
  if (ctx.audience === 'single') fields.push({ label: 'Directory (tenant) ID', value: ctx.tenant });
  fields.push(
    { label: 'Redirect URL', value: ctx.redirectUris[0] ?? '', note: 'exactly as registered in Microsoft' },
    { label: 'Base scopes', value: baseScopes(ctx) === 'api' ? 'MS Graph API' : 'IMAP and SMTP' },
  );
  return {
    title: 'EmailEngine: Outlook OAuth2 application',
    sections: [{ title: 'OAuth2 application', where: 'Configuration > OAuth2 > New Outlook application', fields }],
    notes: [`Then Add account > Sign in with Microsoft, as ${ctx.mailbox}.`],
  };
}

export const emailengine: TargetEntry = {
  id: 'emailengine',
  displayName: 'EmailEngine',
  description: 'EmailEngine connects Outlook and Microsoft 365 mailboxes through an OAuth2 app, over IMAP/SMTP or MS Graph.',
  seed: '002',
  inputs: [
    {
      ...baseUrlInput({
        label: "Your EmailEngine's web address",
        help: 'The address EmailEngine runs at, e.g. http://localhost:3000 or https://emailengine.fabrikam.com. The sign-in returns to its /oauth page.',
        placeholder: 'http://localhost:3000',
        requireHttps: false,
      }),
      validation: { pattern: EE_URL_PATTERN, message: 'Use https://, or http://localhost for a local EmailEngine.' },
    },
    {
      id: 'baseScope',
      label: 'How EmailEngine reaches the mailbox',
      help: 'EmailEngine calls this "Base scope". MS Graph API needs EmailEngine 2.44 or newer.',
      placeholder: '',
      kind: 'choice',
      options: [
        { value: 'imap', label: 'IMAP and SMTP' },
        { value: 'api', label: 'MS Graph API' },
      ],
      required: true,
      default: 'imap',
    },
    audienceInput(['single', 'multi', 'multi-personal', 'personal'], 'single'),
  ],
  platform: 'web',
  needsBaseUrl: true,
  requiresHttps: false,
  flow: 'delegated',
  api: 'imap-smtp',
  audience: {
    recommended: 'single',
    allowed: ['single', 'multi', 'multi-personal', 'personal'],
    why: "EmailEngine's Account types (consumers, organizations, common or your Directory ID) must match; choose more than your organization only if EmailEngine hosts other people's mailboxes.",
  },
  redirectPath: () => '/oauth',
  resolve: (ctx) => {
    const api = baseScopes(ctx) === 'api';
    return {
      flow: 'delegated',
      api: api ? 'graph' : 'imap-smtp',
      redirectUris: [emailEngineRedirect(ctx.value('baseUrl'))],
      permissions: api
        ? ['graph.delegated.Mail.ReadWrite', 'graph.delegated.Mail.Send', 'graph.delegated.offline_access', 'graph.delegated.User.Read']
        : ['graph.delegated.IMAP.AccessAsUser.All', 'graph.delegated.SMTP.Send', 'graph.delegated.offline_access', 'graph.delegated.User.Read'],
      scopes: [api ? graphDelegatedScopes(ctx) : outlookDelegatedScopes(ctx)],
      checks: api ? ['network', 'token', 'graph'] : ['network', 'token', 'imap', 'smtp', 'roundtrip'],
    };
  },
  steps,
  pasteCard,
  exports: [...COMMON_FORMATS, 'emailengine-oauth2-json', 'emailengine-curl'],
};
