import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { SECRET_PLACEHOLDER, targets } from '../../../../../shared/catalogue';
import { ExportError, exportFormats, exportProfile, formatsForTarget, REDACTED } from '../../../../../electron/engine/export';
import { NOW, PROFILES, SECRET_VALUE } from '../../../shared/catalogue/fixtures';
import { CHECK_RUN } from './check-run.fixture';

const GOLDEN = path.join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';


const cases = targets.flatMap((t) => t.exports.map((f) => [t.id, f] as const));

describe('export golden files', () => {
  it.each(cases)('%s / %s matches its golden file', (targetId, format) => {
    const result = exportProfile(PROFILES[targetId]!, format, { includeSecret: false, now: NOW, checkRun: CHECK_RUN, locale: 'en-GB', timeZone: 'Europe/Berlin' });
    const file = path.join(GOLDEN, targetId, `${format}.${exportFormats.find((f) => f.id === format)!.extension}`);
    if (update || !existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, result.content);
    }
    expect(result.content).toBe(readFileSync(file, 'utf8'));
    expect(result.filename).toMatch(new RegExp(`-${format}\\.[a-z]+$`));
  });
});

describe('secrets', () => {
  it.each(cases)('%s / %s holds the secret only when asked', (targetId, format) => {
    const profile = PROFILES[targetId]!;
    const without = exportProfile(profile, format, { includeSecret: false, secretValue: SECRET_VALUE, now: NOW, checkRun: CHECK_RUN });
    expect(without.content).not.toContain(SECRET_VALUE);
    expect(without.content).not.toContain(SECRET_VALUE.slice(0, 8));
    expect(without.warnings.join(' ')).not.toMatch(/contains the client secret/);

    const withSecret = exportProfile(profile, format, { includeSecret: true, secretValue: SECRET_VALUE, now: NOW, checkRun: CHECK_RUN });
    const format_ = exportFormats.find((f) => f.id === format)!;
    if (format_.mayContainSecret) {
      expect(without.content).toContain(SECRET_PLACEHOLDER);
      expect(withSecret.content).toContain(SECRET_VALUE);
      expect(withSecret.warnings.some((w) => /contains the client secret/.test(w))).toBe(true);
    } else {
      expect(withSecret.content).not.toContain(SECRET_VALUE);
      expect(withSecret.warnings.some((w) => /never contains the client secret/.test(w))).toBe(true);
    }
  });

  it('never asks for or carries an account password (CXT explains why)', () => {
    const card = exportProfile(PROFILES.cxt!, 'paste-card', { includeSecret: false, now: NOW }).content;
    expect(card).toMatch(/Mailbox password\s*: not provided: not needed/);
    expect(card).toMatch(/mail roles Mail\.Read and Mail\.Send \(granted by an administrator, limited to the mailbox in Exchange unless you chose every mailbox\)/);
    for (const [id, profile] of Object.entries(PROFILES))
      for (const f of formatsForTarget(id)) expect(exportProfile(profile, f.id, { includeSecret: false, now: NOW }).content).not.toMatch(/password\s*[:=]\s*\S*[A-Za-z0-9]{6,}/i);
  });

  it('warns and keeps the placeholder when the secret is asked for but unknown', () => {
    const r = exportProfile(PROFILES.flectra!, 'env', { includeSecret: true, now: NOW });
    expect(r.content).toContain(SECRET_PLACEHOLDER);
    expect(r.warnings[0]).toMatch(/No client secret value/);
  });
});

describe('format registry', () => {
  it('lists every format with the targets offering it (from the catalogue)', () => {
    expect(exportFormats.find((f) => f.id === 'emailengine-curl')!.targets).toEqual(['emailengine']);
    expect(exportFormats.find((f) => f.id === 'odoo-system-parameters')!.targets).toEqual(['flectra', 'odoo']);
    expect(exportFormats.find((f) => f.id === 'report-html')!.targets).toHaveLength(targets.length);
  });

  it('refuses unknown formats and formats of another target', () => {
    expect(() => exportProfile(PROFILES.cxt!, 'frappe-connected-app', { includeSecret: false, now: NOW })).toThrow(ExportError);
    expect(() => exportProfile(PROFILES.cxt!, 'nope', { includeSecret: false, now: NOW })).toThrow(/Unknown export format/);
    expect(() => exportProfile({ ...PROFILES.cxt!, secretExpires: undefined }, 'ics-reminder', { includeSecret: false, now: NOW })).toThrow(/no client secret expiry/);
  });
});

describe('calendar reminder', () => {
  it('is valid iCalendar, 14 days before expiry, parsed by ical.js', () => {
    const r = exportProfile(PROFILES.frappe!, 'ics-reminder', { includeSecret: false, now: NOW });
    expect(r.mediaType).toMatch(/text\/calendar/);
    for (const line of r.content.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const comp = new ICAL.Component(ICAL.parse(r.content));
    const event = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
    expect(event.startDate.toString()).toBe('2027-03-17');
    expect(event.summary).toContain('Frappe / ERPNext');
    expect(event.description).toContain('Client Secret');
    expect(event.description).toContain('2027-03-31');
    expect(comp.getFirstSubcomponent('vevent')!.getFirstSubcomponent('valarm')).toBeTruthy();
  });

  it('warns when the reminder date has passed', () => {
    const r = exportProfile({ ...PROFILES.frappe!, secretExpires: '2026-05-10' }, 'ics-reminder', { includeSecret: false, now: NOW });
    expect(r.warnings[0]).toMatch(/already past/);
  });
});

describe('hand-over report', () => {
  it('redacts every secret even when asked to include it, and shows checks with results and times', () => {
    const r = exportProfile(PROFILES.flectra!, 'report-html', { includeSecret: true, secretValue: SECRET_VALUE, now: NOW, checkRun: CHECK_RUN, locale: 'en-GB', timeZone: 'UTC' });
    expect(r.content).not.toContain(SECRET_VALUE);
    expect(r.content).not.toContain(SECRET_PLACEHOLDER.replace(/</g, '&lt;'));
    expect(r.content).toContain(REDACTED);
    expect(r.content).toContain('Microsoft 365 refused to let this mailbox send mail over SMTP');
    expect(r.content).toMatch(/2\.3 s/);
    expect(r.content).toContain('31 March 2027');
    expect(r.content).not.toMatch(/\d{4}-\d{2}-\d{2}T|\d{2}:\d{2}:\d{2} UTC/);
    expect(r.content).toContain('@media print');
    expect(r.content).not.toMatch(/<script|<link |src="http/);
  });

  const html = (profile: string, extra: Partial<Parameters<typeof exportProfile>[2]> = {}): string =>
    exportProfile(PROFILES[profile]!, 'report-html', { includeSecret: false, now: NOW, locale: 'en-GB', timeZone: 'UTC', ...extra }).content;
  const text = (s: string): string =>
    s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/ ([.,:;)])/g, '$1').replace(/\( /g, '(');
  const firstSection = (s: string): string => text(s.slice(s.indexOf('</header>'), s.indexOf('<h2>')));

  it('opens with its verdict: not tested yet, not working yet with the fix, or working', () => {
    const none = html('odoo');
    expect(firstSection(none)).toMatch(/^ ?Not tested yet\./);
    expect(none).not.toContain('<h2>Checks</h2>');
    const failed = html('odoo', { checkRun: { ...CHECK_RUN, results: CHECK_RUN.results.map((r) => (r.id === 'smtp' ? { ...r, diagnosis: { ...r.diagnosis!, fix: [{ text: 'Turn on Authenticated SMTP for the mailbox.' }] } } : r)) } });
    expect(firstSection(failed)).toMatch(/Not working yet\. .*Microsoft 365 refused to let this mailbox send mail over SMTP.*Fix: Turn on Authenticated SMTP for the mailbox\./);
    const ok = html('odoo', { checkRun: { ...CHECK_RUN, results: CHECK_RUN.results.filter((r) => r.status === 'passed') } });
    expect(firstSection(ok)).toMatch(/Working\. Every check passed \(checks of 1 May 2026/);
  });

  it('lists the tenant changes and who made them, and names the app by name and id', () => {
    const byHand = text(html('odoo'));
    expect(byHand).toMatch(/Changes in the tenant Registered by hand: app registration .+ \(Application ID [0-9a-f-]{36}\)/);
    expect(byHand).not.toContain('Created by the assistant');
    const created = text(
      html('odoo', { registration: { method: 'created', state: 'complete', displayName: 'Fabrikam Odoo mail', servicePrincipalId: 'sp-1', secretKeyId: 'key-1', by: 'admin@fabrikam.example' } }),
    );
    expect(created).toMatch(/Created by the assistant \(signed in as admin@fabrikam\.example\): app registration Fabrikam Odoo mail \(Application ID [0-9a-f-]{36}\), enterprise app \(Object ID sp-1\), client secret \(Secret ID key-1\), admin consent\./);
    expect(created).toMatch(/App Fabrikam Odoo mail \(Application ID/);
    expect(created).not.toContain('Not finished');
    expect(text(html('odoo', { registration: { method: 'created', state: 'partial' } }))).toContain('Not finished');
  });

  it('states the mailbox scope for app-only Graph (CXT): tenant-wide unless limited', () => {
    const wide = text(html('cxt'));
    expect(wide).toMatch(/Mailbox scope Every mailbox in the tenant/);
    expect(wide).toContain('the app can reach every mailbox in the tenant');
    const limited = text(html('cxt', { mailboxScope: 'exchange-rbac' }));
    expect(limited).toMatch(/Mailbox scope Limited to /);
    expect(limited).not.toContain('Every mailbox in the tenant');
    expect(text(html('odoo'))).not.toContain('Mailbox scope');
  });

  it('leaves out sections that do not apply (no empty section, no "none" rows)', () => {
    for (const id of Object.keys(PROFILES)) {
      const page = html(id);
      expect(page).not.toMatch(/<h2>[^<]*<\/h2>\s*(<h2>|<footer>)/);
      expect(page).not.toMatch(/<td>none<\/td>/);
    }
  });
});
