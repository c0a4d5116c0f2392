import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Diagnosis } from '../../../shared/diagnosis';
import type { SpoolEntry } from './spool';

/** The header block of a raw message (up to the first empty line). */
export function headerBlock(raw: Buffer): string {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end >= 0 ? text.slice(0, end) : text;
}

/** Unfolded header values by lower-case name. */
export function headerValues(headers: string, name: string): string[] {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const out: string[] = [];
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && line.slice(0, i).trim().toLowerCase() === name) out.push(line.slice(i + 1).trim());
  }
  return out;
}

/** Addresses in an address-list header value ("Name <a@b>, c@d"); quoted display names may hold commas. */
export function addressesOf(value: string): string[] {
  const noQuoted = value.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\([^)]*\)/g, '');
  const out: string[] = [];
  for (const part of noQuoted.split(',')) {
    const angle = /<([^>]*)>/.exec(part);
    const a = (angle ? angle[1]! : part).trim().toLowerCase();
    if (a) out.push(a);
  }
  return out;
}

function statusOf(error: unknown): string {
  const text = String((error as { response?: string })?.response ?? (error as Error)?.message ?? '');
  const m = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text);
  return m ? m[1]! : '5.0.0';
}

/**
 * A delivery status notification (RFC 3464, multipart/report) for a message Microsoft refused: a
 * readable part with the diagnosis code, cause and fix, the machine-readable status per recipient,
 * and the original headers.
 */
export function buildDsn(entry: SpoolEntry, recipients: string[], d: Diagnosis, error: unknown, originalHeaders: string, diagnosticText: string): string {
  const host = hostname();
  const boundary = `dsn-${randomBytes(8).toString('hex')}`;
  const status = statusOf(error);
  const fix = d.fix.map((s, i) => `  ${i + 1}. ${s.text.replace(/\*\*/g, '')}${s.link ? ` ${s.link.url}` : ''}${s.command ? `\n       ${s.command.split('\n').join('\n       ')}` : ''}`).join('\n');
  const human = [
    `Your message could not be delivered through Microsoft 365 and was not sent.`,
    ``,
    `Message-ID: ${entry.messageId}`,
    `From: ${entry.from}`,
    `To: ${recipients.join(', ')}`,
    `Accepted by the relay: ${entry.acceptedAt}`,
    ``,
    `What happened: ${d.title}`,
    `Why: ${d.cause}`,
    `Fix:`,
    fix,
    ``,
    `Diagnosis code: ${d.code}`,
    `Microsoft answered: ${diagnosticText}`,
  ].join('\r\n');
  const perRecipient = recipients.map((r) => [`Final-Recipient: rfc822; ${r}`, `Action: failed`, `Status: ${status}`, `Diagnostic-Code: smtp; ${diagnosticText.replace(/\r?\n/g, ' ')}`, `X-Mail-OAuth-Diagnosis: ${d.code}`].join('\r\n')).join('\r\n\r\n');
  return [
    `From: Mail OAuth relay <MAILER-DAEMON@${host}>`,
    `To: ${entry.from}`,
    `Subject: Undeliverable: message ${entry.messageId} (${d.code})`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <dsn-${entry.id}@${host}>`,
    `Auto-Submitted: auto-replied`,
    `MIME-Version: 1.0`,
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    ``,
    `--${boundary}`,
    `Content-Type: text/plain; charset=utf-8`,
    ``,
    human,
    ``,
    `--${boundary}`,
    `Content-Type: message/delivery-status`,
    ``,
    `Reporting-MTA: dns; ${host}`,
    `X-Mail-OAuth-Spool-Id: ${entry.id}`,
    `Arrival-Date: ${new Date(entry.acceptedAt).toUTCString()}`,
    ``,
    perRecipient,
    ``,
    `--${boundary}`,
    `Content-Type: text/rfc822-headers`,
    ``,
    originalHeaders,
    ``,
    `--${boundary}--`,
    ``,
  ].join('\r\n');
}
