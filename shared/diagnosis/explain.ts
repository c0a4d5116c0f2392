/**
 * explain(text): any error text a person pastes (a whole dialog, log lines, JSON from Graph or from the
 * token endpoint, the message a target system wraps around Microsoft's answer) → the diagnoses it
 * contains, most specific first (issue 20). Pure: shared by `mail-oauth explain` and the app's
 * "Paste an error" panel. Every fragment goes through diagnose(), so classification and redaction are
 * the same as for a failed check; nothing here is a second catalogue.
 */
import type { Profile } from '../profile';
import { diagnose } from './diagnose';
import { aadErrorLookupUrl } from './domains/hardening';
import { redact } from './redact';
import type { Diagnosis, DiagnosisCode, EvidenceSource } from './types';

export interface ExplainOptions {
  /** Fills the fixes' placeholders (mailbox, client ID, tenant, flow). */
  profile?: Partial<Profile>;
  /** Values to redact from everything shown (the profile's secret when known). */
  secrets?: readonly (string | undefined)[];
  /** The client the failed sign-in went to, when known (the administrator's bootstrap client). */
  signInClientId?: string;
}

export interface Explanation {
  /** Recognised diagnoses, most specific first. Empty when nothing was recognised. */
  diagnoses: Diagnosis[];
  /** Every AADSTS number in the text, with Microsoft's own lookup page (for what is not recognised). */
  aadsts: Array<{ code: string; lookup: string }>;
  recognised: boolean;
}

/** The longest text looked at: a whole log is fine, a memory dump is not. */
export const EXPLAIN_MAX_CHARS = 200_000;

/** Codes that only say "something in this family failed": dropped when a more specific one of the family is there. */
const GENERIC: Partial<Record<DiagnosisCode, RegExp>> = {
  'aad-other': /^aadsts-|^aad-unauthorized/,
  'smtp-auth-unsuccessful': /^smtp-(?!client-not-authenticated)/,
  'imap-auth-failed': /^imap-|^token-wrong-audience/,
  'graph-forbidden': /^graph-(?!unauthorized)/,
  'graph-mailbox-not-found': /^graph-mailbox-not-rest-enabled|^graph-app-access-policy/,
  'network-timeout': /^network-|^tls-/,
};
/** Follow-on texts: true but less telling than what caused them (a 5.7.57 after a failed AUTH). */
const SECONDARY = new Set<DiagnosisCode>(['smtp-client-not-authenticated', 'network-timeout', 'network-reset', 'throttled']);
const NOT_RECOGNISED = new Set<DiagnosisCode>(['unrecognised', 'aad-other']);

const ERRNO = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\b/;

/** Where a fragment most likely comes from, so the protocol-specific rules apply. */
function sourceOf(t: string): EvidenceSource {
  if (/AADSTS\d/.test(t)) return 'sign-in';
  if (/graph\.microsoft|"error"\s*:\s*\{|\b(?:ErrorAccessDenied|ErrorInvalidUser|InvalidAuthenticationToken|Authorization_RequestDenied|ResourceNotFound|MailboxNotEnabledForRESTAPI)\b/.test(t)) return 'graph';
  if (/\b[2345]\d\d[ -][2345]\.\d{1,3}\.\d{1,3}\b|\bSMTP\b|STOREDRV|smtplib|EAUTH|EENVELOPE|EMESSAGE/i.test(t)) return 'smtp';
  if (/(?:^|\s)(?:\*|[A-Z]?\d+|A\d+) (?:OK|NO|BAD)\b|\bIMAP\b|AUTHENTICATE|AUTHENTICATIONFAILED/.test(t)) return 'imap';
  if (/-ERR\b|\bPOP3?\b/.test(t)) return 'imap';
  return 'internal';
}

function httpStatusOf(t: string): number | undefined {
  const m = /"(?:status|statusCode)"\s*:\s*(\d{3})\b|\bHTTP(?:\/\d(?:\.\d)?)?\s*(\d{3})\b|\b(\d{3}) (?:Forbidden|Unauthorized|Not Found|Too Many Requests)\b/i.exec(t);
  const v = m ? Number(m[1] ?? m[2] ?? m[3]) : NaN;
  return Number.isFinite(v) ? v : undefined;
}

/** Every string inside any JSON object or array found in the text (a Graph body, a token-endpoint answer, a target's error). */
function jsonStrings(text: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 8 || out.length > 500) return;
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // Graph: {"error":{"code":"ErrorInvalidUser","message":"…"}}: the code and its message belong together.
      if (typeof o.code === 'string' && typeof o.message === 'string') out.push(`${o.code}: ${o.message}`);
      if (typeof o.error === 'string' && typeof o.error_description === 'string') out.push(`${o.error}: ${o.error_description}`);
      Object.values(o).forEach((x) => walk(x, depth + 1));
    }
  };
  for (let start = text.indexOf('{'); start >= 0 && out.length < 500; start = text.indexOf('{', start + 1)) {
    const end = text.lastIndexOf('}');
    if (end <= start) break;
    try {
      walk(JSON.parse(text.slice(start, end + 1)), 0);
      break;
    } catch {
      // Not JSON from here: try the next brace.
    }
  }
  return out;
}

/** The pieces of the text each diagnosed on its own: each AADSTS message, each line, each JSON string, the whole. */
export function fragments(raw: string): string[] {
  const text = raw.slice(0, EXPLAIN_MAX_CHARS).replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\\"/g, '"').replace(/\\'/g, "'");
  const out: string[] = [];
  const aad = [...text.matchAll(/AADSTS\d{5,7}/g)];
  aad.forEach((m, i) => {
    const start = m.index!;
    const next = aad[i + 1]?.index ?? text.length;
    out.push(text.slice(start, Math.min(next, start + 1500)));
  });
  for (const s of jsonStrings(text)) if (!/AADSTS\d/.test(s)) out.push(s);
  for (const line of text.split(/\r?\n/)) if (line.trim() && !/AADSTS\d/.test(line)) out.push(line.trim());
  out.push(text);
  return [...new Set(out)];
}

export function explain(text: string, opts: ExplainOptions = {}): Explanation {
  const profile = opts.profile ?? {};
  const secrets = [...(opts.secrets ?? [])];
  const found: Array<{ d: Diagnosis; order: number }> = [];
  const seen = new Set<DiagnosisCode>();
  fragments(text).forEach((frag, order) => {
    const errno = ERRNO.exec(frag)?.[1];
    const status = httpStatusOf(frag);
    const d = diagnose(
      { source: sourceOf(frag), text: frag, ...(errno ? { errno } : {}), ...(status ? { httpStatus: status } : {}) },
      { profile, secrets, ...(opts.signInClientId ? { signInClientId: opts.signInClientId } : {}) },
    );
    if (d.code === 'unrecognised' || seen.has(d.code)) return;
    // The whole text (last fragment) only adds what no single piece showed.
    seen.add(d.code);
    found.push({ d, order });
  });
  const codes = found.map((f) => f.d.code);
  const kept = found.filter(({ d }) => {
    const family = GENERIC[d.code];
    return !family || !codes.some((c) => c !== d.code && family.test(c));
  });
  const rank = (c: DiagnosisCode) => (NOT_RECOGNISED.has(c) ? 3 : GENERIC[c] ? 2 : SECONDARY.has(c) ? 1 : 0);
  kept.sort((a, b) => rank(a.d.code) - rank(b.d.code) || a.order - b.order);
  const numbers = [...new Set([...text.slice(0, EXPLAIN_MAX_CHARS).matchAll(/AADSTS(\d{5,7})/g)].map((m) => m[1]!))];
  const diagnoses = kept.map((k) => k.d);
  return {
    diagnoses,
    aadsts: numbers.map((code) => ({ code: redact(code), lookup: aadErrorLookupUrl(code) })),
    recognised: diagnoses.some((d) => !NOT_RECOGNISED.has(d.code)),
  };
}
