/** The app registration itself, read and changed through Microsoft Graph (registration engine). Stable codes: never rename one once released. */
// --- Graph errors, admin sign-in and apply (engine: electron/engine/registration) ---
export const REGISTRATION_ENGINE_CODES = [
  'registration-role-required',
  'registration-users-cannot-register',
  'registration-secret-not-allowed',
  'registration-secret-lifetime',
  'registration-audience-not-allowed',
  'registration-token-version',
  'registration-throttled',
  'registration-replication-timeout',
  'registration-graph-error',
  'registration-step-not-attempted',
  'registration-cancelled',
  'registration-admin-consent-needed',
] as const;
export type RegistrationEngineCode = (typeof REGISTRATION_ENGINE_CODES)[number];
// --- end of engine block ---

// --- Lint findings: desired vs actual registration (pure: shared/registration/diff.ts) ---
export const REGISTRATION_LINT_CODES = [
  'registration-desired-incomplete',
  'registration-app-missing',
  'registration-redirect-missing',
  'registration-redirect-wrong-platform',
  'registration-redirect-differs-case',
  'registration-redirect-differs-scheme',
  'registration-redirect-differs-port',
  'registration-redirect-differs-trailing-slash',
  'registration-audience-single-tenant',
  'registration-audience-no-personal',
  'registration-audience-mismatch',
  'registration-token-version-missing',
  'registration-public-client-off',
  'registration-implicit-grant-off',
  'registration-resource-missing',
  'registration-permission-missing',
  'registration-permission-wrong-type',
  'registration-permission-wrong-resource',
  'registration-permission-not-needed',
  'registration-mail-every-mailbox',
  'registration-service-principal-missing',
  'registration-consent-missing',
  'registration-consent-not-declared',
  'registration-assignment-not-required',
  'registration-mailbox-not-assigned',
  'registration-mailbox-user-not-found',
  'registration-secret-none',
  'registration-secret-expired',
  'registration-secret-expiring',
  'registration-secret-typed-is-id',
  'registration-secret-typed-unknown',
  'registration-secret-typed-expired',
  'registration-secrets-blocked',
  'registration-secret-lifetime-capped',
] as const;
export type RegistrationLintCode = (typeof REGISTRATION_LINT_CODES)[number];
// --- end of lint block ---

// --- The sealed hand-off of "Send the steps to my administrator" (electron/app/sealed-handoff.ts) ---
export const REGISTRATION_HANDOFF_CODES = ['registration-handoff-not-sealed', 'registration-handoff-other-key', 'registration-handoff-tampered'] as const;
export type RegistrationHandoffCode = (typeof REGISTRATION_HANDOFF_CODES)[number];

export const REGISTRATION_CODES = [
  ...REGISTRATION_ENGINE_CODES,
  ...REGISTRATION_HANDOFF_CODES,
  ...REGISTRATION_LINT_CODES,
] as const;
export type RegistrationCode = (typeof REGISTRATION_CODES)[number];
