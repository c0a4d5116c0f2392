/**
 * When Basic authentication for SMTP AUTH ends in Exchange Online, as Microsoft announced it (see
 * ./facts for the sources). Pure data with no catalogue import, so the first screen (Start) can show
 * where today stands without loading the catalogue (issue 23).
 */
import { daysUntil } from '../../../../shared/expiry';

export const BASIC_AUTH_REJECTION = '550 5.7.30 Basic authentication is not supported for Client Submission.';
export const BASIC_AUTH_SOURCE = 'https://techcommunity.microsoft.com/blog/exchange/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835';

/** The last day of December 2026: from then on, SMTP AUTH with a password is off by default for existing tenants. */
export const DEFAULT_OFF = '2026-12-31';

export interface TimelineItem {
  when: string;
  what: string;
}

export const TIMELINE: TimelineItem[] = [
  { when: 'Now to December 2026', what: 'Nothing changes yet: systems that sign in to smtp.office365.com with a user name and password still send.' },
  { when: 'End of December 2026', what: 'SMTP AUTH with Basic authentication (a password) is disabled by default for existing tenants. Administrators can still turn it back on if needed; until they do, every message is refused.' },
  { when: 'Tenants created after December 2026', what: 'Basic authentication for SMTP AUTH is not available by default.' },
  { when: 'Second half of 2027', what: 'Microsoft announces the final removal date (the removal itself comes later); from that removal on, no setting brings password sending back.' },
];

/** Where "today" stands against the change, in one sentence. */
export function timelineNow(now: Date): { phase: 'before' | 'this-month' | 'after'; text: string } {
  const days = daysUntil(DEFAULT_OFF, now)!;
  // Exchange Team blog 2026-01-27 (BASIC_AUTH_SOURCE): administrators can turn Basic back on after the
  // default-off; Microsoft announces the final removal date in the second half of 2027 and the
  // removal comes after that announcement, so the switch does not go away with the announcement.
  if (days <= 0) return { phase: 'after', text: 'Password sending is now off by default in existing tenants: a system that still sends with a password fails unless an administrator has turned it back on. That switch stays until the final removal; Microsoft announces the removal date in the second half of 2027, and the removal comes after that announcement.' };
  if (days <= 31) return { phase: 'this-month', text: `Password sending is turned off by default at the end of this month (in ${days} day${days === 1 ? '' : 's'}). Move your system to OAuth now and prove it with one test message.` };
  return { phase: 'before', text: `Password sending is turned off by default at the end of December 2026 (in ${days} days). There is time to move your system to OAuth and prove it first.` };
}
