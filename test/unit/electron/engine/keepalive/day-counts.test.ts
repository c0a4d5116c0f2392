/**
 * One count of "days left" everywhere (issue 12): the Start screen badge and notice (renderer
 * components/format.ts daysUntil), the Basic-auth timeline, `mail-oauth status` (judge) and the OS
 * notifications all read shared/expiry.ts. Late in the evening in a time zone east or west of UTC the
 * screen, the status line and the notification must still give the same number and the same verdict.
 */
import { describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { daysPhrase, daysUntil, EXPIRY_WINDOW_DAYS } from '../../../../../shared/expiry';
import { daysUntil as screenDays } from '../../../../../renderer/src/components/format';
import { timelineNow } from '../../../../../renderer/src/screens/basic-auth/facts';
import { judge, DEFAULT_THRESHOLDS } from '../../../../../electron/engine/keepalive/status';
import { expiringConnections, notifyExpiring } from '../../../../../electron/engine/keepalive/notify';
import { generateCertificate } from '../../../../../electron/engine/keepalive/certificate';

const moments = ['2026-12-01T00:00:01Z', '2026-12-01T09:30:00Z', '2026-12-01T23:59:59Z'].map((s) => new Date(s));
const ends = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-31', '2027-01-01', '2027-06-30'];

describe('days left: one function for the screen, the status line and the notification', () => {
  it('gives the same number at any hour of the day, and 0 days means it has ended (a bare date is the start of that day)', () => {
    for (const now of moments)
      for (const end of ends) {
        const d = daysUntil(end, now)!;
        expect(screenDays(end, now)).toBe(d);
        const verdict = judge('p', { source: 'profile', current: { kind: 'secret', endDateTime: end } }, DEFAULT_THRESHOLDS, now);
        expect(verdict.daysLeft).toBe(d);
        const listed = expiringConnections([{ id: 'p', profile: { name: 'p', secretExpires: end } }] as never, now);
        expect(listed.length === 1).toBe(d <= EXPIRY_WINDOW_DAYS);
        if (listed[0]) {
          expect(listed[0].daysLeft).toBe(d);
          expect(listed[0].expired).toBe(d <= 0);
          expect(verdict.state).toBe(d <= 0 ? 'CRITICAL' : d <= DEFAULT_THRESHOLDS.criticalDays ? 'CRITICAL' : 'WARNING');
        } else expect(verdict.state).toBe('OK');
      }
  });

  it('the same words: status text, notification title and the Start notice use daysPhrase', () => {
    const now = moments[1]!;
    const shown: string[] = [];
    notifyExpiring([{ id: 'a', profile: { name: 'a', secretExpires: '2026-12-13' } }] as never, { show: (n) => shown.push(n.title) }, now);
    expect(shown).toEqual(['a: the client secret expires in 12 days']);
    expect(judge('a', { source: 'profile', current: { kind: 'secret', endDateTime: '2026-12-13' } }, DEFAULT_THRESHOLDS, now).text).toBe('client secret expires on 2026-12-13 (in 12 days)');
    expect([daysPhrase(0), daysPhrase(1), daysPhrase(-1), daysPhrase(-3)]).toEqual(['today', 'in 1 day', '1 day ago', '3 days ago']);
    expect(timelineNow(now).text).toContain(`(in ${daysUntil('2026-12-31', now)} days)`);
  });

  it('a profile that signs in with a certificate is notified by the certificate\'s own end date', async () => {
    const cert = await generateCertificate({ days: 10 });
    const now = new Date();
    const shown: string[] = [];
    const list = notifyExpiring([{ id: 'c', profile: { name: 'c', secretExpires: '2099-01-01', clientCertificate: { certificatePem: cert.certPem, privateKey: { source: 'vault', key: 'k' } } } }] as never, { show: (n) => shown.push(n.title) }, now);
    const d = daysUntil(new Date(new X509Certificate(cert.certPem).validTo).toISOString(), now)!;
    expect(list).toMatchObject([{ id: 'c', kind: 'certificate', daysLeft: d }]);
    expect(shown).toEqual([`c: the certificate expires in ${d} days`]);
  });
});
