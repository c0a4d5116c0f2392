/**
 * Removes secrets and tokens from any text before it is shown, logged or stored: the given secret
 * values in the forms they travel in (percent- and form-encoded, JSON-escaped once or twice, base64
 * and base64url, any letter case) and long cut-off fragments of them, JWTs, opaque consumer tokens, bearer tokens, SASL XOAUTH2 blobs, refresh tokens, and token-bearing fields of
 * JSON bodies and query strings.
 */
export const REDACTED = '[redacted]';

/**
 * A JSON `"code"` value that is an identifier, not an OAuth authorization code: a diagnosis code
 * (`target-bad-credentials`), an error name (`NotFound`, `ECONNREFUSED`, `ERR_TLS_CERT_ALTNAME_INVALID`),
 * an AADSTS number. Authorization codes are long opaque strings of mixed letters and digits.
 */
const IDENTIFIER_CODE = /^(?:[a-z]+(?:-[a-z0-9]+)*|[A-Z][a-z]+(?:[A-Z][a-z]+)*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*|AADSTS[0-9]{4,8})$/;
const codeField = (m: string, head: string, value: string, tail: string) => (value.length <= 64 && IDENTIFIER_CODE.test(value) ? m : `${head}${REDACTED}${tail}`);

const PATTERNS: [RegExp, string | ((m: string, ...groups: string[]) => string)][] = [
  // JSON fields and form/query parameters that carry secrets or tokens.
  [/("(?:access_token|refresh_token|id_token|client_secret|code_verifier|assertion|client_assertion|password|accessToken|refreshToken|idToken|secret|device_code)"\s*:\s*")[^"]*(")/g, `$1${REDACTED}$2`],
  // "code" in JSON: an authorization code is redacted, a diagnosis or error code is kept (scripts read it).
  [/("code"\s*:\s*")([^"]*)(")/g, (m, head, value, tail) => codeField(m, head!, value!, tail!)],
  [/\b((?:access_token|refresh_token|id_token|client_secret|code_verifier|code|assertion|client_assertion|password|device_code)=)[^&\s"']+/g, `$1${REDACTED}`],
  // SASL: AUTHENTICATE XOAUTH2 <b64>, AUTH XOAUTH2 <b64>, and any base64 of "user=..." on its own.
  [/\b((?:AUTHENTICATE|AUTH)\s+(?:XOAUTH2|OAUTHBEARER)\s+)\S+/gi, `$1${REDACTED}`],
  [/\b(?:dXNlcj|bixhPS|bixhP|bix1c2VyP)[A-Za-z0-9+/]{8,}={0,2}/g, REDACTED],
  // auth=Bearer <token> inside a decoded SASL string, and HTTP Authorization headers.
  [/\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1${REDACTED}`],
  // JWTs (header.payload.signature, signature may be empty for unsigned tokens).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Microsoft refresh tokens: organisational "0.A…" / "1.A…", consumer "M.C5…_…".
  [/\b[01]\.A[A-Za-z0-9_\-.~*!$]{20,}/g, REDACTED],
  [/\bM\.[A-Z0-9]{2,6}_[A-Za-z0-9_\-.~*!$]{20,}/g, REDACTED],
  // Microsoft account (consumer) access tokens are opaque, not JWTs: "EwA…", "EwB…", base64 with + and /.
  [/\bEw[A-Za-z0-9][A-Za-z0-9+/_-]{30,}={0,2}/g, REDACTED],
];

/** Long opaque base64url runs (mixed case letters and digits) that are not GUIDs or hex ids. */
const OPAQUE_RE = /[A-Za-z0-9_-]{40,}={0,2}/g;
/** Long standard-base64 runs: only with a "+" in them, so paths and URLs (with "/") stay readable. */
const OPAQUE_B64_RE = /[A-Za-z0-9+/]{40,}={0,2}/g;
/** A run this long that matches part of a secret (a truncated or cut-off copy) is redacted too. */
export const SECRET_FRAGMENT_MIN = 12;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The forms a secret takes on its way into a log line or an error text. */
function encodings(s: string): string[] {
  const json = JSON.stringify(s).slice(1, -1);
  const forms = [
    s,
    encodeURIComponent(s),
    new URLSearchParams({ v: s }).toString().slice(2), // form encoding: ~ as %7E, space as +
    [...new TextEncoder().encode(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    json,
    JSON.stringify(json).slice(1, -1),
    toBase64(s),
    toBase64(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ];
  return [...new Set(forms)].filter((f) => f.length >= 4);
}

/**
 * What redaction looks for, per secret, built once and kept for the next call (the relay redacts every log
 * record with the same few tokens): the whole forms (longest first, as case-insensitive patterns) and every
 * run of SECRET_FRAGMENT_MIN characters of each form long enough to have fragments, lower-cased.
 */
interface Literal {
  whole: { length: number; re: RegExp }[];
  grams: Set<string>;
}
const LITERALS = new Map<string, Literal>();
/** A handful of secrets are in use at once (the relay's token, its client secret); older ones are dropped. */
const LITERALS_KEPT = 32;

function literal(secret: string): Literal {
  const known = LITERALS.get(secret);
  if (known) return known;
  const forms = encodings(secret).sort((a, b) => b.length - a.length);
  const grams = new Set<string>();
  for (const form of forms) {
    if (form.length < SECRET_FRAGMENT_MIN + 4) continue;
    const lf = form.toLowerCase();
    for (let i = 0; i + SECRET_FRAGMENT_MIN <= lf.length; i++) grams.add(lf.slice(i, i + SECRET_FRAGMENT_MIN));
  }
  const made = { whole: forms.map((f) => ({ length: f.length, re: new RegExp(escapeRe(f), 'gi') })), grams };
  if (LITERALS.size >= LITERALS_KEPT) LITERALS.delete(LITERALS.keys().next().value!);
  LITERALS.set(secret, made);
  return made;
}

/**
 * Replaces whole encodings of each secret (any case) and long fragments of them (truncated copies): every
 * run of `text` that shares at least SECRET_FRAGMENT_MIN consecutive characters with a form of a secret.
 * A shared run of any length is covered by the windows of SECRET_FRAGMENT_MIN characters inside it, so one
 * pass over the text with a set lookup per position finds what a search per window of each secret found
 * (that cost a scan of the text per character of each form: about 1.5 KB of token, in 8 forms, per record).
 */
function redactLiterals(text: string, secrets: readonly string[]): string {
  if (!secrets.length) return text;
  const lits = secrets.map(literal);
  let out = text;
  // Whole copies first (longest first), then what is left of cut-off ones.
  for (const { re } of lits.flatMap((l) => l.whole).sort((a, b) => b.length - a.length)) out = out.replace(re, REDACTED);
  if (out.length < SECRET_FRAGMENT_MIN) return out;
  const lt = out.toLowerCase();
  const merged: [number, number][] = [];
  for (let p = 0; p + SECRET_FRAGMENT_MIN <= lt.length; p++) {
    const w = lt.slice(p, p + SECRET_FRAGMENT_MIN);
    if (!lits.some((l) => l.grams.has(w))) continue;
    const last = merged.at(-1);
    if (last && p <= last[1]) last[1] = p + SECRET_FRAGMENT_MIN;
    else merged.push([p, p + SECRET_FRAGMENT_MIN]);
  }
  for (const [a, b] of merged.reverse()) out = `${out.slice(0, a)}${REDACTED}${out.slice(b)}`;
  return out;
}

export function redact(text: string, secrets: readonly (string | undefined | null)[] = []): string {
  // each distinct secret once: the fragment search costs per entry (a token listed twice doubled it)
  const literals = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort((a, b) => b.length - a.length);
  let out = redactLiterals(String(text), literals);
  for (const [re, rep] of PATTERNS) out = typeof rep === 'string' ? out.replace(re, rep) : out.replace(re, rep as (m: string, ...g: string[]) => string);
  const mixed = (m: string) => /[a-z]/.test(m) && /[A-Z]/.test(m) && /[0-9]/.test(m);
  out = out.replace(OPAQUE_RE, (m) => (mixed(m) ? REDACTED : m));
  out = out.replace(OPAQUE_B64_RE, (m) => (m.includes('+') && mixed(m) ? REDACTED : m));
  return out;
}

/** Deep-redacts every string inside a JSON-like value. */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined | null)[] = []): T {
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets);
    return out as T;
  }
  return value;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** base64 of a UTF-8 string without Node's Buffer (shared/ runs in the renderer too). */
export function toBase64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : B64[c & 63]!;
  }
  return out;
}
