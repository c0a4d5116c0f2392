/**
 * How many days a credential has left: ONE definition for the Start screen, the Done screen, the
 * Basic-auth timeline, `mail-oauth status` and the OS notifications (issue 12). Calendar days in UTC
 * from today to the end date: 0 = it ends today, negative = past. A bare yyyy-mm-dd is the start of
 * that day (UTC), the cautious reading of a date the portal shows without a time.
 */
export const DAY_MS = 86_400_000;

/** The window in which a connection is shown as expiring (Start screen) and notified at app start. */
export const EXPIRY_WINDOW_DAYS = 30;

/** The end date as a time (ms); NaN when it is not a date. */
export function endTime(endIso: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(endIso) ? `${endIso}T00:00:00Z` : endIso);
}

/** Calendar days (UTC) from `now` to the end date; null if it is not a date. */
export function daysUntil(endIso: string, now: Date): number | null {
  const t = endTime(endIso);
  if (Number.isNaN(t)) return null;
  return Math.floor(t / DAY_MS) - Math.floor(now.getTime() / DAY_MS);
}

/** "today", "in 1 day", "in 12 days", "1 day ago", "3 days ago": the same words everywhere. */
export function daysPhrase(days: number): string {
  if (days === 0) return 'today';
  const n = Math.abs(days);
  const unit = `${n} day${n === 1 ? '' : 's'}`;
  return days > 0 ? `in ${unit}` : `${unit} ago`;
}
