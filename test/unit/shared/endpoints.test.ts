/**
 * The one table of Microsoft hosts per cloud (shared/endpoints.ts), as Microsoft documents them:
 * the sign-in and Graph hosts from "Microsoft Graph national cloud deployments", the Exchange Online
 * hosts and ports from the Microsoft 365 endpoint lists, the Exchange resource per cloud from the
 * Exchange Online Admin API's environment table. Every consumer reads this table.
 */
import { describe, expect, it } from 'vitest';
import { CLOUD_DEFAULTS, GRAPH_TOKEN_AUDIENCES, MICROSOFT_SIGN_IN_HOSTS, OUTLOOK_TOKEN_AUDIENCES, isMicrosoftSignInHost, resolveEndpoints, scopesFor } from '../../../shared/endpoints';
import { hostsFor } from '../../../shared/catalogue/clouds';
import { createContext, findTarget } from '../../../shared/catalogue';
import { judgeClaims } from '../../../electron/engine/token';
import type { Cloud, Profile } from '../../../shared/profile';
import { PROFILES } from './catalogue/fixtures';

const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';

const DOCUMENTED: Record<Cloud, { signIn: string; imap: string; smtp: string; graph: string; resource: string }> = {
  global: { signIn: 'login.microsoftonline.com', imap: 'outlook.office365.com:993', smtp: 'smtp.office365.com:587', graph: 'https://graph.microsoft.com', resource: 'https://outlook.office.com' },
  'gcc-high': { signIn: 'login.microsoftonline.us', imap: 'outlook.office365.us:993', smtp: 'outlook.office365.us:587', graph: 'https://graph.microsoft.us', resource: 'https://outlook.office365.us' },
  dod: { signIn: 'login.microsoftonline.us', imap: 'outlook-dod.office365.us:993', smtp: 'outlook-dod.office365.us:587', graph: 'https://dod-graph.microsoft.us', resource: 'https://outlook-dod.office365.us' },
  china: { signIn: 'login.chinacloudapi.cn', imap: 'partner.outlook.cn:993', smtp: 'smtp.partner.outlook.cn:587', graph: 'https://microsoftgraph.chinacloudapi.cn', resource: 'https://partner.outlook.cn' },
};

const profile = (cloud: Cloud): Pick<Profile, 'cloud' | 'tenant' | 'mailbox' | 'endpoints'> => ({ cloud, tenant: TENANT, mailbox: 'reception@fabrikam.com' });

describe('the cloud table', () => {
  it.each(Object.entries(DOCUMENTED) as [Cloud, (typeof DOCUMENTED)[Cloud]][])('%s matches what Microsoft documents', (cloud, d) => {
    const e = resolveEndpoints(profile(cloud));
    expect(e.signInHost).toBe(d.signIn);
    expect(`${e.imap.host}:${e.imap.port}`).toBe(d.imap);
    expect(`${e.smtp.host}:${e.smtp.port}`).toBe(d.smtp);
    expect(e.graphUrl).toBe(d.graph);
    expect(e.graphResource).toBe(d.graph);
    expect(e.outlookResource).toBe(d.resource);
    expect(e.authority).toBe(`https://${d.signIn}/${TENANT}`);
  });

  it('DoD asks for the DoD Exchange resource, not the GCC High one EmailEngine uses', () => {
    const scopes = scopesFor('delegated', 'imap-smtp', resolveEndpoints(profile('dod')));
    expect(scopes).toEqual(['https://outlook-dod.office365.us/IMAP.AccessAsUser.All', 'https://outlook-dod.office365.us/SMTP.Send', 'offline_access']);
    expect(scopesFor('app-only', 'imap-smtp', resolveEndpoints(profile('dod')))).toEqual(['https://outlook-dod.office365.us/.default']);
    expect(scopesFor('app-only', 'graph', resolveEndpoints(profile('dod')))).toEqual(['https://dod-graph.microsoft.us/.default']);
  });

  it('the catalogue reads the same table (hosts, scopes, OpenID configuration)', () => {
    for (const cloud of Object.keys(DOCUMENTED) as Cloud[]) {
      const h = hostsFor({ cloud });
      const e = resolveEndpoints(profile(cloud));
      expect(h).toMatchObject({ signInHost: e.signInHost, imap: e.imap, smtp: e.smtp, graphUrl: e.graphUrl, outlookResource: e.outlookResource, exchangeAppResource: e.outlookAppResource });
      const ctx = createContext(findTarget('frappe')!, { ...PROFILES.frappe!, cloud });
      expect(ctx.scopes.flat()).toContain(`${e.outlookResource}/IMAP.AccessAsUser.All`);
    }
  });

  it('the engine accepts exactly the audiences of the table (plus the resource app ids)', () => {
    for (const d of Object.values(CLOUD_DEFAULTS)) {
      expect(OUTLOOK_TOKEN_AUDIENCES).toContain(d.outlookResource);
      expect(OUTLOOK_TOKEN_AUDIENCES).toContain(d.outlookAppResource);
      expect(GRAPH_TOKEN_AUDIENCES).toContain(d.graphUrl);
    }
    expect(OUTLOOK_TOKEN_AUDIENCES).toContain('00000002-0000-0ff1-ce00-000000000000');
    expect(GRAPH_TOKEN_AUDIENCES).toContain('00000003-0000-0000-c000-000000000000');
    const p = { flow: 'delegated' as const, api: 'imap-smtp' as const, mailbox: 'reception@fabrikam.com', tenant: TENANT, targetInputs: {} };
    const claims = (audience: string) => ({ audience, scopes: ['IMAP.AccessAsUser.All', 'SMTP.Send'], roles: [], kind: 'user' as const, account: 'reception@fabrikam.com', tenantId: TENANT });
    expect(judgeClaims(claims('https://outlook-dod.office365.us'), p)).toBeNull();
    expect(judgeClaims(claims('https://graph.microsoft.us'), p)?.code).toBe('token-wrong-audience');
  });

  it('names every Microsoft sign-in host, national clouds included', () => {
    for (const d of Object.values(CLOUD_DEFAULTS)) expect(MICROSOFT_SIGN_IN_HOSTS).toContain(d.signInHost);
    for (const h of ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn', 'login.windows.net', 'login.microsoft.com']) {
      expect(isMicrosoftSignInHost(h)).toBe(true);
      expect(isMicrosoftSignInHost(h.toUpperCase())).toBe(true);
    }
    for (const h of ['fabrikam.onmicrosoft.com', 'fabrikam.com', 'microsoftonline.com', 'login.microsoftonline.com.evil.example']) expect(isMicrosoftSignInHost(h)).toBe(false);
  });
});
