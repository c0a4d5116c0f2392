/**
 * A tenant for the registration's pure functions: the resource service principals come from the
 * emulator's table (test/emulator/resources.ts, the same data the engine's tests use), with their
 * own object ids; `simulateApply` (simulate.ts) plays a plan against it.
 */
import { getTarget, targets } from '../../../../shared/catalogue';
import { desiredRegistration, type DesiredOptions } from '../../../../shared/registration';
import type { ActualRegistration, DesiredRegistration, GraphResourceServicePrincipal } from '../../../../shared/registration/types';
import { RESOURCES, stableGuid, type ResourceDef } from '../../../emulator/resources';
import { PROFILES, TENANT } from '../catalogue/fixtures';

export { PROFILES, TENANT };
export const NOW = new Date('2026-05-01T09:00:00.000Z');
export const MAILBOX_USER_ID = 'aaaaaaaa-0000-4000-8000-0000000000a1';
export const TARGET_IDS = targets.map((t) => t.id);

export function resourceSp(def: ResourceDef): GraphResourceServicePrincipal {
  return {
    id: stableGuid(`test-tenant-sp-${def.appId}`),
    appId: def.appId,
    displayName: def.displayName,
    appRoles: def.roles.map((r) => ({ id: r.id, value: r.value, allowedMemberTypes: ['Application'], isEnabled: true })),
    oauth2PermissionScopes: def.scopes.map((s) => ({ id: s.id, value: s.value, type: s.admin ? 'Admin' : 'User', isEnabled: true })),
  };
}

export function tenantResources(): Record<string, GraphResourceServicePrincipal> {
  return Object.fromEntries(RESOURCES.map((d) => [d.appId, resourceSp(d)]));
}

/** A tenant where nothing exists yet for this client id. */
export function emptyActual(): ActualRegistration {
  return {
    tenantId: TENANT,
    application: null,
    servicePrincipal: null,
    resources: tenantResources(),
    delegatedGrants: [],
    appRoleAssignments: [],
    assignedTo: [],
    mailboxUserId: MAILBOX_USER_ID,
    appManagementPolicy: { passwordAdditionBlocked: false, maxPasswordLifetime: null },
  };
}

export function desiredFor(id: string, opts: DesiredOptions = {}): DesiredRegistration {
  return desiredRegistration(getTarget(id), PROFILES[id]!, opts);
}

export const clone = <T>(v: T): T => structuredClone(v);
