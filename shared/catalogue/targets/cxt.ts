/** CXT Software (seed 004): app-only Microsoft Graph, credentials handed to the vendor. */
import { COMMON_FORMATS } from '../formats';
import { graphAppScopes } from '../scopes';
import { adminConsentStep, authenticationStep, everyMailboxStep, limitMailboxStep, overviewStep, permissionsStep, proveStep, registerStep, secretStep } from '../steps';
import type { PasteCard, Step, TargetContext, TargetEntry } from '../types';

export const CXT_REDIRECT_URIS = ['https://localhost', 'http://localhost'];

/** Why the hand-over carries no mailbox password although CXT's guide asks for one. */
export const CXT_NO_PASSWORD =
  "CXT's guide also asks for the mailbox password. It is not needed for what this registration sets up: the mail roles Mail.Read and Mail.Send (granted by an administrator, limited to the mailbox in Exchange unless you chose every mailbox) let the app read and send mail for the mailbox with the client secret alone, through Microsoft Graph, without anyone signing in. The assistant has tested exactly that access. Never send an account password by e-mail or in this hand-over; if CXT still asks for one, ask them which feature needs it.";

export function cxtSecretId(ctx: TargetContext): string {
  return ctx.profile.secretId?.trim() || '<Secret ID (a GUID) from Certificates & secrets>';
}

function steps(ctx: TargetContext): Step[] {
  const limit = limitMailboxStep(ctx);
  const every = everyMailboxStep(ctx, { system: 'CXT' });
  // Scoped by default (issue 19): Exchange grants the mail roles for the one mailbox, so nothing is added or
  // consented in Entra; the tenant-wide permissions and consent are the explicit opt-in (`every`).
  const entraMail = ctx.registration.permissions.length > 0;
  return [
    registerStep(ctx, {
      system: 'CXT',
      why: "It is what CXT's guide asks for; the mail access itself is app-only and limited to your tenant.",
    }),
    overviewStep(ctx, { system: 'CXT', calledThere: 'Client ID' }),
    authenticationStep(ctx, {
      title: 'Set up Authentication as CXT expects',
      why: "CXT's guide asks for these settings for its Operations App's own sign-in; the mail access itself uses the client secret with no one signed in.",
    }),
    ...(entraMail
      ? [
          permissionsStep(ctx, { system: 'CXT', note: 'These are **Application permissions**: the app uses them without a signed-in user, for every mailbox of your tenant unless you limit it (optional step below).' }),
          adminConsentStep(ctx),
        ]
      : []),
    // The Exchange step needs only the app and its enterprise application (both exist after Register), and
    // Exchange can take up to an hour: it goes before the secret, where the guide puts the permissions.
    ...(limit ? [limit] : []),
    ...(every ? [every] : []),
    secretStep(ctx, { system: 'CXT', keepSecretId: true, fieldThere: 'the Client Secret Value' }),
    proveStep(ctx, { system: 'CXT' }),
    {
      id: 'hand-over',
      title: 'Send CXT Software the credentials',
      body: [
        'Give CXT Software, through a secure channel:',
        `- **Client ID**: ${'`' + ctx.clientId + '`'}`,
        "- **Client Secret Value**: the secret's **Value**",
        `- **Client Secret ID**: ${'`' + cxtSecretId(ctx) + '`'}`,
        `- **Mailbox username**: ${'`' + ctx.mailbox + '`'}`,
        '',
        CXT_NO_PASSWORD,
        'The secret must be renewed before it expires for Outlook 365 to keep working with the CXT Software Operations App.',
      ].join('\n'),
      where: 'target',
      copy: [
        { label: 'Client ID', value: ctx.clientId },
        { label: 'Client Secret Value', value: ctx.secret, secret: true },
        { label: 'Client Secret ID', value: cxtSecretId(ctx) },
        { label: 'Mailbox username', value: ctx.mailbox },
      ],
    },
  ];
}

function pasteCard(ctx: TargetContext): PasteCard {
  return {
    title: 'CXT Software: Microsoft 365 OAuth credentials',
    sections: [
      {
        title: 'Provide to CXT Software',
        where: 'Hand-over to CXT Software (secure channel)',
        fields: [
          { label: 'Client ID', value: ctx.clientId },
          { label: 'Client Secret Value', value: ctx.secret, secret: true },
          { label: 'Client Secret ID', value: cxtSecretId(ctx), note: 'a GUID; not the secret' },
          { label: 'Mailbox username', value: ctx.mailbox },
          { label: 'Mailbox password', value: 'not provided: not needed (see note)' },
        ],
        notes: [CXT_NO_PASSWORD],
      },
    ],
  };
}

export const cxt: TargetEntry = {
  id: 'cxt',
  displayName: 'CXT Software',
  description: 'CXT Software Operations App reads and sends mail through Microsoft Graph with application permissions.',
  seed: '004',
  inputs: [],
  platform: 'web',
  needsBaseUrl: false,
  requiresHttps: false,
  flow: 'app-only',
  api: 'graph',
  audience: {
    recommended: 'multi-personal',
    allowed: ['multi-personal'],
    why: "CXT's guide asks for any organizational directory and personal Microsoft accounts; the app-only mail access stays within your tenant.",
  },
  redirectPath: () => '',
  resolve: (ctx) => ({
    flow: 'app-only',
    api: 'graph',
    redirectUris: [...CXT_REDIRECT_URIS],
    permissions: ['graph.application.Mail.Read', 'graph.application.Mail.Send'],
    scopes: [graphAppScopes(ctx)],
    checks: ['network', 'token', 'graph'],
  }),
  steps,
  pasteCard,
  exports: [...COMMON_FORMATS],
  registration: { publicClientFlows: true, implicitGrant: { accessTokens: true, idTokens: true }, secretDescription: 'Oauth' },
};
