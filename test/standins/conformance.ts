/**
 * Conformance: the same requests to a stand-in and to the real system, compared (status code, error
 * words, stored fields). Run by hand against a real EmailEngine / Frappe started with
 * ../shared/peers/<system>/start.sh (see README.md in this folder); never part of a test suite.
 *
 *   npx tsx test/standins/conformance.ts emailengine <url> <access token>
 *   npx tsx test/standins/conformance.ts frappe <url> <apiKey> <apiSecret> [<Administrator password>]
 *   npx tsx test/standins/conformance.ts odoo <url> <database> <login> <API key or password> [<emulator CA pem> <emulator IMAP host:port> <emulator SMTP host:port>]
 *   npx tsx test/standins/conformance.ts odoo-connect <url> <database> <login> <password> <emulator CA pem> <mailbox> <mailbox password>
 *
 * Prints one line per request (same / DIFF and what differs; CONFORMANCE_SHOW=1 also prints what both answered)
 * and exits 1 when anything differs.
 * The request bodies come from the product's own builders (shared/catalogue/targets), so what is
 * compared is what the push sends. Values that differ by nature (ids, timestamps, versions of the
 * libraries) are left out of the comparison; every such exclusion is named below.
 */
import { createContext, getTarget } from '../../shared/catalogue';
import { emailEngineOAuth2Body } from '../../shared/catalogue/targets/emailengine';
import { frappeConnectedApp, frappeEmailAccount } from '../../shared/catalogue/targets/frappe';
import { odooMailServers } from '../../shared/catalogue/targets/odoo-family';
import { ProfileSchema, type Profile } from '../../shared/profile';
import { CREATE_ONLY } from '../../electron/engine/targets/emailengine';
import { startEmailEngine } from './emailengine';
import { startFrappe } from './frappe';
import { startOdoo } from './odoo';
import { readFileSync } from 'node:fs';
import type { MicrosoftSide } from './microsoft';

/** No request below makes a system reach Microsoft; a closed port stands for it. */
const NOWHERE: MicrosoftSide = { loginUrl: 'https://127.0.0.1:9', graphUrl: 'https://127.0.0.1:9', caPem: '', imap: { host: '127.0.0.1', port: 9 }, smtp: { host: '127.0.0.1', port: 9 } };
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const CLIENT = '7a3e0c11-0014-4b5c-8d6e-0000000000c1';

interface Answer {
  status: number;
  body: unknown;
  /** The sid cookie the answer set (Frappe's login), else undefined. */
  sid?: string;
  /** The names (and, for sid, whether it is "Guest") of the cookies the answer set, sorted. */
  cookies: string[];
}
async function send(base: string, headers: Record<string, string>, method: string, path: string, body?: unknown): Promise<Answer> {
  const r = await fetch(`${base}${path}`, { method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* HTML or empty */
  }
  const set = r.headers.getSetCookie?.() ?? [];
  const sidCookie = /^sid=([^;]*)/.exec(set.find((c) => c.startsWith('sid=')) ?? '')?.[1];
  const sid = sidCookie && sidCookie !== 'Guest' ? sidCookie : undefined;
  const cookies = set.map((c) => { const n = c.split('=')[0]!; return n === 'sid' && sidCookie === 'Guest' ? 'sid=Guest' : n; }).sort();
  return { status: r.status, body: json, ...(sid ? { sid } : {}), cookies };
}

function profile(target: string, targetInputs: Record<string, string>, extra: Record<string, unknown> = {}): Profile {
  return ProfileSchema.parse({ version: 1, name: `Conformance ${target}`, target, targetInputs, cloud: 'global', tenant: TENANT, clientId: CLIENT, clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' }, mailbox: 'support@fabrikam.com', flow: 'delegated', api: 'imap-smtp', ...extra });
}

let differences = 0;
function compare(what: string, a: unknown, b: unknown): void {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  if (ja === jb) console.log(`same  ${what}${process.env.CONFORMANCE_SHOW ? `\n      both:     ${jb}` : ''}`);
  else {
    differences++;
    console.log(`DIFF  ${what}\n      stand-in: ${ja}\n      real:     ${jb}`);
  }
}

/** EmailEngine: status, Boom fields (message, error, fields[].message sorted), the stored app. */
const eeView = (a: Answer) => {
  const b = (a.body ?? {}) as Record<string, unknown>;
  if (a.status >= 400) return { status: a.status, error: b.error, message: b.message, ...(b.code ? { code: b.code } : {}), fields: ((b.fields as Array<{ message: string }> | undefined) ?? []).map((f) => f.message).sort() };
  return { status: a.status, keys: Object.keys(b).sort() };
};
/** Fields of a stored app that the push writes (id, created, updated, includeInListing, accounts: by nature or not modelled). */
const APP_STORED = ['name', 'provider', 'enabled', 'clientId', 'clientSecret', 'authority', 'cloud', 'redirectUrl', 'baseScopes'];
const appView = (a: Answer) => ({ status: a.status, ...Object.fromEntries(APP_STORED.map((k) => [k, (a.body as Record<string, unknown>)?.[k] ?? null])) });

async function emailengine(realUrl: string, token: string): Promise<void> {
  const STAND_TOKEN = 'conformance-token-0123456789abcdef0123456789abcdef';
  const stand = await startEmailEngine({ microsoft: NOWHERE, tokens: [{ token: STAND_TOKEN, scopes: ['api'] }] });
  const sides = [
    { base: stand.url, auth: { authorization: `Bearer ${STAND_TOKEN}` } },
    { base: realUrl.replace(/\/+$/, ''), auth: { authorization: `Bearer ${token}` } },
  ];
  const both = async (what: string, method: string, path: (i: number) => string, body: unknown, view: (a: Answer) => unknown, headers?: Record<string, string>) => {
    const answers = [];
    for (let i = 0; i < 2; i++) answers.push(await send(sides[i]!.base, headers ?? sides[i]!.auth, method, path(i), body));
    compare(what, view(answers[0]!), view(answers[1]!));
    return answers;
  };
  try {
    const target = getTarget('emailengine');
    const imap = createContext(target, profile('emailengine', { baseUrl: 'https://emailengine.fabrikam.com', baseScope: 'imap', audience: 'single' }), 'conformance-secret-Value~1');
    const service = createContext(target, profile('emailengine', { baseUrl: 'https://emailengine.fabrikam.com', provider: 'outlookService', audience: 'single' }, { flow: 'app-only' }), 'conformance-secret-Value~2');
    const create = emailEngineOAuth2Body(imap);
    const update = Object.fromEntries(Object.entries(create).filter(([k]) => !CREATE_ONLY.includes(k)));

    await both('GET /v1/stats without a token', 'GET', () => '/v1/stats', undefined, eeView, {});
    await both('GET /v1/stats with a wrong token', 'GET', () => '/v1/stats', undefined, eeView, { authorization: 'Bearer not-a-token-0000' });
    await both('GET /v1/oauth2?pageSize=1000 (empty)', 'GET', () => '/v1/oauth2?pageSize=1000', undefined, (a) => ({ status: a.status, total: (a.body as { total?: number }).total, apps: (a.body as { apps?: unknown[] }).apps }));
    const created = await both('POST /v1/oauth2 (the push, delegated IMAP/SMTP)', 'POST', () => '/v1/oauth2', create, eeView);
    const ids = created.map((a) => String((a.body as { id?: string }).id));
    await both('GET /v1/oauth2/{app} (stored fields)', 'GET', (i) => `/v1/oauth2/${ids[i]}`, undefined, appView);
    await both('PUT /v1/oauth2/{app} (the push update: renewed secret)', 'PUT', (i) => `/v1/oauth2/${ids[i]}`, { ...update, clientSecret: 'conformance-secret-Value~3' }, eeView);
    await both('PUT /v1/oauth2/{app} with baseScopes and provider (refused)', 'PUT', (i) => `/v1/oauth2/${ids[i]}`, { ...create }, eeView);
    await both('PUT /v1/oauth2/{unknown}', 'PUT', () => '/v1/oauth2/AAAAAAAAAAAAAAAA', { name: 'x' }, eeView);
    await both('GET /v1/oauth2/{unknown}', 'GET', () => '/v1/oauth2/AAAAAAAAAAAAAAAA', undefined, eeView);
    await both('POST /v1/oauth2 name of 257 characters', 'POST', () => '/v1/oauth2', { ...create, name: 'n'.repeat(257) }, eeView);
    await both('POST /v1/oauth2 outlookService with authority "common"', 'POST', () => '/v1/oauth2', { ...emailEngineOAuth2Body(service), authority: 'common' }, eeView);
    const svc = await both('POST /v1/oauth2 (the push, Outlook application)', 'POST', () => '/v1/oauth2', emailEngineOAuth2Body(service), eeView);
    const sids = svc.map((a) => String((a.body as { id?: string }).id));
    await both('GET /v1/oauth2/{app} (stored fields, Outlook application)', 'GET', (i) => `/v1/oauth2/${sids[i]}`, undefined, appView);
    await both('PUT /v1/oauth2/{app} authority "common" on the Outlook application (accepted by UpdateOAuthApp)', 'PUT', (i) => `/v1/oauth2/${sids[i]}`, { authority: 'common' }, eeView);
    await both('GET /v1/account/{unknown}', 'GET', () => '/v1/account/nobody-fabrikam-com', undefined, eeView);
  } finally {
    await stand.stop();
  }
}

/** Frappe: status, exc_type and the unpacked _server_messages (tags kept); the answer's `message` when there are none. */
const frappeView = (a: Answer) => {
  const b = (a.body ?? {}) as Record<string, unknown>;
  let msgs: string[] = [];
  try {
    msgs = (JSON.parse(String(b._server_messages ?? '[]')) as string[]).map((m) => String((JSON.parse(m) as { message?: string }).message ?? m));
  } catch {
    /* none */
  }
  // Names Frappe chose (hash) differ by nature between the two sides.
  msgs = msgs.map((m) => m.replace(/ - [0-9a-v]{10}\b/g, ' - <name>'));
  return a.status >= 400 ? { status: a.status, exc_type: b.exc_type ?? null, messages: msgs, ...(msgs.length ? {} : { message: b.message ?? null }) } : { status: a.status };
};
const dataOf = (a: Answer) => ((a.body as { data?: Record<string, unknown> })?.data ?? {}) as Record<string, unknown>;
/** A saved Connected App as the push reads it back: its own name stands as <name> (Frappe's hash differs by nature). */
const connectedAppView = (sent: string) => (a: Answer) => {
  if (a.status >= 400) return frappeView(a);
  const d = dataOf(a);
  const name = String(d.name ?? '');
  return {
    status: a.status,
    name: name === sent ? 'the name sent' : /^[0-9a-v]{10}$/.test(name) ? '<10 base32hex characters>' : name,
    ...Object.fromEntries(['provider_name', 'openid_configuration', 'client_id', 'authorization_uri', 'token_uri', 'client_secret', 'bogus_field'].map((k) => [k, d[k] ?? null])),
    redirect_uri: String(d.redirect_uri ?? '').replace(name, '<name>'),
    scopes: ((d.scopes as Array<{ scope?: string }> | undefined) ?? []).map((s) => s.scope),
  };
};
const emailAccountView = (a: Answer) => {
  if (a.status >= 400) return frappeView(a);
  const d = dataOf(a);
  return { status: a.status, ...Object.fromEntries(['name', 'email_id', 'auth_method', 'service', 'connected_user', 'awaiting_password', 'password', 'enable_incoming', 'enable_outgoing', 'use_imap', 'use_ssl', 'use_tls'].map((k) => [k, d[k] ?? null])), connected_app: d.connected_app ? 'the app' : null, imap_folder: ((d.imap_folder as Array<{ folder_name?: string }> | undefined) ?? []).map((f) => f.folder_name) };
};
const loginView = (a: Answer) => ({ status: a.status, message: (a.body as { message?: string }).message ?? null, home_page: (a.body as { home_page?: string }).home_page ?? null, exc_type: (a.body as { exc_type?: string }).exc_type ?? null, session: !!a.sid, cookies: a.cookies });
const userView = (a: Answer) => ({ status: a.status, message: (a.body as { message?: string }).message ?? null });

async function frappe(realUrl: string, apiKey: string, apiSecret: string, adminPassword?: string): Promise<void> {
  const KEY = 'conformancekey1';
  const SECRET = 'conformancesecret1';
  const PASSWORD = 'conformance-admin-password-1';
  const CLERK = 'clerk@fabrikam.com';
  const CLERK_PASSWORD = 'Conformance-Clerk-Pass-9!';
  const stand = await startFrappe({
    microsoft: NOWHERE,
    version: '15.41.0',
    siteUrl: 'https://erp.fabrikam.com',
    users: [
      { name: 'Administrator', apiKey: KEY, apiSecret: SECRET, roles: ['System Manager'], password: PASSWORD },
      { name: CLERK, apiKey: 'conformanceclerk1', apiSecret: 'conformanceclerksecret1', roles: ['Blogger'], password: CLERK_PASSWORD },
    ],
  });
  const sides = [
    { base: stand.url, auth: { authorization: `token ${KEY}:${SECRET}` } },
    { base: realUrl.replace(/\/+$/, ''), auth: { authorization: `token ${apiKey}:${apiSecret}` } },
  ];
  /** The same request to both sides (the path and body may depend on the side: names Frappe chose), with the side's own headers unless given. */
  const both = async (what: string, method: string, path: string | ((i: number) => string), body: unknown | ((i: number) => unknown), view: (a: Answer) => unknown, headers?: (i: number) => Record<string, string>) => {
    const answers: Answer[] = [];
    for (let i = 0; i < 2; i++) answers.push(await send(sides[i]!.base, headers ? headers(i) : sides[i]!.auth, method, typeof path === 'function' ? path(i) : path, typeof body === 'function' ? (body as (i: number) => unknown)(i) : body));
    compare(what, view(answers[0]!), view(answers[1]!));
    return answers;
  };
  try {
    const ctx = createContext(getTarget('frappe'), profile('frappe', { siteUrl: 'https://erp.fabrikam.com', connectedAppName: 'conformance' }), 'conformance-secret');
    const { doctype: _d, ...account } = frappeEmailAccount(ctx);
    // A new address per run: the real site keeps the Email Accounts an earlier run made (named after the address).
    const run = Date.now().toString(36);
    const mailbox = (n: number) => `conformance${n}x${run}@fabrikam.com`;
    // Basic, not OAuth: no request below may make Frappe log in anywhere.
    const noFolder = { ...account, email_id: mailbox(1), auth_method: 'Basic', awaiting_password: 1, connected_app: undefined, connected_user: undefined, imap_folder: [] };
    await both('GET frappe.auth.get_logged_user', 'GET', '/api/method/frappe.auth.get_logged_user', undefined, userView);
    for (const [dt, p] of [['Connected App', 'create'], ['Email Account', 'create'], ['Token Cache', 'create'], ['Connected App', 'read']])
      await both(`has_permission ${dt} ${p} (Administrator)`, 'GET', `/api/method/frappe.client.has_permission?doctype=${encodeURIComponent(dt!)}&docname=&perm_type=${p}`, undefined, (a) => ({ status: a.status, message: (a.body as { message?: unknown }).message }));
    await both('POST Email Account, incoming IMAP without an IMAP folder (refused)', 'POST', '/api/resource/Email%20Account', noFolder, frappeView);
    await both('POST Email Account with an IMAP folder row without folder_name (refused)', 'POST', '/api/resource/Email%20Account', { ...noFolder, imap_folder: [{}] }, frappeView);
    await both('GET Connected App that does not exist', 'GET', '/api/resource/Connected%20App/nothing-here', undefined, frappeView);

    // Issue 19: the push creates the Connected App through REST, with the product's own body (plus a name and a field the DocType lacks).
    const { doctype: _a, name: _n, redirect_uri: _r, ...appBody } = frappeConnectedApp(ctx);
    const SENT = 'conformance-app';
    const apps = await both('POST Connected App (the push body; a name and an unknown field sent)', 'POST', '/api/resource/Connected%20App', { ...appBody, name: SENT, bogus_field: 'x' }, connectedAppView(SENT));
    const appNames = apps.map((a) => String(dataOf(a).name ?? ''));
    await both('GET Connected App (read back)', 'GET', (i) => `/api/resource/Connected%20App/${appNames[i]}`, undefined, connectedAppView(SENT));
    await both('PUT Connected App (a renewed client secret)', 'PUT', (i) => `/api/resource/Connected%20App/${appNames[i]}`, { client_secret: 'conformance-secret-2' }, connectedAppView(SENT));
    await both('PUT Connected App redirect_uri (read-only, computed)', 'PUT', (i) => `/api/resource/Connected%20App/${appNames[i]}`, { redirect_uri: 'https://elsewhere.example/cb' }, connectedAppView(SENT));
    await both('POST Connected App without provider_name (refused)', 'POST', '/api/resource/Connected%20App', { client_id: 'x' }, frappeView);
    await both('POST Connected App with {data: …} around the body', 'POST', '/api/resource/Connected%20App', { data: { provider_name: 'Wrapped' } }, connectedAppView(SENT));

    // The push's Email Account (auth_method OAuth, the Connected App just made, Administrator), no Token Cache yet.
    const oauthAccount = (i: number, extra: Record<string, unknown> = {}) => ({ ...account, email_id: mailbox(2), connected_app: appNames[i], connected_user: 'Administrator', service: 'Outlook.com', awaiting_password: 0, ...extra });
    await both('POST Email Account OAuth without connected_app (refused)', 'POST', '/api/resource/Email%20Account', (i: number) => oauthAccount(i, { email_id: mailbox(3), connected_app: undefined }), frappeView);
    await both('POST Email Account OAuth without connected_user', 'POST', '/api/resource/Email%20Account', (i: number) => oauthAccount(i, { email_id: mailbox(4), connected_user: undefined }), emailAccountView);
    await both('POST Email Account service "Frappe Mail" (not in 15.41.0)', 'POST', '/api/resource/Email%20Account', (i: number) => oauthAccount(i, { email_id: mailbox(5), service: 'Frappe Mail' }), frappeView);
    await both('POST Email Account OAuth awaiting_password 1 and a password', 'POST', '/api/resource/Email%20Account', (i: number) => oauthAccount(i, { email_id: mailbox(6), awaiting_password: 1, password: 'not-kept' }), emailAccountView);
    const accts = await both('POST Email Account (the push body, OAuth, no Token Cache yet)', 'POST', '/api/resource/Email%20Account', (i: number) => oauthAccount(i), emailAccountView);
    const acctNames = accts.map((a) => encodeURIComponent(String(dataOf(a).name ?? '')));
    // Saving it again checks the mailbox (not new any more): Frappe connects to IMAP first, which neither side can
    // here. The status and words are compared, not the class, which differs by nature (the peer's loopback guard resolves no
    // name: gaierror; the stand-in's closed port: ConnectionRefusedError), both OSErrors re-raised as HTTP 500.
    await both('PUT Email Account (an update: Frappe checks the mailbox, none reachable)', 'PUT', (i) => `/api/resource/Email%20Account/${acctNames[i]}`, { enable_outgoing: 1 }, (a) => ({ status: a.status, messages: (frappeView(a) as { messages?: string[] }).messages ?? null }));

    if (adminPassword) {
      // Issue 19: the Administrator's password instead of an API key (POST /api/method/login, then the sid cookie).
      const passwords = [PASSWORD, adminPassword];
      const login = (what: string, usr: string, pwd: (i: number) => string | undefined) => both(what, 'POST', '/api/method/login', (i: number) => ({ usr, pwd: pwd(i) }), loginView, () => ({}));
      await login('POST /api/method/login, wrong password', 'Administrator', () => 'not-the-password-0000');
      await login('POST /api/method/login, no password', 'Administrator', () => undefined);
      await login('POST /api/method/login, unknown user', 'nobody@fabrikam.com', () => 'not-the-password-0000');
      const sessions = (await login('POST /api/method/login, the Administrator password', 'Administrator', (i) => passwords[i]!)).map((a) => a.sid ?? '');
      const bySession = (what: string, method: string, path: string | ((i: number) => string), body: unknown, view: (a: Answer) => unknown, extra: Record<string, string> = {}) => both(what, method, path, body, view, (i) => ({ cookie: `sid=${sessions[i]}`, ...extra }));
      await bySession('GET frappe.auth.get_logged_user with the session', 'GET', '/api/method/frappe.auth.get_logged_user', undefined, userView);
      // A session that never loaded a desk page holds no CSRF token, so Frappe asks for none on a write.
      await bySession('POST Connected App with the session (no CSRF token)', 'POST', '/api/resource/Connected%20App', { provider_name: 'Conformance session' }, connectedAppView(SENT));
      await bySession('PUT Connected App with the session (no CSRF token)', 'PUT', (i) => `/api/resource/Connected%20App/${appNames[i]}`, { client_id: 'changed-by-session' }, connectedAppView(SENT));
      await bySession('POST Connected App with the session and a wrong X-Frappe-CSRF-Token', 'POST', '/api/resource/Connected%20App', { provider_name: 'Conformance csrf' }, connectedAppView(SENT), { 'x-frappe-csrf-token': 'not-the-token' });
      // A second session that loads the desk page: from then on it holds a CSRF token, and a write without it is refused.
      const desk = (await login('POST /api/method/login, a second session', 'Administrator', (i) => passwords[i]!)).map((a) => `sid=${a.sid ?? ''}`);
      await both('GET /app with the second session (not compared: the peer has no built assets; it gives the session a CSRF token)', 'GET', '/app', undefined, () => 'not compared', (i) => ({ cookie: desk[i]! }));
      await both('POST Connected App with the second session, no X-Frappe-CSRF-Token (refused)', 'POST', '/api/resource/Connected%20App', { provider_name: 'After the desk page' }, frappeView, (i) => ({ cookie: desk[i]! }));
      await bySession('POST /api/method/logout', 'POST', '/api/method/logout', undefined, (a) => ({ status: a.status, message: (a.body as { message?: unknown }).message ?? null, cookies: a.cookies }));
      await bySession('GET frappe.auth.get_logged_user with the session after logout', 'GET', '/api/method/frappe.auth.get_logged_user', undefined, userView);
      await bySession('POST Connected App with the session after logout', 'POST', '/api/resource/Connected%20App', { provider_name: 'After logout' }, frappeView);

      // A user without System Manager (the real one is made here through REST; the stand-in has it).
      await send(sides[1]!.base, sides[1]!.auth, 'POST', '/api/resource/User', { email: CLERK, first_name: 'Clerk', send_welcome_email: 0, new_password: CLERK_PASSWORD, roles: [{ role: 'Blogger' }] });
      const clerk = (await login('POST /api/method/login, a user without System Manager', CLERK, () => CLERK_PASSWORD)).map((a) => a.sid ?? '');
      await both('POST Connected App as a user without System Manager (refused)', 'POST', '/api/resource/Connected%20App', { provider_name: 'Not allowed' }, frappeView, (i) => ({ cookie: `sid=${clerk[i]}` }));
      await both('PUT Connected App as a user without System Manager (refused)', 'PUT', (i) => `/api/resource/Connected%20App/${appNames[i]}`, { client_id: 'not-allowed' }, frappeView, (i) => ({ cookie: `sid=${clerk[i]}` }));
      await both('POST Email Account as a user without System Manager (refused)', 'POST', '/api/resource/Email%20Account', (i: number) => oauthAccount(i, { email_id: mailbox(7) }), frappeView, (i) => ({ cookie: `sid=${clerk[i]}` }));
    }
  } finally {
    await stand.stop();
  }
}

/** One JSON-RPC answer as compared: the error's class and words, or the result through a projection. */
interface Rpc {
  result?: unknown;
  error?: { code?: number; message?: string; data?: { name?: string; message?: string } };
}
const rpcView =
  (project: (r: unknown) => unknown = (r) => r) =>
  (a: Rpc) =>
    a.error ? { error: a.error.data?.name ?? null, message: normaliseOdoo(a.error.data?.message ?? a.error.message ?? '') } : { result: project(a.result) };
/** What differs by nature between two Odoo servers: the PostgreSQL socket path and port in connection errors, trace ids and times in Microsoft's words, record ids. */
function normaliseOdoo(text: string): string {
  return text
    .replace(/socket "[^"]+"/g, 'socket "<socket>"')
    .replace(/Trace ID: [0-9a-f-]+/gi, 'Trace ID: <id>')
    .replace(/Correlation ID: [0-9a-f-]+/gi, 'Correlation ID: <id>')
    .replace(/Timestamp: [0-9: -]+Z?/g, 'Timestamp: <time>')
    .replace(/\nUser: \d+\n/g, '\nUser: <uid>\n')
    .replace(/#\d+/g, '#<id>');
}
const noIds = (r: unknown): unknown => (Array.isArray(r) ? r.map(noIds) : r && typeof r === 'object' ? Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'id')) : r);
const kind = (r: unknown): unknown => (Array.isArray(r) ? r.map(kind) : typeof r === 'number' ? 'number' : r);

/**
 * Odoo (JSON-RPC, as the product speaks to 15-18): authentication, the reads and writes of the push with
 * the product's own field values (odooMailServers), the module's refusals with their words, the
 * rights of a user without Settings, and the module's connection tests (no token; a token the
 * emulator refuses, when its CA is given: the real Odoo reaches the emulator through the endpoint
 * parameter start.sh set, the stand-in is told the same parameter).
 */
async function odoo(realUrl: string, db: string, login: string, secret: string, emulator?: { caPath: string; imap: string; smtp: string }): Promise<void> {
  const KEY = 'conformance-odoo-key-0123456789abcdef0123456789abcdef';
  const CLERK_KEY = 'conformance-odoo-clerk-0123456789abcdef0123456789abcd';
  const real = realUrl.replace(/\/+$/, '');
  let rpcId = 0;
  const call = async (base: string, service: string, method: string, args: unknown[]): Promise<Rpc> => {
    const r = await fetch(`${base}/jsonrpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: ++rpcId }) });
    return (await r.json()) as Rpc;
  };
  // The real side's own settings the stand-in must start with: the endpoint parameter and web.base.url.
  const realUid = (await call(real, 'common', 'authenticate', [db, login, secret, {}])).result as number;
  if (typeof realUid !== 'number') throw new Error(`the real Odoo refused ${login}: check the database, login and key`);
  const realParams = (await call(real, 'object', 'execute_kw', [db, realUid, secret, 'ir.config_parameter', 'search_read', [[['key', 'in', ['web.base.url', 'microsoft_outlook.endpoint']]]], { fields: ['key', 'value'] }])).result as Array<{ key: string; value: string }>;
  const endpoint = realParams.find((p) => p.key === 'microsoft_outlook.endpoint')?.value;
  const hostPort = (hp: string) => ({ host: hp.replace(/:\d+$/, ''), port: Number(/:(\d+)$/.exec(hp)?.[1]) });
  const ms: MicrosoftSide = emulator && endpoint ? { ...NOWHERE, loginUrl: new URL(endpoint).origin, caPem: readFileSync(emulator.caPath, 'utf8'), imap: hostPort(emulator.imap), smtp: hostPort(emulator.smtp) } : NOWHERE;
  const version = ((await call(real, 'common', 'version', [])).result as { server_serie: string }).server_serie;
  const stand = await startOdoo({ microsoft: ms, product: 'Odoo', version, databases: [db], users: [{ login, apiKey: KEY, system: true }, { login: 'clerk', apiKey: CLERK_KEY, system: false }], webBaseUrl: realParams.find((p) => p.key === 'web.base.url')?.value ?? 'http://127.0.0.1' });
  if (endpoint) stand.records['ir.config_parameter']!.push({ id: 2, key: 'microsoft_outlook.endpoint', value: endpoint });
  // A user without Settings rights on the real side: an internal user with a password (JSON-RPC takes a password where it takes an API key).
  const clerkPassword = `clerk-${Date.now().toString(36)}-pw`;
  const clerkLogin = `clerk-${Date.now().toString(36)}`;
  const made = await call(real, 'object', 'execute_kw', [db, realUid, secret, 'res.users', 'create', [[{ name: 'Conformance Clerk', login: clerkLogin, password: clerkPassword }]], {}]);
  if (made.error) throw new Error(`cannot create the clerk on the real Odoo: ${made.error.data?.message ?? ''}`);
  const sides = [
    { base: stand.url, uid: 2, key: KEY, login, clerk: { login: 'clerk', key: CLERK_KEY, uid: 3 } },
    { base: real, uid: realUid, key: secret, login, clerk: { login: clerkLogin, key: clerkPassword, uid: 0 } },
  ];
  sides[1]!.clerk.uid = (await call(real, 'common', 'authenticate', [db, clerkLogin, clerkPassword, {}])).result as number;
  type Side = (typeof sides)[number];
  const both = async (what: string, args: (s: Side, i: number) => [string, string, unknown[]], view: (a: Rpc) => unknown = rpcView()) => {
    const answers: Rpc[] = [];
    for (let i = 0; i < 2; i++) answers.push(await call(sides[i]!.base, ...args(sides[i]!, i)));
    compare(what, view(answers[0]!), view(answers[1]!));
    return answers;
  };
  const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}, as: 'admin' | 'clerk' = 'admin') => (s: Side): [string, string, unknown[]] => ['object', 'execute_kw', [db, as === 'admin' ? s.uid : s.clerk.uid, as === 'admin' ? s.key : s.clerk.key, model, method, args, kwargs]];
  try {
    const ctx = createContext(getTarget('odoo'), profile('odoo', { baseUrl: 'https://erp.fabrikam.com', version: String(parseInt(version, 10)), audience: 'multi-personal' }), 'conformance-secret');
    const [outgoing, incoming] = odooMailServers(ctx, { id: 'odoo', name: 'Odoo', versioned: true }).map((m) => m.values) as [Record<string, unknown>, Record<string, unknown>];
    // With the emulator, both servers point at its SMTP and IMAP (as a profile's endpoint overrides do), so the
    // real Odoo reaches them; without it, Microsoft's default hosts (the real Odoo's loopback guard refuses them).
    if (ms !== NOWHERE) {
      Object.assign(outgoing, { smtp_host: ms.smtp.host, smtp_port: ms.smtp.port });
      Object.assign(incoming, { server: ms.imap.host, port: ms.imap.port });
    }
    const SERVER_FIELDS = ['name', 'smtp_host', 'smtp_port', 'smtp_encryption', 'smtp_user', 'from_filter', 'smtp_authentication', 'microsoft_outlook_refresh_token', 'active'];
    const FETCH_FIELDS = ['name', 'server_type', 'server', 'port', 'is_ssl', 'user', 'state', 'microsoft_outlook_refresh_token', 'active'];

    await both('common.version', () => ['common', 'version', []], rpcView((r) => ({ keys: Object.keys(r as object).sort(), serie: (r as { server_serie: string }).server_serie, info: (r as { server_version_info: unknown[] }).server_version_info })));
    await both('db.list', () => ['db', 'list', []]);
    await both('common.authenticate (good key)', (s) => ['common', 'authenticate', [db, s.login, s.key, {}]], rpcView(kind));
    await both('common.authenticate (wrong key)', (s) => ['common', 'authenticate', [db, s.login, 'wrong-key-0000000000000000', {}]]);
    await both('common.authenticate (unknown database)', (s) => ['common', 'authenticate', ['no_such_db', s.login, s.key, {}]]);
    await both('execute_kw with a wrong key', (s) => ['object', 'execute_kw', [db, s.uid, 'wrong-key-0000000000000000', 'ir.config_parameter', 'search_read', [[]], { fields: ['key'] }]]);
    await both('ir.module.module search_read microsoft_outlook', kw('ir.module.module', 'search_read', [[['name', 'in', ['microsoft_outlook']]]], { fields: ['name', 'state'] }), rpcView(noIds));
    const PARAMS = ['microsoft_outlook_client_id', 'microsoft_outlook_client_secret', 'microsoft_outlook.endpoint', 'microsoft.outlook.endpoint'];
    await both('ir.config_parameter search_read (the push keys, before)', kw('ir.config_parameter', 'search_read', [[['key', 'in', PARAMS]]], { fields: ['key', 'value'] }), rpcView(noIds));
    await both('ir.config_parameter search (one key)', kw('ir.config_parameter', 'search', [[['key', '=', 'microsoft_outlook_client_id']]]));
    const created = await both('ir.config_parameter create [{key, value}] (vals_list)', kw('ir.config_parameter', 'create', [[{ key: 'microsoft_outlook_client_id', value: CLIENT }]]), rpcView(kind));
    await both('ir.config_parameter create {key, value} (one dict)', kw('ir.config_parameter', 'create', [{ key: 'microsoft_outlook_client_secret', value: 'conformance-secret' }]), rpcView(kind));
    await both('ir.config_parameter create an existing key (unique)', kw('ir.config_parameter', 'create', [[{ key: 'microsoft_outlook_client_id', value: 'again' }]]));
    const ids = created.map((a) => (a.result as number[])?.[0]);
    await both('ir.config_parameter write {value} (renewed secret)', (s, i) => kw('ir.config_parameter', 'write', [[ids[i]], { value: `${CLIENT}-2` }])(s));
    await both('ir.config_parameter search_read (read back)', kw('ir.config_parameter', 'search_read', [[['key', 'in', PARAMS]]], { fields: ['key', 'value'] }), rpcView((r) => (noIds(r) as Array<{ key: string }>).sort((a, b) => a.key.localeCompare(b.key))));

    // Outgoing server: the refusals first, then the push's values.
    const mk = (vals: Record<string, unknown>) => kw('ir.mail_server', 'create', [[vals]]);
    await both('ir.mail_server create outlook with smtp_pass (refused)', mk({ ...outgoing, name: 'pass', smtp_pass: 'not-allowed' }));
    await both('ir.mail_server create outlook with smtp_encryption ssl (refused)', mk({ ...outgoing, name: 'ssl', smtp_encryption: 'ssl' }));
    await both('ir.mail_server create outlook with smtp_encryption none (refused)', mk({ ...outgoing, name: 'none', smtp_encryption: 'none' }));
    await both('ir.mail_server create outlook without smtp_user (refused)', mk({ ...outgoing, name: 'nouser', smtp_user: false }));
    await both('ir.mail_server create with an unknown field', mk({ ...outgoing, name: 'unknown', use_microsoft_outlook_service: true }));
    await both('ir.mail_server create with smtp_authentication "oauth" (not a value)', mk({ ...outgoing, name: 'wrong', smtp_authentication: 'oauth' }));
    const out = await both('ir.mail_server create (the push values)', mk(outgoing), rpcView(kind));
    const outIds = out.map((a) => (a.result as number[])?.[0]);
    const readOut = kw('ir.mail_server', 'search_read', [[['smtp_user', '=', outgoing.smtp_user]]], { fields: SERVER_FIELDS, context: { active_test: false } });
    await both('ir.mail_server search_read (read back)', readOut, rpcView(noIds));
    await both('ir.mail_server write smtp_encryption none on the Outlook server (refused)', (s, i) => kw('ir.mail_server', 'write', [[outIds[i]], { smtp_encryption: 'none' }])(s));
    await both('ir.mail_server write smtp_pass on the Outlook server (refused)', (s, i) => kw('ir.mail_server', 'write', [[outIds[i]], { smtp_pass: 'x' }])(s));
    await both('ir.mail_server read [microsoft_outlook_refresh_token]', (s, i) => kw('ir.mail_server', 'read', [[outIds[i]]], { fields: ['microsoft_outlook_refresh_token'] })(s), rpcView(noIds));
    await both('ir.mail_server test_smtp_connection without a token', (s, i) => kw('ir.mail_server', 'test_smtp_connection', [[outIds[i]]])(s));

    // Incoming server.
    const mkIn = (vals: Record<string, unknown>) => kw('fetchmail.server', 'create', [[vals]]);
    await both('fetchmail.server create outlook without is_ssl (refused)', mkIn({ ...incoming, name: 'nossl', is_ssl: false }));
    await both('fetchmail.server create with server_type "oauth" (not a value)', mkIn({ ...incoming, name: 'wrong', server_type: 'oauth' }));
    const inc = await both('fetchmail.server create (the push values)', mkIn(incoming), rpcView(kind));
    const inIds = inc.map((a) => (a.result as number[])?.[0]);
    await both('fetchmail.server search_read (read back)', kw('fetchmail.server', 'search_read', [[['user', '=', incoming.user]]], { fields: FETCH_FIELDS, context: { active_test: false } }), rpcView(noIds));
    await both('fetchmail.server write is_ssl false (refused)', (s, i) => kw('fetchmail.server', 'write', [[inIds[i]], { is_ssl: false }])(s));
    await both('fetchmail.server button_confirm_login without a token', (s, i) => kw('fetchmail.server', 'button_confirm_login', [[inIds[i]]])(s));
    await both('fetchmail.server read [state] after the failed test', (s, i) => kw('fetchmail.server', 'read', [[inIds[i]]], { fields: ['state'] })(s), rpcView(noIds));

    // A token the emulator refuses: Odoo reaches the token endpoint and says what it got.
    if (ms !== NOWHERE) {
      const STALE = 'conformance-refresh-token-that-the-emulator-never-issued';
      await both('ir.mail_server write microsoft_outlook_refresh_token', (s, i) => kw('ir.mail_server', 'write', [[outIds[i]], { microsoft_outlook_refresh_token: STALE, microsoft_outlook_access_token: '', microsoft_outlook_access_token_expiration: 0 }])(s));
      await both('fetchmail.server write microsoft_outlook_refresh_token', (s, i) => kw('fetchmail.server', 'write', [[inIds[i]], { microsoft_outlook_refresh_token: STALE, microsoft_outlook_access_token: '', microsoft_outlook_access_token_expiration: 0 }])(s));
      await both('ir.mail_server test_smtp_connection with a refused token', (s, i) => kw('ir.mail_server', 'test_smtp_connection', [[outIds[i]]])(s));
      await both('fetchmail.server button_confirm_login with a refused token', (s, i) => kw('fetchmail.server', 'button_confirm_login', [[inIds[i]]])(s));
    }

    // A user without Settings rights.
    await both('common.authenticate (user without Settings)', (s) => ['common', 'authenticate', [db, s.clerk.login, s.clerk.key, {}]], rpcView(kind));
    await both('ir.config_parameter search_read as a user without Settings', kw('ir.config_parameter', 'search_read', [[['key', 'in', PARAMS]]], { fields: ['key', 'value'] }, 'clerk'));
    await both('ir.mail_server search_read as a user without Settings', kw('ir.mail_server', 'search_read', [[['smtp_user', '=', outgoing.smtp_user]]], { fields: SERVER_FIELDS }, 'clerk'));
    await both('fetchmail.server search_read as a user without Settings', kw('fetchmail.server', 'search_read', [[['user', '=', incoming.user]]], { fields: FETCH_FIELDS }, 'clerk'));
    await both('ir.module.module search_read as a user without Settings', kw('ir.module.module', 'search_read', [[['name', 'in', ['microsoft_outlook']]]], { fields: ['name', 'state'] }, 'clerk'), rpcView(noIds));
  } finally {
    await stand.stop();
  }
}

/**
 * After `mail-oauth push` (the CLI hands no token over): Odoo's own "Connect your Outlook account" on both
 * servers, as a person would press it: an Odoo web session for the admin, the record's
 * microsoft_outlook_uri (Odoo's authorize URL, built from the endpoint parameter the push wrote), the
 * emulator's sign-in pages (the same forms a browser posts, test/emulator/testkit.ts), then the redirect
 * back to Odoo's /microsoft_outlook/confirm; then Odoo's Test Connection and Test & Confirm. Prints what
 * Odoo stored and answered; exits 1 when a step fails.
 */
async function odooConnect(realUrl: string, db: string, login: string, password: string, caPath: string, upn: string, upnPassword: string): Promise<void> {
  const { Agent, request } = await import('undici');
  const agent = new Agent({ connect: { ca: readFileSync(caPath, 'utf8') } });
  const base = realUrl.replace(/\/+$/, '');
  const auth = await fetch(`${base}/web/session/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db, login, password }, id: 1 }) });
  const session = /session_id=[^;]+/.exec(auth.headers.get('set-cookie') ?? '')?.[0];
  const uid = ((await auth.json()) as { result?: { uid?: number } }).result?.uid;
  if (!session || !uid) throw new Error('no Odoo web session for the admin (password?)');
  const kw = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const r = (await (await fetch(`${base}/jsonrpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: [db, uid, password, model, method, args, kwargs] }, id: 2 }) })).json()) as Rpc;
    if (r.error) throw new Error(`${model}.${method}: ${r.error.data?.name}: ${r.error.data?.message}`);
    return r.result;
  };
  const http = async (method: string, url: string, form?: Record<string, string>, cookie?: string) => {
    const r = await request(url, { method: method as 'GET', dispatcher: agent, headers: { ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(cookie ? { cookie } : {}) }, body: form ? new URLSearchParams(form).toString() : undefined });
    return { status: r.statusCode, headers: r.headers, text: await r.body.text() };
  };
  let failed = 0;
  for (const [model, userField] of [['ir.mail_server', 'smtp_user'], ['fetchmail.server', 'user']] as const) {
    const [rec] = (await kw(model, 'search_read', [[[userField, '=', upn]]], { fields: ['microsoft_outlook_uri', 'write_date'] })) as Array<{ id: number; microsoft_outlook_uri: string | false }>;
    if (!rec?.microsoft_outlook_uri) throw new Error(`${model}: no record for ${upn} or no authorize URL (client id and secret set?)`);
    const authorize = new URL(rec.microsoft_outlook_uri);
    console.log(`${model} #${rec.id}: Odoo's authorize URL ${authorize.origin}${authorize.pathname} redirect_uri=${authorize.searchParams.get('redirect_uri')} scope="${authorize.searchParams.get('scope')}"`);
    let r = await http('GET', authorize.toString());
    const cookie = String(r.headers['set-cookie'] ?? '').split(';')[0];
    for (let i = 0; i < 8 && r.status !== 302; i++) {
      const flow = /name="flow" value="([^"]+)"/.exec(r.text)?.[1];
      if (!flow) throw new Error(`the emulator's sign-in stopped: ${r.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
      const post = (form: Record<string, string>) => http('POST', `${authorize.origin}/_flow`, { flow, ...form }, cookie);
      if (r.text.includes('id="i0116"')) r = await post({ step: 'username', loginfmt: upn });
      else if (r.text.includes('id="i0118"')) r = await post({ step: 'password', passwd: upnPassword });
      else if (r.text.includes('idBtn_Accept')) r = await post({ step: 'consent', accept: 'yes' });
      else throw new Error(`unexpected sign-in page: ${r.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
    }
    const back = new URL(String(r.headers.location));
    if (!back.searchParams.get('code')) throw new Error(`the emulator redirected without a code: ${back.search}`);
    // The browser would now open redirect_uri on Odoo's public address (web.base.url); here the same path on the peer.
    const confirm = await fetch(`${base}${back.pathname}${back.search}`, { headers: { cookie: session }, redirect: 'manual' });
    console.log(`  /microsoft_outlook/confirm → HTTP ${confirm.status} ${confirm.headers.get('location') ?? (await confirm.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 200)}`);
    const [after] = (await kw(model, 'read', [[rec.id]], { fields: ['microsoft_outlook_refresh_token', 'microsoft_outlook_access_token_expiration'] })) as Array<{ microsoft_outlook_refresh_token: string | false }>;
    console.log(`  refresh token stored: ${after?.microsoft_outlook_refresh_token ? 'yes' : 'NO'}`);
    if (!after?.microsoft_outlook_refresh_token) failed++;
  }
  const [out] = (await kw('ir.mail_server', 'search', [[['smtp_user', '=', upn]]])) as number[];
  const [inc] = (await kw('fetchmail.server', 'search', [[['user', '=', upn]]])) as number[];
  for (const [what, run] of [
    ['Test Connection (ir.mail_server.test_smtp_connection)', () => kw('ir.mail_server', 'test_smtp_connection', [[out]])],
    ['Test & Confirm (fetchmail.server.button_confirm_login)', () => kw('fetchmail.server', 'button_confirm_login', [[inc]])],
  ] as const) {
    try {
      console.log(`${what}: ${JSON.stringify(await run())}`);
    } catch (e) {
      failed++;
      console.log(`${what}: FAILED ${(e as Error).message}`);
    }
  }
  console.log(`fetchmail.server state: ${JSON.stringify(await kw('fetchmail.server', 'read', [[inc]], { fields: ['state'] }))}`);
  await agent.close();
  if (failed) differences += failed;
}

const [system, ...rest] = process.argv.slice(2);
const run =
  system === 'emailengine' && rest.length === 2
    ? emailengine(rest[0]!, rest[1]!)
    : system === 'frappe' && (rest.length === 3 || rest.length === 4)
      ? frappe(rest[0]!, rest[1]!, rest[2]!, rest[3])
      : system === 'odoo' && (rest.length === 4 || rest.length === 7)
        ? odoo(rest[0]!, rest[1]!, rest[2]!, rest[3]!, rest.length === 7 ? { caPath: rest[4]!, imap: rest[5]!, smtp: rest[6]! } : undefined)
        : system === 'odoo-connect' && rest.length === 7
          ? odooConnect(rest[0]!, rest[1]!, rest[2]!, rest[3]!, rest[4]!, rest[5]!, rest[6]!)
          : undefined;
if (!run) {
  console.error('usage: npx tsx test/standins/conformance.ts emailengine <url> <token> | frappe <url> <apiKey> <apiSecret> [<Administrator password>] | odoo <url> <database> <login> <key or password> [<emulator CA pem> <IMAP host:port> <SMTP host:port>]');
  process.exit(2);
}
run.then(
  () => {
    console.log(differences ? `${differences} difference(s)` : 'no difference');
    process.exit(differences ? 1 : 0);
  },
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
