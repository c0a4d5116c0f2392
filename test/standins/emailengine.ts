/**
 * EmailEngine stand-in: the REST API routes the assistant uses, strict as EmailEngine's Joi schemas
 * (lib/schemas.js oauthCreateSchema, oauth2Schema; lib/api-routes/*.js), its Boom error shapes, token
 * auth, and the account worker: a registered Outlook account really refreshes its token at the
 * (emulated) Microsoft token endpoint and logs in to IMAP with XOAUTH2 before it says "connected".
 * Sources: README.md in this folder.
 */
import { randomBytes } from 'node:crypto';
import { serveJson, type Req, type Res, type Running } from './http';
import { emulatorUrl, graphGet, imapServer, imapXoauth2, postToken, type MicrosoftSide } from './microsoft';

export interface EmailEngineOptions {
  microsoft: MicrosoftSide;
  version?: string;
  /** Access tokens (Access Tokens page) and their scopes: 'api' (everything), 'metrics' (stats only). */
  tokens: Array<{ token: string; scopes: Array<'api' | 'metrics' | 'smtp' | 'imap-proxy'> }>;
}

interface App {
  id: string;
  name: string;
  description?: string;
  title?: string;
  provider: string;
  enabled: boolean;
  clientId: string;
  clientSecret: string;
  authority: string;
  cloud: string;
  redirectUrl?: string;
  baseScopes?: string;
  created: string;
  updated?: string;
}
interface Account {
  account: string;
  name: string;
  email?: string;
  state: string;
  oauth2: { provider: string; auth: { user: string }; accessToken?: string; refreshToken?: string; expires?: string };
  lastError: Record<string, unknown> | null;
}

const PROVIDERS = ['gmail', 'gmailService', 'outlook', 'outlookService', 'mailRu'];
const CLOUDS = ['global', 'gcc-high', 'dod', 'china'];
/** Entra endpoint per cloud (lib/oauth/outlook.js). */
const ENTRA: Record<string, string> = { global: 'login.microsoftonline.com', 'gcc-high': 'login.microsoftonline.us', dod: 'login.microsoftonline.us', china: 'login.chinacloudapi.cn' };
const OUTLOOK_RESOURCE: Record<string, string> = { global: 'https://outlook.office.com', 'gcc-high': 'https://outlook.office365.us', dod: 'https://outlook.office365.us', china: 'https://partner.outlook.cn' };
const GRAPH: Record<string, string> = { global: 'https://graph.microsoft.com', 'gcc-high': 'https://graph.microsoft.us', dod: 'https://dod-graph.microsoft.us', china: 'https://microsoftgraph.chinacloudapi.cn' };
/** IMAP host per cloud (lib/oauth2-apps.js). */
const IMAP_HOST: Record<string, string> = { global: 'outlook.office365.com', 'gcc-high': 'outlook.office365.us', dod: 'outlook-dod.office365.us', china: 'partner.outlook.cn' };

/** outlookScopes(cloud) of lib/oauth/outlook.js. */
export function outlookScopes(cloud: string, base: string | undefined): string[] {
  const r = OUTLOOK_RESOURCE[cloud] ?? OUTLOOK_RESOURCE.global!;
  const g = GRAPH[cloud] ?? GRAPH.global!;
  if (base === 'api') return [`${g}/Mail.ReadWrite`, `${g}/Mail.Send`, 'offline_access', 'openid', 'profile', `${g}/User.Read`];
  return [`${r}/IMAP.AccessAsUser.All`, `${r}/SMTP.Send`, 'offline_access', 'openid', 'profile'];
}

const boom = (statusCode: number, message: string, extra: Record<string, unknown> = {}): Res => ({ status: statusCode, body: { statusCode, error: { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[statusCode] ?? 'Error', message, ...extra } });
/** failAction in lib/tools.js: 400 "Invalid input" with the Joi details as `fields`. */
const invalid = (fields: Array<{ message: string; key: string }>): Res => boom(400, 'Invalid input', { fields });

type Check = (v: Record<string, unknown>, out: Array<{ message: string; key: string }>) => void;
const isStr = (v: unknown) => typeof v === 'string';
const isUri = (v: unknown) => isStr(v) && /^https?:\/\/[^\s]+$/.test(v as string);

/** oauthCreateSchema (api tailoring) for the Outlook providers; other providers are refused here. */
const createChecks: Check = (v, out) => {
  const known = ['name', 'description', 'title', 'provider', 'enabled', 'clientId', 'clientSecret', 'baseScopes', 'extraScopes', 'skipScopes', 'authority', 'cloud', 'redirectUrl', 'pubSubApp', 'serviceClient', 'serviceClientEmail', 'serviceKey', 'googleProjectId', 'googleWorkspaceAccounts', 'googleTopicName', 'googleSubscriptionName', 'authMethod', 'externalAccount'];
  for (const k of Object.keys(v)) if (!known.includes(k)) out.push({ message: `"${k}" is not allowed`, key: k });
  if (!isStr(v.name) || !(v.name as string).trim()) out.push({ message: '"name" is required', key: 'name' });
  else if ((v.name as string).trim().length > 256) out.push({ message: '"name" length must be less than or equal to 256 characters long', key: 'name' });
  if (v.provider === undefined || v.provider === '') out.push({ message: '"provider" is required', key: 'provider' });
  else if (!PROVIDERS.includes(String(v.provider))) out.push({ message: `"provider" must be one of [${PROVIDERS.join(', ')}]`, key: 'provider' });
  const p = String(v.provider ?? '');
  if (v.enabled !== undefined && typeof v.enabled !== 'boolean') out.push({ message: '"enabled" must be a boolean', key: 'enabled' });
  if (p !== 'gmailService') {
    if (!isStr(v.clientId)) out.push({ message: '"clientId" is required', key: 'clientId' });
    if (!isStr(v.clientSecret) || !(v.clientSecret as string).trim()) out.push({ message: '"clientSecret" is required', key: 'clientSecret' });
  }
  if (v.baseScopes !== undefined && v.baseScopes !== '' && !['imap', 'api', 'pubsub'].includes(String(v.baseScopes))) out.push({ message: '"baseScopes" must be one of [imap, api, pubsub]', key: 'baseScopes' });
  if (p === 'outlookService') {
    if (!isStr(v.authority) || !(v.authority as string).trim()) out.push({ message: '"authority" is required', key: 'authority' });
    // lib/schemas.js declares the message 'Client credentials flow requires a specific tenant ID; …', but
    // EmailEngine 2.79.2 answers with Joi's default for .invalid() under the label (observed, conformance.ts).
    else if (['common', 'organizations', 'consumers'].includes(String(v.authority))) out.push({ message: '"Authority" contains an invalid value', key: 'authority' });
  } else if (p === 'outlook' && (!isStr(v.authority) || !(v.authority as string).trim())) out.push({ message: '"authority" is required', key: 'authority' });
  if ((p === 'outlook' || p === 'outlookService') && v.cloud !== undefined && v.cloud !== '' && !CLOUDS.includes(String(v.cloud))) out.push({ message: `"cloud" must be one of [${CLOUDS.join(', ')}]`, key: 'cloud' });
  if (p !== 'gmailService' && p !== 'outlookService') {
    if (v.redirectUrl === undefined) out.push({ message: '"redirectUrl" is required', key: 'redirectUrl' });
    else if (v.redirectUrl !== '' && !isUri(v.redirectUrl)) out.push({ message: '"redirectUrl" must be a valid uri with a scheme matching the http|https pattern', key: 'redirectUrl' });
  } else if (v.redirectUrl !== undefined && v.redirectUrl !== false && v.redirectUrl !== null) out.push({ message: '"redirectUrl" must be one of [false, null]', key: 'redirectUrl' });
};

/**
 * PUT /v1/oauth2/{app} payload, Joi object `UpdateOAuthApp` (oauth2-app-routes.js): no provider and
 * no baseScopes (both fixed at creation); any other key is refused, `"<key>" is not allowed`
 * (validate.options.stripUnknown false, abortEarly false: every refused key is listed).
 */
const updateChecks: Check = (v, out) => {
  const known = ['name', 'description', 'title', 'enabled', 'clientId', 'clientSecret', 'pubSubApp', 'extraScopes', 'skipScopes', 'serviceClient', 'serviceClientEmail', 'serviceKey', 'authority', 'cloud', 'tenant', 'redirectUrl', 'googleProjectId', 'googleWorkspaceAccounts', 'googleTopicName', 'googleSubscriptionName'];
  for (const k of Object.keys(v)) if (!known.includes(k)) out.push({ message: `"${k}" is not allowed`, key: k });
  if (v.name !== undefined && String(v.name).trim().length > 256) out.push({ message: '"name" length must be less than or equal to 256 characters long', key: 'name' });
  if (v.cloud !== undefined && !CLOUDS.includes(String(v.cloud))) out.push({ message: `"cloud" must be one of [${CLOUDS.join(', ')}]`, key: 'cloud' });
  if (v.redirectUrl !== undefined && v.redirectUrl !== '' && !isUri(v.redirectUrl)) out.push({ message: '"redirectUrl" must be a valid uri with a scheme matching the http|https pattern', key: 'redirectUrl' });
};

export interface EmailEngineStandIn extends Running {
  apps: Map<string, App>;
  accounts: Map<string, Account>;
  /** Number of writes (POST/PUT) that changed state: a second push must not raise it. */
  writes(): number;
}

export async function startEmailEngine(opts: EmailEngineOptions): Promise<EmailEngineStandIn> {
  const apps = new Map<string, App>();
  const accounts = new Map<string, Account>();
  let writes = 0;
  const version = opts.version ?? '2.79.2';
  const masked = (a: App) => ({ ...a, clientSecret: '******' });
  const publicAccount = (a: Account) => ({ account: a.account, name: a.name, email: a.email, state: a.state, oauth2: { provider: a.oauth2.provider, auth: a.oauth2.auth, ...(a.oauth2.expires ? { expires: a.oauth2.expires } : {}) }, lastError: a.lastError });

  /** The account worker: what EmailEngine does after an account is (re)registered. */
  const connect = async (a: Account): Promise<void> => {
    const app = apps.get(a.oauth2.provider);
    if (!app) {
      a.state = 'connectError';
      a.lastError = { response: 'OAuth2 application not found' };
      return;
    }
    a.state = 'connecting';
    const tokenUrl = `https://${ENTRA[app.cloud] ?? ENTRA.global}/${app.authority}/oauth2/v2.0/token`;
    let accessToken = a.oauth2.accessToken && a.oauth2.expires && Date.parse(a.oauth2.expires) > Date.now() + 10_000 ? a.oauth2.accessToken : undefined;
    if (app.provider === 'outlookService') {
      const r = await postToken(opts.microsoft, tokenUrl, { client_id: app.clientId, client_secret: app.clientSecret, scope: `${GRAPH[app.cloud] ?? GRAPH.global}/.default`, grant_type: 'client_credentials' });
      if (r.status !== 200) {
        a.state = 'authenticationError';
        a.lastError = { response: 'Failed to authenticate the Outlook application', tokenRequest: { status: r.status, response: r.json } };
        return;
      }
      const g = await graphGet(opts.microsoft, `${GRAPH[app.cloud] ?? GRAPH.global}/v1.0/users/${encodeURIComponent(a.oauth2.auth.user)}/mailFolders/inbox`, String(r.json.access_token));
      if (g.status !== 200) {
        a.state = 'authenticationError';
        a.lastError = { response: JSON.stringify(g.json).slice(0, 500), serverResponseCode: `HTTP${g.status}` };
        return;
      }
      a.state = 'connected';
      a.lastError = null;
      return;
    }
    if (!accessToken) {
      if (!a.oauth2.refreshToken) {
        a.state = 'authenticationError';
        a.lastError = { response: 'Failed to renew the Outlook access token for the user. Please have the user sign in again to reauthorize access.' };
        return;
      }
      const r = await postToken(opts.microsoft, tokenUrl, { client_id: app.clientId, client_secret: app.clientSecret, refresh_token: a.oauth2.refreshToken, grant_type: 'refresh_token', scope: outlookScopes(app.cloud, app.baseScopes).join(' ') });
      if (r.status !== 200) {
        a.state = 'authenticationError';
        a.lastError = { response: 'Failed to renew the Outlook access token for the user. Please have the user sign in again to reauthorize access.', tokenRequest: { status: r.status, response: r.json } };
        return;
      }
      accessToken = String(r.json.access_token);
      a.oauth2.accessToken = accessToken;
      a.oauth2.expires = new Date(Date.now() + Number(r.json.expires_in ?? 3600) * 1000).toISOString();
      if (r.json.refresh_token) a.oauth2.refreshToken = String(r.json.refresh_token);
    }
    try {
      if (app.baseScopes === 'api') {
        const g = await graphGet(opts.microsoft, `${GRAPH[app.cloud] ?? GRAPH.global}/v1.0/me`, accessToken);
        if (g.status !== 200) throw new Error(JSON.stringify(g.json).slice(0, 300));
      } else await imapXoauth2(opts.microsoft, imapServer(opts.microsoft, IMAP_HOST[app.cloud] ?? IMAP_HOST.global!, 993), a.oauth2.auth.user, accessToken);
      a.state = 'connected';
      a.lastError = null;
    } catch (e) {
      a.state = 'authenticationError';
      a.lastError = { response: (e as Error).message, serverResponseCode: (e as { serverResponseCode?: string }).serverResponseCode ?? 'AUTHENTICATIONFAILED' };
    }
  };

  const handle = async (req: Req): Promise<Res> => {
    const h = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(h)?.[1] ?? req.query.get('access_token') ?? undefined;
    if (!token) return boom(401, 'Missing authentication');
    const t = opts.tokens.find((x) => x.token === token);
    if (!t) return boom(401, 'Bad token');
    const api = t.scopes.includes('api');
    if (req.method === 'GET' && req.path === '/v1/stats') {
      if (!api && !t.scopes.includes('metrics')) return boom(403, 'Insufficient scope');
      return { status: 200, body: { version, license: 'Licensed to Fabrikam (test)', accounts: accounts.size, node: process.versions.node, redis: '7.2.4', imapflow: '1.0.0', bullmq: '5.0.0', connections: { connected: [...accounts.values()].filter((a) => a.state === 'connected').length } } };
    }
    if (!api) return boom(403, 'Insufficient scope');
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    if (typeof req.body === 'symbol') return boom(400, 'Invalid request payload JSON format');
    if (req.method === 'GET' && req.path === '/v1/oauth2') {
      const list = [...apps.values()].map(masked);
      return { status: 200, body: { total: list.length, page: 0, pages: 1, apps: list } };
    }
    if (req.method === 'POST' && req.path === '/v1/oauth2') {
      const out: Array<{ message: string; key: string }> = [];
      createChecks(body, out);
      if (!out.length && !['outlook', 'outlookService'].includes(String(body.provider))) out.push({ message: 'This stand-in only implements the Outlook providers', key: 'provider' });
      if (out.length) return invalid(out);
      const id = randomBytes(12).toString('base64url');
      const app: App = { id, name: String(body.name), provider: String(body.provider), enabled: body.enabled === true, clientId: String(body.clientId), clientSecret: String(body.clientSecret), authority: String(body.authority), cloud: String(body.cloud || 'global'), created: new Date().toISOString(), ...(body.redirectUrl ? { redirectUrl: String(body.redirectUrl) } : {}), ...(body.baseScopes ? { baseScopes: String(body.baseScopes) } : {}) };
      apps.set(id, app);
      writes++;
      return { status: 200, body: { id, created: true } };
    }
    const appMatch = /^\/v1\/oauth2\/([^/]+)$/.exec(req.path);
    if (appMatch) {
      // hapi validates the payload before the handler looks the app up: a refused body is a 400 even for an unknown app.
      const out: Array<{ message: string; key: string }> = [];
      if (req.method === 'PUT') updateChecks(body, out);
      if (out.length) return invalid(out);
      const app = apps.get(appMatch[1]!);
      // EmailEngine 2.79.2 (observed): {"statusCode":404,"error":"Not Found","message":"Document was not found","code":"NotFound"}
      if (!app) return boom(404, 'Document was not found', { code: 'NotFound' });
      if (req.method === 'GET') return { status: 200, body: { ...masked(app), accounts: [...accounts.values()].filter((a) => a.oauth2.provider === app.id).length } };
      if (req.method === 'PUT') {
        // UpdateOAuthApp does not check the authority against the provider: EmailEngine 2.79.2 stores
        // "common" on an outlookService app (observed, conformance.ts); the product never sends it (emailEngineProblem).
        Object.assign(app, Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'tenant')), { updated: new Date().toISOString() });
        writes++;
        return { status: 200, body: { id: app.id, updated: true } };
      }
    }
    if (req.method === 'POST' && req.path === '/v1/account') {
      const out: Array<{ message: string; key: string }> = [];
      if (!('account' in body)) out.push({ message: '"account" is required', key: 'account' });
      if (!isStr(body.name)) out.push({ message: '"name" is required', key: 'name' });
      if (body.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(body.email))) out.push({ message: '"email" must be a valid email', key: 'email' });
      const o = body.oauth2 as Record<string, unknown> | undefined;
      if (!o) out.push({ message: 'This stand-in only registers OAuth2 accounts ("oauth2" missing)', key: 'oauth2' });
      else {
        for (const k of Object.keys(o)) if (!['authorize', 'redirectUrl', 'provider', 'auth', 'useAuthServer', 'accessToken', 'refreshToken', 'authority', 'expires'].includes(k)) out.push({ message: `"oauth2.${k}" is not allowed`, key: k });
        const auth = o.auth as Record<string, unknown> | undefined;
        if (!auth) out.push({ message: '"oauth2.auth" is required', key: 'auth' });
        else if (!isStr(auth.user)) out.push({ message: '"oauth2.auth.user" is required', key: 'user' });
        if (o.refreshToken !== undefined && (!isStr(o.refreshToken) || (o.refreshToken as string).length > 16384)) out.push({ message: '"oauth2.refreshToken" must be a string', key: 'refreshToken' });
      }
      if (out.length) return invalid(out);
      if (!apps.has(String(o!.provider))) return boom(404, 'Requested OAuth2 application was not found');
      const id = body.account === null ? randomBytes(8).toString('hex') : String(body.account);
      const existing = accounts.has(id);
      const auth = o!.auth as { user: string };
      const a: Account = { account: id, name: String(body.name), ...(body.email ? { email: String(body.email) } : {}), state: 'init', oauth2: { provider: String(o!.provider), auth: { user: auth.user }, ...(o!.refreshToken ? { refreshToken: String(o!.refreshToken) } : {}), ...(o!.accessToken ? { accessToken: String(o!.accessToken) } : {}), ...(o!.expires ? { expires: String(o!.expires) } : {}) }, lastError: null };
      accounts.set(id, a);
      writes++;
      void connect(a).catch((e: unknown) => {
        a.state = 'connectError';
        a.lastError = { response: String(e) };
      });
      return { status: 200, body: { account: id, state: existing ? 'existing' : 'new' } };
    }
    const acctMatch = /^\/v1\/account\/([^/]+)$/.exec(req.path);
    if (acctMatch && req.method === 'GET') {
      const a = accounts.get(acctMatch[1]!);
      if (!a) return boom(404, 'Account record was not found for requested ID'); // EmailEngine 2.79.2 (observed)
      return { status: 200, body: publicAccount(a) };
    }
    return boom(404, 'Not Found');
  };

  const running = await serveJson(handle);
  return { ...running, apps, accounts, writes: () => writes };
}

export { emulatorUrl };
