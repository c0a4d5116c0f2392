import { ExportError } from '../types';

/**
 * Quoting for exports that a shell reads (.env files that are sourced, curl scripts that are pasted).
 * Every value goes in single quotes, where sh gives no character a meaning; control characters (a
 * newline ends a comment line and starts a command) are refused instead of written; URLs must be
 * plain http(s) URLs without characters a shell or a URL parser would treat specially.
 */

/** A POSIX sh single-quoted word: `'` becomes `'\''`. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Refuses a value holding a control character: such a value has no safe place in a shell file. */
export function assertPrintable(what: string, value: string): string {
  if (CONTROL.test(value)) throw new ExportError('unsafe-value', `${what} contains a line break or another control character; remove it and export again.`);
  return value;
}

/** Characters a URL in a shell export may hold: RFC 3986 unreserved, reserved and %, minus quotes and `$`. */
const URL_SAFE = /^[A-Za-z0-9\-._~:/?#[\]@!&()*+,;=%]+$/;

/** A plain http(s) URL, as typed, or an ExportError saying why not. */
export function assertSafeUrl(what: string, value: string): string {
  assertPrintable(what, value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ExportError('unsafe-value', `${what} is not a web address.`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !URL_SAFE.test(value))
    throw new ExportError('unsafe-value', `${what} (${value}) must be a plain http(s) address without quotes, spaces, $, backticks or a user name.`);
  return value;
}
