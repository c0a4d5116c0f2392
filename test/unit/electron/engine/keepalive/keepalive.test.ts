import { describe, expect, it } from 'vitest';
import { daysUntil, judge, pickCurrent, summarise, DEFAULT_THRESHOLDS, type ConnectionStatus } from '../../../../../electron/engine/keepalive/status';
import { expiringConnections, notifyExpiring } from '../../../../../electron/engine/keepalive/notify';
import { thumbprintOf } from '../../../../../electron/engine/keepalive/certificate';

const NOW = new Date('2026-12-01T09:30:00Z');
const th = DEFAULT_THRESHOLDS;

describe('status verdicts (monitoring-plugin conventions)', () => {
  it('counts calendar days in UTC; a bare date is the start of that day', () => {
    expect(daysUntil('2026-12-31', NOW)).toBe(30);
    expect(daysUntil('2026-12-01T23:00:00Z', NOW)).toBe(0);
    expect(daysUntil('2026-11-28', NOW)).toBe(-3);
    expect(daysUntil('soon', NOW)).toBeNull();
  });

  it('the boundaries: 31 days OK, 30 WARNING, 7 CRITICAL, ending today before now = expired', () => {
    const at = (end: string) => judge('p', { source: 'profile', current: { kind: 'secret', endDateTime: end } }, th, NOW).state;
    expect(at('2027-01-01')).toBe('OK');
    expect(at('2026-12-31')).toBe('WARNING');
    expect(at('2026-12-09')).toBe('WARNING');
    expect(at('2026-12-08')).toBe('CRITICAL');
    expect(at('2026-12-01T10:00:00Z')).toBe('CRITICAL');
    expect(judge('p', { source: 'profile', current: { kind: 'secret', endDateTime: '2026-12-01' } }, th, NOW).text).toBe('client secret expired on 2026-12-01 (today)');
    expect(judge('p', { source: 'none' }, th, NOW).state).toBe('UNKNOWN');
  });

  it('a failing sign-in is CRITICAL whatever the date; a certificate says so', () => {
    const failure = { code: 'aadsts-7000222-secret-expired', title: 'The client secret has expired' } as never;
    expect(judge('p', { source: 'profile', current: { kind: 'secret', endDateTime: '2099-01-01' }, failure }, th, NOW)).toMatchObject({ state: 'CRITICAL', code: 'aadsts-7000222-secret-expired' });
    expect(judge('p', { source: 'graph', current: { kind: 'certificate', endDateTime: '2027-06-01T00:00:00Z' } }, th, NOW).text).toBe('certificate expires on 2027-06-01 (in 182 days)');
  });

  it('the worst state wins (CRITICAL > WARNING > UNKNOWN > OK); no connection is UNKNOWN; "|" never leaks into the text', () => {
    const c = (profile: string, state: ConnectionStatus['state'], daysLeft: number | null): ConnectionStatus => ({ profile, state, daysLeft, source: 'profile', text: `t|${profile}` });
    expect(summarise([c('a', 'OK', 90), c('b', 'UNKNOWN', null)], th).state).toBe('UNKNOWN');
    expect(summarise([c('a', 'UNKNOWN', null), c('b', 'WARNING', 20)], th).exit).toBe(1);
    expect(summarise([c('a', 'WARNING', 20), c('b', 'CRITICAL', 2)], th).exit).toBe(2);
    expect(summarise([], th)).toMatchObject({ state: 'UNKNOWN', exit: 3 });
    const one = summarise([c('x y', 'OK', 90)], th);
    expect(one.line).toBe('MAIL-OAUTH OK - x y: t/x y | days_left=90;30;7');
  });

  it('picks the credential in use by Secret ID, then by hint, else the latest (and says it could not tell)', () => {
    const all = [
      { kind: 'secret' as const, keyId: 'a', hint: 'Abc', endDateTime: '2027-01-01' },
      { kind: 'secret' as const, keyId: 'b', hint: 'Xyz', endDateTime: '2028-01-01' },
    ];
    expect(pickCurrent(all, { secretId: 'a' })).toEqual({ current: all[0], identified: true });
    expect(pickCurrent(all, {}, 'Abc~rest')).toEqual({ current: all[0], identified: true });
    expect(pickCurrent(all, {}, 'Qqq~rest')).toEqual({ current: all[1], identified: false });
  });
});

describe('expiry notifications at app start', () => {
  const saved = (id: string, secretExpires?: string, extra: Record<string, unknown> = {}) => ({ id, profile: { name: id, ...(secretExpires ? { secretExpires } : {}), ...extra } });
  it('one notification per connection inside 30 days (expired included), none outside or without a date or mid-rotation', () => {
    const shown: { title: string; body: string; id: string }[] = [];
    const list = notifyExpiring([saved('far', '2027-03-01'), saved('soon', '2026-12-13'), saved('gone', '2026-11-20'), saved('nodate'), saved('rotating', '2026-12-05', { rotation: { phase: 'added' } })] as never, { show: (n) => shown.push(n) }, NOW);
    expect(list.map((c) => c.id)).toEqual(['gone', 'soon']);
    expect(shown.map((n) => n.title)).toEqual(['gone: the client secret has expired', 'soon: the client secret expires in 12 days']);
    expect(shown[1]!.body).toContain('2026-12-13');
    expect(expiringConnections([saved('edge', '2026-12-31')] as never, NOW)).toHaveLength(1);
    expect(expiringConnections([saved('edge', '2027-01-01')] as never, NOW)).toHaveLength(0);
  });
});

describe('certificate thumbprints as Graph gives them', () => {
  it('hex or base64 of the 20 bytes both read as upper-case hex', () => {
    const hex = '0123456789abcdef0123456789abcdef01234567';
    expect(thumbprintOf(hex)).toBe(hex.toUpperCase());
    expect(thumbprintOf(Buffer.from(hex, 'hex').toString('base64'))).toBe(hex.toUpperCase());
    expect(thumbprintOf(null)).toBe('');
  });
});
