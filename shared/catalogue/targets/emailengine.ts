/** EmailEngine (seed 002): Configuration > OAuth2 > new Outlook application. */
import type { Cloud } from '../../profile';
import type { Audience } from '../account-types';
import { COMMON_FORMATS } from '../formats';
import { audienceInput, baseUrlInput } from '../inputs';
import { graphAppScopes, graphDelegatedScopes, outlookDelegatedScopes } from '../scopes';
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

/**
 * The "Azure cloud environment" dropdown as EmailEngine's OAuth2 form labels it (AZURE_CLOUDS in
 * postalsys/emailengine lib/ui-routes/oauth-config-routes.js).
 */
export const EMAILENGINE_CLOUD_LABELS: Record<Cloud, string> = { global: 'Azure global service', 'gcc-high': 'GCC High', dod: 'DoD', china: 'Azure China' };

/**
 * EmailEngine's two Outlook providers (OAUTH_PROVIDERS, lib/oauth2-apps.js): 'outlook' signs a user in
 * (delegated, with a redirect), 'outlookService' uses client credentials (application permissions,
 * MS Graph, a tenant id as authority, no redirect).
 */
export type EmailEngineProvider = 'outlook' | 'outlookService';
export const EMAILENGINE_PROVIDER_LABELS: Record<EmailEngineProvider, string> = { outlook: 'Outlook (delegated)', outlookService: 'Outlook (application)' };

export function emailEngineProvider(ctx: Pick<TargetContext, 'inputs'>): EmailEngineProvider {
  return ctx.inputs.provider === 'outlookService' ? 'outlookService' : 'outlook';
}

/** A profile EmailEngine cannot take as it stands (an export or push refuses it with this message). */
export class TargetProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetProfileError';
  }
}

/**
 * Why EmailEngine cannot take this profile, or undefined. The app type decides the flow: an app-only
 * profile needs "Outlook (application)", a delegated one "Outlook (delegated)"; the application type
 * needs a tenant id ("Client credentials flow requires a specific tenant ID", EmailEngine's own words).
 */
export function emailEngineProblem(ctx: Pick<TargetContext, 'inputs' | 'profile' | 'tenant'>): string | undefined {
  const provider = emailEngineProvider(ctx);
  if (provider === 'outlook' && ctx.profile.flow === 'app-only')
    return 'This profile is app-only (client credentials), but EmailEngine\'s "Outlook (delegated)" app signs a user in. Choose the EmailEngine app type "Outlook (application)" on the Details screen, or make the profile delegated.';
  if (provider === 'outlookService' && ctx.profile.flow === 'delegated')
    return 'This profile is delegated (a user signs in), but EmailEngine\'s "Outlook (application)" app uses client credentials only. Choose the app type "Outlook (delegated)", or make the profile app-only.';
  if (provider === 'outlookService' && (!ctx.profile.tenant.trim() || ['common', 'organizations', 'consumers'].includes(ctx.profile.tenant.trim().toLowerCase())))
    return 'EmailEngine\'s "Outlook (application)" app needs your Directory (tenant) ID: client credentials flow requires a specific tenant ID, not common, organizations or consumers.';
  return undefined;
}

export function emailEngineRedirect(baseUrl: string): string {
  return `${baseUrl.replace(/\/oauth$/, '')}/oauth`;
}

export function baseScopes(ctx: Pick<TargetContext, 'inputs'>): 'imap' | 'api' {
  return ctx.inputs.baseScope === 'api' ? 'api' : 'imap';
}

/**
 * The body of EmailEngine's `POST /v1/oauth2` for this registration (oauthCreateSchema in
 * lib/schemas.js: outlookService takes no redirectUrl and a tenant id as authority). Throws
 * TargetProfileError for a profile EmailEngine cannot take, instead of printing a body.
 */
export function emailEngineOAuth2Body(ctx: TargetContext): Record<string, unknown> {
  const problem = emailEngineProblem(ctx);
  if (problem) throw new TargetProfileError(problem);
  if (emailEngineProvider(ctx) === 'outlookService')
    return { name: ctx.appName, provider: 'outlookService', enabled: true, clientId: ctx.clientId, clientSecret: ctx.secret, authority: ctx.tenant, cloud: EMAILENGINE_CLOUDS[ctx.profile.cloud] };
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

/** "Outlook (application)": client credentials, application permissions, admin consent, no redirect. */
function serviceSteps(ctx: TargetContext): Step[] {
  return [
    registerStep(ctx, {
      system: 'EmailEngine',
      why: 'The application type reads and sends mail of your organization only, so only your organization is allowed.',
      extra: 'No redirect URI: the application type never signs anyone in.',
    }),
    overviewStep(ctx, { system: 'EmailEngine', calledThere: '**Azure Application Id** and **Directory (tenant) ID**' }),
    permissionsStep(ctx, { system: 'EmailEngine', note: 'These are **Application permissions**: EmailEngine uses them through MS Graph without a signed-in user.' }),
    adminConsentStep(ctx, { required: true }),
    secretStep(ctx, { system: 'EmailEngine', description: 'EmailEngine', fieldThere: '**Client Secret**' }),
    proveStep(ctx, { system: 'EmailEngine' }),
    {
      id: 'emailengine-app',
      title: 'Create the Outlook (application) app in EmailEngine',
      body: [
        `In EmailEngine, open **Configuration > OAuth2** and create a new **${EMAILENGINE_PROVIDER_LABELS.outlookService}** application:`,
        `- **Application name**: ${'`' + ctx.appName + '`'}, tick **Enable this app**.`,
        `- **Azure Application Id**: ${'`' + ctx.clientId + '`'}; **Client Secret**: the secret's **Value**.`,
        `- **Azure cloud environment**: **${EMAILENGINE_CLOUD_LABELS[ctx.profile.cloud]}**; **Directory (tenant) ID**: ${'`' + ctx.tenant + '`'}.`,
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Azure Application Id', value: ctx.clientId },
        { label: 'Client Secret', value: ctx.secret, secret: true },
        { label: 'Directory (tenant) ID', value: ctx.tenant },
      ],
    },
    {
      id: 'emailengine-account',
      title: 'Add the mailbox in EmailEngine',
      body: `Register the account ${'`' + ctx.mailbox + '`'} with this app (API **POST /v1/account** with ${'`oauth2.auth.user`'} = the mailbox); no one signs in.`,
      where: 'target',
      copy: [{ label: 'Mailbox', value: ctx.mailbox }],
    },
  ];
}

function steps(ctx: TargetContext): Step[] {
  if (emailEngineProvider(ctx) === 'outlookService') return serviceSteps(ctx);
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
        `- **Azure Application Id** (the **Application (client) ID**): ${'`' + ctx.clientId + '`'}; **Client Secret**: the secret's **Value**.`,
        `- **Azure cloud environment**: **${EMAILENGINE_CLOUD_LABELS[ctx.profile.cloud]}**.`,
        `- **Supported account types**: **${EMAILENGINE_ACCOUNT_TYPES[ctx.audience]}**${ctx.audience === 'single' ? `, **Directory (tenant) ID** ${'`' + ctx.tenant + '`'}` : ''}.`,
        `- **Redirect URL**: ${'`' + redirect + '`'}, byte for byte the one registered in Microsoft.`,
        `- **Base scopes**: **${api ? 'MS Graph API' : 'IMAP and SMTP'}**.`,
        'Or create it through the API: the assistant exports the `POST /v1/oauth2` body and a curl command.',
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Azure Application Id', value: ctx.clientId },
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
  const problem = emailEngineProblem(ctx);
  if (emailEngineProvider(ctx) === 'outlookService')
    return {
      title: 'EmailEngine: Outlook (application) OAuth2 application',
      sections: [
        {
          title: 'OAuth2 application',
          where: `Configuration > OAuth2 > New ${EMAILENGINE_PROVIDER_LABELS.outlookService} application`,
          fields: [
            { label: 'Application name', value: ctx.appName },
            { label: 'Enable this app', value: 'ticked' },
            { label: 'Azure Application Id', value: ctx.clientId, note: 'the Application (client) ID' },
            { label: 'Client Secret', value: ctx.secret, secret: true, note: "the secret's Value" },
            { label: 'Azure cloud environment', value: EMAILENGINE_CLOUD_LABELS[ctx.profile.cloud] },
            { label: 'Directory (tenant) ID', value: ctx.tenant, note: 'client credentials flow requires a specific tenant ID' },
          ],
        },
      ],
      notes: [...(problem ? [problem] : []), `Then register ${ctx.mailbox} as an account of this app (no sign-in).`],
    };
  const fields: PasteCard['sections'][number]['fields'] = [
    { label: 'Application name', value: ctx.appName },
    { label: 'Enable this app', value: 'ticked' },
    { label: 'Azure Application Id', value: ctx.clientId, note: 'the Application (client) ID' },
    { label: 'Client Secret', value: ctx.secret, secret: true, note: "the secret's Value" },
    { label: 'Azure cloud environment', value: EMAILENGINE_CLOUD_LABELS[ctx.profile.cloud] },
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
    notes: [...(problem ? [problem] : []), `Then Add account > Sign in with Microsoft, as ${ctx.mailbox}.`],
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
      id: 'provider',
      label: 'EmailEngine app type',
      help: 'EmailEngine\'s "Outlook (delegated)" app signs the mailbox user in once; "Outlook (application)" uses the app\'s own credentials (application permissions, MS Graph, your organization only).',
      placeholder: '',
      kind: 'choice',
      options: [
        { value: 'outlook', label: EMAILENGINE_PROVIDER_LABELS.outlook },
        { value: 'outlookService', label: EMAILENGINE_PROVIDER_LABELS.outlookService },
      ],
      required: true,
      default: 'outlook',
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
  redirectPath: (inputs) => (inputs.provider === 'outlookService' ? undefined : '/oauth'),
  resolve: (ctx) => {
    if (emailEngineProvider(ctx) === 'outlookService')
      return {
        flow: 'app-only',
        api: 'graph',
        redirectUris: [],
        permissions: ['graph.application.Mail.ReadWrite', 'graph.application.Mail.Send'],
        scopes: [graphAppScopes(ctx)],
        checks: ['network', 'token', 'graph'],
      };
    const api = baseScopes(ctx) === 'api';
    return {
      flow: 'delegated',
      api: api ? 'graph' : 'imap-smtp',
      redirectUris: [emailEngineRedirect(ctx.value('baseUrl'))],
      permissions: api
        ? ['graph.delegated.Mail.ReadWrite', 'graph.delegated.Mail.Send', 'graph.delegated.offline_access', 'graph.delegated.User.Read']
        : // EmailEngine's IMAP/SMTP scopes (outlookScopes, lib/oauth/outlook.js) add openid and profile: admin consent must cover them.
          ['graph.delegated.IMAP.AccessAsUser.All', 'graph.delegated.SMTP.Send', 'graph.delegated.offline_access', 'graph.delegated.User.Read', 'graph.delegated.openid', 'graph.delegated.profile'],
      scopes: [api ? graphDelegatedScopes(ctx) : outlookDelegatedScopes(ctx)],
      checks: api ? ['network', 'token', 'graph'] : ['network', 'token', 'imap', 'smtp', 'roundtrip'],
    };
  },
  steps,
  pasteCard,
  exports: [...COMMON_FORMATS, 'emailengine-oauth2-json', 'emailengine-curl'],
};
