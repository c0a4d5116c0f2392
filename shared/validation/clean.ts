/**
 * Cleaning of values pasted from the Entra portal, e-mails and PDFs. Only what is unambiguous is
 * cleaned (invisible characters, quotes, braces, a copied label); every change is reported.
 */

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Invisible or look-alike spaces that survive copy and paste: NBSP, zero-width, BOM, narrow NBSP...
const INVISIBLE_RE = /[\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/g;
const INVISIBLE = 'the invisible or non-breaking spaces';
const QUOTES = `"'\`\u2018\u2019\u201c\u201d\u00ab\u00bb`;

export interface Cleaned {
  value: string;
  /** What was removed, as noun phrases ("the quotes"), empty when the input was already clean. */
  changes: string[];
  /** Label found in front of the value, e.g. "Application (client) ID". */
  label?: string;
}

const LABEL_RE = /^\s*((?:application|directory|object|client|tenant|secret)\s*(?:\((?:client|tenant)\))?\s*(?:id|identifier)|value)\s*[:=]?\s*/i;

export function cleanPasted(raw: string): Cleaned {
  const changes: string[] = [];
  let value = raw;
  if (INVISIBLE_RE.test(value)) {
    value = value.replace(INVISIBLE_RE, ' ');
    changes.push(INVISIBLE);
  }
  const label = LABEL_RE.exec(value);
  let labelText: string | undefined;
  if (label && value.slice(label[0].length).trim().length > 0) {
    labelText = label[1]!.replace(/\s+/g, ' ').trim();
    value = value.slice(label[0].length);
    changes.push(`the label "${labelText}"`);
  }
  const trimmed = value.trim();
  if (trimmed !== value) {
    if (/[\r\n\t]/.test(value)) changes.push('the line breaks or tabs');
    else if (!changes.includes(INVISIBLE)) changes.push('the spaces at the ends');
    value = trimmed;
  }
  let stripped = true;
  while (stripped && value.length >= 2) {
    stripped = false;
    const first = value[0]!;
    const last = value[value.length - 1]!;
    if (QUOTES.includes(first) && QUOTES.includes(last)) {
      value = value.slice(1, -1).trim();
      changes.push('the quotes');
      stripped = true;
    } else if ((first === '{' && last === '}') || (first === '<' && last === '>') || (first === '[' && last === ']') || (first === '(' && last === ')')) {
      value = value.slice(1, -1).trim();
      changes.push('the brackets');
      stripped = true;
    }
  }
  return { value, changes: [...new Set(changes)], ...(labelText ? { label: labelText } : {}) };
}

export function isGuid(value: string): boolean {
  return GUID_RE.test(value);
}

/**
 * A GUID written without hyphens (32 hex digits) is unambiguous: put the hyphens back. Upper case is
 * as valid as lower case (GUIDs are case-insensitive); both come back in the portal's lower case.
 */
export function normaliseGuid(value: string): string | null {
  if (GUID_RE.test(value)) return value.toLowerCase();
  if (/^[0-9a-f]{32}$/i.test(value)) {
    const v = value.toLowerCase();
    return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
  }
  return null;
}

const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z]{2,63}$/i;
export function isDomain(value: string): boolean {
  return DOMAIN_RE.test(value);
}

const MAILBOX_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}$/;
export function isMailbox(value: string): boolean {
  if (!MAILBOX_RE.test(value)) return false;
  const [local] = value.split('@');
  return !local!.startsWith('.') && !local!.endsWith('.') && !local!.includes('..');
}

/** "Reception <reception@fabrikam.com>", "mailto:reception@fabrikam.com" → the address. */
export function cleanMailbox(raw: string): Cleaned {
  const base = cleanPasted(raw);
  let value = base.value;
  const changes = [...base.changes];
  const named = /^[^<>]*<\s*([^<>\s]+@[^<>\s]+)\s*>$/.exec(value);
  if (named) {
    value = named[1]!;
    changes.push('the display name');
  }
  if (/^mailto:/i.test(value)) {
    value = value.replace(/^mailto:/i, '');
    changes.push('"mailto:"');
  }
  return { value, changes };
}

/** Whether normalising changed more than the letter case (upper case is normalised silently). */
export function guidWasRewritten(written: string, guid: string): boolean {
  return written.toLowerCase() !== guid;
}

/** "a", "a and b", "a, b and c". */
export function listPhrase(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Something cleaning did besides removing characters, worded to stand alone or to follow a removal. */
export interface CleaningAction {
  /** The whole clause when nothing was removed, e.g. "added the hyphens a GUID is written with to the tenant". */
  alone: (what: string) => string;
  /** The clause after "Removed … from the <what> and …". */
  after: string;
}

export const ADDED_HYPHENS: CleaningAction = {
  alone: (what) => `added the hyphens a GUID is written with to the ${what}`,
  after: 'added the hyphens a GUID is written with',
};

/**
 * One sentence saying what cleaning did: "Removed the quotes and the brackets from the tenant and added
 * the hyphens a GUID is written with: now 4f1c….". `removed` are noun phrases, `actions` clauses.
 */
export function cleaningSentence(what: string, removed: readonly string[], actions: readonly CleaningAction[] = [], now?: string): string {
  const clauses: string[] = [];
  if (removed.length) clauses.push(`removed ${listPhrase(removed)} from the ${what}`, ...actions.map((a) => a.after));
  else if (actions.length) clauses.push(actions[0]!.alone(what), ...actions.slice(1).map((a) => a.after));
  const sentence = listPhrase(clauses);
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${now ? `: now ${now}` : ''}.`;
}
