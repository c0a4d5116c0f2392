import { REGISTRATION_CODES } from './domains/registration.codes';
import { TARGET_CODES } from './domains/targets.codes';
import { KEEPALIVE_CODES } from './domains/keepalive.codes';
import { HARDENING_CODES } from './domains/hardening.codes';
import { FIELD_CODES } from './domains/field.codes';
import { RELAY_CODES } from './domains/relay.codes';
import type { CheckId } from '../checks';

export type EvidenceSource = 'sign-in' | 'token' | 'network' | 'imap' | 'pop' | 'smtp' | 'roundtrip' | 'graph' | 'internal';

/** What a failure left behind, after redaction. */
export interface Evidence {
  source: EvidenceSource;
  /** The raw server / library text, redacted. */
  text: string;
  aadsts?: string;
  traceId?: string;
  correlationId?: string;
  httpStatus?: number;
  retryAfterSeconds?: number;
  /** Node / library error code: ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED, EAUTH... */
  errno?: string;
  /** Protocol response code: 535, AUTHENTICATIONFAILED... */
  responseCode?: string;
  host?: string;
  port?: number;
  /** Set by the engine when it already knows the diagnosis (e.g. claims checks). */
  hint?: DiagnosisCode;
}

export interface FixStep {
  text: string;
  link?: { label: string; url: string };
  /** A setting of this app the step names, for a one-click button where the screen has it (issue 20). */
  action?: { id: 'sign-in-application-setting'; label: string };
  /** A command to copy (PowerShell), with the real values filled in. */
  command?: string;
}

export interface Diagnosis {
  code: DiagnosisCode;
  checkId?: CheckId;
  /** What happened, one line, no codes. */
  title: string;
  /** Why, in plain language, for these settings. */
  cause: string;
  fix: FixStep[];
  evidence: Evidence;
  /** The check may pass if run again later (throttling, timeouts). */
  transient: boolean;
}

export const DIAGNOSIS_CODES = [
  'aadsts-7000215-secret-id-pasted',
  'aadsts-7000215-invalid-secret',
  'aadsts-7000222-secret-expired',
  'aadsts-7000218-secret-required',
  'aadsts-700025-public-client-secret',
  'aadsts-700016-app-not-found',
  'aadsts-90002-tenant-not-found',
  'aadsts-50011-redirect-mismatch',
  'aadsts-500113-no-reply-address',
  'aadsts-65001-consent-required',
  'aadsts-50020-user-not-in-tenant',
  'aadsts-50194-single-tenant-on-common',
  'aadsts-70011-invalid-scope',
  'aadsts-650053-scope-not-on-resource',
  'aadsts-700022-multiple-resources',
  'aadsts-53003-conditional-access',
  'aadsts-50076-mfa-required',
  'aadsts-90072-external-mfa',
  'aadsts-700082-refresh-expired',
  'aadsts-54005-code-redeemed',
  'aadsts-501481-pkce-mismatch',
  'aadsts-50126-bad-password',
  'aadsts-700054-id-token-disabled',
  'aad-unauthorized-client-consumers',
  'aad-other',
  'sign-in-cancelled',
  'sign-in-state-mismatch',
  'sign-in-nonce-mismatch',
  'sign-in-required',
  'device-code-expired',
  'token-wrong-audience',
  'token-missing-scope',
  'token-missing-role',
  'token-wrong-tenant',
  'signed-in-wrong-account',
  'imap-auth-failed',
  'imap-app-only-not-registered',
  'imap-wrong-account',
  'imap-disabled',
  'pop-auth-failed',
  'pop-app-only-role-missing',
  'pop-app-only-not-registered',
  'pop-xoauth2-refused',
  'smtp-auth-disabled-tenant',
  'smtp-auth-disabled-mailbox',
  'smtp-security-defaults',
  'smtp-auth-unsuccessful',
  'smtp-client-not-authenticated',
  'smtp-send-as-denied',
  'smtp-basic-auth-rejected',
  'roundtrip-not-arrived',
  'graph-unauthorized',
  'graph-forbidden',
  'graph-mailbox-not-found',
  'network-dns',
  'network-refused',
  'network-timeout',
  'network-black-hole',
  'network-reset',
  'network-proxy',
  'tls-untrusted',
  'tls-expired',
  'tls-hostname',
  'throttled',
  'unrecognised',
  // Domain codes, each domain in its own file under domains/ (codes + entries).
  ...REGISTRATION_CODES,
  ...TARGET_CODES,
  ...KEEPALIVE_CODES,
  ...HARDENING_CODES,
  ...FIELD_CODES,
  ...RELAY_CODES,
] as const;
export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];
