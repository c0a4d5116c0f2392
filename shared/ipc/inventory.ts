import { z } from 'zod';
import type { Diagnosis } from '../diagnosis/types';

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

export const inventoryContract = {
  'inventory:read': { request: z.object({ profileId, days: z.number().int().min(1).max(30).default(30) }).strict(), response: returns<InventoryView>() },
} as const;
