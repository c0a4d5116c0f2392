/** Small display helpers (dates, durations) shared by the screens. */
import { daysUntil as calendarDaysUntil } from '../../../shared/expiry';

/** Days left to an end date: the one definition `mail-oauth status` and the notifications use (shared/expiry.ts). */
export function daysUntil(isoDate: string | undefined, now = new Date()): number | undefined {
  if (!isoDate) return undefined;
  return calendarDaysUntil(isoDate, now) ?? undefined;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A calendar day (yyyy-mm-dd) in the system's locale, e.g. "31 Dec 2099" or "Dec 31, 2099" (item 16). */
export function formatDay(isoDate: string | undefined): string {
  if (!isoDate) return '';
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00`);
  return Number.isNaN(d.getTime()) ? isoDate : d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
