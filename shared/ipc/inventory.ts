import { z } from 'zod';
import type { Diagnosis } from '../diagnosis/types';
import { CLOUDS } from '../profile';

/**
 * "Who still signs in with a password?" in the app (issue 22, item 6): the administrator signs in
 * (read only, plus AuditLog.Read.All) and main reads the Entra sign-in logs of legacy clients for the
 * connection's tenant, as `mail-oauth inventory` does. Nothing is changed anywhere.
 */
const profileId = z.string().regex(/^[a-z0-9-]{6,64}$/);

export interface InventorySenderView {
  account: string;
  client: string;
  addresses: string[];
  count: number;
  failed: number;
  lastSeen: string;
  path: 'wizard' | 'relay' | 'high-volume-email';
  pathText: string;
  target?: string;
  appDisplayName?: string;
}

export type InventoryView =
  | { status: 'read'; source: 'sign-in-logs'; since: string; days: number; senders: InventorySenderView[]; exchange: { report: string; powershell: string } }
  | { status: 'read'; source: 'unlicensed'; since: string; days: number; senders: []; message: string; exchange: { report: string; powershell: string } }
  | { status: 'cancelled' }
  | { status: 'failed'; diagnosis: Diagnosis };

const returns = <T>() => undefined as unknown as T;

/**
 * Without a saved connection (the Start screen's "Who still signs in with a password?"): the tenant as the
 * administrator types it (a verified domain or the tenant ID), its cloud, and other servers when the app
 * allows them (a test system): only the sign-in host and Graph are used.
 */
export const InventoryTenantSchema = z
  .object({
    tenant: z.string().trim().min(3).max(253).regex(/^[A-Za-z0-9.-]+$/, 'a domain such as contoso.com or the tenant ID'),
    cloud: z.enum(CLOUDS).default('global'),
    endpoints: z.object({ signInHost: z.string().min(1).max(300).optional(), graphUrl: z.string().url().max(300).optional() }).strict().optional(),
  })
  .strict();
export type InventoryTenant = z.infer<typeof InventoryTenantSchema>;

export const inventoryContract = {
  'inventory:read': {
    request: z
      .object({ profileId: profileId.optional(), tenant: InventoryTenantSchema.optional(), days: z.number().int().min(1).max(30).default(30) })
      .strict()
      .refine((r) => !!r.profileId !== !!r.tenant, 'either a saved connection or a tenant'),
    response: returns<InventoryView>(),
  },
} as const;
