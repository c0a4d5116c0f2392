/**
 * What a real Frappe 15.41.0 answered where the stand-in used to answer otherwise (test/standins/README.md, "Frappe:
 * compared with the real one"; `conformance.ts frappe` against ../shared/peers/frappe, 2026-12-06): the stand-in must
 * now answer the same. Runs everywhere (no real Frappe, no Microsoft: the expectations are the real one's words as
 * recorded; a closed port stands for Microsoft, so every token refresh and mailbox connection fails, as on the peer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrappe, type FrappeStandIn } from '../../standins/frappe';
import type { MicrosoftSide } from '../../standins/microsoft';

const NOWHERE: MicrosoftSide = { loginUrl: 'https://127.0.0.1:9', graphUrl: 'https://127.0.0.1:9', caPem: '', imap: { host: '127.0.0.1', port: 9 }, smtp: { host: '127.0.0.1', port: 9 } };
const ADMIN = { authorization: 'token observedkey1:observedsecret1' };
const ADMIN_PASSWORD = 'observed-admin-password-1';
const CLERK = 'clerk@fabrikam.com';
const CLERK_PASSWORD = 'Observed-Clerk-Pass-9!';
const CALLBACK = 'https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/';

let s: FrappeStandIn;
beforeAll(async () => {
  s = await startFrappe({
    microsoft: NOWHERE,
    version: '15.41.0',
    siteUrl: 'https://erp.fabrikam.com',
    users: [
      { name: 'Administrator', apiKey: 'observedkey1', apiSecret: 'observedsecret1', roles: ['System Manager'], password: ADMIN_PASSWORD },
      { name: CLERK, apiKey: 'observedclerk1', apiSecret: 'observedclerksecret1', roles: ['Blogger'], password: CLERK_PASSWORD },
    ],
  });
});
afterAll(async () => {
  await s?.stop();
});

interface Answer {
  status: number;
  json: Record<string, unknown>;
  cookies: string[];
}
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = ADMIN): Promise<Answer> {
  const r = await fetch(`${s.url}${path}`, { method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown>, cookies: r.headers.getSetCookie() };
}
const refusal = (a: Answer) => ({ status: a.status, exc_type: a.json.exc_type, messages: (JSON.parse(String(a.json._server_messages ?? '[]')) as string[]).map((m) => (JSON.parse(m) as { message: string }).message) });
const data = (a: Answer) => a.json.data as Record<string, unknown>;
const sidOf = (a: Answer) => /^sid=([^;]*)/.exec(a.cookies.find((c) => c.startsWith('sid=')) ?? '')?.[1] ?? '';
const login = async (usr: string, pwd: string) => ({ cookie: `sid=${sidOf(await call('POST', '/api/method/login', { usr, pwd }, {}))}` });
const account = (email: string, app: string | undefined, extra: Record<string, unknown> = {}) => ({
  email_id: email,
  auth_method: 'OAuth',
  connected_app: app,
  connected_user: 'Administrator',
  service: 'Outlook.com',
  enable_incoming: 1,
  use_imap: 1,
  use_ssl: 1,
  imap_folder: [{ folder_name: 'INBOX' }],
  email_server: 'outlook.office365.com',
  incoming_port: '993',
  enable_outgoing: 1,
  use_tls: 1,
  smtp_server: 'smtp.office365.com',
  smtp_port: '587',
  awaiting_password: 0,
  ...extra,
});
const newApp = async () => String(data(await call('POST', '/api/resource/Connected%20App', { provider_name: 'Microsoft 365', client_id: 'c1', client_secret: 's1', token_uri: 'https://login.microsoftonline.com/common/oauth2/v2.0/token', scopes: [{ scope: 'offline_access' }] })).name);

describe('Frappe 15.41.0 stand-in: what the real Frappe 15.41.0 answered (test/standins/README.md)', () => {
  it('a Connected App made through REST: Frappe names it (4 time + 6 random base32hex characters; the name sent and unknown fields dropped), computes its Redirect URI, masks the secret; {data: …} is the body too', async () => {
    const made = await call('POST', '/api/resource/Connected%20App', { provider_name: 'Microsoft 365', name: 'chosen-name', bogus_field: 'x', client_id: 'c1', client_secret: 'secret-of-18-chars', scopes: [{ scope: 'offline_access' }] });
    expect(made.status).toBe(200);
    const name = String(data(made).name);
    expect(name).toMatch(/^[0-9a-v]{10}$/);
    expect(data(made)).toMatchObject({ provider_name: 'Microsoft 365', redirect_uri: `${CALLBACK}${name}`, client_secret: '*'.repeat(18) });
    expect(data(made).bogus_field).toBeUndefined();
    const wrapped = await call('POST', '/api/resource/Connected%20App', { data: { provider_name: 'Wrapped' } });
    expect(wrapped.status).toBe(200);
    expect(data(wrapped).provider_name).toBe('Wrapped');
    expect(refusal(await call('POST', '/api/resource/Connected%20App', { client_id: 'x' }))).toEqual({ status: 417, exc_type: 'MandatoryError', messages: ['Error: Value missing for Connected App: Provider Name'] });
  });

  it('a user without System Manager: permissions.has_permission words (with the document when the DocType is readable), _error_message "Insufficient Permission …"', async () => {
    const app = await newApp();
    const clerk = await login(CLERK, CLERK_PASSWORD);
    const create = await call('POST', '/api/resource/Connected%20App', { provider_name: 'Not allowed' }, clerk);
    expect(refusal(create)).toEqual({ status: 403, exc_type: 'PermissionError', messages: [`User <strong>${CLERK}</strong> does not have access to this document: Connected App - None`] });
    expect(create.json._error_message).toBe('Insufficient Permission for Connected App (<strong>create</strong>)');
    expect(refusal(await call('PUT', `/api/resource/Connected%20App/${app}`, { client_id: 'no' }, clerk)).messages).toEqual([`User <strong>${CLERK}</strong> does not have access to this document: Connected App - ${app}`]);
    expect(refusal(await call('POST', '/api/resource/Email%20Account', account('clerk-made@fabrikam.com', app), clerk)).messages).toEqual([
      `User <strong>${CLERK}</strong> does not have doctype access via role permission for document <strong>Email Account</strong><br>User <strong>${CLERK}</strong> does not have access to this document`,
    ]);
  });

  it('password sign-in: no CSRF token asked of a session that holds none (a desk page makes one, then it is asked); logout answers as Guest and ends the session; Guest may call no method', async () => {
    expect(refusal(await call('POST', '/api/method/login', { usr: 'Administrator', pwd: 'wrong' }, {})).status).toBe(401);
    const admin = await login('Administrator', ADMIN_PASSWORD);
    expect((await call('POST', '/api/resource/Connected%20App', { provider_name: 'By session' }, { ...admin, 'x-frappe-csrf-token': 'not-the-token' })).status).toBe(200);
    // Once a desk page has put a CSRF token into a session, its writes need it (the product never loads one).
    const desk = await login('Administrator', ADMIN_PASSWORD);
    const page = await fetch(`${s.url}/app`, { headers: desk });
    const token = /csrf_token = "([^"]+)"/.exec(await page.text())?.[1] ?? '';
    expect(refusal(await call('POST', '/api/resource/Connected%20App', { provider_name: 'No token' }, desk))).toEqual({ status: 400, exc_type: 'CSRFTokenError', messages: ['Invalid Request'] });
    expect((await call('POST', '/api/resource/Connected%20App', { provider_name: 'With token' }, { ...desk, 'x-frappe-csrf-token': token })).status).toBe(200);
    const out = await call('POST', '/api/method/logout', undefined, admin);
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ message: 'No App', home_page: '/login', full_name: 'Guest' });
    expect(out.cookies.map((c) => c.split(';')[0])).toContain('sid=Guest');
    expect(refusal(await call('GET', '/api/method/frappe.auth.get_logged_user', undefined, admin))).toEqual({
      status: 403,
      exc_type: 'PermissionError',
      messages: ['<details><summary>You are not permitted to access this resource.</summary>Function <strong>frappe.auth.get_logged_user</strong> is not whitelisted.</details>'],
    });
    expect(refusal(await call('POST', '/api/resource/Connected%20App', { provider_name: 'After logout' }, admin)).messages).toEqual([
      'User <strong>Guest</strong> does not have doctype access via role permission for document <strong>Connected App</strong><br>User <strong>Guest</strong> does not have access to this document',
    ]);
  });

  it('Email Account: 15.41.0 service options, OAuth drops the password, connected_user not enforced, a missing Connected App is loaded (and not found), the name is Python title case', async () => {
    const app = await newApp();
    expect(refusal(await call('POST', '/api/resource/Email%20Account', account('svc@fabrikam.com', app, { service: 'Frappe Mail' })))).toEqual({
      status: 417,
      exc_type: 'ValidationError',
      messages: [' Service cannot be "Frappe Mail". It should be one of "", "GMail", "Sendgrid", "SparkPost", "Yahoo Mail", "Outlook.com", "Yandex.Mail"'],
    });
    expect(refusal(await call('POST', '/api/resource/Email%20Account', account('noapp@fabrikam.com', undefined)))).toEqual({ status: 404, exc_type: 'DoesNotExistError', messages: ['Connected App None not found'] });
    const noUser = await call('POST', '/api/resource/Email%20Account', account('no.user4x@fabrikam.com', app, { connected_user: undefined }));
    expect(noUser.status).toBe(200);
    expect(data(noUser).name).toBe('No User4X');
    expect(data(noUser).connected_user ?? null).toBeNull();
    const awaiting = await call('POST', '/api/resource/Email%20Account', account('awaiting@fabrikam.com', app, { awaiting_password: 1, password: 'not-kept' }));
    expect(data(awaiting)).toMatchObject({ awaiting_password: 0, password: null });
  });

  it('a Token Cache saved with expires_in 0 is not expired for a second: an Email Account saved at once finds no access token (401); with -1 Frappe refreshes, and a NEW account whose refresh failed is saved unchecked, checked on its next save', async () => {
    const zero = await newApp();
    expect((await call('POST', '/api/resource/Token%20Cache', { connected_app: zero, user: 'Administrator', refresh_token: 'rt-1', access_token: '', expires_in: 0, token_type: 'Bearer' })).status).toBe(200);
    expect(refusal(await call('POST', '/api/resource/Email%20Account', account('timing1@fabrikam.com', zero)))).toEqual({ status: 401, exc_type: 'AuthenticationError', messages: [`Password not found for Token Cache ${zero}-Administrator access_token`] });
    const minus = await newApp();
    expect((await call('POST', '/api/resource/Token%20Cache', { connected_app: minus, user: 'Administrator', refresh_token: 'rt-1', access_token: '', expires_in: -1, token_type: 'Bearer' })).status).toBe(200);
    const made = await call('POST', '/api/resource/Email%20Account', account('timing3@fabrikam.com', minus));
    expect(made.status).toBe(200);
    expect(refusal(await call('PUT', `/api/resource/Email%20Account/${encodeURIComponent(String(data(made).name))}`, {}))).toMatchObject({ status: 500, messages: ['Invalid Mail Server. Please rectify and try again.'] });
  });
});
