import type { InventoryTenant, InventoryView } from '../../shared/ipc/inventory';
import type { SavedProfile } from '../../shared/saved-profile';
import type { ResolvedConnection, ResolveOptions } from '../app/resolve-connection';
import { diagnose } from '../../shared/diagnosis';
import { EngineError, type AuthWindow } from '../engine';
import { EXCHANGE_FALLBACK, PATH_TEXT, readInventory } from '../engine/inventory';
import { adminSignIn, DEFAULT_ADMIN_CLIENT_ID, diagnoseRegistrationError } from '../engine/registration';
import { AppError, type Handler } from './dispatch';

/** Reads the inventory for a saved connection's tenant (the engine facade builds it with the app's ports). */
export type InventoryEngine = (conn: ResolvedConnection, o: { days: number; signal: AbortSignal }) => Promise<InventoryView>;

export interface InventoryPorts {
  authWindow: AuthWindow;
  adminClientId?: string | (() => string | undefined);
  signInTimeoutMs?: number;
}

const exchange = () => ({ report: `${EXCHANGE_FALLBACK.report.name}, ${EXCHANGE_FALLBACK.report.where}`, powershell: EXCHANGE_FALLBACK.powershell });

/** The administrator's read-only sign-in with AuditLog.Read.All, then the sign-in logs (as `mail-oauth inventory`). */
export function createInventoryEngine(ports: InventoryPorts): InventoryEngine {
  return async (conn, { days, signal }) => {
    const profile = conn.profile;
    const org = profile.mailbox.split('@')[1] || profile.tenant || undefined;
    const header = profile.mailbox ? `Sign in as an administrator${org ? ` of ${org}` : ''} — not as the mailbox ${profile.mailbox} — to read the sign-in logs` : `Sign in as an administrator${org ? ` of ${org}` : ''} to read the sign-in logs`;
    const authWindow: AuthWindow = { open: (url, redirect, o) => ports.authWindow.open(url, redirect, { ...o, title: 'Administrator sign-in', header }) };
    const clientId = (typeof ports.adminClientId === 'function' ? ports.adminClientId() : ports.adminClientId)?.trim().toLowerCase() || DEFAULT_ADMIN_CLIENT_ID;
    let session;
    try {
      session = await adminSignIn(profile, { purpose: 'read', authWindow, signal, adminClientId: clientId, extraScopes: ['AuditLog.Read.All'], timeoutMs: ports.signInTimeoutMs ?? 300_000 });
    } catch (error) {
      if (error instanceof EngineError && error.hint === 'sign-in-cancelled') return { status: 'cancelled' };
      return { status: 'failed', diagnosis: diagnose(error, { profile, check: 'token' }) };
    }
    try {
      const r = await readInventory(session.graph, { days });
      if (r.source === 'unlicensed') return { status: 'read', source: 'unlicensed', since: r.since, days: r.days, senders: [], message: `${r.graphError.message} (${r.graphError.code})`, exchange: exchange() };
      return {
        status: 'read',
        source: 'sign-in-logs',
        since: r.since,
        days: r.days,
        exchange: exchange(),
        senders: r.senders.map((s) => ({
          account: s.account,
          client: s.client,
          addresses: s.addresses,
          count: s.count,
          failed: s.failed ?? 0,
          lastSeen: s.lastSeen,
          path: s.path,
          pathText: PATH_TEXT[s.path],
          ...(s.target ? { target: s.target } : {}),
          ...(s.appDisplayName ? { appDisplayName: s.appDisplayName } : {}),
        })),
      };
    } catch (e) {
      return { status: 'failed', diagnosis: diagnoseRegistrationError(e, profile, {}) };
    }
  };
}

/**
 * A tenant without a saved connection, resolved like one (the same endpoint policy and trusted CAs): a
 * profile that names only the tenant, its cloud and, where the app allows other servers, the sign-in
 * host and Graph. Nothing is saved.
 */
export function tenantConnection(t: InventoryTenant, resolveSaved: (saved: SavedProfile, options?: ResolveOptions) => ResolvedConnection): ResolvedConnection {
  const saved: SavedProfile = {
    id: 'inventory-tenant',
    profile: { name: 'Who still signs in with a password', target: 'generic-graph', tenant: t.tenant, cloud: t.cloud, ...(t.endpoints && Object.keys(t.endpoints).length ? { endpoints: t.endpoints } : {}) },
    wizard: { step: 'system', ticks: [] },
    updatedAt: new Date().toISOString(),
  };
  return resolveSaved(saved, { enforcePolicy: true });
}

export function createInventoryHandlers(deps: { resolve(id: string): ResolvedConnection; resolveTenant?(t: InventoryTenant): ResolvedConnection; engine: InventoryEngine | undefined }): { 'inventory:read': Handler<'inventory:read'> } {
  let running: AbortController | undefined;
  return {
    'inventory:read': async ({ profileId, tenant, days }) => {
      if (!deps.engine) throw new AppError('inventory-unavailable', 'Reading the sign-in logs is not available in this build.');
      running?.abort();
      const controller = new AbortController();
      running = controller;
      try {
        let conn: ResolvedConnection;
        if (profileId) conn = deps.resolve(profileId);
        else if (tenant && deps.resolveTenant) conn = deps.resolveTenant(tenant);
        else throw new AppError('inventory-unavailable', 'Name the organisation (its domain or tenant ID) or open a saved connection.');
        return await deps.engine(conn, { days, signal: controller.signal });
      } finally {
        if (running === controller) running = undefined;
      }
    },
  };
}
