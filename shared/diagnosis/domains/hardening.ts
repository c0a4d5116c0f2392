/** Sign-in failures and hostile input found by the security review (AADSTS codes and validation). */
import { microsoftApp } from '../../validation/well-known-apps';
import { apiPermissions, authentication, mb, type CatalogueContext, type Entry } from '../entry';
import { portal } from '../links';
import type { FixStep } from '../types';
import type { HardeningCode } from './hardening.codes';

/** Microsoft's own page for one AADSTS number (the raw text stays in the evidence). */
export function aadErrorLookupUrl(code: string): string {
  return `https://login.microsoftonline.com/error?code=${encodeURIComponent(code)}`;
}

/** A value Microsoft quotes in its error text: `label 'value'` or `label: value.` */
const quoted = (c: CatalogueContext, re: RegExp): string | undefined => re.exec(c.evidence.text)?.[1];
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** The permissions this profile's sign-in asks for, as the API permissions page lists them. */
function neededPermissions(c: CatalogueContext): string {
  if (c.flow === 'app-only') return c.api === 'graph' ? 'Microsoft Graph > Application permissions > Mail.Read and Mail.Send' : 'APIs my organization uses > Office 365 Exchange Online > Application permissions > IMAP.AccessAsApp and SMTP.SendAsApp';
  return c.api === 'graph' ? 'Microsoft Graph > Delegated permissions > Mail.ReadWrite, Mail.Send, User.Read and offline_access' : 'Microsoft Graph > Delegated permissions > IMAP.AccessAsUser.All, SMTP.Send, User.Read and offline_access';
}

const ownRegistration: FixStep = { text: 'Register your own app instead: **App registrations > New registration**, then use its **Application (client) ID** here. Microsoft\'s own applications cannot be given your permissions.', link: { label: 'Open New registration', url: portal.newRegistration() } };

/** How the two return addresses of AADSTS500112 differ, in words. */
function difference(sent: string, started: string): string {
  try {
    const a = new URL(sent);
    const b = new URL(started);
    const parts: string[] = [];
    if (a.protocol !== b.protocol) parts.push(`the scheme (${a.protocol.slice(0, -1)} instead of ${b.protocol.slice(0, -1)})`);
    if (a.port !== b.port) parts.push(`the port (${a.port || 'none'} instead of ${b.port || 'none'})`);
    if (a.hostname !== b.hostname) parts.push(`the host (${a.hostname} instead of ${b.hostname})`);
    if (a.pathname !== b.pathname) parts.push('the path');
    return parts.length ? parts.join(' and ') : 'a detail such as a trailing slash or letter case';
  } catch {
    return 'their spelling';
  }
}

/** Where each target system learns its public address when it runs behind a reverse proxy. */
function publicAddressStep(c: CatalogueContext, https: string): FixStep {
  const site = (() => {
    try {
      return new URL(https).origin;
    } catch {
      return https;
    }
  })();
  switch (c.target) {
    case 'odoo':
    case 'flectra':
      return { text: `In ${c.target === 'odoo' ? 'Odoo' : 'Flectra'}: **Settings > Technical > System Parameters**, set **web.base.url** to ${site} and add **web.base.url.freeze** = True; run the server with **--proxy-mode** (proxy_mode = True in its configuration file) so it trusts the proxy's X-Forwarded-* headers.` };
    case 'frappe':
      return { text: `In Frappe: set **host_name** to ${site} in the site's site_config.json (bench --site <site> set-config host_name ${site}), so the Connected App builds its redirect with https.` };
    case 'emailengine':
      return { text: `In EmailEngine: **Configuration > Service**, set **Service URL** to ${site}; it builds the redirect from it.` };
    case 'flexdeploy':
      return { text: `In FlexDeploy: set the **Server Base URL** to ${site} (the address people use), not the internal http address.` };
    default:
      return { text: `Configure the system with its public address, ${site}, instead of the address it sees on its own connection.` };
  }
}

export const HARDENING_ENTRIES: Record<HardeningCode, Entry> = {
  'aadsts-50105-user-not-assigned': {
    title: (c) => `${quoted(c, /signed in user '([^']+)'/) ?? mb(c)} is not assigned to this app`,
    cause: (c) => {
      const user = quoted(c, /signed in user '([^']+)'/) ?? mb(c);
      return `The app's enterprise application has Assignment required set to Yes, and ${user} is neither assigned to it directly nor a member of an assigned group, so Microsoft refuses the sign-in.`;
    },
    fix: (c) => {
      const user = quoted(c, /signed in user '([^']+)'/) ?? mb(c);
      return [
        { text: 'Open the app registration\'s **Overview** and follow **Managed application in local directory** to its enterprise application.', link: { label: 'Open Overview', url: portal.app(c.clientId, 'Overview') } },
        { text: `Under **Users and groups**, choose **Add user/group > Users and groups: None Selected**, select ${user}, **Select**, then **Assign** (an administrator does this; assigning a group needs Entra ID P1 or P2).` },
        { text: 'Or, if every account of the organisation may use the app, set **Properties > Assignment required?** to **No** and **Save**.' },
        { text: `Then sign in again as ${user}.` },
      ];
    },
  },
  'aadsts-500112-reply-address-scheme-port': {
    title: () => 'The redirect address changed between the start and the end of the sign-in',
    cause: (c) => {
      const sent = quoted(c, /reply address '([^']+)' does not match/);
      const started = quoted(c, /does not match the reply address '([^']+)'/);
      if (!sent || !started) return 'When the system redeemed the sign-in code it sent a different return address than when it started the sign-in. This is typical behind a reverse proxy that ends TLS: the system sees a plain http connection and builds its address from it.';
      return `When it redeemed the sign-in code, the system sent ${sent} as its return address, but the sign-in had started with ${started}. They differ in ${difference(sent, started)}: typical when the system runs behind a reverse proxy that ends TLS, and the system builds its address from the plain connection it sees.`;
    },
    fix: (c) => {
      const started = quoted(c, /does not match the reply address '([^']+)'/) ?? c.redirectUri ?? 'the https address';
      return [
        publicAddressStep(c, started),
        { text: 'Make the reverse proxy tell the system the original scheme and host: send **X-Forwarded-Proto: https** and **X-Forwarded-Host** (nginx: proxy_set_header X-Forwarded-Proto $scheme; proxy_set_header X-Forwarded-Host $host;).' },
        { ...authentication(c), text: `Keep exactly ${started} registered under **Web** on the app's **Authentication** page, then sign in again.` },
      ];
    },
  },
  'aadsts-900971-no-reply-address': {
    title: () => 'The sign-in request carried no redirect address',
    cause: () => 'The system started the sign-in without a redirect_uri parameter, and Microsoft could not take one from the app registration (it has none, or several). Usually the system\'s callback (redirect) setting is empty.',
    fix: (c) => [
      { ...authentication(c), text: `On the app's **Authentication** page, under **Web**, register exactly ${c.redirectUri ?? 'the redirect address shown in the assistant'}.` },
      { text: `Enter the same address in the system's redirect / callback setting${c.redirectUri ? `: ${c.redirectUri}` : ''}, then sign in again.` },
    ],
  },
  'aadsts-90023-public-client-secret': {
    title: () => 'Microsoft refused a secret sent by a public client',
    cause: () => 'The redirect address is registered for a public client (Mobile and desktop applications, or Single-page application), which must not send a client secret, yet the system sent one. Systems that keep a secret on a server are Web clients.',
    fix: (c) => [
      { ...authentication(c), text: `On the app's **Authentication** page, remove ${c.redirectUri ?? 'the redirect address'} from **Mobile and desktop applications** / **Single-page application** and add it under **Web**.` },
      { text: 'Or, for a desktop tool without a server, remove the client secret from the system\'s settings.' },
    ],
  },
  'aadsts-70043-sign-in-frequency': {
    title: (c) => `${mb(c)} must sign in again: Conditional Access limits how long a sign-in lasts`,
    cause: (c) => {
      const seconds = Number(quoted(c, /maximum allowed lifetime for this request is (\d+)/));
      const issued = quoted(c, /token was issued on (\S+?)(?: and|\.|$)/);
      const span = Number.isFinite(seconds) && seconds > 0 ? (seconds % 3600 === 0 ? `${seconds / 3600} hours` : `${Math.round(seconds / 60)} minutes`) : 'a set time';
      return `A Conditional Access policy with a sign-in frequency of ${span} applies to this sign-in: after that time the saved sign-in (its refresh token${issued ? `, issued ${issued}` : ''}) is refused and a person must sign in interactively again. An unattended system stops working each time until someone does.`;
    },
    fix: (c) => [
      { text: `Sign in again as ${mb(c)} now to get mail flowing.` },
      { text: 'An administrator opens **Conditional Access > Policies**, finds the policy with **Session > Sign-in frequency** in the sign-in logs, and excludes this mailbox account or this app from it (or lengthens it), if the organisation\'s rules allow.', link: { label: 'Open Conditional Access', url: portal.conditionalAccess() } },
      { text: 'For unattended mail, prefer app-only access (client credentials): no person\'s sign-in, so sign-in frequency does not apply.' },
    ],
  },
  'aadsts-650057-resource-not-allowed': {
    title: () => 'The sign-in asked for an API the app registration has no permission for',
    cause: (c) => {
      const resource = quoted(c, /Resource value from request: (\S+?)\.?(?:\s|$)/);
      const resourceId = quoted(c, new RegExp(`Resource app ID: (${GUID})`));
      const clientId = quoted(c, new RegExp(`Client app ID: (${GUID})`)) ?? c.clientId;
      const resourceName = resourceId ? microsoftApp(resourceId)?.name : undefined;
      const client = microsoftApp(clientId);
      const what = `${resource ?? 'a resource'}${resourceName ? ` (${resourceName})` : ''}`;
      if (client) return `The client ID ${clientId} is ${client.name}, one of Microsoft's own applications: it has no permission for ${what}, and you cannot add one to it.`;
      return `The sign-in asked for a token for ${what}, but that API is not listed in the app registration's requested permissions (API permissions), so Microsoft refuses it.`;
    },
    fix: (c) => {
      const clientId = quoted(c, new RegExp(`Client app ID: (${GUID})`)) ?? c.clientId;
      if (microsoftApp(clientId)) return [ownRegistration, { text: 'Then give your own app registration the permissions it needs and sign in with it.' }];
      return [apiPermissions(c), { text: `Choose **Add a permission** and add ${neededPermissions(c)}; then **Grant admin consent** if the organisation requires it, and sign in again.` }];
    },
  },
  'aadsts-65002-first-party-preauthorization': {
    title: () => "The client ID is one of Microsoft's own apps, which cannot ask for these permissions",
    cause: (c) => {
      const appId = quoted(c, new RegExp(`first party application '(${GUID})'`)) ?? c.clientId;
      const resourceId = quoted(c, new RegExp(`first party resource '(${GUID})'`));
      const app = microsoftApp(appId);
      const resource = resourceId ? (microsoftApp(resourceId)?.name ?? resourceId) : 'the API';
      return `${appId} is ${app ? app.name : 'a Microsoft application'}, owned by Microsoft. Microsoft's own applications may only use the permissions Microsoft pre-authorised for them on ${resource}; no consent can add others. Use an app registration of your own.`;
    },
    // No links to the app's own pages: the client ID is Microsoft's, its pages are not the user's.
    fix: () => [ownRegistration, { text: 'Copy the new registration\'s **Application (client) ID** and **Directory (tenant) ID** from its Overview page into the profile, and create its client secret under **Certificates & secrets**.' }],
  },
};
