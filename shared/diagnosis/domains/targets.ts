/** The target systems (EmailEngine, Odoo/Flectra, Frappe) configured through their own APIs. */
import type { Entry } from '../entry';
import type { TargetsCode } from './targets.codes';

export const TARGET_ENTRIES: Record<TargetsCode, Entry> = {};
