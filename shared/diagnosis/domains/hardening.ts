/** Sign-in failures and hostile input found by the security review (AADSTS codes and validation). */
import type { Entry } from '../entry';
import type { HardeningCode } from './hardening.codes';

export const HARDENING_ENTRIES: Record<HardeningCode, Entry> = {};
