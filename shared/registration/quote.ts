/**
 * Quoting for the commands and scripts we hand to administrators. Every value that comes from a
 * profile (display name, mailbox, redirect URI) goes through one of these, so a hostile value can
 * never become code.
 */

/**
 * A PowerShell single-quoted string literal. PowerShell treats the typographic quotes U+2018..U+201B
 * as single quotes too (about_Quoting_Rules), so each of them is doubled like `'`.
 */
export function psQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

/** A POSIX sh single-quoted word: `'` becomes `'\''`. Nothing inside single quotes is special. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** An OData string literal for $filter: `'` doubled. */
export function odataQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The inside of a JSON string (without the surrounding quotes). */
export function jsonInner(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string | null | undefined): value is string {
  return !!value && GUID.test(value.trim());
}
