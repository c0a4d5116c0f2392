/**
 * Each target's id and display name, and nothing else: the renderer's first screen (Start) names saved
 * connections by their system without loading the catalogue and its validation (zod), issue 23. The
 * catalogue's own `displayName`s stay the source: test/unit/shared/catalogue/names.test.ts fails when
 * this list and `targets` differ in any id, name or order.
 */
export const TARGET_NAMES: Readonly<Record<string, string>> = {
  flectra: 'Flectra',
  odoo: 'Odoo',
  flexdeploy: 'FlexDeploy',
  emailengine: 'EmailEngine',
  frappe: 'Frappe / ERPNext',
  cxt: 'CXT Software',
  'generic-imap-smtp': 'My own application (IMAP/SMTP)',
  'generic-graph': 'My own application (Graph)',
  'app-only-imap-smtp': 'Shared mailbox or service (app-only IMAP/SMTP)',
  'relay-device': 'A device or program that cannot use OAuth (scanner, printer, older software)',
};

/** The display name of a target id, or undefined for an id the catalogue does not know. */
export function targetName(id: string | undefined): string | undefined {
  return id !== undefined && Object.hasOwn(TARGET_NAMES, id) ? TARGET_NAMES[id] : undefined;
}
