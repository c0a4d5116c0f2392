/**
 * Expiry notifications at app start (issue 12 item 3): one OS notification per connection whose
 * credential expires within the window (30 days) or has expired, once per app start. The port is
 * plain (no Electron): main.ts adapts it to Electron's Notification; tests pass a recorder.
 */
import type { SavedProfile } from '../../../shared/saved-profile';
import { daysUntil, endTime, profileExpiry } from './status';
import { daysPhrase, EXPIRY_WINDOW_DAYS } from '../../../shared/expiry';

export interface NotificationPort {
  /** Shows one OS notification. Never given a secret: names, dates and days only. */
  show(n: { title: string; body: string; id: string }): void;
}

export const NOTIFY_WINDOW_DAYS = EXPIRY_WINDOW_DAYS;

export interface ExpiringConnection {
  id: string;
  name: string;
  daysLeft: number;
  expires: string;
  expired: boolean;
  /** What expires: the client secret or the certificate the profile signs in with. */
  kind: 'secret' | 'certificate';
}

/** The saved connections inside the window, soonest first. */
export function expiringConnections(profiles: readonly Pick<SavedProfile, 'id' | 'profile'>[], now: Date, windowDays = NOTIFY_WINDOW_DAYS): ExpiringConnection[] {
  const out: ExpiringConnection[] = [];
  for (const s of profiles) {
    const current = s.profile.rotation ? undefined : profileExpiry(s.profile).current;
    const end = current?.endDateTime;
    if (!end) continue;
    const days = daysUntil(end, now);
    if (days === null || days > windowDays) continue;
    out.push({ id: s.id, name: s.profile.name || s.profile.target || 'Unnamed connection', daysLeft: days, expires: end.slice(0, 10), expired: endTime(end) <= now.getTime(), kind: current!.kind });
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft);
}

const what = (c: ExpiringConnection) => (c.kind === 'certificate' ? 'certificate' : 'client secret');

/** One notification per expiring connection; answers what was shown. Call once per app start. */
export function notifyExpiring(profiles: readonly Pick<SavedProfile, 'id' | 'profile'>[], port: NotificationPort, now = new Date()): ExpiringConnection[] {
  const list = expiringConnections(profiles, now);
  for (const c of list) {
    port.show({
      id: c.id,
      title: c.expired ? `${c.name}: the ${what(c)} has expired` : `${c.name}: the ${what(c)} expires ${daysPhrase(c.daysLeft)}`,
      body: c.expired ? `Mail stopped working on ${c.expires}. Open Mail OAuth Assistant and renew the ${c.kind === 'certificate' ? 'certificate' : 'secret'}.` : `On ${c.expires} the system stops sending and reading mail. Open Mail OAuth Assistant to renew it before then.`,
    });
  }
  return list;
}
