import type { Cloud, Profile } from '../profile';

/**
 * Host names per Microsoft cloud (MICROSOFT-FACTS.md, "Endpoints per cloud"). The profile's
 * endpoint overrides win, which is how corporate proxies and the test emulator are served.
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

export const CLOUD_HOSTS: Record<Cloud, CloudHosts> = {
  global: {
    signInHost: 'login.microsoftonline.com',
    imap: { host: 'outlook.office365.com', port: 993 },
    smtp: { host: 'smtp.office365.com', port: 587 },
    graphUrl: 'https://graph.microsoft.com',
    outlookResource: 'https://outlook.office.com',
    exchangeAppResource: 'https://outlook.office365.com',
  },
  'gcc-high': {
    signInHost: 'login.microsoftonline.us',
    imap: { host: 'outlook.office365.us', port: 993 },
    smtp: { host: 'smtp.office365.us', port: 587 },
    graphUrl: 'https://graph.microsoft.us',
    outlookResource: 'https://outlook.office365.us',
    exchangeAppResource: 'https://outlook.office365.us',
  },
  dod: {
    signInHost: 'login.microsoftonline.us',
    imap: { host: 'outlook-dod.office365.us', port: 993 },
    smtp: { host: 'outlook-dod.office365.us', port: 587 },
    graphUrl: 'https://dod-graph.microsoft.us',
    outlookResource: 'https://outlook-dod.office365.us',
    exchangeAppResource: 'https://outlook-dod.office365.us',
  },
  // China (21Vianet): sign-in host and SMTP host are unverified (MICROSOFT-FACTS.md); overridable.
  china: {
    signInHost: 'login.chinacloudapi.cn',
    imap: { host: 'partner.outlook.cn', port: 993 },
    smtp: { host: 'smtp.partner.outlook.cn', port: 587 },
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
    outlookResource: 'https://partner.outlook.cn',
    exchangeAppResource: 'https://partner.outlook.cn',
  },
};

function splitHostPort(value: string): { host: string; port: number } {
  const i = value.lastIndexOf(':');
  return { host: value.slice(0, i), port: Number(value.slice(i + 1)) };
}

/** The hosts a profile talks to: its cloud's defaults with the profile's overrides applied. */
export function hostsFor(profile: Pick<Profile, 'cloud' | 'endpoints'>): CloudHosts {
  const base = CLOUD_HOSTS[profile.cloud];
  const o = profile.endpoints;
  return {
    ...base,
    signInHost: o?.signInHost ?? base.signInHost,
    imap: o?.imap ? splitHostPort(o.imap) : base.imap,
    smtp: o?.smtp ? splitHostPort(o.smtp) : base.smtp,
    graphUrl: o?.graphUrl ?? base.graphUrl,
  };
}

/** The Outlook.com / Microsoft 365 host aliases Odoo, Flectra and FlexDeploy fill in themselves. */
export const TARGET_DEFAULT_HOSTS = {
  smtp: { host: 'smtp.outlook.com', port: 587 },
  imap: { host: 'imap.outlook.com', port: 993 },
} as const;
