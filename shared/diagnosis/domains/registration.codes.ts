/** The app registration itself, read and changed through Microsoft Graph (registration engine). Stable codes: never rename one once released. */
export const REGISTRATION_CODES = [] as const;
export type RegistrationCode = (typeof REGISTRATION_CODES)[number];
