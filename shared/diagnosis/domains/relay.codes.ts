/**
 * The relay for devices and programs that cannot do OAuth (issue 22): what its IMAP and POP proxies answer a
 * device, and why. Upstream failures keep the ordinary codes (diagnose() on Microsoft's answer; POP's answers
 * get the pop-* codes of the main catalogue, diagnose() with source 'pop').
 * Stable codes: never rename one once released.
 */
export const RELAY_CODES = ['relay-device-login-refused', 'relay-device-imap-not-allowed', 'relay-device-pop-not-allowed', 'relay-device-tls-required'] as const;
export type RelayCode = (typeof RELAY_CODES)[number];
