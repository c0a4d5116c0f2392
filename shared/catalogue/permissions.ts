/**
 * The permissions the catalogue may ask for, with their well-known ids (MICROSOFT-FACTS.md,
 * "Well-known ids"). Entries refer to them by key, so a typo is a type error.
 */

export const RESOURCES = {
  'Microsoft Graph': '00000003-0000-0000-c000-000000000000',
  'Office 365 Exchange Online': '00000002-0000-0ff1-ce00-000000000000',
} as const;
export type ResourceName = keyof typeof RESOURCES;

export type PermissionType = 'delegated' | 'application';

export interface Permission {
  name: string;
  resource: ResourceName;
  type: PermissionType;
  /** Permission id (oauth2PermissionScope id for delegated, appRole id for application). */
  id: string;
  /** Listed by default on a new registration (the user does not add it). */
  addedByDefault?: boolean;
}

const g = 'Microsoft Graph' as const;
const exo = 'Office 365 Exchange Online' as const;

export const PERMISSIONS = {
  'graph.delegated.User.Read': { name: 'User.Read', resource: g, type: 'delegated', id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', addedByDefault: true },
  'graph.delegated.openid': { name: 'openid', resource: g, type: 'delegated', id: '37f7f235-527c-4136-accd-4a02d197296e' },
  'graph.delegated.profile': { name: 'profile', resource: g, type: 'delegated', id: '14dad69e-099b-42c9-810b-d002981feec1' },
  'graph.delegated.email': { name: 'email', resource: g, type: 'delegated', id: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0' },
  'graph.delegated.offline_access': { name: 'offline_access', resource: g, type: 'delegated', id: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182' },
  'graph.delegated.IMAP.AccessAsUser.All': { name: 'IMAP.AccessAsUser.All', resource: g, type: 'delegated', id: '652390e4-393a-48de-9484-05f9b1212954' },
  'graph.delegated.POP.AccessAsUser.All': { name: 'POP.AccessAsUser.All', resource: g, type: 'delegated', id: 'd7b7f2d9-0f45-4ea1-9d42-e50810c06991' },
  'graph.delegated.SMTP.Send': { name: 'SMTP.Send', resource: g, type: 'delegated', id: '258f6531-6087-4cc4-bb90-092c5fb3ed3f' },
  'graph.delegated.Mail.Read': { name: 'Mail.Read', resource: g, type: 'delegated', id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca' },
  'graph.delegated.Mail.ReadWrite': { name: 'Mail.ReadWrite', resource: g, type: 'delegated', id: '024d486e-b451-40bb-833d-3e66d98c5c73' },
  'graph.delegated.Mail.Send': { name: 'Mail.Send', resource: g, type: 'delegated', id: 'e383f46e-2787-4529-855e-0e479a3ffac0' },
  'graph.application.Mail.Read': { name: 'Mail.Read', resource: g, type: 'application', id: '810c84a8-4a9e-49e6-bf7d-12d183f40d01' },
  'graph.application.Mail.ReadWrite': { name: 'Mail.ReadWrite', resource: g, type: 'application', id: 'e2a3a72e-5f79-4c64-b1b1-878b674786c9' },
  'graph.application.Mail.Send': { name: 'Mail.Send', resource: g, type: 'application', id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96' },
  'exchange.application.IMAP.AccessAsApp': { name: 'IMAP.AccessAsApp', resource: exo, type: 'application', id: '5e5addcd-3e8d-4e90-baf5-964efab2b20a' },
  'exchange.application.POP.AccessAsApp': { name: 'POP.AccessAsApp', resource: exo, type: 'application', id: 'cb842b43-da6e-4506-86fe-bb12199c656d' },
  // SMTP.SendAsApp id: two public sources only (MICROSOFT-FACTS.md); prefer resolving it at run time.
  'exchange.application.SMTP.SendAsApp': { name: 'SMTP.SendAsApp', resource: exo, type: 'application', id: '7146a1f0-8703-45b3-9eae-527a64c00995' },
} as const satisfies Record<string, Permission>;

export type PermissionKey = keyof typeof PERMISSIONS;

export function permission(key: PermissionKey): Permission {
  return PERMISSIONS[key];
}
