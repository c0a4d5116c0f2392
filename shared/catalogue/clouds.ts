import { resolveEndpoints } from '../endpoints';
import type { Profile } from '../profile';

/**
 * Host names as the catalogue's steps and paste cards use them. One table of hosts per cloud exists:
 * shared/endpoints.ts (the engine's); this module only reshapes it.
 */
export interface CloudHosts {
  signInHost: string;
  imap: { host: string; port: number };
  smtp: { host: string; port: number };
  graphUrl: string;
  /** Resource prefix of the delegated IMAP/SMTP scopes. */
  outlookResource: string;
  /** Resource of the app-only IMAP/SMTP token (`<resource>/.default`). */
  exchangeAppResource: string;
}

/** The hosts a profile talks to: the engine's cloud defaults (shared/endpoints.ts) with the profile's overrides. */
export function hostsFor(profile: Pick<Profile, 'cloud' | 'endpoints'> & Partial<Pick<Profile, 'tenant' | 'mailbox'>>): CloudHosts {
  const e = resolveEndpoints({ tenant: '', mailbox: '', ...profile });
  return { signInHost: e.signInHost, imap: e.imap, smtp: e.smtp, graphUrl: e.graphUrl, outlookResource: e.outlookResource, exchangeAppResource: e.outlookAppResource };
}

/** The Outlook.com / Microsoft 365 host aliases Odoo, Flectra and FlexDeploy fill in themselves. */
export const TARGET_DEFAULT_HOSTS = {
  smtp: { host: 'smtp.outlook.com', port: 587 },
  imap: { host: 'imap.outlook.com', port: 993 },
} as const;
