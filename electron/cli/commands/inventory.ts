/**
 * `mail-oauth inventory <profile> [--json] [--days N] [--device-code] [--admin-client-id ID]`:
 * who still signs in with a password (issue 22 item 6). The administrator signs in as for `lint`
 * (read-only, plus AuditLog.Read.All); the profile gives the tenant and the endpoints.
 */
import { loadProfileFile } from '../../engine/profileFile';
import { DEFAULT_DAYS, EXCHANGE_FALLBACK, PATH_TEXT, readInventory, type InventoryResult } from '../../engine/inventory';
import { DEFAULT_ADMIN_CLIENT_ID, DEFAULT_ADMIN_CLIENT_NAME, diagnoseRegistrationError } from '../../engine/registration';
import { formatDiagnosis } from '../output';
import { UsageError } from '../secret';
import type { CliIo } from '../main';
import { adminSessionOrExit, parseOptions, profileArg } from './register';

export const INVENTORY_EXIT = { none: 0, found: 1, usage: 2, unknown: 3 } as const;

export const INVENTORY_HELP = `mail-oauth inventory <profile.json> [options]

Who still signs in with a password? Reads the Microsoft Entra sign-in logs of the last ${DEFAULT_DAYS} days
for legacy clients (Authenticated SMTP, IMAP4, POP3, Exchange ActiveSync, Other clients, ...) and lists
each sender (account, client, IP address, count, last seen) with a suggested path: a system from the
catalogue → the wizard; anything else → \`mail-oauth relay\`; many SMTP sign-ins → High Volume Email for
internal mail. Needs AuditLog.Read.All, a role that may read sign-in logs (e.g. Reports Reader, Security
Reader, Global Reader) and an Entra ID P1/P2 licence; without the licence it says so and prints the
Exchange steps instead (the SMTP AUTH Clients report and the per-mailbox SmtpClientAuthenticationDisabled audit).
The profile gives the tenant and the endpoints; nothing is changed anywhere.
  --days <n>                how far back (1-30, default ${DEFAULT_DAYS}; Entra keeps sign-ins 30 days)
  --device-code             sign the administrator in with a device code (Conditional Access may block it)
  --admin-client-id <id>    the client the administrator signs in to (default ${DEFAULT_ADMIN_CLIENT_ID},
                            ${DEFAULT_ADMIN_CLIENT_NAME}; or MAIL_OAUTH_ADMIN_CLIENT_ID)
  --custom-endpoints        allow a sign-in host / Graph URL other than Microsoft's; or MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1
  --json                    one JSON document on stdout: {"source", "since", "senders": [...], "exchange": {...}}
Exit 0 no sender signs in with a password, 1 senders still do, 2 usage or unusable input,
3 could not find out (no licence for the sign-in logs, sign-in or Graph failure: see the Exchange steps).
`;

export async function inventoryCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { days: { type: 'string' }, 'device-code': { type: 'boolean' }, 'admin-client-id': { type: 'string' }, 'custom-endpoints': { type: 'boolean' } });
  const file = profileArg(positionals);
  const json = !!values.json;
  let days = DEFAULT_DAYS;
  if (values.days !== undefined) {
    days = Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 30) throw new UsageError('--days is a whole number of days from 1 to 30 (Entra keeps sign-in logs 30 days)');
  }
  const { profile } = loadProfileFile(file);
  const session = await adminSessionOrExit(profile, values, io, 'read', false, { scopes: ['AuditLog.Read.All'], what: 'reading the sign-in logs' });
  if (typeof session === 'number') return INVENTORY_EXIT.unknown;
  let r: InventoryResult;
  try {
    r = await readInventory(session.graph, { days });
  } catch (e) {
    const d = diagnoseRegistrationError(e, profile, {});
    if (json) io.stdout.write(`${JSON.stringify({ error: { diagnosis: d }, exchange: EXCHANGE_FALLBACK }, null, 2)}\n`);
    else io.stdout.write(`Reading the sign-in logs failed.\n${formatDiagnosis(d, '  ')}\n${formatExchange()}`);
    return INVENTORY_EXIT.unknown;
  }
  if (json) io.stdout.write(`${JSON.stringify({ tenantId: session.tenantId, ...r, exchange: EXCHANGE_FALLBACK }, null, 2)}\n`);
  else io.stdout.write(formatInventory(r));
  if (r.source === 'unlicensed') return INVENTORY_EXIT.unknown;
  return r.senders.length ? INVENTORY_EXIT.found : INVENTORY_EXIT.none;
}

function formatExchange(): string {
  const f = EXCHANGE_FALLBACK;
  return [
    `In Exchange: the ${f.report.name}, ${f.report.where}.`,
    `  ${f.report.cmdletNote}`,
    `  (${f.report.source})`,
    'And per mailbox, in Exchange Online PowerShell:',
    ...f.powershell.split('\n').map((l) => `  ${l}`),
    '',
  ].join('\n');
}

export function formatInventory(r: InventoryResult): string {
  if (r.source === 'unlicensed')
    return [
      `The sign-in logs cannot be read through Microsoft Graph in this tenant: ${r.graphError.message} (${r.graphError.code}).`,
      'Reading them needs a Microsoft Entra ID P1 or P2 licence. Without it, Exchange answers the same question:',
      '',
      formatExchange(),
    ].join('\n');
  const since = r.since.slice(0, 10);
  if (!r.senders.length) return `No sign-in with a password (legacy client) since ${since}.\nStill worth a look: mailboxes where SMTP AUTH is on.\n${formatExchange()}`;
  const lines = [`${r.senders.length} sender(s) still sign in with a password (since ${since}):`, ''];
  for (const s of r.senders) {
    lines.push(`${s.account}  ${s.client}  ${s.count} sign-in(s)${s.failed ? `, ${s.failed} failed` : ''}, last ${s.lastSeen.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`);
    lines.push(`    from:      ${s.addresses.join(', ') || '(no address)'}${s.appDisplayName ? `   app: ${s.appDisplayName}` : ''}`);
    lines.push(`    next step: ${PATH_TEXT[s.path]}${s.target ? ` - target "${s.target}"` : ''}`);
  }
  lines.push('', formatExchange());
  return `${lines.join('\n')}`;
}
