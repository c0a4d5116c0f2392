/** Keeping a connection working: certificates, rotation, expiry, the end of Basic auth. Stable codes: never rename one once released. */
export const KEEPALIVE_CODES = [
  'smtp-basic-auth-disabled',
  'aadsts-700027-certificate-unknown',
  'aadsts-700027-signature-invalid',
  'aadsts-700027-certificate-expired',
  'aadsts-700024-assertion-time',
  'rotation-not-proved',
  'rotation-new-missing',
  'rotation-old-still-there',
  'rotation-not-confirmed',
  'rotation-none-open',
] as const;
export type KeepaliveCode = (typeof KEEPALIVE_CODES)[number];
