/** Keeping a connection working: certificates, rotation, expiry, the end of Basic auth. */
import type { Entry } from '../entry';
import type { KeepaliveCode } from './keepalive.codes';

export const KEEPALIVE_ENTRIES: Record<KeepaliveCode, Entry> = {};
