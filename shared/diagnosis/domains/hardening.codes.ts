/** Sign-in failures and hostile input found by the security review (AADSTS codes and validation). Stable codes: never rename one once released. */
export const HARDENING_CODES = [] as const;
export type HardeningCode = (typeof HARDENING_CODES)[number];
