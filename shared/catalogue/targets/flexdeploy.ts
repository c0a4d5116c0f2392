/** FlexDeploy (seed 001): Email Settings with the "Microsoft OAuth" auth type. */
import { TARGET_DEFAULT_HOSTS } from '../clouds';
import { COMMON_FORMATS } from '../formats';
import { audienceInput, baseUrlInput } from '../inputs';
import { outlookDelegatedScopes } from '../scopes';
import { adminConsentStep, overviewStep, permissionsStep, proveStep, registerStep, secretStep, smtpAuthStep } from '../steps';
import type { PasteCard, Step, TargetContext, TargetEntry } from '../types';

/** Redirect path per FlexDeploy version (TARGETS.md): the seed's 6.x path is unconfirmed. */
export const FLEXDEPLOY_REDIRECT_PATHS: Record<string, string> = {
  '7': '/flexdeploy/rest/v2/oauth',
  '6': '/flexdeploy/facesrest/v2/oauth',
  '5.6': '/flexdeploy/faces/oauth',
};

export function flexDeployRedirectPath(version: string | undefined): string {
  return FLEXDEPLOY_REDIRECT_PATHS[version ?? '7'] ?? FLEXDEPLOY_REDIRECT_PATHS['7']!;
}

/** FlexDeploy's Server Base URL: the redirect minus its path (a pasted `/flexdeploy` suffix is dropped). */
export function flexDeployServerBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/flexdeploy(\/.*)?$/i, '');
}

function steps(ctx: TargetContext): Step[] {
  const base = flexDeployServerBaseUrl(ctx.value('baseUrl'));
  return [
    registerStep(ctx, {
      system: 'FlexDeploy',
      why: "FlexDeploy signs in through your tenant (its **Tenant Id** field), so your organization's accounts are enough.",
      extra: `The redirect is your FlexDeploy server with the path ${'`' + flexDeployRedirectPath(ctx.inputs.version) + '`'} (it depends on the FlexDeploy version you chose).`,
    }),
    overviewStep(ctx, { system: 'FlexDeploy', calledThere: '**Client Id** (and the tenant **Tenant Id**)' }),
    permissionsStep(ctx, { system: 'FlexDeploy', note: 'FlexDeploy sends test mail over SMTP and reads approval replies over IMAP.' }),
    secretStep(ctx, { system: 'FlexDeploy', fieldThere: '**Client Secret**' }),
    adminConsentStep(ctx),
    smtpAuthStep(ctx, { imap: true }),
    proveStep(ctx, { system: 'FlexDeploy' }),
    {
      id: 'server-base-url',
      title: "Check FlexDeploy's own web address",
      body: [
        `In FlexDeploy **General Settings**, **Server Base URL** must be ${'`' + base + '`'}: the redirect registered in Microsoft minus its path.`,
        `It must NOT include ${'`/flexdeploy/...`'}. HTTPS is required.`,
      ].join('\n'),
      where: 'target',
      copy: [{ label: 'Server Base URL', value: base }],
    },
    {
      id: 'email-settings',
      title: 'Enter the Microsoft values in Email Settings',
      body: [
        'Open **Email Settings** and select **Microsoft OAuth** as the auth type for SMTP and/or IMAP. Fill in:',
        `1. **SMTP Host Name**: ${'`' + TARGET_DEFAULT_HOSTS.smtp.host + '`'}`,
        `2. **SMTP/IMAP Username**: ${'`' + ctx.mailbox + '`'}`,
        `3. **Client Id**: ${'`' + ctx.clientId + '`'}`,
        "4. **Client Secret**: the secret's **Value**",
        `5. **Tenant Id**: ${'`' + ctx.tenant + '`'}`,
        'FlexDeploy 9.0 and later keep these in **Integration Settings** as an **OAuth Application**; **Email Settings** then shows auth type **OAuth** with **User Name**, **OAuth Application** and **From Address**.',
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'SMTP Host Name', value: TARGET_DEFAULT_HOSTS.smtp.host },
        { label: 'SMTP/IMAP Username', value: ctx.mailbox },
        { label: 'Client Id', value: ctx.clientId },
        { label: 'Client Secret', value: ctx.secret, secret: true },
        { label: 'Tenant Id', value: ctx.tenant },
      ],
    },
    {
      id: 'authorize',
      title: `Authorize FlexDeploy as ${ctx.mailbox}`,
      body: [
        `First sign out of Microsoft in your browser (or sign in to outlook.com as ${'`' + ctx.mailbox + '`'}): with SSO you would otherwise authorize as the wrong user.`,
        `Click **Authorize** (or **Re-Authorize**) and sign in as ${'`' + ctx.mailbox + '`'}, the user in the SMTP/IMAP username box.`,
        'If testing later says **Bad User is Authenticated But Not Connected**, you authorized as someone else: sign out of Microsoft and re-authorize as the mailbox user.',
      ].join('\n'),
      where: 'target',
      copy: [{ label: 'Sign in as', value: ctx.mailbox }],
    },
    {
      id: 'test-email',
      title: 'Test from FlexDeploy',
      body: 'Click **Test Email Configuration** (next to **Save**): it sends a test mail to the logged-in user\'s address (SMTP) and reads the inbox of the **Approval Reply Address** (IMAP).',
      where: 'target',
      copy: [],
    },
  ];
}

function pasteCard(ctx: TargetContext): PasteCard {
  return {
    title: 'FlexDeploy: Microsoft OAuth email settings',
    sections: [
      {
        title: 'General Settings',
        where: 'Administration > General Settings',
        fields: [{ label: 'Server Base URL', value: flexDeployServerBaseUrl(ctx.value('baseUrl')), note: 'the registered redirect minus its path; no /flexdeploy' }],
      },
      {
        title: 'Email Settings',
        where: 'Email Settings (auth type: Microsoft OAuth for SMTP and/or IMAP)',
        fields: [
          { label: 'SMTP Host Name', value: TARGET_DEFAULT_HOSTS.smtp.host },
          { label: 'SMTP/IMAP Username', value: ctx.mailbox },
          { label: 'Client Id', value: ctx.clientId },
          { label: 'Client Secret', value: ctx.secret, secret: true },
          { label: 'Tenant Id', value: ctx.tenant },
        ],
        notes: [
          `Redirect registered in Microsoft: ${ctx.redirectUris[0] ?? ''}`,
          `Before Authorize, sign out of Microsoft; authorize as ${ctx.mailbox}, then Test Email Configuration.`,
          'FlexDeploy 9.0+: Integration Settings > OAuth Application holds Client Id / Client Secret / Tenant Id; Email Settings uses auth type OAuth with User Name, OAuth Application, From Address.',
        ],
      },
    ],
  };
}

export const flexdeploy: TargetEntry = {
  id: 'flexdeploy',
  displayName: 'FlexDeploy',
  description: 'FlexDeploy sends notifications and reads approval replies with Microsoft OAuth email settings.',
  seed: '001',
  inputs: [
    baseUrlInput({
      label: "Your FlexDeploy server's web address",
      help: 'The address of your FlexDeploy server without /flexdeploy, e.g. https://flexdeploy.fabrikam.com. It must equal Server Base URL in General Settings.',
      placeholder: 'https://flexdeploy.fabrikam.com',
      requireHttps: true,
    }),
    {
      id: 'version',
      label: 'FlexDeploy version',
      help: 'The sign-in return address changed between versions.',
      placeholder: '',
      kind: 'choice',
      options: [
        { value: '7', label: '7.0 or later', help: '/flexdeploy/rest/v2/oauth' },
        { value: '6', label: '6.x', help: '/flexdeploy/facesrest/v2/oauth (as in the FlexDeploy guide)' },
        { value: '5.6', label: '5.6', help: '/flexdeploy/faces/oauth' },
      ],
      required: true,
      default: '7',
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
    why: 'FlexDeploy asks for your Tenant Id and signs in through it: accounts of your organization are all it needs.',
  },
  redirectPath: (inputs) => flexDeployRedirectPath(inputs.version),
  resolve: (ctx) => ({
    flow: 'delegated',
    api: 'imap-smtp',
    redirectUris: [`${flexDeployServerBaseUrl(ctx.value('baseUrl'))}${flexDeployRedirectPath(ctx.inputs.version)}`],
    permissions: ['graph.delegated.IMAP.AccessAsUser.All', 'graph.delegated.SMTP.Send', 'graph.delegated.offline_access', 'graph.delegated.User.Read'],
    scopes: [outlookDelegatedScopes(ctx)],
    checks: ['network', 'token', 'imap', 'smtp', 'roundtrip'],
  }),
  steps,
  pasteCard,
  exports: [...COMMON_FORMATS],
};
