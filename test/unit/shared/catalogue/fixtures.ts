import type { ProfileInput } from '../../../../shared/profile';

/** Values shared with the emulator's demo tenant (Fabrikam). */
export const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
export const CLIENT_ID = '11111111-2222-4333-8444-000000000001';
export const SECRET_ID = '5a6b7c8d-0001-4e2f-9a3b-000000000051';
export const SECRET_VALUE = 'Erp~Secret.Value_0123456789abcdefGHIJ';
export const MAILBOX = 'reception@fabrikam.com';
export const NOW = new Date('2026-05-01T09:00:00.000Z');

const base = {
  tenant: TENANT,
  clientId: CLIENT_ID,
  clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' },
  secretId: SECRET_ID,
  secretExpires: '2027-03-31',
  mailbox: MAILBOX,
} as const;

/** One profile per catalogue entry, configured as that system's guide says. */
export const PROFILES: Record<string, ProfileInput> = {
  flectra: { ...base, name: 'Fabrikam Flectra reception', target: 'flectra', targetInputs: { baseUrl: 'https://erp.fabrikam.com/' } },
  odoo: { ...base, name: 'Fabrikam Odoo reception', target: 'odoo', targetInputs: { baseUrl: 'https://odoo.fabrikam.com', version: '16', audience: 'single' } },
  flexdeploy: { ...base, name: 'Fabrikam FlexDeploy', target: 'flexdeploy', targetInputs: { baseUrl: 'https://flexdeploy.fabrikam.com', version: '6' } },
  emailengine: { ...base, name: 'Fabrikam EmailEngine', target: 'emailengine', targetInputs: { baseUrl: 'http://localhost:3000', baseScope: 'imap' } },
  frappe: { ...base, name: 'Fabrikam ERPNext', target: 'frappe', targetInputs: { baseUrl: 'https://erp.fabrikam.com', connectedAppName: '8f3c1b2a9d' } },
  cxt: { ...base, name: 'Fabrikam CXT dispatch', target: 'cxt', flow: 'app-only', api: 'graph', targetInputs: {} },
  'generic-imap-smtp': { ...base, name: 'Fabrikam own app', target: 'generic-imap-smtp', targetInputs: { redirectUri: 'https://app.fabrikam.com/oauth/callback' } },
  'generic-graph': { ...base, name: 'Fabrikam Graph daemon', target: 'generic-graph', flow: 'app-only', api: 'graph', targetInputs: { flow: 'app-only' } },
  'app-only-imap-smtp': {
    ...base,
    name: 'Fabrikam shared info mailbox',
    target: 'app-only-imap-smtp',
    flow: 'app-only',
    mailbox: 'info@fabrikam.com',
    targetInputs: { servicePrincipalObjectId: 'e5f6a7b8-0003-4e9f-8a1b-000000000043' },
  },
  'relay-device': {
    ...base,
    name: 'Fabrikam copier',
    target: 'relay-device',
    flow: 'app-only',
    mailbox: 'info@fabrikam.com',
    targetInputs: { deviceName: 'copier-2nd-floor', reach: 'network', servicePrincipalObjectId: 'e5f6a7b8-0003-4e9f-8a1b-000000000043' },
  },
};
