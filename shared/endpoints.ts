import type { Cloud, Flow, MailApi, Profile } from './profile';

/**
 * Where a profile's traffic goes: defaults per cloud (MICROSOFT-FACTS.md), overridable per profile.
 * Overrides are how national clouds, corporate TLS inspection and the test emulator are all served
 * by one mechanism. Pure data: the engine turns this into sockets.
 */

export interface HostPort {
  host: string;
  port: number;
}

export interface ResolvedEndpoints {
  cloud: Cloud;
  /** Sign-in host as written in the authority, with its port when not 443 (localhost:8443). */
  signInHost: string;
  /** https://<signInHost>/<tenant> */
  authority: string;
  imap: HostPort;
  smtp: HostPort;
  /** Graph base URL without a trailing slash and without the version segment. */
  graphUrl: string;
  /** Resource of the Outlook (IMAP/SMTP) scopes. */
  outlookResource: string;
  /** Resource of the app-only Outlook scope (…/.default). */
  outlookAppResource: string;
  /** Resource of the Graph scopes. */
  graphResource: string;
}

interface CloudDefaults {
  signInHost: string;
  imap: HostPort;
  smtp: HostPort;
  graphUrl: string;
  outlookResource: string;
  outlookAppResource: string;
}

export const CLOUD_DEFAULTS: Record<Cloud, CloudDefaults> = {
  global: {
    signInHost: 'login.microsoftonline.com',
    imap: { host: 'outlook.office365.com', port: 993 },
    smtp: { host: 'smtp.office365.com', port: 587 },
    graphUrl: 'https://graph.microsoft.com',
    outlookResource: 'https://outlook.office.com',
    outlookAppResource: 'https://outlook.office365.com',
  },
  'gcc-high': {
    signInHost: 'login.microsoftonline.us',
    imap: { host: 'outlook.office365.us', port: 993 },
    smtp: { host: 'smtp.office365.us', port: 587 },
    graphUrl: 'https://graph.microsoft.us',
    outlookResource: 'https://outlook.office365.us',
    outlookAppResource: 'https://outlook.office365.us',
  },
  dod: {
    signInHost: 'login.microsoftonline.us',
    imap: { host: 'outlook-dod.office365.us', port: 993 },
    smtp: { host: 'outlook-dod.office365.us', port: 587 },
    graphUrl: 'https://dod-graph.microsoft.us',
    outlookResource: 'https://outlook-dod.office365.us',
    outlookAppResource: 'https://outlook-dod.office365.us',
  },
  china: {
    // Unverified (MICROSOFT-FACTS.md): another source names login.partner.microsoftonline.cn. Overridable.
    signInHost: 'login.chinacloudapi.cn',
    imap: { host: 'partner.outlook.cn', port: 993 },
    smtp: { host: 'smtp.partner.outlook.cn', port: 587 },
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
    outlookResource: 'https://partner.outlook.cn',
    outlookAppResource: 'https://partner.outlook.cn',
  },
};

/** SMTP host for Outlook.com personal mailboxes (global cloud, consumers audience). */
export const OUTLOOK_COM_SMTP: HostPort = { host: 'smtp-mail.outlook.com', port: 587 };

const PERSONAL_DOMAINS = ['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'outlook.de', 'outlook.fr', 'hotmail.co.uk', 'live.co.uk', 'hotmail.de', 'hotmail.fr', 'outlook.co.uk', 'passport.com'];

/** Whether an address is an Outlook.com personal (Microsoft account) mailbox. */
export function isPersonalMailbox(mailbox: string): boolean {
  const domain = mailbox.split('@')[1]?.toLowerCase().trim();
  return !!domain && PERSONAL_DOMAINS.includes(domain);
}

export function parseHostPort(text: string, fallbackPort: number): HostPort {
  const match = /^\[?([^\]]+?)\]?(?::(\d{1,5}))?$/.exec(text.trim());
  if (!match) return { host: text.trim(), port: fallbackPort };
  return { host: match[1]!, port: match[2] ? Number(match[2]) : fallbackPort };
}

export function resolveEndpoints(profile: Pick<Profile, 'cloud' | 'tenant' | 'mailbox' | 'endpoints'>): ResolvedEndpoints {
  const cloud: Cloud = profile.cloud in CLOUD_DEFAULTS ? profile.cloud : 'global';
  const d = CLOUD_DEFAULTS[cloud];
  const o = profile.endpoints ?? {};
  const signInHost = (o.signInHost ?? d.signInHost).replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  const personal = cloud === 'global' && (profile.tenant === 'consumers' || isPersonalMailbox(profile.mailbox));
  const graphBase = (o.graphUrl ?? d.graphUrl).replace(/\/+$/, '').replace(/\/(v1\.0|beta)$/i, '');
  return {
    cloud,
    signInHost,
    authority: `https://${signInHost}/${profile.tenant || 'organizations'}`,
    imap: o.imap ? parseHostPort(o.imap, 993) : d.imap,
    smtp: o.smtp ? parseHostPort(o.smtp, 587) : personal ? OUTLOOK_COM_SMTP : d.smtp,
    graphUrl: graphBase,
    outlookResource: d.outlookResource,
    outlookAppResource: d.outlookAppResource,
    graphResource: d.graphUrl,
  };
}

/** The scopes a profile asks for, per resource (one token cannot cover two resources: AADSTS700022). */
export function scopesFor(flow: Flow, api: MailApi, ep: Pick<ResolvedEndpoints, 'outlookResource' | 'outlookAppResource' | 'graphResource'>): string[] {
  if (flow === 'app-only') return [api === 'graph' ? `${ep.graphResource}/.default` : `${ep.outlookAppResource}/.default`];
  if (api === 'graph') return [`${ep.graphResource}/User.Read`, `${ep.graphResource}/Mail.ReadWrite`, `${ep.graphResource}/Mail.Send`, 'offline_access'];
  return [`${ep.outlookResource}/IMAP.AccessAsUser.All`, `${ep.outlookResource}/SMTP.Send`, 'offline_access'];
}
