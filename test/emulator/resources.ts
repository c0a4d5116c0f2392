/**
 * The resource service principals every tenant has (Microsoft Graph, Office 365 Exchange Online) with the
 * permissions they publish, and the Entra roles the directory knows. Ids and names: REGISTRATION-FACTS.md
 * section 2.0 (PnP's dump of the Graph SP, the EXO tables) and shared/catalogue/permissions.ts; rows marked
 * `src: 'emulator'` have no public id source and carry an id minted by the emulator (stable, v4-shaped).
 */
import { createHash } from 'node:crypto';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
/** Microsoft Graph Command Line Tools (Connect-MgGraph's default client; REGISTRATION-FACTS.md 1.2). */
export const GRAPH_CLI_APP_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
/** Microsoft's own tenant, home of the Graph CLI app ("Microsoft tenant-owned application"). */
export const MICROSOFT_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface ScopeDef {
  value: string;
  id: string;
  /** Admin consent required ("isAdmin" in PnP's dump): users cannot consent to it themselves. */
  admin: boolean;
  src?: 'facts' | 'memory' | 'emulator';
}
export interface RoleDef {
  value: string;
  id: string;
  src?: 'facts' | 'memory' | 'emulator';
}
export interface ResourceDef {
  key: 'graph' | 'outlook';
  appId: string;
  displayName: string;
  servicePrincipalNames: string[];
  scopes: ScopeDef[];
  roles: RoleDef[];
}

/** A stable GUID from a string (for ids no public source gives, and per-tenant resource SP object ids). */
export function stableGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const s = (value: string, id: string, admin: boolean, src: ScopeDef['src'] = 'facts'): ScopeDef => ({ value, id, admin, src });
const r = (value: string, id: string, src: RoleDef['src'] = 'facts'): RoleDef => ({ value, id, src });

export const GRAPH_RESOURCE: ResourceDef = {
  key: 'graph',
  appId: GRAPH_APP_ID,
  displayName: 'Microsoft Graph',
  servicePrincipalNames: ['https://graph.microsoft.com', 'https://graph.microsoft.com/', GRAPH_APP_ID],
  scopes: [
    s('IMAP.AccessAsUser.All', '652390e4-393a-48de-9484-05f9b1212954', false),
    s('SMTP.Send', '258f6531-6087-4cc4-bb90-092c5fb3ed3f', false),
    s('POP.AccessAsUser.All', 'd7b7f2d9-0f45-4ea1-9d42-e50810c06991', false),
    s('offline_access', '7427e0e9-2fba-42fe-b0c0-848c9e6a8182', false),
    s('openid', '37f7f235-527c-4136-accd-4a02d197296e', false),
    s('profile', '14dad69e-099b-42c9-810b-d002981feec1', false),
    s('email', '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0', false),
    s('User.Read', 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', false),
    s('Mail.Read', '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', false),
    s('Mail.ReadWrite', '024d486e-b451-40bb-833d-3e66d98c5c73', false),
    s('Mail.Send', 'e383f46e-2787-4529-855e-0e479a3ffac0', false),
    s('Mail.Read.Shared', '7b9103a5-4610-446b-9670-80643382c1fa', false),
    s('Mail.ReadWrite.Shared', '5df07973-7d5d-46ed-9847-1271055cbd51', false),
    s('Mail.Send.Shared', 'a367ab51-6b49-43bf-a716-a1fb06d2a174', false),
    s('EWS.AccessAsUser.All', '9769c687-087d-48ac-9cb3-c37dde652038', false),
    s('Application.Read.All', 'c79f8feb-a9db-4090-85f9-90d820caa0eb', true),
    s('Application.ReadWrite.All', 'bdfbf15f-ee85-4955-8675-146e8e5296b5', true),
    s('DelegatedPermissionGrant.ReadWrite.All', '41ce6ca6-6826-4807-84f1-1c82854f7ee5', true),
    s('AppRoleAssignment.ReadWrite.All', '84bccea3-f856-4a8a-967b-dbe0a3d53a64', true),
    s('Directory.Read.All', '06da0dbc-49e2-44d2-8312-53f166ab848a', true),
    s('Policy.Read.All', '572fea84-0151-49b2-9301-11cb16974376', true),
    // Not in REGISTRATION-FACTS.md: ids from memory of the Graph permissions reference (verify).
    s('User.ReadBasic.All', 'b340eb25-3456-403f-be2f-af7a0d370277', false, 'memory'),
    s('User.Read.All', 'a154be20-db9c-4678-8ab7-66f6cc099a59', true, 'memory'),
    s('Directory.AccessAsUser.All', '0e263e50-5827-48a4-b97c-d940288653c7', true, 'memory'),
    s('Directory.ReadWrite.All', 'c5366453-9fb0-48a5-a156-24f0c49a4b84', true, 'memory'),
    s('AuditLog.Read.All', 'e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20', true, 'memory'),
  ],
  roles: [
    r('Mail.Send', 'b633e1c5-b582-4048-a93e-9f11b44c7e96'),
    r('Mail.Read', '810c84a8-4a9e-49e6-bf7d-12d183f40d01'),
    r('Mail.ReadWrite', 'e2a3a72e-5f79-4c64-b1b1-878b674786c9'),
    r('Mail.ReadBasic', '6be147d2-ea4f-4b5a-a3fa-3eab6f3c140a'),
    r('Mail.ReadBasic.All', '693c5e45-0940-467d-9b8a-1022fb9d42ef'),
    r('MailboxSettings.Read', '40f97065-369a-49f4-947c-6a255697ae91'),
    r('User.Read.All', 'df021288-bdef-4463-88db-98f22de89214'),
    r('Application.Read.All', '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30'),
    r('Application.ReadWrite.All', '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9'),
    r('AppRoleAssignment.ReadWrite.All', '06b708a9-e830-4db3-a914-8e69da51d44f'),
    r('DelegatedPermissionGrant.ReadWrite.All', '8e8e4742-1d95-4f68-9d56-6ee75648c72a'),
    r('Directory.Read.All', '7ab1d382-f21e-4acd-a863-ba3e13f7da61'),
  ],
};

export const EXCHANGE_RESOURCE: ResourceDef = {
  key: 'outlook',
  appId: EXCHANGE_APP_ID,
  displayName: 'Office 365 Exchange Online',
  servicePrincipalNames: ['https://outlook.office365.com/', 'https://outlook.office.com/', 'https://ps.outlook.com', EXCHANGE_APP_ID],
  scopes: [
    s('EWS.AccessAsUser.All', '3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5', false),
    s('IMAP.AccessAsUser.All', '195adc35-e27b-454b-a7ed-1ecdffa1c09f', false),
    s('POP.AccessAsUser.All', 'fb698133-92fa-453e-a9ed-688e10f2e5ac', false),
    s('SMTP.Send', '76faac2a-0f20-42f1-928a-50de5b9dbe52', false),
    // Exchange also publishes these delegated names (KNOWN_PERMISSIONS); no public id source was found.
    s('Mail.Read', stableGuid('exo-scope-Mail.Read'), false, 'emulator'),
    s('Mail.ReadWrite', stableGuid('exo-scope-Mail.ReadWrite'), false, 'emulator'),
    s('Mail.Send', stableGuid('exo-scope-Mail.Send'), false, 'emulator'),
    s('User.Read', stableGuid('exo-scope-User.Read'), false, 'emulator'),
  ],
  roles: [
    r('full_access_as_app', 'dc890d15-9560-4a4c-9b7f-a736ec74ec40'),
    r('IMAP.AccessAsApp', '5e5addcd-3e8d-4e90-baf5-964efab2b20a'),
    r('POP.AccessAsApp', 'cb842b43-da6e-4506-86fe-bb12199c656d'),
    r('SMTP.SendAsApp', '7146a1f0-8703-45b3-9eae-527a64c00995'),
    r('Exchange.ManageAsApp', 'dc50a0fb-09a3-484d-be87-e023b12c6440'),
    // REGISTRATION-FACTS.md: EXO's Mail.* roles share Graph's GUIDs ([Unattributed], "surprising; verify").
    r('Mail.Send', 'b633e1c5-b582-4048-a93e-9f11b44c7e96'),
    r('Mail.Read', '810c84a8-4a9e-49e6-bf7d-12d183f40d01'),
    r('Mail.ReadWrite', 'e2a3a72e-5f79-4c64-b1b1-878b674786c9'),
  ],
};

export const RESOURCES: ResourceDef[] = [GRAPH_RESOURCE, EXCHANGE_RESOURCE];
export const resourceByKey = (k: 'graph' | 'outlook'): ResourceDef => (k === 'graph' ? GRAPH_RESOURCE : EXCHANGE_RESOURCE);
export const resourceByAppId = (appId: string): ResourceDef | undefined => RESOURCES.find((x) => x.appId.toLowerCase() === appId.toLowerCase());

/** Entra built-in roles the emulator knows, with their role template ids (the `wids` claim). */
export const ENTRA_ROLES = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
  'Application Developer': 'cf1c38e5-3621-4004-a7cb-879624dced7c',
} as const;
export type EntraRole = keyof typeof ENTRA_ROLES;
export const ENTRA_ROLE_NAMES = Object.keys(ENTRA_ROLES) as [EntraRole, ...EntraRole[]];
