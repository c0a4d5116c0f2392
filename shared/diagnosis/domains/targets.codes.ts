/** The target systems (EmailEngine, Odoo/Flectra, Frappe) configured through their own APIs. Stable codes: never rename one once released. */
export const TARGET_CODES = [
  'target-address-invalid',
  'target-unreachable',
  'target-tls-untrusted',
  'target-not-recognised',
  'target-wrong-database',
  'target-bad-credentials',
  'target-insufficient-rights',
  'target-module-missing',
  'target-version-unsupported',
  'target-validation',
  'target-test-failed',
  'target-token-not-available',
  'target-profile-unsupported',
  'target-plan-changed',
] as const;
export type TargetsCode = (typeof TARGET_CODES)[number];
