/**
 * The registration contract (issue 9): what an Entra app registration should be for a target
 * (DesiredRegistration, pure, from the catalogue), what it is (ActualRegistration, read through
 * Microsoft Graph by the engine), what differs (RegistrationFinding), and what to change (PlanStep).
 *
 * Who owns what:
 *   shared/registration/desired.ts   desiredRegistration(entry, profile)       (pure)
 *   shared/registration/diff.ts      diffRegistration(desired, actual, opts)   (pure) -> findings
 *   shared/registration/plan.ts      planRegistration(desired, actual)         (pure) -> PlanStep[]
 *   shared/registration/scripts.ts   registrationScript(desired, 'powershell' | 'azure-cli')
 *   electron/engine/registration/    Graph client, readRegistration(), applyPlan(), admin sign-in
 *
 * Names, not ids: permissions are named by resource and name; ids are resolved at run time from the
 * tenant's resource service principals (REGISTRATION-FACTS.md 2.0). No secret value ever appears in
 * any of these types: a new secret's text goes from Graph straight into the SecretVault.
 *
 * Changes by the registration (pure) helper, all additive: ManualStep.unresolved; DesiredRegistration
 * .tenantId/.graphUrl/.mailboxScope, ManualStep.why; PlanStep optional ids (grant-delegated
 * .grantId/.resourceId, assign-app-role .appRoleId/.resourceId, assign-user .principalId,
 * patch-application .fixes) so the engine need not look them up again; RegistrationFinding.detail.
 */
import type { Audience } from '../catalogue/account-types';
import type { PermissionType, ResourceName } from '../catalogue/permissions';
import type { DiagnosisCode } from '../diagnosis/types';

/** Graph's signInAudience values. */
export const SIGN_IN_AUDIENCES = ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'] as const;
export type SignInAudience = (typeof SIGN_IN_AUDIENCES)[number];

export const PLATFORMS = ['web', 'publicClient', 'spa'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface DesiredPermission {
  resource: ResourceName;
  /** Resource appId (00000003-... Graph, 00000002-0000-0ff1-... Exchange Online). */
  resourceAppId: string;
  /** Permission name as the resource publishes it: "IMAP.AccessAsUser.All", "Mail.Send". */
  name: string;
  type: PermissionType;
  /** Why the target needs it, one line (shown in plan and lint). */
  why: string;
}

/** A step Graph cannot do (Exchange Online PowerShell, Microsoft 365 admin center). */
export interface ManualStep {
  id: 'exchange-service-principal' | 'exchange-mailbox-permission' | 'exchange-send-as' | 'smtp-auth-mailbox' | 'limit-mailbox-scope' | string;
  title: string;
  /** Who must run it, in plain words ("an Exchange administrator"). */
  who: string;
  /** Where: 'exchange-powershell' | 'm365-admin'. */
  where: 'exchange-powershell' | 'm365-admin';
  /** The command with the real ids filled in where known, `<...>` placeholders otherwise. */
  command: string;
  /** Which ids the command needs that are only known after create (enterprise app object id...). */
  needs: Array<'appId' | 'servicePrincipalId' | 'tenantId' | 'mailbox'>;
  /** The needs still shown as `<...>` placeholders in `command` (empty = ready to copy). */
  unresolved?: Array<'appId' | 'servicePrincipalId' | 'tenantId' | 'mailbox'>;
  /** One line: why this step is needed (or when it is optional). */
  why?: string;
  optional?: boolean;
}

export interface DesiredRegistration {
  target: string;
  displayName: string;
  signInAudience: SignInAudience;
  /** Our catalogue's audience key (single, multi, multi-personal, personal). */
  audience: Audience;
  /** 2 when personal accounts are allowed (InvalidAccessTokenVersion otherwise); null = leave as is. */
  requestedAccessTokenVersion: 2 | null;
  redirectUris: Record<Platform, string[]>;
  /** Public client flows (device code, CXT). */
  isFallbackPublicClient: boolean;
  /** Implicit grant settings (CXT asks for both). */
  implicitGrant: { accessTokens: boolean; idTokens: boolean };
  permissions: DesiredPermission[];
  credential: { kind: 'secret'; displayName: string; lifetimeMonths: number } | { kind: 'none' } | { kind: 'certificate'; displayName: string; lifetimeMonths: number };
  /** Delegated tenant-wide grant (AllPrincipals) per resource, and/or application role assignments. */
  consent: { delegated: boolean; application: boolean };
  /** "Assignment required" on the enterprise app, with the mailbox user assigned (Flectra's guide). */
  assignment: { required: boolean; assignMailbox: boolean };
  /** The mailbox user (UPN) the assignment and the Exchange steps name. */
  mailbox: string;
  /** Exchange Online / admin center steps, in order. */
  manualSteps: ManualStep[];
  /** The tenant (id or domain) when known, '' otherwise. */
  tenantId?: string;
  /** Graph base URL of the profile's cloud (https://graph.microsoft.com), for scripts. */
  graphUrl?: string;
  /**
   * App-only Graph: 'tenant' = the admin-consented application permissions reach every mailbox (the
   * default, as the target's guide asks); 'exchange-rbac' = the application permissions are NOT
   * admin-consented in Entra and Exchange RBAC for Applications scopes them to the mailbox
   * (REGISTRATION-FACTS 4.3: unscoped Entra grants would still reach every mailbox).
   */
  mailboxScope?: 'tenant' | 'exchange-rbac';
}

// ---------------------------------------------------------------------------------------------
// What Graph says (read by the engine). Field names follow Graph v1.0 so the engine can copy them.

export interface GraphPasswordCredential {
  keyId: string;
  displayName?: string | null;
  /** First three characters of the secret. */
  hint?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface GraphKeyCredential {
  keyId: string;
  displayName?: string | null;
  type?: string;
  usage?: string;
  startDateTime?: string | null;
  endDateTime?: string | null;
  customKeyIdentifier?: string | null;
}

export interface GraphRequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: Array<{ id: string; type: 'Scope' | 'Role' }>;
}

export interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: SignInAudience;
  isFallbackPublicClient?: boolean | null;
  web?: { redirectUris: string[]; implicitGrantSettings?: { enableAccessTokenIssuance?: boolean; enableIdTokenIssuance?: boolean } };
  publicClient?: { redirectUris: string[] };
  spa?: { redirectUris: string[] };
  api?: { requestedAccessTokenVersion?: number | null };
  requiredResourceAccess: GraphRequiredResourceAccess[];
  passwordCredentials: GraphPasswordCredential[];
  keyCredentials: GraphKeyCredential[];
}

export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  accountEnabled?: boolean;
  appRoleAssignmentRequired?: boolean;
}

/** A resource SP (Microsoft Graph, Office 365 Exchange Online) with what it publishes. */
export interface GraphResourceServicePrincipal extends GraphServicePrincipal {
  appRoles: Array<{ id: string; value: string; allowedMemberTypes?: string[]; isEnabled?: boolean }>;
  oauth2PermissionScopes: Array<{ id: string; value: string; type?: string; isEnabled?: boolean }>;
}

export interface GraphOAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId?: string | null;
  resourceId: string;
  scope: string;
}

export interface GraphAppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType?: string;
  resourceId: string;
  principalDisplayName?: string;
}

/** Everything the lint needs, as read. `application: null` = no app with that client id. */
export interface ActualRegistration {
  tenantId: string;
  application: GraphApplication | null;
  servicePrincipal: GraphServicePrincipal | null;
  /** Resource SPs by resourceAppId, as found in the tenant. */
  resources: Record<string, GraphResourceServicePrincipal>;
  delegatedGrants: GraphOAuth2PermissionGrant[];
  /** Application permissions granted to our SP (servicePrincipals/{id}/appRoleAssignments). */
  appRoleAssignments: GraphAppRoleAssignment[];
  /** Users/groups assigned to our SP (servicePrincipals/{id}/appRoleAssignedTo). */
  assignedTo: GraphAppRoleAssignment[];
  /** The mailbox user's object id, when the mailbox was looked up. */
  mailboxUserId?: string | null;
  /** defaultAppManagementPolicy restrictions, or null when not readable. */
  appManagementPolicy: { passwordAdditionBlocked: boolean; maxPasswordLifetime?: string | null } | null;
}

// ---------------------------------------------------------------------------------------------
// Findings and plans.

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface RegistrationFinding {
  /** A stable diagnosis code (shared/diagnosis/domains/registration.codes.ts). */
  code: DiagnosisCode;
  severity: FindingSeverity;
  /** One line for lists: "Redirect URI https://x/y is missing from the Web platform". */
  summary: string;
  /** What is expected vs what was found, for the detail view. */
  expected?: string;
  found?: string;
  /** True when planRegistration has a step that fixes it. */
  fixable: boolean;
  /** For unfixable findings: who must do what (plain words). */
  who?: string;
  /** Machine-readable detail for fixes and tests (e.g. the redirect URI, the permission name). */
  detail?: { uri?: string; platform?: string; permission?: string; resourceAppId?: string; keyId?: string; difference?: 'case' | 'scheme' | 'port' | 'trailing-slash' | 'host' | 'path' };
}

/** One change to the tenant, described before it is made. Never carries a secret. */
export type PlanStep =
  | { kind: 'create-application'; body: Record<string, unknown>; summary: string }
  | { kind: 'patch-application'; patch: Record<string, unknown>; summary: string; /** The finding codes this patch fixes. */ fixes?: DiagnosisCode[] }
  | { kind: 'create-service-principal'; summary: string }
  | { kind: 'patch-service-principal'; patch: { appRoleAssignmentRequired?: boolean }; summary: string }
  | { kind: 'add-password'; displayName: string; lifetimeMonths: number; summary: string }
  | { kind: 'remove-password'; keyId: string; summary: string }
  /**
   * `scopes` is the grant's full scope list after the change (existing + missing), so a 409 or an
   * existing grant (`grantId`) becomes PATCH { scope: scopes.join(' ') }. `resourceId` = resource SP object id.
   */
  | { kind: 'grant-delegated'; resourceAppId: string; scopes: string[]; summary: string; grantId?: string; resourceId?: string; added?: string[] }
  | { kind: 'assign-app-role'; resourceAppId: string; role: string; summary: string; appRoleId?: string; resourceId?: string }
  /** `principalId` when the mailbox user's object id is known (else the engine looks up userPrincipalName). */
  | { kind: 'assign-user'; userPrincipalName: string; summary: string; principalId?: string };

export interface RegistrationPlan {
  /** Empty when nothing needs changing. */
  steps: PlanStep[];
  /** Findings the plan cannot fix (and who must). */
  unfixable: RegistrationFinding[];
  manualSteps: ManualStep[];
}

/** Progress of an apply, streamed to the UI and the CLI (stderr). Never carries a secret. */
export interface RegistrationProgress {
  stepIndex: number;
  stepCount: number;
  /** In words: "Creating the app registration", "Waiting for Microsoft Entra to replicate, 14 s". */
  message: string;
  state: 'running' | 'waiting' | 'done' | 'failed';
  waitedSeconds?: number;
}

/** What the engine reports after apply: only what it verified by reading back. */
export interface RegistrationOutcome {
  appId: string | null;
  applicationObjectId: string | null;
  servicePrincipalId: string | null;
  tenantId: string;
  /** The new secret's metadata (its text is in the vault under `vaultKey`). */
  secret?: { keyId: string; hint: string; endDateTime: string; vaultKey: string };
  applied: PlanStep[];
  /** Steps that did not complete (budget exhausted, error), with the diagnosis. */
  notDone: Array<{ step: PlanStep; code: DiagnosisCode; message: string }>;
  /** Lint after apply. */
  findings: RegistrationFinding[];
  manualSteps: ManualStep[];
}
