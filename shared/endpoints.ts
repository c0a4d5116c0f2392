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
  /**
   * POP3 with implicit TLS: Microsoft serves POP on the IMAP host, port 995 (the endpoint lists above:
   * "outlook.office365.com ... TCP 587, 993, 995, 143" and the same 995 on each national cloud's IMAP host).
   */
  pop: HostPort;
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

/**
 * The one table of Microsoft hosts per cloud. Every consumer (engine, catalogue, exports, token
 * checks, validation) reads it; test/unit/shared/endpoints-hosts.test.ts fails if another source file
 * spells out a national-cloud host. What Microsoft documents, per column:
 *
 * - Sign-in host and Graph host: "Microsoft Graph national cloud deployments",
 *   https://learn.microsoft.com/graph/deployments (tables "App registration and token service root
 *   endpoints": login.microsoftonline.com / login.microsoftonline.us / login.chinacloudapi.cn, and
 *   "Microsoft Graph and Graph Explorer service root endpoints": graph.microsoft.com /
 *   graph.microsoft.us (L4, GCC High) / dod-graph.microsoft.us (L5, DoD) /
 *   microsoftgraph.chinacloudapi.cn). The 21Vianet endpoint list (below) also lists
 *   login.partner.microsoftonline.cn: both are Microsoft's; the Graph page's host is the default.
 * - IMAP and SMTP hosts: the Microsoft 365 endpoint lists, Exchange Online rows with ports 587/993:
 *   worldwide https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges
 *   ("outlook.office365.com, smtp.office365.com" TCP 587, 993, 995, 143);
 *   GCC High https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-gcc-high-endpoints
 *   ("outlook.office365.us" TCP 143, 25, 587, 993, 995: SMTP submission is on outlook.office365.us;
 *   smtp.office365.us, which EmailEngine and many guides use, is not on Microsoft's list);
 *   DoD https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-dod-endpoints
 *   ("outlook-dod.office365.us, webmail.apps.mil" TCP 143, 25, 587, 993, 995);
 *   21Vianet https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges-21vianet
 *   ("*.partner.outlook.cn" TCP 587, 993, 995).
 * - Token resource of IMAP/SMTP: "Authenticate an IMAP, POP or SMTP connection using OAuth",
 *   https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth,
 *   documents the global cloud only (delegated https://outlook.office.com/IMAP.AccessAsUser.All,
 *   app-only https://outlook.office365.com/.default). For the national clouds Microsoft names
 *   Exchange Online's resource per environment in "Get started with the Exchange Online Admin API",
 *   https://learn.microsoft.com/exchange/reference/admin-api-get-started ("Supported environments
 *   and base URLs": GCC High https://outlook.office365.us, DoD https://outlook-dod.office365.us).
 *   So DoD asks for https://outlook-dod.office365.us; EmailEngine (postalsys/emailengine lib/oauth/outlook.js,
 *   outlookScopes('dod') in recent versions) asks for https://outlook.office365.us, which no Microsoft page documents
 *   for DoD. China: the same page names https://outlook.office365.cn as the Admin API base; IMAP/SMTP
 *   tokens for partner.outlook.cn are what EmailEngine and Microsoft's 21Vianet host list point to
 *   (unverified against a 21Vianet tenant: overridable per profile like every value here).
 */
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
    smtp: { host: 'outlook.office365.us', port: 587 },
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
    signInHost: 'login.chinacloudapi.cn',
    imap: { host: 'partner.outlook.cn', port: 993 },
    smtp: { host: 'smtp.partner.outlook.cn', port: 587 },
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
    outlookResource: 'https://partner.outlook.cn',
    outlookAppResource: 'https://partner.outlook.cn',
  },
};

/**
 * Where EmailEngine's own cloud setting asks Exchange for a different resource than the table
 * (postalsys/emailengine lib/oauth/outlook.js outlookScopes(): 'dod' requests the GCC High resource).
 * Validation warns about it: the assistant's proof uses the documented resource, EmailEngine will not.
 */
export const EMAILENGINE_OUTLOOK_RESOURCE: Partial<Record<Cloud, string>> = { dod: CLOUD_DEFAULTS['gcc-high'].outlookResource };

/** Resource application ids (REGISTRATION-FACTS.md 2.0): a token's `aud` may carry the id instead of the URL. */
export const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

const unique = (xs: string[]) => [...new Set(xs)];
/** Audiences an IMAP/SMTP (Exchange Online) token may carry, in any cloud. */
export const OUTLOOK_TOKEN_AUDIENCES: readonly string[] = unique([...Object.values(CLOUD_DEFAULTS).flatMap((d) => [d.outlookResource, d.outlookAppResource]), EXCHANGE_ONLINE_APP_ID]);
/** Audiences a Microsoft Graph token may carry, in any cloud. */
export const GRAPH_TOKEN_AUDIENCES: readonly string[] = unique([...Object.values(CLOUD_DEFAULTS).map((d) => d.graphUrl), MICROSOFT_GRAPH_APP_ID]);

/**
 * Every host Microsoft signs people in at: the table's, plus the other names Microsoft lists for the
 * same service (worldwide endpoint list ID 56: login.microsoft.com, login.windows.net; 21Vianet list
 * ID 17: login.partner.microsoftonline.cn) and the v1 / consumer ones still pasted from old guides.
 * Validation uses it to tell a sign-in address from an organisation's domain.
 */
export const MICROSOFT_SIGN_IN_HOSTS: readonly string[] = unique([
  ...Object.values(CLOUD_DEFAULTS).map((d) => d.signInHost),
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login-us.microsoftonline.com',
  'login.partner.microsoftonline.cn',
  'login.live.com',
]);

export function isMicrosoftSignInHost(host: string): boolean {
  return MICROSOFT_SIGN_IN_HOSTS.includes(host.trim().toLowerCase().replace(/\.$/, ''));
}

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
    pop: o.pop ? parseHostPort(o.pop, 995) : { host: d.imap.host, port: 995 },
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
