import type { CheckId } from '../checks';
import type { Profile } from '../profile';
import { isGuid } from '../validation/clean';
import { catalogueEntry, type CatalogueContext } from './catalogue';
import { redact } from './redact';
import { GRAPH_CLI_TOOLS_ID } from './domains/field';
import type { Diagnosis, DiagnosisCode, Evidence, EvidenceSource } from './types';

export interface DiagnoseContext {
  profile: Partial<Profile>;
  check?: CheckId;
  /** Values to redact (secret, tokens). The secret value also tells a Secret ID apart. */
  secrets?: readonly (string | undefined)[];
  secretValue?: string;
  /** Account that signed in, from the token. */
  signedInAs?: string;
  signInHost?: string;
  /** The client the sign-in went to when it is not the profile's (the administrator's bootstrap client). */
  signInClientId?: string;
  /** Where the failure came from when no check names it: 'pop' for the relay's POP proxy (its own codes). */
  source?: EvidenceSource;
}

const AADSTS: Record<string, DiagnosisCode> = {
  '7000222': 'aadsts-7000222-secret-expired',
  '7000218': 'aadsts-7000218-secret-required',
  '700025': 'aadsts-700025-public-client-secret',
  '700016': 'aadsts-700016-app-not-found',
  '90002': 'aadsts-90002-tenant-not-found',
  '50011': 'aadsts-50011-redirect-mismatch',
  '500113': 'aadsts-500113-no-reply-address',
  '65001': 'aadsts-65001-consent-required',
  // "needs permission ... that only an admin can grant": consent missing and users may not consent.
  '90094': 'aadsts-65001-consent-required',
  '90095': 'aadsts-65001-consent-required',
  '50020': 'aadsts-50020-user-not-in-tenant',
  '50194': 'aadsts-50194-single-tenant-on-common',
  '70011': 'aadsts-70011-invalid-scope',
  '650053': 'aadsts-650053-scope-not-on-resource',
  '700022': 'aadsts-700022-multiple-resources',
  '53003': 'aadsts-53003-conditional-access',
  '530035': 'aadsts-53003-conditional-access',
  '53000': 'aadsts-53003-conditional-access',
  '50076': 'aadsts-50076-mfa-required',
  '50079': 'aadsts-50076-mfa-required',
  '90072': 'aadsts-90072-external-mfa',
  '700082': 'aadsts-700082-refresh-expired',
  '50173': 'aadsts-700082-refresh-expired',
  '54005': 'aadsts-54005-code-redeemed',
  '501481': 'aadsts-501481-pkce-mismatch',
  '50126': 'aadsts-50126-bad-password',
  '700054': 'aadsts-700054-id-token-disabled',
  '70000': 'aadsts-700082-refresh-expired',
  // Gaps closed for issue 13 (REGISTRATION-FACTS.md section 5), entries in domains/hardening.ts.
  '50105': 'aadsts-50105-user-not-assigned',
  '500112': 'aadsts-500112-reply-address-scheme-port',
  '900971': 'aadsts-900971-no-reply-address',
  '90023': 'aadsts-90023-public-client-secret',
  '70043': 'aadsts-70043-sign-in-frequency',
  '650057': 'aadsts-650057-resource-not-allowed',
  '65002': 'aadsts-65002-first-party-preauthorization',
  // Texts from the field (issue 20), entries in domains/field.ts.
  '530084': 'aadsts-530084-token-protection',
  '7000112': 'aadsts-7000112-app-disabled',
  '9002313': 'aadsts-9002313-request-malformed',
  '900144': 'aadsts-900144-parameter-missing',
  // "The provided request must include a 'client_secret' input parameter": a Web (confidential) registration.
  '70002': 'aadsts-7000218-secret-required',
};

/** The administrator's sign-in to Microsoft Graph Command Line Tools: Microsoft names it in 50105/7000112 texts. */
function bootstrapClient(t: string, ctx: DiagnoseContext): boolean {
  return ctx.signInClientId?.trim().toLowerCase() === GRAPH_CLI_TOOLS_ID || t.toLowerCase().includes(GRAPH_CLI_TOOLS_ID) || /Microsoft Graph Command Line Tools/i.test(t);
}

const TLS_UNTRUSTED = ['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE'];

function prop(o: unknown, k: string): unknown {
  return o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
}
const s = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Turns anything thrown (Node, imapflow, nodemailer, msal, fetch) into Evidence; not yet redacted. */
export function toEvidence(error: unknown, source: EvidenceSource = 'internal'): Evidence {
  if (error && typeof error === 'object' && 'source' in error && 'text' in error) return { ...(error as Evidence) };
  const parts: string[] = [];
  const ev: Evidence = { source, text: '' };
  let cur: unknown = error;
  for (let depth = 0; cur && depth < 4; depth++, cur = prop(cur, 'cause')) {
    const errno = s(prop(cur, 'code'));
    if (errno && !ev.errno && /^[A-Z_]+$/.test(errno)) ev.errno = errno;
    const msal = s(prop(cur, 'errorCode'));
    const msg = s(prop(cur, 'errorMessage')) ?? s(prop(cur, 'message'));
    if (msal && msal !== errno) parts.push(msal);
    if (msg) parts.push(msg);
    const resp = s(prop(cur, 'response'));
    if (resp) parts.push(resp);
    const respText = s(prop(cur, 'responseText'));
    if (respText) parts.push(respText);
    const rc = s(prop(cur, 'responseCode')) ?? s(prop(cur, 'serverResponseCode'));
    if (rc && !ev.responseCode) ev.responseCode = rc;
    const status = prop(cur, 'status') ?? prop(cur, 'httpStatus');
    if (typeof status === 'number' && !ev.httpStatus) ev.httpStatus = status;
    const corr = s(prop(cur, 'correlationId'));
    if (corr && !ev.correlationId) ev.correlationId = corr;
    const host = s(prop(cur, 'hostname')) ?? s(prop(cur, 'host')) ?? s(prop(cur, 'address'));
    if (host && !ev.host) ev.host = host;
    const port = prop(cur, 'port');
    if (typeof port === 'number' && !ev.port) ev.port = port;
    const hint = s(prop(cur, 'hint'));
    if (hint && !ev.hint) ev.hint = hint as DiagnosisCode;
    const ra = prop(cur, 'retryAfterSeconds');
    if (typeof ra === 'number') ev.retryAfterSeconds = ra;
  }
  if (!parts.length) parts.push(typeof error === 'string' ? error : String(error));
  ev.text = [...new Set(parts)].join(' | ');
  return ev;
}

/** Finds the AADSTS number, trace id and correlation id in a server text. */
function parseAad(ev: Evidence): void {
  const m = /AADSTS(\d{5,7})/.exec(ev.text);
  if (m && !ev.aadsts) ev.aadsts = m[1];
  const trace = /Trace ID:\s*([0-9a-f-]{36})/i.exec(ev.text);
  if (trace && !ev.traceId) ev.traceId = trace[1];
  const corr = /Correlation ID:\s*([0-9a-f-]{36})/i.exec(ev.text);
  if (corr && !ev.correlationId) ev.correlationId = corr[1];
}

export function classify(ev: Evidence, ctx: DiagnoseContext): DiagnosisCode {
  if (ev.hint) return ev.hint;
  const t = ev.text;
  const flow = ctx.profile.flow ?? 'delegated';
  if (ev.httpStatus === 429 || ev.httpStatus === 503) return 'throttled';
  if (ev.aadsts) {
    if (ev.aadsts === '700027') return /expired/i.test(t) ? 'aadsts-700027-certificate-expired' : /invalid signature|did not match/i.test(t) ? 'aadsts-700027-signature-invalid' : 'aadsts-700027-certificate-unknown';
    if (ev.aadsts === '700024') return 'aadsts-700024-assertion-time';
    if (ev.aadsts === '7000215') return ctx.secretValue && isGuid(ctx.secretValue.trim()) ? 'aadsts-7000215-secret-id-pasted' : 'aadsts-7000215-invalid-secret';
    // The administrator's bootstrap client (issue 20): the fix is on that client, not on the connection's app.
    if (bootstrapClient(t, ctx)) {
      if (ev.aadsts === '50105') return 'aadsts-50105-admin-tool-not-assigned';
      if (['53003', '53000', '530035', '530084'].includes(ev.aadsts)) return 'aadsts-53003-admin-tool-blocked';
    }
    // AADSTS70000 is "unauthorized or expired scopes" for a grant; the expired refresh token has its own codes (700082, 50173).
    if (ev.aadsts === '70000') return /scopes? requested are unauthorized|grant the client application access/i.test(t) ? 'aadsts-70000-grant-invalid' : 'aadsts-700082-refresh-expired';
    return AADSTS[ev.aadsts] ?? 'aad-other';
  }
  if (/unauthorized_client/i.test(t) && /consumers/i.test(t)) return 'aad-unauthorized-client-consumers';
  if (/state_mismatch|state (?:does not|did not) match/i.test(t)) return 'sign-in-state-mismatch';
  if (/nonce_mismatch|nonce (?:does not|did not) match/i.test(t)) return 'sign-in-nonce-mismatch';
  if (/expired_token|device_code_expired/i.test(t)) return 'device-code-expired';
  if (/\b429\b.*Too Many|throttl/i.test(t)) return 'throttled';

  const errno = ev.errno ?? '';
  if (errno === 'CERT_HAS_EXPIRED' || /certificate has expired/i.test(t)) return 'tls-expired';
  if (errno === 'ERR_TLS_CERT_ALTNAME_INVALID' || /Hostname\/IP does not match|altnames/i.test(t)) return 'tls-hostname';
  if (TLS_UNTRUSTED.includes(errno) || /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate/i.test(t)) return 'tls-untrusted';
  if (errno === 'ENOTFOUND' || errno === 'EAI_AGAIN' || /getaddrinfo/i.test(t)) return 'network-dns';
  if (errno === 'ECONNREFUSED') return 'network-refused';
  if (errno === 'ECONNRESET' || errno === 'EPIPE') return 'network-reset';
  if (/proxy/i.test(t) && /(407|refused|failed|CONNECT)/i.test(t)) return 'network-proxy';
  if (errno === 'ETIMEDOUT' || errno === 'ECONNECTIONTIMEOUT' || errno === 'ESOCKET' && /timeout/i.test(t) || errno === 'ABORT_ERR' || /timed? ?out/i.test(t)) return 'network-timeout';

  // SMTP answers (nodemailer puts the full line in `response`).
  // App-only SMTP without a right on the mailbox (simonrob/email-oauth2-proxy#271).
  if (/MapiExceptionLogonFailed|\b4\.2\.0 STOREDRV;? mailbox logon failure/i.test(t)) return 'smtp-app-only-mailbox-logon-failed';
  if (/5\.7\.60\b|not have permissions? to send as this sender/i.test(t)) return 'smtp-send-as-denied';
  if (/SmtpClientAuthentication is disabled for the Tenant/i.test(t) || (/5\.7\.139/.test(t) && /disabled for the Tenant/i.test(t))) return 'smtp-auth-disabled-tenant';
  if (/5\.7\.139/.test(t) && /disabled for the Mailbox/i.test(t)) return 'smtp-auth-disabled-mailbox';
  if (/5\.7\.139/.test(t) && /security defaults/i.test(t)) return 'smtp-security-defaults';
  if (/5\.7\.30/.test(t) || /Basic authentication is not supported/i.test(t)) return 'smtp-basic-auth-rejected';
  if (/5\.7\.139/.test(t) && /basic authentication is disabled/i.test(t)) return 'smtp-basic-auth-disabled';
  if (/5\.7\.57/.test(t) || /Client not authenticated/i.test(t)) return 'smtp-client-not-authenticated';
  if (/SendAsDenied/i.test(t)) return 'smtp-send-as-denied';
  if (/\b535\b|5\.7\.3\b|5\.7\.139/.test(t) || (ev.source === 'smtp' && /EAUTH/.test(errno))) return 'smtp-auth-unsuccessful';

  // POP answers (the relay's POP proxy). Exchange answers every refused POP sign-in with the same text
  // ("-ERR Authentication failure: unknown user name or bad password.", Microsoft's OAuth page for IMAP/POP/
  // SMTP): app-only, a token without POP.AccessAsApp is told apart from its claims (the proxy's hint).
  if (ev.source === 'pop') {
    if (/-ERR Authentication failure/i.test(t)) return flow === 'app-only' ? 'pop-app-only-not-registered' : 'pop-auth-failed';
    if (/^POP (?:greeting|AUTH XOAUTH2):/.test(t)) return 'pop-xoauth2-refused';
    return 'unrecognised'; // never an IMAP reading of a POP answer
  }
  // IMAP / POP answers.
  if (/User is authenticated but not connected/i.test(t)) return 'imap-wrong-account';
  if (/IMAP (?:is )?disabled|ImapEnabled|not enabled for IMAP/i.test(t)) return 'imap-disabled';
  if (/-ERR Authentication failure/i.test(t)) return 'pop-auth-failed';
  // A password login (IMAP LOGIN), refused since Basic auth for IMAP/POP was turned off (issue 20).
  if (/\bLOGIN failed\b/.test(t)) return 'imap-basic-auth-rejected';
  if (/AUTHENTICATE failed|AUTHENTICATIONFAILED|Authentication failed/i.test(t) || (ev.source === 'imap' && /authenticationFailed/i.test(t))) {
    return flow === 'app-only' && ev.source === 'imap' ? 'imap-app-only-not-registered' : 'imap-auth-failed';
  }

  // Graph answers. These two name themselves wherever they are pasted from.
  if (/MailboxNotEnabledForRESTAPI|REST API is not yet supported for this mailbox|inactive, soft-deleted, or (?:is )?hosted on-premise/i.test(t)) return 'graph-mailbox-not-rest-enabled';
  if (/AppOnly AccessPolicy|ApplicationAccessPolicy|Access to OData is disabled/i.test(t)) return 'graph-app-access-policy-blocked';
  if (/ErrorInvalidUser|The requested user '[^']*' is invalid/i.test(t)) return 'graph-mailbox-not-found';
  if (ev.source === 'graph' || /graph/i.test(ev.host ?? '')) {
    if (ev.httpStatus === 401 || /InvalidAuthenticationToken/i.test(t)) return 'graph-unauthorized';
    if (ev.httpStatus === 404 || /ErrorInvalidUser|MailboxNotEnabledForRESTAPI|ResourceNotFound/i.test(t)) return 'graph-mailbox-not-found';
    if (ev.httpStatus === 403 || /ErrorAccessDenied|Access is denied|Authorization_RequestDenied/i.test(t)) return 'graph-forbidden';
  }
  return 'unrecognised';
}

/**
 * Maps a failure to its diagnosis: a stable code, what happened, why, the fix for these settings,
 * and the redacted evidence. Unknown failures give 'unrecognised' with the raw redacted text.
 */
export function diagnose(error: unknown, context: DiagnoseContext): Diagnosis {
  const source: EvidenceSource = context.source ?? (context.check === 'roundtrip' ? 'roundtrip' : context.check === 'token' ? 'sign-in' : (context.check ?? 'internal'));
  const ev = toEvidence(error, source);
  parseAad(ev);
  const code = classify(ev, context);
  const secrets = [...(context.secrets ?? []), context.secretValue];
  const evidence: Evidence = { ...ev, text: redact(ev.text, secrets) };
  if (evidence.host) evidence.host = redact(evidence.host, secrets);
  const p = context.profile;
  const cctx: CatalogueContext = {
    mailbox: p.mailbox ?? '',
    clientId: p.clientId ?? '',
    tenant: p.tenant ?? '',
    signInHost: context.signInHost ?? p.endpoints?.signInHost ?? 'login.microsoftonline.com',
    flow: p.flow ?? 'delegated',
    api: p.api ?? 'imap-smtp',
    target: p.target ?? 'generic',
    evidence,
    ...(p.targetInputs?.redirectUri ? { redirectUri: p.targetInputs.redirectUri } : {}),
    ...(context.signedInAs ? { signedInAs: context.signedInAs } : {}),
  };
  const entry = catalogueEntry(code);
  return {
    code,
    ...(context.check ? { checkId: context.check } : {}),
    title: entry.title(cctx),
    cause: entry.cause(cctx),
    fix: entry.fix(cctx).map((step) => ({ ...step, text: redact(step.text, secrets), ...(step.command ? { command: redact(step.command, secrets) } : {}) })),
    evidence,
    transient: entry.transient ?? false,
  };
}
