/**
 * Texts from the field (issue 20): error texts people paste from their own systems, mapped from public
 * threads, and the administrator's sign-in to the bootstrap client. Stable codes: never rename one once released.
 */
export const FIELD_CODES = [
  'aadsts-50105-admin-tool-not-assigned',
  'aadsts-53003-admin-tool-blocked',
  'aadsts-530084-token-protection',
  'aadsts-7000112-app-disabled',
  'aadsts-9002313-request-malformed',
  'aadsts-70000-grant-invalid',
  'aadsts-900144-parameter-missing',
  'smtp-app-only-mailbox-logon-failed',
  'graph-mailbox-not-rest-enabled',
  'graph-app-access-policy-blocked',
  'imap-basic-auth-rejected',
] as const;
export type FieldCode = (typeof FIELD_CODES)[number];
