/**
 * GET /v1.0/auditLogs/signIns: the Entra sign-in log, from the scenario's `signIns` rows.
 *
 * Sources:
 * - Shape: the signIn resource (microsoftgraph/microsoft-graph-docs, api-reference/v1.0/resources/signin.md):
 *   id, createdDateTime, userDisplayName, userPrincipalName, userId, appId, appDisplayName, ipAddress,
 *   clientAppUsed, correlationId, conditionalAccessStatus, isInteractive, status {errorCode, failureReason,
 *   additionalDetails}; a collection `{ "@odata.context", "value": [...], "@odata.nextLink"? }`, newest first.
 * - $filter on createdDateTime (ge) and clientAppUsed (eq, joined with or), $top up to 1000, paging by
 *   @odata.nextLink (api-reference/v1.0/api/signin-list.md).
 * - Permissions: delegated AuditLog.Read.All (with Directory.Read.All) and a directory role that may read
 *   sign-in logs (Reports Reader, Security Reader, Global Reader, Global Administrator, ...); of the roles this
 *   emulator models only Global Administrator qualifies. The exact wording of the missing-permission 403
 *   (Authentication_MSGraphPermissionMissing) is from memory of Graph's answers (unverified).
 * - Without an Entra ID P1/P2 licence: 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant, "Neither
 *   tenant is B2C or tenant doesn't have premium license" (microsoftgraph/msgraph-sdk-dotnet#1006,
 *   microsoftgraph/microsoft-graph-docs#4336).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Directory, Principal } from './core.js';
import { stableGuid } from './resources.js';
import { writeGraphError } from './graphdir.js';
import { guid } from './util.js';

const READER_ROLES = ['Global Administrator'];

interface Row {
  id: string;
  createdDateTime: string;
  userDisplayName: string;
  userPrincipalName: string;
  userId: string;
  appId: string;
  appDisplayName: string;
  ipAddress: string;
  clientAppUsed: string;
  correlationId: string;
  conditionalAccessStatus: 'notApplied';
  isInteractive: boolean;
  status: { errorCode: number; failureReason: string | null; additionalDetails: string | null };
}

/** The rows of a tenant, newest first, with absolute times from `now`. */
export function signInRows(dir: Directory, tenantId: string, now: number): Row[] {
  const rows: Row[] = [];
  dir.scenario.signIns.forEach((s, i) => {
    const user = dir.user(s.userPrincipalName);
    const tid = s.tenantId ?? user?.tenantId ?? dir.scenario.tenants[0]!.id;
    if (tid !== tenantId) return;
    for (let k = 0; k < s.count; k++) {
      rows.push({
        id: stableGuid(`signin|${i}|${k}`),
        createdDateTime: new Date(now - s.daysAgo * 86_400_000 - k * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        userDisplayName: s.userDisplayName ?? user?.displayName ?? s.userPrincipalName,
        userPrincipalName: s.userPrincipalName,
        userId: user?.objectId ?? stableGuid(`signin-user|${s.userPrincipalName}`),
        appId: s.appId ?? stableGuid(`signin-app|${s.appDisplayName}`),
        appDisplayName: s.appDisplayName,
        ipAddress: s.ipAddress,
        clientAppUsed: s.clientAppUsed,
        correlationId: stableGuid(`signin-correlation|${i}|${k}`),
        conditionalAccessStatus: 'notApplied',
        isInteractive: true,
        status: { errorCode: s.errorCode, failureReason: s.errorCode ? (s.failureReason ?? 'Other.') : null, additionalDetails: null },
      });
    }
  });
  return rows.sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime));
}

/** The subset of OData $filter the sign-in reports use: `createdDateTime ge T` and `clientAppUsed eq '...'` (or-joined). */
function applyFilter(rows: Row[], filter: string | null): Row[] | string {
  if (!filter) return rows;
  const rest = filter.replace(/createdDateTime\s+ge\s+(\S+)/gi, '').replace(/clientAppUsed\s+eq\s+'[^']*'/gi, '').replace(/\b(and|or)\b|[()\s]/gi, '');
  if (rest) return `Invalid filter clause: ${filter}`;
  const ge = /createdDateTime\s+ge\s+(\S+)/i.exec(filter)?.[1];
  const since = ge ? Date.parse(ge.replace(/\)+$/, '')) : NaN;
  if (ge && Number.isNaN(since)) return `Invalid filter clause: ${filter}`;
  const clients = [...filter.matchAll(/clientAppUsed\s+eq\s+'([^']*)'/gi)].map((m) => m[1]!.toLowerCase());
  return rows.filter((r) => (!ge || Date.parse(r.createdDateTime) >= since) && (!clients.length || clients.includes(r.clientAppUsed.toLowerCase())));
}

export function handleSignIns(dir: Directory, req: IncomingMessage, res: ServerResponse, url: URL, p: Principal, graphUrl: string, version: string): void {
  if (req.method !== 'GET') return writeGraphError(req, res, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  if (p.kind !== 'user') return writeGraphError(req, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  if (!p.scopes.includes('AuditLog.Read.All')) return writeGraphError(req, res, 403, 'Authentication_MSGraphPermissionMissing', 'Calling principal does not have required MSGraph permissions AuditLog.Read.All');
  if (!dir.rolesOf(p.user).some((r) => READER_ROLES.includes(r))) return writeGraphError(req, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  if (dir.faults.signInLogsUnlicensed) return writeGraphError(req, res, 403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
  const tid = String(p.claims.tid ?? '');
  const filtered = applyFilter(signInRows(dir, tid, Date.now()), url.searchParams.get('$filter'));
  if (typeof filtered === 'string') return writeGraphError(req, res, 400, 'BadRequest', filtered);
  const top = Math.min(Math.max(Number(url.searchParams.get('$top') ?? '1000') || 1000, 1), 1000);
  const skip = Number(url.searchParams.get('$skiptoken') ?? '0') || 0;
  const page = filtered.slice(skip, skip + top);
  const next = skip + top < filtered.length ? new URL(url.toString()) : undefined;
  if (next) next.searchParams.set('$skiptoken', String(skip + top));
  res.writeHead(200, { 'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8', 'request-id': guid() });
  res.end(JSON.stringify({ '@odata.context': `${graphUrl}/${version}/$metadata#auditLogs/signIns`, value: page, ...(next ? { '@odata.nextLink': `${graphUrl}${next.pathname}${next.search}` } : {}) }));
}
