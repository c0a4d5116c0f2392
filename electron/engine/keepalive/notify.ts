/**
 * Expiry notifications at app start (issue 12 item 3): one OS notification per connection whose
 * credential expires within the window (30 days) or has expired, once per app start. The port is
 * plain (no Electron): main.ts adapts it to Electron's Notification; tests pass a recorder.
 */
import type { SavedProfile } from '../../../shared/saved-profile';
import { daysUntil, endTime } from './status';

export interface NotificationPort {
  /** Shows one OS notification. Never given a secret: names, dates and days only. */
  show(n: { title: string; body: string; id: string }): void;
}

export const NOTIFY_WINDOW_DAYS = 30;

export interface ExpiringConnection {
  id: string;
  name: string;
  daysLeft: number;
  expires: string;
  expired: boolean;
}

/** The saved connections inside the window, soonest first. */
export function expiringConnections(profiles: readonly Pick<SavedProfile, 'id' | 'profile'>[], now: Date, windowDays = NOTIFY_WINDOW_DAYS): ExpiringConnection[] {
  const out: ExpiringConnection[] = [];
  for (const s of profiles) {
    const end = s.profile.rotation ? undefined : s.profile.secretExpires;
    if (!end) continue;
    const days = daysUntil(end, now);
    if (days === null || days > windowDays) continue;
    out.push({ id: s.id, name: s.profile.name || s.profile.target || 'Unnamed connection', daysLeft: days, expires: end.slice(0, 10), expired: endTime(end) <= now.getTime() });
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft);
}

/** One notification per expiring connection; answers what was shown. Call once per app start. */
export function notifyExpiring(profiles: readonly Pick<SavedProfile, 'id' | 'profile'>[], port: NotificationPort, now = new Date()): ExpiringConnection[] {
  const list = expiringConnections(profiles, now);
  for (const c of list) {
    port.show({
      id: c.id,
      title: c.expired ? `${c.name}: the client secret has expired` : `${c.name}: the client secret expires ${c.daysLeft === 0 ? 'today' : `in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'}`}`,
      body: c.expired ? `Mail stopped working on ${c.expires}. Open Mail OAuth Assistant and renew the secret.` : `On ${c.expires} the system stops sending and reading mail. Open Mail OAuth Assistant to renew it before then.`,
    });
  }
  return list;
}
