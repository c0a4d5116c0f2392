/**
 * Every Microsoft portal address the product opens, in one place (PORTAL-STEPS.md "Links",
 * MICROSOFT-FACTS.md "Portal deep links"). The blade fragments are undocumented and change over
 * time: each deep link has a documented fallback, and `PORTAL_FALLBACK` is what to show when a
 * deep link cannot be built (no client id yet).
 */

export const ENTRA_PORTAL = 'https://entra.microsoft.com';

/** Stable (documented) link to App registrations. */
export const APP_REGISTRATIONS_STABLE = 'https://go.microsoft.com/fwlink/?linkid=2083908';

export const PORTAL_FALLBACK = APP_REGISTRATIONS_STABLE;

export const M365_ADMIN_CENTER = 'https://admin.microsoft.com';
export const M365_ACTIVE_USERS = 'https://admin.microsoft.com/#/users';

export type AppPage = 'Overview' | 'Authentication' | 'Credentials' | 'CallAnAPI';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string | undefined): value is string {
  return !!value && GUID.test(value.trim());
}

export function newRegistrationUrl(): string {
  return `${ENTRA_PORTAL}/#view/Microsoft_AAD_RegisteredApps/CreateApplicationBlade`;
}

export function appListUrl(): string {
  return `${ENTRA_PORTAL}/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade`;
}

/** A page of one app registration; the stable App registrations link when the client id is unknown. */
export function appPageUrl(clientId: string | undefined, page: AppPage): string {
  if (!isGuid(clientId)) return APP_REGISTRATIONS_STABLE;
  return `${ENTRA_PORTAL}/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/${page}/appId/${clientId.trim()}`;
}

/** The enterprise application (service principal) of an app; needs its object id, else the app's Overview. */
export function enterpriseAppUrl(clientId: string | undefined, spObjectId: string | undefined): string {
  if (!isGuid(clientId)) return APP_REGISTRATIONS_STABLE;
  if (!isGuid(spObjectId)) return appPageUrl(clientId, 'Overview');
  return `${ENTRA_PORTAL}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/objectId/${spObjectId.trim()}/appId/${clientId.trim()}`;
}

/** Admin consent for every permission the app asks for. Needs a real tenant (not common/consumers). */
export function adminConsentUrl(signInHost: string, tenant: string, clientId: string | undefined): string | undefined {
  const t = tenant.trim();
  if (!isGuid(clientId) || !t || t === 'common' || t === 'consumers') return undefined;
  return `https://${signInHost}/${encodeURIComponent(t)}/adminconsent?client_id=${clientId.trim()}`;
}

/** The OpenID Connect metadata document ("Endpoints > OpenID Connect metadata document"). */
export function openIdConfigurationUrl(signInHost: string, tenant: string): string {
  return `https://${signInHost}/${tenant.trim() || 'common'}/v2.0/.well-known/openid-configuration`;
}

/** The authority base Odoo/Flectra keep in the `microsoft_outlook.endpoint` system parameter. */
export function oauthEndpointBase(signInHost: string, tenant: string): string {
  return `https://${signInHost}/${tenant.trim() || 'common'}/oauth2/v2.0/`;
}

/** Where Microsoft documents the Outlook server settings (linked by the Frappe guide). */
export const OUTLOOK_SERVER_SETTINGS_DOC = 'https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-8361e398-8af4-4e97-b147-6c6c4ac95353';
