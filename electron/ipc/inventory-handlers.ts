import type { InventoryView } from '../../shared/ipc/inventory';
import type { ResolvedConnection } from '../app/resolve-connection';
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
    const org = profile.mailbox.split('@')[1];
    const header = `Sign in as an administrator${org ? ` of ${org}` : ''} — not as the mailbox${profile.mailbox ? ` ${profile.mailbox}` : ''} — to read the sign-in logs`;
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

export function createInventoryHandlers(deps: { resolve(id: string): ResolvedConnection; engine: InventoryEngine | undefined }): { 'inventory:read': Handler<'inventory:read'> } {
  let running: AbortController | undefined;
  return {
    'inventory:read': async ({ profileId, days }) => {
      if (!deps.engine) throw new AppError('inventory-unavailable', 'Reading the sign-in logs is not available in this build.');
      running?.abort();
      const controller = new AbortController();
      running = controller;
      try {
        return await deps.engine(deps.resolve(profileId), { days, signal: controller.signal });
      } finally {
        if (running === controller) running = undefined;
      }
    },
  };
}
