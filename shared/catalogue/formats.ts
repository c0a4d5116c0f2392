/** Ids of the export formats (the engine's registry in electron/engine/export implements them). */
export const FORMAT_IDS = [
  'paste-card',
  'profile-json',
  'env',
  'emailengine-oauth2-json',
  'emailengine-curl',
  'odoo-system-parameters',
  'frappe-connected-app',
  'report-html',
  'ics-reminder',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** Formats every target offers. */
export const COMMON_FORMATS: readonly FormatId[] = ['paste-card', 'profile-json', 'env', 'report-html', 'ics-reminder'];

/** The expiry reminder (.ics) fires this many days before the client secret expires. */
export const REMINDER_DAYS_BEFORE = 14;
