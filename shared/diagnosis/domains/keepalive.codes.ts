/** Keeping a connection working: certificates, rotation, expiry, the end of Basic auth. Stable codes: never rename one once released. */
export const KEEPALIVE_CODES = [] as const;
export type KeepaliveCode = (typeof KEEPALIVE_CODES)[number];
