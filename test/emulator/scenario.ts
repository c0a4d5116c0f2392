import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ENTRA_ROLE_NAMES } from './resources.js';

/** Faults that can be declared in a scenario and switched at run time through `admin.setFault`. */
export const FaultsSchema = z.object({
  /** Overlay on the scenario's tenant / mailbox settings: SMTP AUTH disabled for the tenant and/or these mailboxes (535 5.7.139). */
  smtpAuthDisabled: z.object({ tenant: z.boolean().default(false), mailboxes: z.array(z.string()).default([]) }).default({ tenant: false, mailboxes: [] }),
  /**
   * What SMTP answers a password login (AUTH LOGIN / PLAIN, which Exchange Online still advertises next
   * to XOAUTH2): "disabled" = `535 5.7.139 Authentication unsuccessful, basic authentication is disabled.`
   * (security defaults or the tenant's Basic auth switch; nodemailer#1714, rpremraj/mailR#107), "retired"
   * = `550 5.7.30 Basic authentication is not supported for Client Submission.` (the end of Basic auth for
   * SMTP AUTH, REGISTRATION-FACTS 4.5). The emulator never accepts a password.
   */
  smtpBasicAuth: z.enum(['disabled', 'retired']).default('disabled'),
  /** IMAP disabled for these mailboxes (Set-CASMailbox -ImapEnabled $false). */
  imapDisabled: z.array(z.string()).default([]),
  /** AADSTS53003 at authorize (after sign-in) and at the token endpoint (for user tokens). */
  conditionalAccess: z.boolean().default(false),
  /** Every user must complete MFA (as if the tenant required it), not only users with `mfa: true`. */
  mfaRequired: z.boolean().default(false),
  /** Token endpoint answers 429 (with Retry-After) or 503 instead of tokens. `count` = how many requests (null = until cleared). */
  tokenThrottle: z
    .object({ status: z.union([z.literal(429), z.literal(503)]), retryAfterSeconds: z.number().int().min(0).default(5), count: z.number().int().positive().nullable().default(null) })
    .nullable()
    .default(null),
  /** Injected latency in milliseconds per service. */
  latencyMs: z
    .object({ login: z.number().int().min(0).default(0), graph: z.number().int().min(0).default(0), smtp: z.number().int().min(0).default(0), imap: z.number().int().min(0).default(0) })
    .default({ login: 0, graph: 0, smtp: 0, imap: 0 }),
  /** Every client secret is treated as expired (AADSTS7000222). */
  secretExpired: z.boolean().default(false),
  /** The HTTPS (login + Graph), SMTP STARTTLS and/or IMAP (Dovecot, both ports) endpoints present a certificate from another, untrusted CA. */
  untrustedTls: z
    .object({ https: z.boolean().default(false), smtp: z.boolean().default(false), imap: z.boolean().default(false) })
    .default({ https: false, smtp: false, imap: false }),
  /**
   * Graph directory: objects created less than N seconds ago are not yet visible (reads by appId / $filter
   * answer 404, a service principal for a fresh app 400 "does not reference a valid application object",
   * grants and role assignments naming a fresh service principal 400 "Not a valid reference update.").
   */
  replicationLagSeconds: z.number().min(0).default(0),
  /** Sign-in side of replication: an app created through Graph less than N seconds ago is unknown to the token endpoint / authorize page (AADSTS700016). */
  signInReplicationLagSeconds: z.number().min(0).default(0),
  /** Graph directory answers 429 with Retry-After (for `count` requests, null = until cleared). */
  graphThrottle: z.object({ retryAfterSeconds: z.number().int().min(0).default(5), count: z.number().int().positive().nullable().default(null) }).nullable().default(null),
  /** The tenant's app management policy (GET /policies/defaultAppManagementPolicy, enforced by addPassword / create). */
  appPolicy: z
    .object({
      /** passwordCredentials restriction passwordAddition: no new client secrets. */
      passwordAdditionBlocked: z.boolean().default(false),
      /** passwordCredentials restriction passwordLifetime: ISO-8601 duration, e.g. "P90D". */
      maxPasswordLifetime: z.string().nullable().default(null),
      /** Audiences new apps may use (SignInAudienceNotAllowedAsPerAppPolicy otherwise); null = any. */
      allowedSignInAudiences: z.array(z.string()).nullable().default(null),
    })
    .nullable()
    .default(null),
  /** "Users can register applications" = No for the tenant (overlay on tenant.usersCanRegisterApps). */
  usersCannotRegisterApps: z.boolean().default(false),
  /**
   * The tenant has no Entra ID P1/P2 licence: GET /auditLogs/signIns answers 403
   * Authentication_RequestFromNonPremiumTenantOrB2CTenant (microsoftgraph/msgraph-sdk-dotnet#1006).
   */
  signInLogsUnlicensed: z.boolean().default(false),
});
export type Faults = z.infer<typeof FaultsSchema>;
/** What setFault accepts: fields with defaults may be left out. */
export type FaultsInput = z.input<typeof FaultsSchema>;

export const MailboxSettingsSchema = z.object({
  imapEnabled: z.boolean().default(true),
  /** null: follow the tenant (Set-TransportConfig); true/false: mailbox override (Set-CASMailbox). */
  smtpAuthDisabled: z.boolean().nullable().default(null),
});

export const UserSchema = z.object({
  upn: z.string().email(),
  displayName: z.string(),
  password: z.string(),
  objectId: z.guid(),
  mfa: z.boolean().default(false),
  /** member of the tenant, guest invited into it, or a personal Microsoft account (outlook.com). */
  kind: z.enum(['member', 'guest', 'personal']).default('member'),
  /** Tenant id the user belongs to (for 'personal' use the consumers tenant 9188040d-6c67-4c5b-b112-36a304b66dad). */
  tenantId: z.string(),
  /** Tenants the user is invited into as a guest. */
  guestOf: z.array(z.string()).default([]),
  isAdmin: z.boolean().default(false),
  /** Entra roles held (isAdmin: true without roles counts as Global Administrator). */
  roles: z.array(z.enum(ENTRA_ROLE_NAMES)).default([]),
  /** Whether the user has an Exchange mailbox (false: guests, personal accounts outside this emulator's store). */
  hasMailbox: z.boolean().default(true),
  mailbox: MailboxSettingsSchema.default({ imapEnabled: true, smtpAuthDisabled: null }),
  /** Mailboxes (shared or user) this user has FullAccess / SendAs on. */
  fullAccess: z.array(z.string()).default([]),
  sendAs: z.array(z.string()).default([]),
});
export type User = z.infer<typeof UserSchema>;

export const SharedMailboxSchema = z.object({
  address: z.string().email(),
  displayName: z.string(),
  objectId: z.guid(),
  tenantId: z.string(),
  mailbox: MailboxSettingsSchema.default({ imapEnabled: true, smtpAuthDisabled: null }),
});
export type SharedMailbox = z.infer<typeof SharedMailboxSchema>;

export const TenantSchema = z.object({
  id: z.guid(),
  displayName: z.string(),
  domains: z.array(z.string()).min(1),
  cloud: z.enum(['global', 'usgov', 'dod', 'china']).default('global'),
  /** Set-TransportConfig -SmtpClientAuthenticationDisabled */
  smtpAuthDisabled: z.boolean().default(false),
  /** Users may consent to apps themselves (otherwise: "Need admin approval"). */
  userConsentAllowed: z.boolean().default(true),
  /** User settings > "Users can register applications" (Entra default: Yes). */
  usersCanRegisterApps: z.boolean().default(true),
});
export type Tenant = z.infer<typeof TenantSchema>;

export const SecretSchema = z.object({
  /** The Secret ID (a GUID) shown in the portal: NOT usable as a secret. */
  id: z.guid(),
  value: z.string(),
  displayName: z.string().default('secret'),
  expires: z.string(), // ISO date
  startDateTime: z.string().optional(),
});

/** keyCredentials: an uploaded certificate (type AsymmetricX509Cert, usage Verify). */
export const CertificateSchema = z.object({
  keyId: z.guid(),
  displayName: z.string().default('certificate'),
  /** base64 of the DER certificate (what Graph takes in keyCredentials[].key), or a PEM. */
  key: z.string(),
  type: z.string().default('AsymmetricX509Cert'),
  usage: z.string().default('Verify'),
  /** Defaults: the certificate's own notBefore / notAfter. */
  startDateTime: z.string().optional(),
  endDateTime: z.string().optional(),
});
export type Certificate = z.infer<typeof CertificateSchema>;

export const PermissionSchema = z.object({
  /** 'outlook' = Office 365 Exchange Online (00000002-0000-0ff1-ce00-000000000000), 'graph' = Microsoft Graph. */
  resource: z.enum(['outlook', 'graph']),
  name: z.string(),
});

export const AppSchema = z.object({
  clientId: z.guid(),
  /** Object id of the app registration. */
  objectId: z.guid(),
  /** Object id of the enterprise application (service principal) in the home tenant. */
  servicePrincipalId: z.guid(),
  displayName: z.string(),
  tenantId: z.guid(),
  signInAudience: z.enum(['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']).default('AzureADMyOrg'),
  webRedirectUris: z.array(z.string()).default([]),
  publicClientRedirectUris: z.array(z.string()).default([]),
  /** "Allow public client flows" (device code, ROPC). */
  allowPublicClientFlows: z.boolean().default(false),
  secrets: z.array(SecretSchema).default([]),
  delegatedPermissions: z.array(PermissionSchema).default([]),
  applicationPermissions: z.array(PermissionSchema).default([]),
  /** Tenant-wide admin consent granted for the delegated permissions above. */
  delegatedAdminConsent: z.boolean().default(false),
  /** Admin consent granted for the application permissions above (only then do they appear as roles). */
  applicationAdminConsent: z.boolean().default(false),
  /** Exchange: New-ServicePrincipal done for this app (needed for app-only IMAP/SMTP). */
  exchangeServicePrincipal: z.boolean().default(false),
  /** Exchange mailbox permissions granted to the service principal (app-only). */
  mailboxFullAccess: z.array(z.string()).default([]),
  mailboxSendAs: z.array(z.string()).default([]),
  /**
   * Exchange RBAC for Applications: the mailboxes inside the management scope of an
   * `New-ManagementRoleAssignment -App <sp> -Role 'Application SMTP.SendAsApp' -CustomResourceScope <scope>`
   * (Microsoft, smtp-app-rbac-onboarding, 2025-10-17). Honoured only for tokens WITHOUT the SMTP.SendAsApp
   * claim: with the claim, Exchange checks mailbox permissions (Full Access) instead.
   */
  smtpRoleScope: z.array(z.string()).default([]),
  /**
   * Exchange RBAC for Applications for Microsoft Graph mail: `Application Mail.Read|Mail.ReadWrite|Mail.Send`
   * assigned to the app with a management scope holding these mailboxes (Microsoft Graph docs
   * "auth-limit-mailbox-access"). Graph honours them for the app's tokens in addition to its Entra roles.
   */
  graphRoleScope: z.array(z.object({ role: z.enum(['Mail.Read', 'Mail.ReadWrite', 'Mail.Send']), mailbox: z.string() })).default([]),
  // ---- Graph directory view (issue 9): all optional, defaults keep older scenarios valid ----
  spaRedirectUris: z.array(z.string()).default([]),
  implicitGrant: z.object({ accessTokens: z.boolean().default(false), idTokens: z.boolean().default(false) }).default({ accessTokens: false, idTokens: false }),
  /** api.requestedAccessTokenVersion (null, 1 or 2). */
  requestedAccessTokenVersion: z.number().int().nullable().default(null),
  identifierUris: z.array(z.string()).default([]),
  certificates: z.array(CertificateSchema).default([]),
  /** The enterprise application (service principal) exists in the home tenant. */
  hasServicePrincipal: z.boolean().default(true),
  /** Enterprise app > Properties > "Assignment required?" */
  appRoleAssignmentRequired: z.boolean().default(false),
  /** Users (UPN or object id) assigned to the enterprise app (default access, app role 00000000-...). */
  assignedUsers: z.array(z.string()).default([]),
  /** Object ids of the app's owners. */
  owners: z.array(z.string()).default([]),
  createdDateTime: z.string().optional(),
});
export type App = z.infer<typeof AppSchema>;

export const SettingsSchema = z.object({
  accessTokenLifetimeSeconds: z.number().int().positive().default(3599),
  refreshTokenLifetimeSeconds: z.number().int().positive().default(90 * 24 * 3600),
  deviceCodeIntervalSeconds: z.number().int().positive().default(5),
  deviceCodeExpiresSeconds: z.number().int().positive().default(900),
  /** The one-time code accepted on the MFA page. */
  mfaCode: z.string().default('123456'),
});

/**
 * One row (or `count` identical rows) of the Entra sign-in log, served by GET /auditLogs/signIns in
 * Graph's signIn shape (graphsignins.ts). Times are relative (`daysAgo`) so a scenario never ages out of
 * the 30-day window.
 */
export const SignInLogSchema = z.object({
  userPrincipalName: z.string(),
  userDisplayName: z.string().optional(),
  /** Defaults to the user's tenant, else the scenario's first tenant. */
  tenantId: z.string().optional(),
  appDisplayName: z.string().default(''),
  appId: z.string().optional(),
  /** 'Authenticated SMTP', 'IMAP4', 'POP3', 'Exchange ActiveSync', 'Other clients', 'Browser', 'Mobile Apps and Desktop clients', ... */
  clientAppUsed: z.string(),
  ipAddress: z.string(),
  /** 0 = success; e.g. 50126 = wrong password. */
  errorCode: z.number().int().default(0),
  failureReason: z.string().optional(),
  daysAgo: z.number().min(0),
  /** Rows of this sign-in, one minute apart going back from daysAgo. */
  count: z.number().int().positive().default(1),
});
export type SignInLog = z.infer<typeof SignInLogSchema>;

export const ScenarioSchema = z.object({
  name: z.string().default('scenario'),
  tenants: z.array(TenantSchema).min(1),
  users: z.array(UserSchema).default([]),
  sharedMailboxes: z.array(SharedMailboxSchema).default([]),
  apps: z.array(AppSchema).default([]),
  signIns: z.array(SignInLogSchema).default([]),
  settings: SettingsSchema.default({ accessTokenLifetimeSeconds: 3599, refreshTokenLifetimeSeconds: 90 * 24 * 3600, deviceCodeIntervalSeconds: 5, deviceCodeExpiresSeconds: 900, mfaCode: '123456' }),
  faults: FaultsSchema.default(FaultsSchema.parse({})),
});
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export function loadScenario(input: Scenario | ScenarioInput | string): Scenario {
  const raw: unknown = typeof input === 'string' ? JSON.parse(readFileSync(input, 'utf8')) : input;
  return ScenarioSchema.parse(structuredClone(raw));
}
