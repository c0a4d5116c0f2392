/**
 * "Who still signs in with a password?" (issue 22 item 6). Reads the Entra sign-in logs of the last
 * N days filtered to legacy (Basic-authentication) client apps, groups them per sender and suggests a
 * path off passwords for each. When the tenant's licence does not allow the sign-in logs through Graph,
 * it says so and hands back the Exchange steps that answer the same question.
 *
 * Sources:
 * - List signIns, `GET /v1.0/auditLogs/signIns`, delegated permission AuditLog.Read.All plus a directory
 *   role that may read reports; "You must have an Azure AD Premium P1 or P2 license to download sign-in
 *   logs using the Microsoft Graph API" (microsoftgraph/microsoft-graph-docs, api-reference/v1.0/resources/signin.md).
 * - Without that licence Graph answers 403 `Authentication_RequestFromNonPremiumTenantOrB2CTenant`,
 *   "Neither tenant is B2C or tenant doesn't have premium license" (microsoftgraph/msgraph-sdk-dotnet#1006,
 *   microsoftgraph/microsoft-graph-docs#4336, MicrosoftDocs/azure-docs#77948).
 * - clientAppUsed values of legacy clients: 'Authenticated SMTP', 'IMAP4', 'POP3', 'Exchange ActiveSync',
 *   'Other clients', 'MAPI Over HTTP', 'Exchange Web Services', 'Offline Address Book',
 *   'Outlook Anywhere (RPC over HTTP)', 'Reporting Web Services', 'AutoDiscover', 'Exchange Online PowerShell'
 *   (the values administrators filter on, e.g. CIPP's legacy-auth report and Get-MgAuditLogSignIn examples).
 * - The SMTP AUTH Clients report: Exchange admin center > Reports > Mail flow (learn.microsoft.com,
 *   exchange/monitoring/mail-flow-reports/mfr-smtp-auth-clients-report): sender address, domain, TLS
 *   versions, messages sent; 7 days by default, up to 90.
 * - SmtpClientAuthenticationDisabled: Set-TransportConfig (organisation) and Set-CASMailbox (per mailbox,
 *   $true/$false override, $null follows the organisation; MICROSOFT-FACTS / authenticated-client-smtp-submission).
 */
import { targets, type TargetEntry } from '../../../shared/catalogue';
import { GraphError, type GraphClient } from '../registration/graph';

/** Legacy client apps whose sign-ins carry a password (Basic authentication). */
export const LEGACY_CLIENT_APPS = [
  'Authenticated SMTP',
  'IMAP4',
  'POP3',
  'Exchange ActiveSync',
  'Other clients',
  'MAPI Over HTTP',
  'Exchange Web Services',
  'Offline Address Book',
  'Outlook Anywhere (RPC over HTTP)',
  'Reporting Web Services',
  'AutoDiscover',
  'Exchange Online PowerShell',
] as const;

export const DEFAULT_DAYS = 30;
/** Sign-ins of one sender in the period from which bulk sending is suspected (High Volume Email for internal mail). */
export const BULK_SIGN_INS = 500;
/** Graph's documented maximum page size for signIns ($top up to 1000). */
const PAGE = 1000;

/** The part of Graph's signIn resource this reads (v1.0 signIn resource type). */
export interface SignIn {
  id?: string;
  createdDateTime: string;
  userPrincipalName?: string | null;
  userDisplayName?: string | null;
  appDisplayName?: string | null;
  clientAppUsed?: string | null;
  ipAddress?: string | null;
  status?: { errorCode?: number | null; failureReason?: string | null } | null;
}

export type SuggestedPath = 'wizard' | 'relay' | 'high-volume-email';

export interface Sender {
  account: string;
  client: string;
  /** Addresses (IP) the sign-ins came from, most recent first. */
  addresses: string[];
  count: number;
  /** Of which failed (status.errorCode ≠ 0): the password may already be refused. */
  failed: number;
  lastSeen: string;
  appDisplayName: string | null;
  path: SuggestedPath;
  /** The catalogue entry when the path is the wizard. */
  target?: string;
  why: string;
}

/** `/auditLogs/signIns?$filter=…` for the legacy clients since `now - days`. */
export function signInsPath(now: Date, days = DEFAULT_DAYS): string {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const clients = LEGACY_CLIENT_APPS.map((c) => `clientAppUsed eq '${c}'`).join(' or ');
  const filter = `createdDateTime ge ${since} and (${clients})`;
  return `/auditLogs/signIns?$filter=${encodeURIComponent(filter)}&$top=${PAGE}`;
}

const catalogueSystems = (): TargetEntry[] => targets.filter((t) => !/^(generic|app-only)/.test(t.id));

/** A catalogue system recognisable from the app's display name (or the account's name): the first word of its display name or its id. */
export function recogniseTarget(text: string): TargetEntry | undefined {
  const hay = text.toLowerCase();
  return catalogueSystems().find((t) => {
    const words = new Set([t.id.toLowerCase(), t.displayName.split(/[\s/]+/)[0]!.toLowerCase()]);
    return [...words].some((w) => w.length >= 3 && new RegExp(`(^|[^a-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9]|$)`).test(hay));
  });
}

/** Groups sign-ins per (account, client) and suggests a path for each; most sign-ins first. */
export function summarise(signIns: SignIn[], o: { bulkThreshold?: number } = {}): Sender[] {
  const bulk = o.bulkThreshold ?? BULK_SIGN_INS;
  const groups = new Map<string, SignIn[]>();
  for (const s of signIns) {
    const account = (s.userPrincipalName ?? '').toLowerCase() || '(unknown account)';
    const key = `${account}\u0000${s.clientAppUsed ?? 'Other clients'}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const out: Sender[] = [];
  for (const [key, list] of groups) {
    const [account, client] = key.split('\u0000') as [string, string];
    const sorted = [...list].sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime));
    const addresses = [...new Set(sorted.map((s) => s.ipAddress).filter((a): a is string => !!a))];
    const appDisplayName = sorted.find((s) => s.appDisplayName)?.appDisplayName ?? null;
    const target = recogniseTarget(`${appDisplayName ?? ''} ${account.split('@')[0]}`);
    const count = list.length;
    let path: SuggestedPath;
    let why: string;
    if (target) {
      path = 'wizard';
      why = `${target.displayName} can use OAuth: set it up with the wizard (target "${target.id}").`;
    } else if (count >= bulk && client === 'Authenticated SMTP') {
      path = 'high-volume-email';
      why = `${count} SMTP sign-ins in the period look like bulk sending: for mail to your own organisation, High Volume Email (HVE); otherwise the relay.`;
    } else {
      path = 'relay';
      why = 'No OAuth-capable system recognised (a device, a script, older software): point it at `mail-oauth relay`.';
    }
    out.push({ account, client, addresses, count, failed: list.filter((s) => (s.status?.errorCode ?? 0) !== 0).length, lastSeen: sorted[0]!.createdDateTime, appDisplayName, path, ...(target ? { target: target.id } : {}), why });
  }
  return out.sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen) || a.account.localeCompare(b.account));
}

export type InventoryResult =
  | { source: 'sign-in-logs'; since: string; days: number; senders: Sender[] }
  | { source: 'unlicensed'; since: string; days: number; senders: []; graphError: { code: string; message: string } };

/** Reads the sign-in logs; a tenant without Entra ID P1/P2 answers 'unlicensed' (other failures are thrown). */
export async function readInventory(graph: GraphClient, o: { now?: Date; days?: number; bulkThreshold?: number } = {}): Promise<InventoryResult> {
  const now = o.now ?? new Date();
  const days = o.days ?? DEFAULT_DAYS;
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  try {
    const list = await graph.list<SignIn>(signInsPath(now, days));
    return { source: 'sign-in-logs', since, days, senders: summarise(list, o.bulkThreshold !== undefined ? { bulkThreshold: o.bulkThreshold } : {}) };
  } catch (e) {
    if (e instanceof GraphError && e.status === 403 && e.code === 'Authentication_RequestFromNonPremiumTenantOrB2CTenant')
      return { source: 'unlicensed', since, days, senders: [], graphError: { code: e.code, message: e.graphMessage } };
    throw e;
  }
}

/**
 * What to run in Exchange Online PowerShell (and look at in the admin center) when the sign-in logs are
 * out of reach, and in any case for the per-mailbox SMTP AUTH switch. Only documented names.
 */
export const EXCHANGE_FALLBACK = {
  report: {
    name: 'SMTP AUTH Clients report',
    where: 'in the Exchange admin center under Reports > Mail flow (last 7 days by default, up to 90): sender address, domain, TLS versions, messages sent',
    source: 'https://learn.microsoft.com/exchange/monitoring/mail-flow-reports/mfr-smtp-auth-clients-report',
    cmdlet: null as string | null,
    cmdletNote: 'No PowerShell cmdlet for this report was found in Microsoft\'s documentation; read it in the admin center (or export it from there).',
  },
  powershell: [
    'Connect-ExchangeOnline',
    '# The organisation-wide switch: True = SMTP AUTH off unless a mailbox overrides it',
    'Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled',
    '# Per mailbox, three states: True = off, False = ON for this mailbox whatever the organisation says, empty ($null) = follows the organisation',
    'Get-CASMailbox -ResultSize Unlimited | Select-Object PrimarySmtpAddress, SmtpClientAuthenticationDisabled | Sort-Object SmtpClientAuthenticationDisabled',
    '# Count the three states (a filter on -eq $false alone misses every mailbox that follows an organisation where SMTP AUTH is on)',
    "Get-CASMailbox -ResultSize Unlimited | Group-Object { if ($null -eq $_.SmtpClientAuthenticationDisabled) { 'follows organisation' } elseif ($_.SmtpClientAuthenticationDisabled) { 'disabled' } else { 'enabled (override)' } } | Select-Object Name, Count",
  ].join('\n'),
};

export const PATH_TEXT: Record<SuggestedPath, string> = {
  wizard: 'the wizard (OAuth in the system itself)',
  relay: '`mail-oauth relay` (the device keeps a local password; the relay signs in with OAuth)',
  'high-volume-email': 'High Volume Email for internal mail (or the relay)',
};
