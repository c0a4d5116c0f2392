/**
 * The Frappe Connected App document as exported. Frappe fills authorization_uri and token_uri from the
 * OpenID configuration only in its form (connected_app.js, "Get OpenID Configuration"); a document
 * inserted through /api/resource or Data Import keeps them empty, and connected_app.py then calls
 * oauth.authorization_url(self.authorization_uri) and fetch_token(self.token_uri) with nothing.
 */
import { describe, expect, it } from 'vitest';
import { exportProfile } from '../../../../../electron/engine/export';
import { NOW, PROFILES } from '../../../shared/catalogue/fixtures';

const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';

function connectedApp(profile = PROFILES.frappe!) {
  const r = exportProfile(profile, 'frappe-connected-app', { includeSecret: false, now: NOW });
  return (JSON.parse(r.content) as { connectedApp: Record<string, unknown> }).connectedApp;
}

describe('Frappe Connected App export', () => {
  it('carries authorization_uri and token_uri, consistent with its openid_configuration', () => {
    const app = connectedApp();
    expect(app.openid_configuration).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`);
    expect(app.authorization_uri).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`);
    expect(app.token_uri).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
    expect(Object.keys(app).slice(0, 6)).toEqual(['doctype', 'name', 'provider_name', 'openid_configuration', 'authorization_uri', 'token_uri']);
  });

  it('uses the cloud\'s sign-in host from the one table', () => {
    const app = connectedApp({ ...PROFILES.frappe!, cloud: 'gcc-high' });
    expect(String(app.authorization_uri)).toMatch(new RegExp(`^https://login\\.microsoftonline\\.us/${TENANT}/oauth2/v2\\.0/authorize$`));
    expect(String(app.token_uri)).toMatch(/\/oauth2\/v2\.0\/token$/);
  });
});
