import { createContext } from '../../../../shared/catalogue';
import { oauthEndpointBase } from '../../../../shared/catalogue/portal-links';
import { frappeConnectedApp, frappeEmailAccount } from '../../../../shared/catalogue/targets/frappe';
import type { ExportFormat } from '../types';

/**
 * The Connected App with authorization_uri and token_uri filled in. Frappe fills them from the OpenID
 * configuration only in its form (frappe/frappe connected_app.js, the "Get OpenID Configuration"
 * button); a document inserted through /api/resource or Data Import keeps them empty, and
 * connected_app.py then calls oauth.authorization_url(self.authorization_uri) and
 * fetch_token(self.token_uri) with nothing. Values: the v2.0 endpoints Microsoft's OpenID
 * configuration lists for this authority (MICROSOFT-FACTS.md "Authority / audience").
 */
function connectedAppDocument(ctx: ReturnType<typeof createContext>): Record<string, unknown> {
  const base = oauthEndpointBase(ctx.hosts.signInHost, ctx.authority);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(frappeConnectedApp(ctx))) {
    out[key] = value;
    if (key === 'openid_configuration') Object.assign(out, { authorization_uri: `${base}authorize`, token_uri: `${base}token` });
  }
  return out;
}

export const frappeConnectedAppFormat: ExportFormat = {
  id: 'frappe-connected-app',
  label: 'Frappe Connected App values',
  description: 'The Connected App and Email Account documents in Frappe field names (usable with the REST API /api/resource).',
  extension: 'json',
  mediaType: 'application/json',
  mayContainSecret: true,
  render: ({ profile, target, secret }) => {
    const ctx = createContext(target, profile, secret);
    return `${JSON.stringify({ connectedApp: connectedAppDocument(ctx), emailAccount: frappeEmailAccount(ctx) }, null, 2)}\n`;
  },
};
