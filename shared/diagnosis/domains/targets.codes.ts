/** The target systems (EmailEngine, Odoo/Flectra, Frappe) configured through their own APIs. Stable codes: never rename one once released. */
export const TARGET_CODES = [] as const;
export type TargetsCode = (typeof TARGET_CODES)[number];
