/**
 * Removes secrets and tokens from any text before it is shown, logged or stored: the given secret
 * values, JWTs, bearer tokens, SASL XOAUTH2 blobs, refresh tokens, and token-bearing fields of
 * JSON bodies and query strings.
 */
export const REDACTED = '[redacted]';

const PATTERNS: [RegExp, string][] = [
  // JSON fields and form/query parameters that carry secrets or tokens.
  [/("(?:access_token|refresh_token|id_token|client_secret|code_verifier|code|assertion|client_assertion|password|accessToken|refreshToken|idToken|secret|device_code)"\s*:\s*")[^"]*(")/g, `$1${REDACTED}$2`],
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
];

/** Long opaque base64url runs (mixed case letters and digits) that are not GUIDs or hex ids. */
const OPAQUE_RE = /[A-Za-z0-9_-]{40,}={0,2}/g;

export function redact(text: string, secrets: readonly (string | undefined | null)[] = []): string {
  let out = String(text);
  const literals = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of literals) {
    out = out.split(s).join(REDACTED);
    const b64 = toBase64(s);
    if (b64.length >= 8) out = out.split(b64).join(REDACTED);
    const enc = encodeURIComponent(s);
    if (enc !== s) out = out.split(enc).join(REDACTED);
  }
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  out = out.replace(OPAQUE_RE, (m) => (/[a-z]/.test(m) && /[A-Z]/.test(m) && /[0-9]/.test(m) ? REDACTED : m));
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
