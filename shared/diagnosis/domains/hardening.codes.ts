/** Sign-in failures and hostile input found by the security review (AADSTS codes and validation). Stable codes: never rename one once released. */
export const HARDENING_CODES = [
  // The sign-in failures users report most that had no diagnosis of their own (REGISTRATION-FACTS.md section 5).
  'aadsts-50105-user-not-assigned',
  'aadsts-500112-reply-address-scheme-port',
  'aadsts-900971-no-reply-address',
  'aadsts-90023-public-client-secret',
  'aadsts-70043-sign-in-frequency',
  'aadsts-650057-resource-not-allowed',
  'aadsts-65002-first-party-preauthorization',
] as const;
export type HardeningCode = (typeof HARDENING_CODES)[number];
