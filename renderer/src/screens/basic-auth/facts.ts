/**
 * The end of Basic authentication for SMTP AUTH client submission in Exchange Online, as Microsoft
 * announced it (REGISTRATION-FACTS.md 4.5: Exchange Team blog "Updated Exchange Online SMTP AUTH Basic
 * Authentication Deprecation Timeline", Jan 27 2026, techcommunity ...-deprecation-timeline/4489835;
 * the rejection text from the earlier post ba-p/4114750). Pure data + the catalogue-derived list of
 * systems that can move; no Electron, no Node.
 */
import { checklist, checksFor, targetHints, targets, type TargetEntry } from '../../../../shared/catalogue';
import type { CheckId } from '../../../../shared/checks';

// The dates and Microsoft's words live in ./timeline (no catalogue: the first screen shows them, issue 23).
export { BASIC_AUTH_REJECTION, BASIC_AUTH_SOURCE, DEFAULT_OFF, TIMELINE, timelineNow, type TimelineItem } from './timeline';

export interface Move {
  id: string;
  displayName: string;
  description: string;
  /** How it signs in with OAuth, in plain words. */
  how: string;
  /** What the person does in the system itself (the catalogue's "target" steps), in order. */
  inTheSystem: string[];
  /** The checks that prove it; the one that sends a message is among them. */
  checks: CheckId[];
}

const HOW = (t: TargetEntry, flow: string, api: string) => {
  const who = flow === 'app-only' ? 'as an app (no one signs in; an administrator grants access to the mailbox)' : 'as the mailbox, after one Microsoft sign-in (OAuth)';
  const wire = api === 'graph' ? 'Microsoft Graph instead of SMTP' : 'SMTP and IMAP with OAuth (XOAUTH2) instead of a password';
  return `${t.displayName} sends ${who}, over ${wire}.`;
};

/** Every catalogue system can move; what moving means for each, derived from its catalogue entry. */
export function movesFromCatalogue(): Move[] {
  return targets.map((t) => {
    const h = targetHints(t, {});
    const profile = { name: t.displayName, target: t.id, flow: h.flow, api: h.api } as const;
    const steps = checklist(t, profile).filter((s) => s.where === 'target').map((s) => s.title.replace(/<mailbox address>/g, 'your mailbox'));
    return { id: t.id, displayName: t.displayName, description: t.description, how: HOW(t, h.flow, h.api), inTheSystem: steps, checks: checksFor(t, profile) };
  });
}

/** The checks that send exactly one message with the OAuth configuration (SMTP, or Graph's sendMail). */
export function sendOnceChecks(api: 'imap-smtp' | 'graph'): CheckId[] {
  return api === 'graph' ? ['network', 'token', 'graph'] : ['network', 'token', 'smtp'];
}
