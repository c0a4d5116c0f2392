/**
 * Which mailboxes the app can reach, in plain words (issue 20): an unscoped application mail permission
 * reaches every mailbox in the organisation (Microsoft Graph docs "auth-limit-mailbox-access": Entra
 * consent is tenant-wide, RBAC for Applications scopes it); Exchange's IMAP/POP permissions reach only the
 * mailboxes given Full Access; the scoped Exchange role only the mailboxes in its management scope.
 * Pure, derived from the desired registration (no second copy of the permissions).
 */
import type { DesiredRegistration } from './types';

export interface MailReach {
  /** What grants the reach: a permission name or an Exchange role. */
  grant: string;
  /** Who can be reached, in plain words ("every mailbox in your organisation"). */
  reach: string;
  /** True when the reach is limited to named mailboxes. */
  limited: boolean;
}

export const EVERY_MAILBOX = 'every mailbox in your organisation';

const MAIL_GRAPH = new Set(['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadBasic.All', 'Mail.ReadWrite', 'Mail.Send']);

/** What an unscoped Graph application mail permission lets the app do to each mailbox, as a verb phrase. */
const MAIL_VERBS: Record<string, string> = {
  'Mail.Read': 'read the mail of',
  'Mail.ReadBasic': 'read the mail (without bodies) of',
  'Mail.ReadBasic.All': 'read the mail (without bodies) of',
  'Mail.ReadWrite': 'read and change the mail of',
  'Mail.Send': 'send mail as',
};

/** True for a Microsoft Graph application mail permission: unscoped, it reaches every mailbox (auth-limit-mailbox-access). */
export function isGraphMailRole(name: string): boolean {
  return MAIL_GRAPH.has(name);
}

/**
 * "read the mail of and send mail as every mailbox in your organisation", for Graph application mail permissions
 * (the plain words of issue 19 wherever mail access is not scoped).
 */
export function everyMailboxWords(names: readonly string[]): string {
  const verbs = [...new Set(names.filter(isGraphMailRole).map((n) => MAIL_VERBS[n]!))];
  const joined = verbs.length > 1 ? `${verbs.slice(0, -1).join(', ')} and ${verbs.at(-1)}` : (verbs[0] ?? 'reach');
  return `${joined} ${EVERY_MAILBOX}`;
}

export function mailReach(d: DesiredRegistration): MailReach[] {
  const out: MailReach[] = [];
  const who = d.mailbox || 'the mailbox';
  const step = (id: string) => d.manualSteps.find((s) => s.id === id);
  const fullAccess = step('exchange-mailbox-permission');
  for (const p of d.permissions) {
    if (p.type === 'delegated') {
      if (/^(?:Mail\.|IMAP\.|POP\.|SMTP\.)/.test(p.name)) out.push({ grant: `${p.name} (delegated)`, reach: `only the mailbox of the person who signs in${p.name.endsWith('.Shared') ? ', and mailboxes shared with them' : ''}`, limited: true });
      continue;
    }
    if (p.resource === 'Microsoft Graph' && MAIL_GRAPH.has(p.name)) out.push({ grant: `${p.name} (application)`, reach: EVERY_MAILBOX, limited: false });
    else if (p.resource === 'Office 365 Exchange Online')
      out.push({ grant: `${p.name} (application)`, reach: fullAccess ? `only mailboxes given Full Access in Exchange (here: ${who})` : 'no mailbox until Exchange grants one', limited: true });
  }
  const smtpRole = step('exchange-smtp-role');
  if (smtpRole) out.push({ grant: "Exchange role 'Application SMTP.SendAsApp'", reach: `only ${who} (its management scope)`, limited: true });
  const scoped = step('limit-mailbox-scope');
  if (scoped && !scoped.optional) {
    for (const line of scoped.command.split('\n')) {
      const role = /-Role '([^']+)'/.exec(line)?.[1];
      if (role) out.push({ grant: `Exchange role '${role}'`, reach: `only ${who} (its management scope)`, limited: true });
    }
  }
  return out;
}

/** One line for plans and scripts: "Mail.Send (application): every mailbox in your organisation; …". */
export function mailReachLine(d: DesiredRegistration): string {
  const r = mailReach(d);
  return r.length ? r.map((x) => `${x.grant}: ${x.reach}`).join('; ') : 'no mailbox permission';
}
