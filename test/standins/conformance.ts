/**
 * Conformance: the same requests to a stand-in and to the real system, compared (status code, error
 * words, stored fields). Run by hand against a real EmailEngine / Frappe started with
 * ../shared/peers/<system>/start.sh (see README.md in this folder); never part of a test suite.
 *
 *   npx tsx test/standins/conformance.ts emailengine <url> <access token>
 *   npx tsx test/standins/conformance.ts frappe <url> <apiKey> <apiSecret>
 *
 * Prints one line per request (same / DIFF and what differs) and exits 1 when anything differs.
 * The request bodies come from the product's own builders (shared/catalogue/targets), so what is
 * compared is what the push sends. Values that differ by nature (ids, timestamps, versions of the
 * libraries) are left out of the comparison; every such exclusion is named below.
 */
import { createContext, getTarget } from '../../shared/catalogue';
import { emailEngineOAuth2Body } from '../../shared/catalogue/targets/emailengine';
import { frappeEmailAccount } from '../../shared/catalogue/targets/frappe';
import { ProfileSchema, type Profile } from '../../shared/profile';
import { CREATE_ONLY } from '../../electron/engine/targets/emailengine';
import { startEmailEngine } from './emailengine';
import { startFrappe } from './frappe';
import type { MicrosoftSide } from './microsoft';

/** No request below makes a system reach Microsoft; a closed port stands for it. */
const NOWHERE: MicrosoftSide = { loginUrl: 'https://127.0.0.1:9', graphUrl: 'https://127.0.0.1:9', caPem: '', imap: { host: '127.0.0.1', port: 9 }, smtp: { host: '127.0.0.1', port: 9 } };
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const CLIENT = '7a3e0c11-0014-4b5c-8d6e-0000000000c1';

interface Answer {
  status: number;
  body: unknown;
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
  return { status: r.status, body: json };
}

function profile(target: string, targetInputs: Record<string, string>, extra: Record<string, unknown> = {}): Profile {
  return ProfileSchema.parse({ version: 1, name: `Conformance ${target}`, target, targetInputs, cloud: 'global', tenant: TENANT, clientId: CLIENT, clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' }, mailbox: 'support@fabrikam.com', flow: 'delegated', api: 'imap-smtp', ...extra });
}

let differences = 0;
function compare(what: string, a: unknown, b: unknown): void {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  if (ja === jb) console.log(`same  ${what}`);
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

/** Frappe: status, exc_type and the unpacked _server_messages; stored fields of the Email Account. */
const frappeView = (a: Answer) => {
  const b = (a.body ?? {}) as Record<string, unknown>;
  let msgs: string[] = [];
  try {
    msgs = (JSON.parse(String(b._server_messages ?? '[]')) as string[]).map((m) => String((JSON.parse(m) as { message?: string }).message ?? m));
  } catch {
    /* none */
  }
  return a.status >= 400 ? { status: a.status, exc_type: b.exc_type ?? null, messages: msgs } : { status: a.status };
};

async function frappe(realUrl: string, apiKey: string, apiSecret: string): Promise<void> {
  const KEY = 'conformancekey1';
  const SECRET = 'conformancesecret1';
  const stand = await startFrappe({ microsoft: NOWHERE, version: '15.41.0', siteUrl: 'https://erp.fabrikam.com', users: [{ name: 'Administrator', apiKey: KEY, apiSecret: SECRET, roles: ['System Manager'] }] });
  const sides = [
    { base: stand.url, auth: { authorization: `token ${KEY}:${SECRET}` } },
    { base: realUrl.replace(/\/+$/, ''), auth: { authorization: `token ${apiKey}:${apiSecret}` } },
  ];
  const both = async (what: string, method: string, path: string, body: unknown, view: (a: Answer) => unknown) => {
    const answers = [];
    for (let i = 0; i < 2; i++) answers.push(await send(sides[i]!.base, sides[i]!.auth, method, path, body));
    compare(what, view(answers[0]!), view(answers[1]!));
    return answers;
  };
  try {
    const ctx = createContext(getTarget('frappe'), profile('frappe', { siteUrl: 'https://erp.fabrikam.com', connectedAppName: 'conformance' }), 'conformance-secret');
    const { doctype: _d, ...account } = frappeEmailAccount(ctx);
    // Basic, not OAuth: no request below may make Frappe log in anywhere.
    const noFolder = { ...account, email_id: 'conformance1@fabrikam.com', auth_method: 'Basic', awaiting_password: 1, connected_app: undefined, connected_user: undefined, imap_folder: [] };
    await both('GET frappe.auth.get_logged_user', 'GET', '/api/method/frappe.auth.get_logged_user', undefined, (a) => ({ status: a.status, message: (a.body as { message?: string }).message }));
    for (const [dt, p] of [['Connected App', 'create'], ['Email Account', 'create'], ['Token Cache', 'create'], ['Connected App', 'read']])
      await both(`has_permission ${dt} ${p} (Administrator)`, 'GET', `/api/method/frappe.client.has_permission?doctype=${encodeURIComponent(dt!)}&docname=&perm_type=${p}`, undefined, (a) => ({ status: a.status, message: (a.body as { message?: unknown }).message }));
    await both('POST Email Account, incoming IMAP without an IMAP folder (refused)', 'POST', '/api/resource/Email%20Account', noFolder, frappeView);
    await both('POST Email Account with an IMAP folder row without folder_name (refused)', 'POST', '/api/resource/Email%20Account', { ...noFolder, imap_folder: [{}] }, frappeView);
    await both('GET Connected App that does not exist', 'GET', '/api/resource/Connected%20App/nothing-here', undefined, frappeView);
  } finally {
    await stand.stop();
  }
}

const [system, ...rest] = process.argv.slice(2);
const run = system === 'emailengine' && rest.length === 2 ? emailengine(rest[0]!, rest[1]!) : system === 'frappe' && rest.length === 3 ? frappe(rest[0]!, rest[1]!, rest[2]!) : undefined;
if (!run) {
  console.error('usage: npx tsx test/standins/conformance.ts emailengine <url> <token> | frappe <url> <apiKey> <apiSecret>');
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
