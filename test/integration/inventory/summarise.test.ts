/**
 * The pure parts of the inventory (electron/engine/inventory): the Graph query, grouping per sender and
 * the suggested path. No network.
 */
import { describe, expect, it } from 'vitest';
import { LEGACY_CLIENT_APPS, recogniseTarget, signInsPath, summarise, type SignIn } from '../../../electron/engine/inventory';

const at = (daysAgo: number) => new Date(Date.parse('2026-12-06T12:00:00Z') - daysAgo * 86_400_000).toISOString();
const row = (upn: string, client: string, daysAgo: number, ip: string, o: Partial<SignIn> = {}): SignIn => ({ userPrincipalName: upn, clientAppUsed: client, createdDateTime: at(daysAgo), ipAddress: ip, appDisplayName: 'Authenticated SMTP', status: { errorCode: 0 }, ...o });

describe('inventory: the sign-in log query', () => {
  it('filters on createdDateTime ≥ now - days and on every legacy client, with $top 1000', () => {
    const p = signInsPath(new Date('2026-12-06T12:00:00.123Z'), 30);
    expect(p.startsWith('/auditLogs/signIns?$filter=')).toBe(true);
    const filter = decodeURIComponent(/\$filter=([^&]*)/.exec(p)![1]!);
    expect(filter).toMatch(/^createdDateTime ge 2026-11-06T12:00:00Z and \(clientAppUsed eq 'Authenticated SMTP' or /);
    for (const c of ['Authenticated SMTP', 'IMAP4', 'POP3', 'Exchange ActiveSync', 'Other clients']) expect(filter).toContain(`clientAppUsed eq '${c}'`);
    expect(filter.match(/clientAppUsed eq/g)).toHaveLength(LEGACY_CLIENT_APPS.length);
    expect(p).toContain('&$top=1000');
  });
});

describe('inventory: senders and paths', () => {
  it('groups per account and client, newest address first, counts failures, most sign-ins first', () => {
    const s = summarise([
      row('Scanner@Fabrikam.com', 'Authenticated SMTP', 3, '192.0.2.10'),
      row('scanner@fabrikam.com', 'Authenticated SMTP', 1, '192.0.2.11', { status: { errorCode: 50126 } }),
      row('scanner@fabrikam.com', 'POP3', 2, '192.0.2.10'),
      row('scanner@fabrikam.com', 'Authenticated SMTP', 2, '192.0.2.10'),
    ]);
    expect(s.map((x) => [x.account, x.client, x.count, x.failed])).toEqual([
      ['scanner@fabrikam.com', 'Authenticated SMTP', 3, 1],
      ['scanner@fabrikam.com', 'POP3', 1, 0],
    ]);
    expect(s[0]!.addresses).toEqual(['192.0.2.11', '192.0.2.10']);
    expect(s[0]!.lastSeen).toBe(at(1));
    expect(s[0]!.path).toBe('relay');
  });

  it('a catalogue system recognised from the app name or the account → the wizard; generic entries never match', () => {
    expect(recogniseTarget('FlexDeploy mailer')?.id).toBe('flexdeploy');
    expect(recogniseTarget('erpnext frappe')?.id).toBe('frappe');
    expect(recogniseTarget('Authenticated SMTP scanner')).toBeUndefined();
    expect(recogniseTarget('my own application')).toBeUndefined();
    expect(recogniseTarget('odoorama')).toBeUndefined();
    const s = summarise([row('noreply@fabrikam.com', 'IMAP4', 1, '198.51.100.7', { appDisplayName: 'Odoo' })]);
    expect(s[0]).toMatchObject({ path: 'wizard', target: 'odoo' });
  });

  it('many SMTP sign-ins → High Volume Email; the same number over IMAP stays the relay', () => {
    const many = (client: string) => Array.from({ length: 5 }, (_, i) => row('batch@fabrikam.com', client, i / 10, '203.0.113.5'));
    expect(summarise(many('Authenticated SMTP'), { bulkThreshold: 5 })[0]!.path).toBe('high-volume-email');
    expect(summarise(many('Authenticated SMTP'), { bulkThreshold: 6 })[0]!.path).toBe('relay');
    expect(summarise(many('IMAP4'), { bulkThreshold: 5 })[0]!.path).toBe('relay');
  });
});
