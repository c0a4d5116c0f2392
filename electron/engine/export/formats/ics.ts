import { createContext, pasteCard } from '../../../../shared/catalogue';
import { REMINDER_DAYS_BEFORE } from '../../../../shared/catalogue/formats';
import { ExportError, type ExportFormat } from '../types';
import { slug } from '../text';

export { REMINDER_DAYS_BEFORE };

function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** RFC 5545 3.1: lines of at most 75 octets, continued with CRLF + space. */
function fold(line: string): string {
  const enc = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (bytes + n > limit) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const ymd = (d: Date): string => d.toISOString().slice(0, 10).replace(/-/g, '');
const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function parseExpiry(value: string | undefined): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value ?? '');
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export const icsReminderFormat: ExportFormat = {
  id: 'ics-reminder',
  label: 'Calendar reminder (.ics)',
  description: `A calendar entry ${REMINDER_DAYS_BEFORE} days before the client secret expires, with what to do.`,
  extension: 'ics',
  mediaType: 'text/calendar; charset=utf-8',
  mayContainSecret: false,
  render: ({ profile, target, options, warnings }) => {
    const expiry = parseExpiry(profile.secretExpires);
    if (!expiry) throw new ExportError('no-secret-expiry', 'The profile has no client secret expiry date (secretExpires, yyyy-mm-dd): nothing to remind of.');
    const day = new Date(expiry.getTime() - REMINDER_DAYS_BEFORE * 86_400_000);
    const next = new Date(day.getTime() + 86_400_000);
    if (day.getTime() < options.now.getTime()) warnings.push(`The reminder date ${day.toISOString().slice(0, 10)} is already past: renew the secret now.`);
    const ctx = createContext(target, profile);
    const secretFields = pasteCard(target, profile)
      .sections.flatMap((s) => s.fields.filter((f) => f.secret).map((f) => `${s.title} > ${f.label}`));
    const description = [
      `The client secret of the app registration used by ${target.displayName} (${profile.name}) expires on ${profile.secretExpires}. After that, mail stops.`,
      '',
      'Before it expires:',
      `1. Entra admin center > App registrations > ${ctx.clientId} > Certificates & secrets > New client secret. Copy its Value.`,
      `2. Paste the new Value into ${target.displayName}: ${secretFields.join('; ') || 'where the old secret was'}.`,
      '3. Run the checks again in Mail OAuth Assistant (mail-oauth check), and update the expiry date in the profile.',
      '4. Delete the old secret once everything works.',
    ].join('\n');
    const lines = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Mail OAuth Assistant//Secret reminder//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      `UID:${slug(profile.name)}-${slug(ctx.clientId)}-${ymd(expiry)}@mail-oauth-assistant`,
      `DTSTAMP:${stamp(options.now)}`,
      `DTSTART;VALUE=DATE:${ymd(day)}`,
      `DTEND;VALUE=DATE:${ymd(next)}`,
      `SUMMARY:${escapeText(`Renew the Microsoft 365 client secret for ${target.displayName} (${profile.name})`)}`,
      `DESCRIPTION:${escapeText(description)}`,
      'TRANSP:TRANSPARENT',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${escapeText(`Client secret for ${target.displayName} expires in ${REMINDER_DAYS_BEFORE} days`)}`,
      'TRIGGER:PT9H',
      'END:VALARM',
      'END:VEVENT',
      'END:VCALENDAR',
    ];
    return `${lines.map(fold).join('\r\n')}\r\n`;
  },
};
