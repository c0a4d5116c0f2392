import { describe, expect, it } from 'vitest';
import { redact, SECRET_FRAGMENT_MIN } from '../../../../shared/diagnosis/redact';

// What redact() caught before its fragment search was made a single pass (a set of the secret's windows,
// built once per secret, instead of a scan of the text per window): the whole secret in each form it travels
// in (as is, percent-encoded, form-encoded, every byte percent-encoded, JSON-escaped once and twice, base64,
// base64url), in any letter case, and any cut-off piece of one of those forms of SECRET_FRAGMENT_MIN (12)
// characters or more, wherever it stands. The oracle below is independent of redact.ts: it derives the forms
// with Node's own encoders and looks for every 12-character window of each, by brute force.

/** Deterministic (mulberry32), so that a failure names a case that can be run again. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(22);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const b64url = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256))).toString('base64url');

/** An access token the size Microsoft's are (about 1.5 KB, a JWT), and a client secret with characters that encode. */
const TOKEN = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${b64url(900)}.${b64url(256)}`;
const CLIENT_SECRET = 'Qx7~"back\\slash/and tilde_é.0123456789-Sec';
const SECRETS = [TOKEN, CLIENT_SECRET];

function forms(s: string): string[] {
  const json = JSON.stringify(s).slice(1, -1);
  const b64 = Buffer.from(s).toString('base64');
  return [
    s,
    encodeURIComponent(s),
    new URLSearchParams({ v: s }).toString().slice(2),
    [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    json,
    JSON.stringify(json).slice(1, -1),
    b64,
    Buffer.from(s).toString('base64url'),
  ];
}
const FORMS = SECRETS.flatMap(forms);

/** The first window of SECRET_FRAGMENT_MIN characters of any form (any case) still in `out`, or undefined. */
function leaked(out: string): string | undefined {
  const lo = out.toLowerCase();
  for (const f of FORMS) {
    const lf = f.toLowerCase();
    for (let i = 0; i + SECRET_FRAGMENT_MIN <= lf.length; i++) if (lo.includes(lf.slice(i, i + SECRET_FRAGMENT_MIN))) return lf.slice(i, i + SECRET_FRAGMENT_MIN);
  }
  return undefined;
}

const FILLER = ['error: ', ' at line 3 ', '"detail":"', '; ', ' (', ') ', '\n', ' upstream said ', '...', '=', ' '];
const cased = (s: string) => pick([(x: string) => x, (x: string) => x.toUpperCase(), (x: string) => x.toLowerCase()])(s);
/** A cut-off piece of a form: 12 to 39 characters (below the opaque-token patterns' 40), sometimes longer. */
function piece(): string {
  const f = pick(FORMS);
  const len = Math.min(f.length, rand() < 0.8 ? SECRET_FRAGMENT_MIN + Math.floor(rand() * 28) : SECRET_FRAGMENT_MIN + Math.floor(rand() * 300));
  const at = Math.floor(rand() * (f.length - len + 1));
  return cased(f.slice(at, at + len));
}

describe('redaction of cut-off and encoded pieces of secrets', () => {
  it('a piece of exactly 12 characters of the secret, at the very start and the very end of the text', () => {
    const p = CLIENT_SECRET.slice(3, 3 + SECRET_FRAGMENT_MIN);
    expect(redact(p, SECRETS)).toBe('[redacted]');
    expect(redact(`x ${p}`, SECRETS)).toBe('x [redacted]');
    expect(redact(`${p} x`, SECRETS)).toBe('[redacted] x');
  });

  it('every whole form, in any case, is gone', () => {
    for (const f of FORMS) for (const c of [f, f.toUpperCase(), f.toLowerCase()]) expect(leaked(redact(`before ${c} after`, SECRETS)), c.slice(0, 40)).toBeUndefined();
  });

  it('400 texts of filler and pieces of the forms (1 to 4 pieces, some side by side, some cut into each other): no 12 characters of a form survive', () => {
    for (let n = 0; n < 400; n++) {
      const parts: string[] = [];
      const count = 1 + Math.floor(rand() * 4);
      if (rand() < 0.5) parts.push(pick(FILLER));
      for (let k = 0; k < count; k++) {
        parts.push(piece());
        if (rand() < 0.6) parts.push(pick(FILLER));
      }
      const text = parts.join('');
      const out = redact(text, SECRETS);
      expect(leaked(out), `case ${n}: ${JSON.stringify(text).slice(0, 300)}`).toBeUndefined();
    }
  });

  it('a secret given twice, or with an unrelated secret, changes nothing; text around the pieces stays readable', () => {
    const p = TOKEN.slice(100, 130);
    const text = `Microsoft said: token ${p} was refused (AADSTS50013)`;
    const once = redact(text, SECRETS);
    expect(redact(text, [...SECRETS, TOKEN, 'unrelated-secret-value-xyz'])).toBe(once);
    expect(once).toBe('Microsoft said: token [redacted] was refused (AADSTS50013)');
  });
});
