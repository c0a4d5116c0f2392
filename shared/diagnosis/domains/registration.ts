/** The app registration itself, read and changed through Microsoft Graph (registration engine). */
import type { Entry } from '../entry';
import type { RegistrationCode } from './registration.codes';

export const REGISTRATION_ENTRIES: Record<RegistrationCode, Entry> = {};
