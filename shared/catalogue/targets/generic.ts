/** Generic entries: the user's own application (IMAP/SMTP or Graph) and an app-only shared mailbox. */
import { COMMON_FORMATS } from '../formats';
import { audienceInput, servicePrincipalInput, URL_PATTERN } from '../inputs';
import { exchangeAppScopes, graphAppScopes, graphDelegatedScopes, outlookDelegatedScopes } from '../scopes';
import {
  adminConsentStep,
  exchangeServicePrincipalStep,
  everyMailboxStep,
  limitMailboxStep,
  overviewStep,
  permissionsStep,
  proveStep,
  registerStep,
  secretStep,
  smtpAuthStep,
} from '../steps';
import type { PasteCard, Step, TargetContext, TargetEntry, TargetInput } from '../types';

const redirectInput = (required: boolean): TargetInput => ({
  id: 'redirectUri',
  label: "Your application's sign-in return address",
  help: 'The exact URL your application receives the sign-in at (its OAuth redirect / callback URL). https, or http://localhost.',
  placeholder: 'https://app.fabrikam.com/oauth/callback',
  kind: 'url',
  required,
  validation: { pattern: URL_PATTERN, message: 'The full URL, starting with https:// (http:// only for localhost).' },
});

/** The values any OAuth2 client asks for, in the usual order. */
function genericCard(ctx: TargetContext, title: string): PasteCard {
  const host = ctx.hosts.signInHost;
  const authority = ctx.flow === 'app-only' ? ctx.tenant : ctx.authority;
  const fields: PasteCard['sections'][number]['fields'] = [
    { label: 'Client ID', value: ctx.clientId },
    { label: 'Client secret', value: ctx.secret, secret: true },
    { label: 'Tenant', value: authority },
    { label: 'Authorization URL', value: `https://${host}/${authority}/oauth2/v2.0/authorize` },
    { label: 'Token URL', value: `https://${host}/${authority}/oauth2/v2.0/token` },
  ];
  if (ctx.flow === 'delegated') fields.push({ label: 'Redirect URI', value: ctx.redirectUris[0] ?? '' });
  fields.push({ label: 'Scopes', value: (ctx.scopes[0] ?? []).join(' ') });
  if (ctx.api === 'imap-smtp')
    fields.push(
      { label: 'IMAP server', value: `${ctx.hosts.imap.host}:${ctx.hosts.imap.port} (SSL/TLS)` },
      { label: 'SMTP server', value: `${ctx.hosts.smtp.host}:${ctx.hosts.smtp.port} (STARTTLS)` },
      { label: 'Username', value: ctx.mailbox, note: 'the SASL XOAUTH2 user= value' },
    );
  else fields.push({ label: 'Graph URL', value: ctx.flow === 'app-only' ? `${ctx.hosts.graphUrl}/v1.0/users/${ctx.mailbox}` : `${ctx.hosts.graphUrl}/v1.0/me` });
  return { title, sections: [{ title: 'OAuth2 client settings', where: "Your application's mail / OAuth2 settings", fields }] };
}

function delegatedSteps(ctx: TargetContext, system: string, imap: boolean): Step[] {
  return [
    registerStep(ctx, { system, why: 'Pick the narrowest choice that covers the mailboxes that will connect.' }),
    overviewStep(ctx, { system, calledThere: 'its client ID' }),
    permissionsStep(ctx, { system }),
    secretStep(ctx, { system, fieldThere: 'its client secret' }),
    adminConsentStep(ctx),
    ...(imap ? [smtpAuthStep(ctx, { imap: true })] : []),
    proveStep(ctx, { system }),
  ];
}

export const genericImapSmtp: TargetEntry = {
  id: 'generic-imap-smtp',
  displayName: 'My own application (IMAP/SMTP)',
  description: 'Any application that signs a user in and then reads over IMAP and sends over SMTP with XOAUTH2.',
  inputs: [redirectInput(true), audienceInput(['single', 'multi', 'multi-personal', 'personal'], 'single')],
  platform: 'web',
  needsBaseUrl: false,
  requiresHttps: false,
  flow: 'delegated',
  api: 'imap-smtp',
  audience: { recommended: 'single', allowed: ['single', 'multi', 'multi-personal', 'personal'], why: 'Only your organization is the safe default; widen it only if other organizations or Outlook.com users connect.' },
  resolve: (ctx) => ({
    flow: 'delegated',
    api: 'imap-smtp',
    redirectUris: [ctx.value('redirectUri')],
    permissions: ['graph.delegated.IMAP.AccessAsUser.All', 'graph.delegated.SMTP.Send', 'graph.delegated.offline_access', 'graph.delegated.User.Read'],
    scopes: [outlookDelegatedScopes(ctx)],
    checks: ['network', 'token', 'imap', 'smtp', 'roundtrip'],
  }),
  steps: (ctx) => delegatedSteps(ctx, 'your application', true),
  pasteCard: (ctx) => genericCard(ctx, 'Your application: IMAP/SMTP OAuth2 settings'),
  exports: [...COMMON_FORMATS],
  registration: { secretDescription: 'your application' },
};

export const genericGraph: TargetEntry = {
  id: 'generic-graph',
  displayName: 'My own application (Graph)',
  description: 'Any application that reads and sends mail through Microsoft Graph, as a signed-in user or app-only.',
  inputs: [
    {
      id: 'flow',
      label: 'Does a person sign in?',
      help: 'Signed-in user: delegated permissions, the app acts as that person. No one: application permissions, an administrator approves, the app can reach mailboxes by itself.',
      placeholder: '',
      kind: 'choice',
      options: [
        { value: 'delegated', label: 'Yes, a person signs in (delegated)' },
        { value: 'app-only', label: 'No, the app works alone (application)' },
      ],
      required: true,
      default: 'delegated',
    },
    redirectInput(false),
    audienceInput(['single', 'multi', 'multi-personal', 'personal'], 'single'),
  ],
  platform: 'web',
  needsBaseUrl: false,
  requiresHttps: false,
  flow: 'delegated',
  api: 'graph',
  audience: { recommended: 'single', allowed: ['single', 'multi', 'multi-personal', 'personal'], why: 'Only your organization is the safe default; app-only access always needs your own tenant.' },
  resolve: (ctx) => {
    const appOnly = ctx.inputs.flow === 'app-only';
    return appOnly
      ? {
          flow: 'app-only',
          api: 'graph',
          redirectUris: [],
          permissions: ['graph.application.Mail.Read', 'graph.application.Mail.Send'],
          scopes: [graphAppScopes(ctx)],
          checks: ['network', 'token', 'graph'],
        }
      : {
          flow: 'delegated',
          api: 'graph',
          redirectUris: [ctx.value('redirectUri')],
          permissions: ['graph.delegated.Mail.ReadWrite', 'graph.delegated.Mail.Send', 'graph.delegated.offline_access', 'graph.delegated.User.Read'],
          scopes: [graphDelegatedScopes(ctx)],
          checks: ['network', 'token', 'graph'],
        };
  },
  steps: (ctx) =>
    ctx.flow === 'app-only'
      ? [
          registerStep(ctx, { system: 'your application', why: 'App-only access always works inside your own tenant.' }),
          overviewStep(ctx, { system: 'your application', calledThere: 'its client ID' }),
          // Scoped by default (issue 19): nothing to add or consent in Entra unless every mailbox was chosen.
          ...(ctx.registration.permissions.length > 0
            ? [
                permissionsStep(ctx, {
                  system: 'your application',
                  note: 'Application permissions cover every mailbox of the tenant unless Exchange limits them (optional step below).',
                }),
                adminConsentStep(ctx),
              ]
            : []),
          secretStep(ctx, { system: 'your application', fieldThere: 'its client secret' }),
          ...[limitMailboxStep(ctx), everyMailboxStep(ctx, { system: 'your application' })].filter((s): s is Step => !!s),
          proveStep(ctx, { system: 'your application' }),
        ]
      : delegatedSteps(ctx, 'your application', false),
  pasteCard: (ctx) => genericCard(ctx, 'Your application: Microsoft Graph OAuth2 settings'),
  exports: [...COMMON_FORMATS],
  registration: (ctx) => ({ secretDescription: ctx.flow === 'app-only' ? 'app-only mail' : 'your application' }),
};

export const appOnlyImapSmtp: TargetEntry = {
  id: 'app-only-imap-smtp',
  displayName: 'Shared mailbox or service (app-only IMAP/SMTP)',
  description: 'A service reads and sends as a shared mailbox over IMAP/SMTP with its own credentials, no one signing in.',
  inputs: [servicePrincipalInput],
  platform: 'none',
  needsBaseUrl: false,
  requiresHttps: false,
  flow: 'app-only',
  api: 'imap-smtp',
  audience: { recommended: 'single', allowed: ['single'], why: 'App-only access to your mailboxes only ever happens inside your own tenant.' },
  resolve: (ctx) => ({
    flow: 'app-only',
    api: 'imap-smtp',
    redirectUris: [],
    permissions: ['exchange.application.IMAP.AccessAsApp', 'exchange.application.SMTP.SendAsApp'],
    scopes: [exchangeAppScopes(ctx)],
    checks: ['network', 'token', 'imap', 'smtp', 'roundtrip'],
  }),
  steps: (ctx) => [
    registerStep(ctx, { system: 'the service', why: 'App-only access to your mailboxes only ever happens inside your own tenant.' }),
    overviewStep(ctx, { system: 'the service', calledThere: 'its client ID' }),
    permissionsStep(ctx, {
      system: 'the service',
      note: 'Use **Office 365 Exchange Online**, not Microsoft Graph: the Graph entries with the same names do not work for app-only IMAP/SMTP.',
    }),
    adminConsentStep(ctx),
    secretStep(ctx, { system: 'the service', fieldThere: 'its client secret' }),
    exchangeServicePrincipalStep(ctx),
    smtpAuthStep(ctx, { imap: true }),
    proveStep(ctx, { system: 'the service' }),
  ],
  pasteCard: (ctx) => genericCard(ctx, 'Service: app-only IMAP/SMTP settings'),
  exports: [...COMMON_FORMATS],
  registration: { secretDescription: 'shared mailbox' },
};
