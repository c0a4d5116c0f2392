/**
 * Reads an existing registration through Graph into ActualRegistration (REGISTRATION-FACTS.md 3.1):
 * the application by appId, its service principal, the delegated grants of that SP (filtered by
 * clientId, which also minimises replication delay), its app role assignments, who is assigned to it,
 * the resource SPs of Microsoft Graph and Office 365 Exchange Online (permission ids resolved at run
 * time), the tenant's default app management policy where readable (403 → null), and the mailbox user.
 */
import { RESOURCES } from '../../../shared/catalogue/permissions';
import type {
  ActualRegistration,
  GraphAppRoleAssignment,
  GraphApplication,
  GraphOAuth2PermissionGrant,
  GraphResourceServicePrincipal,
  GraphServicePrincipal,
} from '../../../shared/registration/types';
import { GraphError, odataString, retryReplication, type Budget, type GraphClient, type RetryOptions } from './graph';

export const APP_SELECT = 'id,appId,displayName,signInAudience,web,publicClient,spa,isFallbackPublicClient,api,requiredResourceAccess,passwordCredentials,keyCredentials';
export const SP_SELECT = 'id,appId,displayName,accountEnabled,appRoleAssignmentRequired';
const RESOURCE_SELECT = 'id,appId,displayName,appRoles,oauth2PermissionScopes';

export interface ReadOptions {
  tenantId: string;
  /** The mailbox user to look up (assignment, Exchange steps). */
  mailbox?: string;
  /** When no app has this appId (or no appId is known), look for one app with this display name. */
  displayName?: string;
  /** Retry 404s of the app and SP inside this budget (right after a create). */
  budget?: Budget;
  onWait?: RetryOptions['onWait'];
}

const ZERO = '00000000-0000-0000-0000-000000000000';

/** Resource service principals by resourceAppId (Graph, Exchange Online), as the tenant has them. */
export async function readResources(graph: GraphClient): Promise<Record<string, GraphResourceServicePrincipal>> {
  const out: Record<string, GraphResourceServicePrincipal> = {};
  await Promise.all(
    Object.values(RESOURCES).map(async (appId) => {
      const sp = await graph.getOrNull<GraphResourceServicePrincipal>(`/servicePrincipals(appId=${odataString(appId)})?$select=${RESOURCE_SELECT}`);
      if (sp) out[appId] = { ...sp, appRoles: sp.appRoles ?? [], oauth2PermissionScopes: sp.oauth2PermissionScopes ?? [] };
    }),
  );
  return out;
}

/** The application by appId, or (fallback) the single one with this display name. */
export async function findApplication(graph: GraphClient, clientId: string | undefined, displayName?: string): Promise<GraphApplication | null> {
  if (clientId && /^[0-9a-f-]{36}$/i.test(clientId)) {
    const app = await graph.getOrNull<GraphApplication>(`/applications(appId=${odataString(clientId)})?$select=${APP_SELECT}`);
    if (app) return normaliseApp(app);
  }
  if (displayName) {
    const apps = await graph.list<GraphApplication>(`/applications?$filter=${encodeURIComponent(`displayName eq ${odataString(displayName)}`)}&$select=${APP_SELECT}`);
    if (apps.length >= 1) return normaliseApp(apps[0]!);
  }
  return null;
}

function normaliseApp(a: GraphApplication): GraphApplication {
  return { ...a, requiredResourceAccess: a.requiredResourceAccess ?? [], passwordCredentials: a.passwordCredentials ?? [], keyCredentials: a.keyCredentials ?? [] };
}

type PolicyBody = {
  isEnabled?: boolean;
  applicationRestrictions?: { passwordCredentials?: Array<{ restrictionType?: string; state?: string; maxLifetime?: string | null; restrictForAppsCreatedAfterDateTime?: string | null }> };
};

/** defaultAppManagementPolicy → the two facts the plan needs; null where it cannot be read. */
export async function readAppManagementPolicy(graph: GraphClient, now: Date = new Date()): Promise<ActualRegistration['appManagementPolicy']> {
  try {
    const p = await graph.get<PolicyBody>('/policies/defaultAppManagementPolicy');
    if (p.isEnabled === false) return { passwordAdditionBlocked: false, maxPasswordLifetime: null };
    const applies = (r: { state?: string; restrictForAppsCreatedAfterDateTime?: string | null }) => r.state !== 'disabled' && (!r.restrictForAppsCreatedAfterDateTime || new Date(r.restrictForAppsCreatedAfterDateTime) <= now);
    const pw = p.applicationRestrictions?.passwordCredentials ?? [];
    const blocked = pw.some((r) => r.restrictionType === 'passwordAddition' && applies(r));
    const lifetime = pw.find((r) => r.restrictionType === 'passwordLifetime' && applies(r));
    return { passwordAdditionBlocked: blocked, maxPasswordLifetime: lifetime?.maxLifetime ?? null };
  } catch (e) {
    if (e instanceof GraphError && (e.status === 403 || e.status === 401 || e.status === 404)) return null;
    throw e;
  }
}

export async function findUserId(graph: GraphClient, upn: string): Promise<string | null> {
  if (!upn) return null;
  const u = await graph.getOrNull<{ id: string }>(`/users/${encodeURIComponent(upn)}?$select=id,userPrincipalName`);
  return u?.id ?? null;
}

/** A user as the assignment opt-in names them (issue 19: names, not object ids). */
export interface UserName {
  displayName: string;
  userPrincipalName: string;
}

/**
 * Display name and user principal name of each user id, read from Graph (GET /users/{id}, which the
 * read sign-in's Directory.Read.All allows). An id that cannot be read (gone, no permission) is left
 * out: the caller says "a user the directory cannot name" with its id.
 */
export async function readUserNames(graph: GraphClient, ids: readonly string[]): Promise<Record<string, UserName>> {
  const out: Record<string, UserName> = {};
  await Promise.all(
    [...new Set(ids)].slice(0, 50).map(async (id) => {
      try {
        const u = await graph.getOrNull<{ id: string; displayName?: string | null; userPrincipalName?: string | null }>(`/users/${encodeURIComponent(id)}?$select=id,displayName,userPrincipalName`);
        if (u?.userPrincipalName) out[id] = { displayName: u.displayName?.trim() || u.userPrincipalName, userPrincipalName: u.userPrincipalName };
      } catch (e) {
        if (!(e instanceof GraphError)) throw e;
      }
    }),
  );
  return out;
}

/** The mailbox user's id; null = no such user (404); undefined = could not be looked up (no permission). */
async function lookUpMailboxUser(graph: GraphClient, upn: string): Promise<string | null | undefined> {
  try {
    return await findUserId(graph, upn);
  } catch (e) {
    if (e instanceof GraphError && (e.status === 403 || e.status === 401)) return undefined;
    throw e;
  }
}

/**
 * Everything the lint needs about the registration with this client id. A missing app is
 * `application: null` (not an error). Reads that may lag after a create are retried in `budget`.
 */
export async function readRegistration(graph: GraphClient, clientId: string | undefined, opts: ReadOptions): Promise<ActualRegistration> {
  const retry = <T>(fn: () => Promise<T>) => (opts.budget ? retryReplication(fn, { budget: opts.budget, ...(opts.onWait ? { onWait: opts.onWait } : {}) }) : fn());
  const [resources, policy, mailboxUserId, application] = await Promise.all([
    readResources(graph),
    readAppManagementPolicy(graph),
    opts.mailbox ? lookUpMailboxUser(graph, opts.mailbox) : Promise.resolve(undefined),
    opts.budget && clientId
      ? retry(async () => {
          const a = await findApplication(graph, clientId);
          if (!a) throw new GraphError({ status: 404, code: 'Request_ResourceNotFound', message: `Resource '${clientId}' does not exist or one of its queried reference-property objects are not present.`, method: 'GET', path: '/applications' });
          return a;
        }).catch((e) => (e instanceof GraphError && e.status === 404 ? null : Promise.reject(e)))
      : findApplication(graph, clientId, opts.displayName),
  ]);
  const base: ActualRegistration = { tenantId: opts.tenantId, application: null, servicePrincipal: null, resources, delegatedGrants: [], appRoleAssignments: [], assignedTo: [], ...(mailboxUserId !== undefined ? { mailboxUserId } : {}), appManagementPolicy: policy };
  if (!application) return base;
  const spPath = `/servicePrincipals(appId=${odataString(application.appId)})?$select=${SP_SELECT}`;
  const servicePrincipal = opts.budget
    ? await retry(async () => {
        const sp = await graph.getOrNull<GraphServicePrincipal>(spPath);
        if (!sp) throw new GraphError({ status: 404, code: 'Request_ResourceNotFound', message: 'service principal does not exist yet', method: 'GET', path: '/servicePrincipals' });
        return sp;
      }).catch((e) => (e instanceof GraphError && e.status === 404 ? null : Promise.reject(e)))
    : await graph.getOrNull<GraphServicePrincipal>(spPath);
  if (!servicePrincipal) return { ...base, application };
  const [delegatedGrants, appRoleAssignments, assignedTo] = await Promise.all([
    graph.list<GraphOAuth2PermissionGrant>(`/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq ${odataString(servicePrincipal.id)}`)}`),
    graph.list<GraphAppRoleAssignment>(`/servicePrincipals/${servicePrincipal.id}/appRoleAssignments`),
    graph.list<GraphAppRoleAssignment>(`/servicePrincipals/${servicePrincipal.id}/appRoleAssignedTo`),
  ]);
  return { ...base, application, servicePrincipal, delegatedGrants, appRoleAssignments, assignedTo };
}

export { ZERO as DEFAULT_APP_ROLE_ID };
