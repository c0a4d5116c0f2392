/**
 * The desired app registration, derived from a catalogue entry's context (issue 9, section 1).
 * Pure and import-light on purpose: shared/catalogue/context.ts calls it once per context, and the
 * checklist's Entra steps (shared/catalogue/steps.ts) render from its result, so the checklist and
 * what the engine creates can never disagree. Nothing here is a second copy of the catalogue: the
 * redirect URIs, permissions, audience and flow come from the entry's resolve() and ACCOUNT_TYPES.
 */
import { ACCOUNT_TYPES } from '../catalogue/account-types';
import { PERMISSIONS, RESOURCES, type PermissionKey } from '../catalogue/permissions';
import type { BaseContext, RegistrationHints, Resolved, TargetEntry } from '../catalogue/types';
import { isGuid, psQuote } from './quote';
import type { DesiredPermission, DesiredRegistration, ManualStep, Platform } from './types';

/** Ids known only after the app exists (or typed by the user), to fill the Exchange commands. */
export interface RegistrationIds {
  appId?: string | null;
  /** The enterprise application's (service principal's) object id. */
  servicePrincipalId?: string | null;
  tenantId?: string | null;
}

export interface DesiredOptions {
  ids?: RegistrationIds;
  /** Client secret lifetime in months (default DEFAULT_SECRET_LIFETIME_MONTHS). */
  secretLifetimeMonths?: number;
  /** Overrides the display name (default: the context's appName). */
  displayName?: string;
  /**
   * App-only Graph: 'exchange-rbac' (the default, issue 19 "safe by default") scopes the mail access to the
   * mailbox with Exchange RBAC for Applications; 'tenant' is the explicit opt-in to tenant-wide admin consent
   * (every mailbox in the organisation). The checklist, scripts, CLI and lint all derive from this one default.
   */
  mailboxScope?: 'tenant' | 'exchange-rbac';
}

/** 12 months: the portal offers 6/12/24; Microsoft recommends 12 or less (PORTAL-STEPS.md). */
export const DEFAULT_SECRET_LIFETIME_MONTHS = 12;

/** Shown in commands for ids not known yet; `ManualStep.unresolved` lists them. */
export const ID_PLACEHOLDERS = {
  appId: '<Application (client) ID>',
  servicePrincipalId: '<Object ID of the enterprise application>',
  tenantId: '<Directory (tenant) ID>',
  mailbox: '<mailbox address>',
} as const;

/** Why a target needs each permission, one line (plan, lint and the permissions step). */
export const PERMISSION_WHY: Record<PermissionKey, string> = {
  'graph.delegated.User.Read': 'signs the user in and reads their profile (listed by default)',
  'graph.delegated.openid': 'signs the user in (OpenID Connect)',
  'graph.delegated.profile': "reads the signed-in user's name",
  'graph.delegated.email': "reads the signed-in user's e-mail address",
  'graph.delegated.offline_access': 'keeps access without signing in again every hour (refresh token)',
  'graph.delegated.IMAP.AccessAsUser.All': 'reads the mailbox over IMAP as the signed-in user',
  'graph.delegated.POP.AccessAsUser.All': 'reads the mailbox over POP as the signed-in user',
  'graph.delegated.SMTP.Send': 'sends mail over SMTP as the signed-in user',
  'graph.delegated.Mail.Read': "reads the signed-in user's mail through Microsoft Graph",
  'graph.delegated.Mail.ReadWrite': "reads and files the signed-in user's mail through Microsoft Graph",
  'graph.delegated.Mail.Send': 'sends mail as the signed-in user through Microsoft Graph',
  'graph.application.Mail.Read': 'reads mail of every mailbox in your organisation, no one signed in',
  'graph.application.Mail.ReadWrite': 'reads and files mail of every mailbox in your organisation, no one signed in',
  'graph.application.Mail.Send': 'sends mail as every mailbox in your organisation, no one signed in',
  'exchange.application.IMAP.AccessAsApp': 'reads mailboxes over IMAP without a signed-in user (only those Exchange allows)',
  'exchange.application.POP.AccessAsApp': 'reads mailboxes over POP without a signed-in user (only those Exchange allows)',
  'exchange.application.SMTP.SendAsApp': 'sends over SMTP without a signed-in user (only as mailboxes Exchange allows)',
};

/** Graph application roles that Exchange RBAC for Applications can scope (REGISTRATION-FACTS 4.3). */
const RBAC_SCOPABLE = new Set(['Mail.Read', 'Mail.ReadWrite', 'Mail.Send']);

function hintsOf(entry: TargetEntry, ctx: BaseContext & Resolved): RegistrationHints {
  const r = entry.registration;
  return (typeof r === 'function' ? r(ctx) : r) ?? {};
}

function permissionOf(key: PermissionKey): DesiredPermission {
  const p = PERMISSIONS[key];
  return { resource: p.resource, resourceAppId: RESOURCES[p.resource], name: p.name, type: p.type, why: PERMISSION_WHY[key] };
}

/** The ids the profile already knows (client id, tenant, the enterprise app's object id input). */
export function idsFromContext(ctx: BaseContext): RegistrationIds {
  const tenant = ctx.profile.tenant.trim();
  return {
    appId: isGuid(ctx.profile.clientId) ? ctx.profile.clientId.trim() : null,
    servicePrincipalId: isGuid(ctx.inputs.servicePrincipalObjectId) ? ctx.inputs.servicePrincipalObjectId!.trim() : null,
    tenantId: tenant || null,
  };
}

export function deriveRegistration(entry: TargetEntry, ctx: BaseContext & Resolved, opts: DesiredOptions = {}): DesiredRegistration {
  const hints = hintsOf(entry, ctx);
  const account = ACCOUNT_TYPES[ctx.audience];
  const personal = account.signInAudience === 'AzureADandPersonalMicrosoftAccount' || account.signInAudience === 'PersonalMicrosoftAccount';
  const platform: Platform = hints.platform ?? 'web';
  const redirectUris: Record<Platform, string[]> = { web: [], publicClient: [], spa: [] };
  redirectUris[platform] = [...ctx.redirectUris];
  const mailboxScope = opts.mailboxScope ?? 'exchange-rbac';
  const scoped = mailboxScope === 'exchange-rbac' && ctx.flow === 'app-only';
  const all = ctx.permissions.map(permissionOf);
  const rbacRoles = scoped ? all.filter((p) => p.resource === 'Microsoft Graph' && p.type === 'application' && RBAC_SCOPABLE.has(p.name)) : [];
  // App-only SMTP for a send-only system goes through RBAC for Applications (smtpSendRoute): no Entra
  // SMTP.SendAsApp, because "including the SMTP.SendAsApp claim would trigger an unnecessary check for
  // mailbox permissions" (Microsoft, smtp-app-rbac-onboarding, 2025-10-17).
  const smtpRbac = ctx.flow === 'app-only' && smtpSendRoute(all) === 'rbac';
  const permissions = all.filter((p) => !rbacRoles.includes(p) && !(smtpRbac && p.resource === 'Office 365 Exchange Online' && p.name === 'SMTP.SendAsApp'));
  const publicOnly = platform === 'publicClient' && ctx.flow === 'delegated';
  const lifetimeMonths = opts.secretLifetimeMonths ?? DEFAULT_SECRET_LIFETIME_MONTHS;
  const displayName = (opts.displayName ?? ctx.appName).trim() || ctx.appName;
  const assignmentRequired = !!hints.assignmentRequired;
  const mailbox = ctx.profile.mailbox.trim();
  const known = { ...idsFromContext(ctx), ...stripEmpty(opts.ids ?? {}) };
  const reg: DesiredRegistration = {
    target: entry.id,
    displayName,
    signInAudience: account.signInAudience,
    audience: ctx.audience,
    requestedAccessTokenVersion: personal ? 2 : null,
    redirectUris,
    isFallbackPublicClient: !!hints.publicClientFlows || publicOnly,
    implicitGrant: { accessTokens: !!hints.implicitGrant?.accessTokens, idTokens: !!hints.implicitGrant?.idTokens },
    permissions,
    credential: publicOnly ? { kind: 'none' } : { kind: 'secret', displayName: hints.secretDescription ?? entry.displayName, lifetimeMonths },
    consent: { delegated: permissions.some((p) => p.type === 'delegated'), application: permissions.some((p) => p.type === 'application') },
    assignment: { required: assignmentRequired, assignMailbox: assignmentRequired && ctx.flow === 'delegated' },
    mailbox,
    manualSteps: [],
    tenantId: known.tenantId ?? '',
    graphUrl: ctx.hosts.graphUrl,
    mailboxScope: scoped && rbacRoles.length > 0 ? 'exchange-rbac' : 'tenant',
  };
  reg.manualSteps = manualSteps(reg, ctx, known, all, rbacRoles.map((p) => p.name));
  return reg;
}

function stripEmpty(ids: RegistrationIds): RegistrationIds {
  const out: RegistrationIds = {};
  for (const [k, v] of Object.entries(ids) as Array<[keyof RegistrationIds, string | null | undefined]>) if (v && v.trim()) out[k] = v.trim();
  return out;
}

type Need = ManualStep['needs'][number];

/** Builds one command line from parts; `need()` marks an id as used and gives its value or placeholder. */
function commandBuilder(known: RegistrationIds, mailbox: string) {
  const values: Record<Need, string | undefined> = {
    appId: known.appId ?? undefined,
    servicePrincipalId: known.servicePrincipalId ?? undefined,
    tenantId: known.tenantId ?? undefined,
    mailbox: mailbox || undefined,
  };
  return (build: (need: (n: Need) => string) => string[]): Pick<ManualStep, 'command' | 'needs' | 'unresolved'> => {
    const needs = new Set<Need>();
    const unresolved = new Set<Need>();
    const need = (n: Need): string => {
      needs.add(n);
      const v = values[n];
      if (v === undefined) {
        unresolved.add(n);
        return ID_PLACEHOLDERS[n];
      }
      return psQuote(v);
    };
    const command = build(need).join('\n');
    return { command, needs: [...needs], unresolved: [...unresolved] };
  };
}

function manualSteps(reg: DesiredRegistration, ctx: BaseContext & Resolved, known: RegistrationIds, all: DesiredPermission[], rbacRoles: string[]): ManualStep[] {
  const cmd = commandBuilder(known, reg.mailbox);
  const steps: ManualStep[] = [];
  const exoRoles = all.filter((p) => p.resource === 'Office 365 Exchange Online' && p.type === 'application').map((p) => p.name);
  const graphMailRoles = all.filter((p) => p.resource === 'Microsoft Graph' && p.type === 'application' && RBAC_SCOPABLE.has(p.name)).map((p) => p.name);
  const exchangeAdmin = 'an Exchange administrator (Exchange Online PowerShell)';
  const connect = (why: string): ManualStep => ({
    id: 'exchange-connect',
    title: 'Connect to Exchange Online PowerShell',
    who: exchangeAdmin,
    where: 'exchange-powershell',
    ...cmd((need) => [`Connect-ExchangeOnline -Organization ${need('tenantId')}`]),
    why,
  });

  const smtpRoute = ctx.flow === 'app-only' ? smtpSendRoute(all) : null;
  if (exoRoles.length > 0) {
    steps.push(connect('The Exchange steps below run in this session (Install-Module ExchangeOnlineManagement once).'));
    steps.push({
      id: 'exchange-service-principal',
      title: 'Register the app in Exchange Online',
      who: exchangeAdmin,
      where: 'exchange-powershell',
      ...cmd((need) => [`New-ServicePrincipal -AppId ${need('appId')} -ObjectId ${need('servicePrincipalId')} -DisplayName ${psQuote(reg.displayName)}`]),
      why: "Application permissions alone do not open a mailbox over IMAP/POP/SMTP: Exchange must know the app. -ObjectId is the enterprise application's Object ID, not the app registration's.",
    });
    // Microsoft "Authenticate an IMAP, POP or SMTP connection using OAuth": IMAP/POP app-only needs Full
    // Access on the mailbox (RBAC for Applications does not cover IMAP/POP). Send As is not needed to send as
    // the mailbox itself; only a different From address needs Send As on that address.
    if (exoRoles.some((r) => r === 'IMAP.AccessAsApp' || r === 'POP.AccessAsApp'))
      steps.push({
        id: 'exchange-mailbox-permission',
        title: `Let the app open ${reg.mailbox || 'the mailbox'}`,
        who: exchangeAdmin,
        where: 'exchange-powershell',
        ...cmd((need) => [`Add-MailboxPermission -Identity ${need('mailbox')} -User ${need('servicePrincipalId')} -AccessRights FullAccess`]),
        why: `Reading over IMAP/POP without a signed-in user reaches only the mailboxes the app is given Full Access to${exoRoles.includes('SMTP.SendAsApp') ? '; Full Access also lets it send over SMTP as this mailbox' : ''}. Send As is needed only if the system sends with a different From address (then on that address).`,
      });
    if (smtpRoute === 'rbac')
      steps.push({
        id: 'exchange-smtp-role',
        title: `Let the app send as ${reg.mailbox || 'the mailbox'} only (RBAC for Applications)`,
        who: 'an Exchange administrator with the Organization Management role',
        where: 'exchange-powershell',
        ...cmd((need) => [
          `New-ManagementScope -Name ${psQuote(`${reg.displayName} SMTP`)} -RecipientRestrictionFilter ${opathFilter(need, reg.mailbox)}`,
          `New-ManagementRoleAssignment -App ${need('servicePrincipalId')} -Role 'Application SMTP.SendAsApp' -CustomResourceScope ${psQuote(`${reg.displayName} SMTP`)}`,
          `Test-ServicePrincipalAuthorization -Identity ${need('servicePrincipalId')} -Resource ${need('mailbox')}`,
        ]),
        why: 'Microsoft\'s route for app-only SMTP since October 2025: the Exchange role Application SMTP.SendAsApp, scoped to this mailbox, with no mailbox permission and no SMTP.SendAsApp in Entra (that claim would make Exchange check mailbox permissions instead). For many mailboxes, scope it to a group (MemberOfGroup) or an administrative unit (-RecipientAdministrativeUnitScope) instead of one address.',
      });
    if (ctx.flow === 'app-only')
      steps.push({
        id: 'exchange-access-policies',
        title: 'Check for older Application Access Policies',
        who: exchangeAdmin,
        where: 'exchange-powershell',
        ...cmd((need) => ['Get-ApplicationAccessPolicy', `Test-ApplicationAccessPolicy -Identity ${need('mailbox')} -AppId ${need('appId')}`]),
        why: 'Application Access Policies are being replaced by RBAC for Applications. If this lists a policy for this app, move its mailboxes to RBAC for Applications (New-ManagementScope and New-ManagementRoleAssignment), test with Test-ServicePrincipalAuthorization, then remove the policy with Remove-ApplicationAccessPolicy. It only reads.',
      });
  }

  if (ctx.api === 'imap-smtp')
    steps.push({
      id: 'smtp-auth-mailbox',
      title: `Allow SMTP AUTH for ${reg.mailbox || 'the mailbox'}`,
      who: 'an Exchange or Microsoft 365 administrator',
      where: 'm365-admin',
      ...cmd((need) => [`Set-CASMailbox -Identity ${need('mailbox')} -SmtpClientAuthenticationDisabled $false`]),
      why: 'New tenants and security defaults turn Authenticated SMTP off; OAuth does not bypass it. Only needed when it is off.',
      optional: true,
    });

  if (ctx.flow === 'app-only' && graphMailRoles.length > 0) {
    const scoped = rbacRoles.length > 0;
    const scopeName = `${reg.displayName} mailbox`;
    // The OPATH filter names the mailbox in its own single quotes (doubled), inside a PowerShell literal.
    const opath = (need: (n: Need) => string): string => {
      const placeholder = need('mailbox') === ID_PLACEHOLDERS.mailbox;
      return placeholder ? `"PrimarySmtpAddress -eq '${ID_PLACEHOLDERS.mailbox}'"` : psQuote(`PrimarySmtpAddress -eq '${reg.mailbox.replace(/'/g, "''")}'`);
    };
    const roles = scoped ? rbacRoles : graphMailRoles;
    if (!exoRoles.length) steps.push({ ...connect('The RBAC for Applications commands below run in this session.'), ...(scoped ? {} : { optional: true }) });
    steps.push({
      id: 'limit-mailbox-scope',
      title: `Limit the app to ${reg.mailbox || 'one mailbox'} (Exchange RBAC for Applications)`,
      who: 'an Exchange administrator with the Organization Management role',
      where: 'exchange-powershell',
      ...cmd((need) => [
        ...exchangeSpLines(need, reg.displayName),
        `New-ManagementScope -Name ${psQuote(scopeName)} -RecipientRestrictionFilter ${opath(need)}`,
        ...roles.map((r) => `New-ManagementRoleAssignment -App ${need('servicePrincipalId')} -Role ${psQuote(`Application ${r}`)} -CustomResourceScope ${psQuote(scopeName)}`),
        `Test-ServicePrincipalAuthorization -Identity ${need('servicePrincipalId')} -Resource ${need('mailbox')}`,
        // Application Access Policies are replaced by RBAC for Applications: list any left to remove them.
        'Get-ApplicationAccessPolicy',
      ]),
      why: scoped
        ? `The app's ${roles.join(' and ')} reach only this mailbox because they are granted by Exchange, not as tenant-wide admin consent in Entra.`
        : `With admin consent, ${graphMailRoles.join(' and ')} reach every mailbox in the tenant. To limit the app to this mailbox, run these and then revoke the admin consent of ${graphMailRoles.join(' and ')} in Entra (API permissions): while consent is granted, the app still reaches every mailbox.`,
      optional: !scoped,
    });
  }
  return steps;
}

/**
 * How an app-only system sends over SMTP: 'rbac' (send-only: the scoped Exchange role Application
 * SMTP.SendAsApp, Microsoft's route since October 2025) or 'full-access' (it also reads over IMAP/POP,
 * which needs Full Access on the mailbox anyway). null when it does not send over SMTP.
 */
export function smtpSendRoute(perms: readonly Pick<DesiredPermission, 'resource' | 'name' | 'type'>[]): 'rbac' | 'full-access' | null {
  const exo = perms.filter((p) => p.resource === 'Office 365 Exchange Online' && p.type === 'application').map((p) => p.name);
  if (!exo.includes('SMTP.SendAsApp')) return null;
  return exo.includes('IMAP.AccessAsApp') || exo.includes('POP.AccessAsApp') ? 'full-access' : 'rbac';
}

/** The OPATH filter naming one mailbox, in its own single quotes (doubled), inside a PowerShell literal. */
function opathFilter(need: (n: Need) => string, mailbox: string): string {
  return need('mailbox') === ID_PLACEHOLDERS.mailbox ? `"PrimarySmtpAddress -eq '${ID_PLACEHOLDERS.mailbox}'"` : psQuote(`PrimarySmtpAddress -eq '${mailbox.replace(/'/g, "''")}'`);
}

function exchangeSpLines(need: (n: 'appId' | 'servicePrincipalId' | 'tenantId' | 'mailbox') => string, displayName: string): string[] {
  return [`New-ServicePrincipal -AppId ${need('appId')} -ObjectId ${need('servicePrincipalId')} -DisplayName ${psQuote(displayName)}`];
}
