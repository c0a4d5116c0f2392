/**
 * Frappe / ERPNext through its REST API (/api/resource, /api/method) with `Authorization: token
 * key:secret`. DocTypes from frappe/frappe: integrations/doctype/connected_app, token_cache,
 * email/doctype/email_account (see test/standins/README.md).
 */
import { createContext, getTarget } from '../../../shared/catalogue';
import { frappeConnectedApp, frappeEmailAccount, frappeScopes } from '../../../shared/catalogue/targets/frappe';
import { fingerprint } from './connection';
import { TargetError } from './errors';
import { jsonOf, targetRequest, TargetNetError, unreachable, type TargetHttpResponse } from './http';
import { SECRET_SHOWN, type PlanItem, type PushPlan, type RestoreValue, type TargetClient, type TargetContextInput, type TargetCredentials, type TargetTestResult } from './types';

type Doc = Record<string, unknown>;
/** The child tables the push writes and the one field of their rows (connected_app.json `scopes` → OAuth Scope, email_account.json `imap_folder` → IMAP Folder). */
const CHILD_ROW: Record<string, string> = { scopes: 'scope', imap_folder: 'folder_name' };

/** Frappe's error body: exc_type + _server_messages (a JSON list of JSON objects with `message`). */
export function frappeMessages(json: unknown): { excType: string; text: string } {
  const j = (json ?? {}) as { exc_type?: string; _server_messages?: string; message?: string; exception?: string };
  const msgs: string[] = [];
  try {
    for (const m of JSON.parse(j._server_messages ?? '[]') as string[]) {
      try {
        msgs.push(String((JSON.parse(m) as { message?: string }).message ?? m));
      } catch {
        msgs.push(m);
      }
    }
  } catch {
    /* no server messages */
  }
  const text = (msgs.length ? msgs.join(' ') : (j.exception ?? j.message ?? '')).replace(/<[^>]+>/g, '');
  return { excType: j.exc_type ?? '', text };
}

/** Where and as whom Frappe's REST API is reached: the one way in that the push and the Connected App creation share. */
export interface FrappeAccess {
  url: string;
  /** The user signed in with the password (Administrator unless given). */
  login?: string | undefined;
  credentials: TargetCredentials | undefined;
  ca?: string[] | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * Two ways in (issue 19): the API key and secret (`Authorization: token key:secret`), or the user's own login
 * and password, as Frappe's REST documentation offers ("Password Based Authentication": POST
 * /api/method/login with usr and pwd; the answer's `sid` cookie is the session, frappe/auth.py LoginManager).
 * Requests made with that session carry no CSRF token: Frappe checks one only when the session holds one, and
 * a session holds one only after a desk page asked for it (frappe/sessions.py get_csrf_token, auth.py
 * validate_csrf_token). With two-factor sign-in on, the login answers with a verification step instead of a
 * session: then the key and secret are the way in.
 */
export function frappeApi(a: FrappeAccess) {
  const base = a.url;
  const host = new URL(base).host;
  const creds = a.credentials?.kind === 'frappe' ? a.credentials : undefined;
  const tokenAuth = creds && 'apiKey' in creds ? `token ${creds.apiKey}:${creds.apiSecret}` : '';
  const loginUser = (a.login ?? '').trim() || 'Administrator';
  let session: Promise<string> | undefined;

  const send = async (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<TargetHttpResponse> => {
    try {
      return await targetRequest(`${base}${path}`, { method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }, { ...(a.ca ? { ca: a.ca } : {}), timeoutMs: a.timeoutMs, ...(a.signal ? { signal: a.signal } : {}) });
    } catch (e) {
      if (e instanceof TargetNetError) throw unreachable(e, host);
      throw e;
    }
  };
  /** Signs in once with the login and password; the session (its `sid` cookie) serves every later request. */
  const login = async (password: string): Promise<string> => {
    const r = await send('POST', '/api/method/login', {}, { usr: loginUser, pwd: password });
    const json = jsonOf(r) as { message?: string; verification?: unknown; exc_type?: string } | undefined;
    if (json === undefined) throw new TargetError('target-not-recognised', `HTTP ${r.status} from /api/method/login (not Frappe's REST API)`, host, r.status);
    if (r.status === 401 || json.exc_type === 'AuthenticationError') throw new TargetError('target-bad-credentials', `AuthenticationError: ${json.message ?? ''} (user ${loginUser})`, host, 401);
    if (json.verification !== undefined) throw new TargetError('target-bad-credentials', `Frappe asks ${loginUser} for a two-factor verification code: sign in with an API key and secret instead (User > Settings > API Access > Generate Keys)`, host, 401);
    if (r.status >= 400) throw new TargetError('target-validation', `${json.exc_type ?? `HTTP ${r.status}`}: ${json.message ?? ''}`, host, r.status);
    const sid = /(?:^|[,;]\s*)sid=([^;,\s]+)/.exec(r.headers['set-cookie'] ?? '')?.[1];
    if (!sid || sid === 'Guest') throw new TargetError('target-not-recognised', 'Frappe answered the login without a session', host);
    return sid;
  };
  const authHeaders = async (): Promise<Record<string, string>> => {
    if (tokenAuth) return { authorization: tokenAuth };
    if (creds && 'password' in creds) {
      session ??= login(creds.password);
      return { cookie: `sid=${await session}` };
    }
    return {};
  };
  const call = async (method: string, path: string, body?: unknown): Promise<{ r: TargetHttpResponse; json: unknown }> => {
    const r = await send(method, path, await authHeaders(), body);
    const json = jsonOf(r);
    if (r.status >= 400) {
      if (json === undefined) throw new TargetError('target-not-recognised', `HTTP ${r.status} from ${path.split('?')[0]} (not Frappe's REST API)`, host, r.status);
      const { excType, text } = frappeMessages(json);
      const words = `${excType}${text ? `: ${text}` : ''}`;
      if (r.status === 401 || excType === 'AuthenticationError') throw new TargetError('target-bad-credentials', words, host, r.status);
      if (r.status === 403 || excType === 'PermissionError') throw new TargetError('target-insufficient-rights', words, host, r.status);
      if (r.status === 404 || excType === 'DoesNotExistError') throw new TargetError('target-validation', words, host, 404);
      throw new TargetError('target-validation', words, host, r.status);
    }
    return { r, json };
  };
  const get = async (doctype: string, name: string): Promise<Doc | undefined> => {
    try {
      return ((await call('GET', `/api/resource/${encodeURIComponent(doctype)}/${encodeURIComponent(name)}`)).json as { data: Doc }).data;
    } catch (e) {
      if (e instanceof TargetError && e.status === 404) return undefined;
      throw e;
    }
  };
  const save = async (doctype: string, name: string | undefined, doc: Doc): Promise<Doc> =>
    ((await call(name ? 'PUT' : 'POST', `/api/resource/${encodeURIComponent(doctype)}${name ? `/${encodeURIComponent(name)}` : ''}`, doc)).json as { data: Doc }).data;
  /** Whether the signed-in user may `ptype` on `doctype` (frappe/client.py has_permission). */
  const may = async (doctype: string, ptype: string): Promise<boolean> => {
    const { json } = await call('GET', `/api/method/frappe.client.has_permission?doctype=${encodeURIComponent(doctype)}&docname=&perm_type=${ptype}`);
    return (json as { message?: { has_permission?: unknown } })?.message?.has_permission === true;
  };
  return { host, call, get, save, may };
}

/** What creating the Connected App gave: Frappe's own name for it and the Redirect URI it shows, read back. */
export interface CreatedConnectedApp {
  name: string;
  redirectUri: string;
  provider: string;
  /** false: the connection's Connected App was already there (read back, nothing written). */
  created: boolean;
}

/**
 * Creates the Connected App the Frappe guide has the person make by hand before anything else (issue 19):
 * POST /api/resource/Connected App with its one required field, Provider Name (connected_app.json
 * `provider_name` reqd). Frappe names it itself (the DocType has no autoname, so frappe/model/naming.py
 * set_new_name falls back to make_autoname("hash")) and sets its Redirect URI on validate
 * (connected_app.py: get_url() + .../connected_app.callback/<name>); both are read back here, and the name
 * is what the registration's redirect URI ends with. Idempotent: `existing` (the name this connection
 * created before) is read back instead of creating another. The caller asked the person first.
 */
export async function createFrappeConnectedApp(a: FrappeAccess, provider: string, existing?: string): Promise<CreatedConnectedApp> {
  const api = frappeApi(a);
  if (!(await api.may('Connected App', 'create'))) throw new TargetError('target-insufficient-rights', `Frappe user ${(a.login ?? '').trim() || 'Administrator'} has no create permission on Connected App (System Manager has it)`, api.host, 403);
  const had = existing ? await api.get('Connected App', existing) : undefined;
  const doc = had ?? (await api.save('Connected App', undefined, { provider_name: provider }));
  const name = String(doc.name ?? '');
  const back = name ? await api.get('Connected App', name) : undefined;
  if (!back || !back.redirect_uri) throw new TargetError('target-not-recognised', `Frappe did not show the Connected App${name ? ` ${name}` : ''} it ${had ? 'holds' : 'created'} with a Redirect URI`, api.host);
  return { name, redirectUri: String(back.redirect_uri), provider: String(back.provider_name ?? provider), created: !had };
}

export function frappeClient(c: TargetContextInput): TargetClient {
  const host = new URL(c.connection.url).host;
  const { call, get, save, may } = frappeApi({ url: c.connection.url, login: c.connection.login, credentials: c.credentials, ca: c.profile.caCerts, timeoutMs: c.timeoutMs, signal: c.signal });
  const target = getTarget(c.profile.target);
  const ctx = () => createContext(target, c.profile, c.clientSecret ?? '');
  const appName = c.profile.targetInputs.connectedAppName ?? '';
  let loggedUser: string | undefined;

  const user = async () => {
    if (!loggedUser) {
      const { json } = await call('GET', '/api/method/frappe.auth.get_logged_user');
      loggedUser = (json as { message?: string })?.message;
      if (!loggedUser) throw new TargetError('target-not-recognised', 'frappe.auth.get_logged_user answered without a user', host);
    }
    return c.connection.connectedUser || loggedUser;
  };

  const desiredApp = (): Doc => {
    const cx = ctx();
    const { doctype: _d, name: _n, redirect_uri: _r, client_secret: _s, ...rest } = frappeConnectedApp(cx);
    const root = `https://${cx.hosts.signInHost}/${cx.authority}/oauth2/v2.0`;
    return { ...rest, authorization_uri: `${root}/authorize`, token_uri: `${root}/token` };
  };
  const APP_FIELDS = ['provider_name', 'openid_configuration', 'client_id', 'authorization_uri', 'token_uri'];
  const scopesOf = (d: Doc | undefined) => ((d?.scopes as Array<{ scope: string }> | undefined) ?? []).map((s) => s.scope).sort().join(' ');
  const desiredAccount = async (connectedApp: string): Promise<Doc> => {
    const { doctype: _d, ...rest } = frappeEmailAccount(ctx());
    return { ...rest, connected_app: connectedApp, service: 'Outlook.com', connected_user: await user(), awaiting_password: 0 };
  };
  /**
   * The Connected App to configure: the one the profile names, else one an earlier push created (Frappe
   * names a new Connected App itself, ignoring the name sent: observed on the real Frappe 15.41.0, see
   * test/standins/CONFORMANCE-ODOO.md), found again by the client id it holds. Without this every push
   * created another app.
   */
  const locateApp = async (): Promise<Doc | undefined> => {
    const named = await get('Connected App', appName);
    if (named) return named;
    const { json } = await call('GET', `/api/resource/Connected%20App?filters=${encodeURIComponent(JSON.stringify([['client_id', '=', c.profile.clientId]]))}&fields=${encodeURIComponent('["name"]')}`);
    const name = ((json as { data?: Array<{ name: string }> })?.data ?? [])[0]?.name;
    return name ? get('Connected App', name) : undefined;
  };
  const findAccount = async (): Promise<Doc | undefined> => {
    const { json } = await call('GET', `/api/resource/Email%20Account?filters=${encodeURIComponent(JSON.stringify([['email_id', '=', c.profile.mailbox]]))}&fields=${encodeURIComponent('["name"]')}`);
    const name = ((json as { data?: Array<{ name: string }> })?.data ?? [])[0]?.name;
    return name ? get('Email Account', name) : undefined;
  };
  /** A field as compared: child tables by their rows' own fields (folder names), in order; the rest as text. */
  const valueOf = (k: string, v: unknown): string => (Array.isArray(v) ? v.map((row: Record<string, unknown>) => String(row[CHILD_ROW[k] ?? 'scope'] ?? '')).join(' ') : String(v ?? ''));
  const same = (want: Doc, have: Doc | undefined, keys = Object.keys(want)) => keys.filter((k) => !have || valueOf(k, have[k]) !== valueOf(k, want[k]));
  const shown = (doc: Doc) => Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, valueOf(k, v)]));
  const secretPrint = () => fingerprint(`${c.profile.clientId}:${c.clientSecret ?? ''}`);
  /** The values a document holds now in `keys`, as a restore point keeps them (child tables as their rows' text). */
  const previousOf = (doc: Doc, keys: string[]): Record<string, RestoreValue> =>
    Object.fromEntries(keys.map((k) => [k, Array.isArray(doc[k]) ? valueOf(k, doc[k]) : ((doc[k] ?? null) as RestoreValue)]));
  /** A child table's text (scopes, IMAP folders, space-separated) as the rows Frappe takes. */
  const rowsOf = (k: string, v: RestoreValue) => String(v ?? '').split(' ').filter(Boolean).map((x) => ({ [CHILD_ROW[k]!]: x }));

  return {
    async test(): Promise<TargetTestResult> {
      const u = await user();
      const { json } = await call('GET', '/api/method/frappe.utils.change_log.get_versions');
      const v = (json as { message?: { frappe?: { version?: string } } })?.message?.frappe?.version ?? '?';
      const major = Number(v.split('.')[0]);
      if (!(major >= 14)) throw new TargetError('target-version-unsupported', `Frappe ${v}: Email Account OAuth (Connected App) needs Frappe 14 or later`, host);
      // Rights: everyone may READ Connected Apps (DocPerm "All"), so a list proves nothing; ask Frappe
      // (frappe.client.has_permission) for the rights the push uses: create Connected App and Email
      // Account (System Manager), and create Token Cache when a sign-in is handed over (Administrator only).
      const needs: Array<[string, string]> = [['Connected App', 'create'], ['Connected App', 'write'], ['Email Account', 'create'], ['Email Account', 'write'], ...(c.refreshToken ? [['Token Cache', 'create'] as [string, string]] : [])];
      for (const [doctype, ptype] of needs) {
        if (!(await may(doctype, ptype)))
          throw new TargetError('target-insufficient-rights', `Frappe user ${loggedUser ?? u} has no ${ptype} permission on ${doctype}${doctype === 'Token Cache' ? ' (only Administrator has it)' : ' (System Manager has it)'}`, host, 403);
      }
      return { ok: true, version: `Frappe ${v}`, user: u, notes: [] };
    },

    async plan(): Promise<PushPlan> {
      const version = (await this.test()).version;
      if (!appName) throw new TargetError('target-profile-unsupported', "the connection has no Connected App name (Details screen): Frappe's redirect URI ends with it");
      const items: PlanItem[] = [];
      const notes: string[] = [];
      const want = desiredApp();
      const have = await locateApp();
      const appActual = have ? String(have.name) : appName;
      if (have && appActual !== appName) notes.push(`Frappe named the Connected App an earlier push created "${appActual}" (not "${appName}"): it is the one configured here. Its Redirect URI ends with "${appActual}", so give that name on the Details screen and let the registration take its Redirect URI, or create "${appName}" in Frappe first (Provider Name only).`);
      const changed = same(want, have, APP_FIELDS);
      if (scopesOf(want) !== scopesOf(have)) changed.push('scopes');
      if (have && !(await c.fingerprints.matches('frappe-client-secret', secretPrint()))) changed.push('client_secret');
      if (!have) notes.push(`Frappe names a new Connected App itself; its Redirect URI will then end with that name instead of "${appName}". Create the Connected App in Frappe first (Provider Name only) and give its name on the Details screen.`);
      const registered = ctx().redirectUris[0];
      if (have?.redirect_uri && have.redirect_uri !== registered) notes.push(`Frappe's Redirect URI is ${String(have.redirect_uri)}, the registration has ${registered}: they must be identical for "Connect to" to work.`);
      // What an update overwrites, for "Restore the previous values" (issue 19): never the client secret (a
      // Password field Frappe shows back only masked), the scopes as their rows' text.
      const appPrevious = have ? previousOf(have, changed.filter((k) => k !== 'client_secret')) : {};
      items.push({
        id: 'connected-app',
        action: !have ? 'create' : changed.length ? 'update' : 'unchanged',
        what: `Connected App ${appActual}`,
        where: `Connected App ${appActual}`,
        fields: { ...Object.fromEntries(APP_FIELDS.map((k) => [k, String(want[k])])), client_secret: SECRET_SHOWN, scopes: frappeScopes(ctx()).join(', ') },
        changed: have ? changed : [...APP_FIELDS, 'client_secret', 'scopes'],
        ...(have ? { ref: appActual } : {}),
        ...(Object.keys(appPrevious).length ? { previous: appPrevious } : {}),
      });
      const u = await user();
      const cacheName = `${appActual}-${u}`;
      const cache = await get('Token Cache', cacheName);
      const cacheHasToken = !!cache?.refresh_token;
      const replace = cacheHasToken && !!c.replaceHeldToken && !!c.refreshToken;
      const provider = String(want.provider_name);
      const button = !c.refreshToken && !cacheHasToken ? `Connect to ${provider} (on the Connected App ${appActual}), then push again` : undefined;
      items.push(
        button
          ? { id: 'token-cache', action: 'skip', what: `Token Cache ${cacheName}`, where: 'Token Cache', fields: {}, changed: [], note: 'No refresh token to hand over.' }
          : {
              id: 'token-cache',
              action: !cache ? 'create' : cacheHasToken && !replace ? 'unchanged' : 'update',
              what: `Token Cache ${cacheName}`,
              where: 'Token Cache',
              fields: { connected_app: appActual, user: u, refresh_token: SECRET_SHOWN, token_type: 'Bearer' },
              changed: cacheHasToken && !replace ? [] : ['refresh_token'],
              ...(replace
                ? { note: 'Frappe already holds a refresh token for this user: it is REPLACED by the sign-in you proved (you asked for it).', heldToken: 'replaced' as const }
                : cacheHasToken
                  ? { note: 'Frappe already holds a refresh token for this user: it is kept.', heldToken: 'kept' as const }
                  : {}),
            },
      );
      const acctWant = await desiredAccount(appActual);
      const acct = await findAccount();
      const acctChanged = same(acctWant, acct);
      const acctPrevious = acct ? previousOf(acct, acctChanged) : {};
      items.push(
        button
          ? { id: 'email-account', action: 'skip', what: `Email Account ${c.profile.mailbox}`, where: 'Email Account', fields: shown(acctWant), changed: [], note: 'Frappe tests the mailbox when the Email Account is saved, which needs the token first.' }
          : {
              id: 'email-account',
              action: !acct ? 'create' : acctChanged.length ? 'update' : 'unchanged',
              what: `Email Account ${c.profile.mailbox}`,
              where: acct ? `Email Account ${String(acct.name)}` : 'Email Account',
              fields: shown(acctWant),
              changed: acctChanged,
              ...(acct ? { ref: String(acct.name) } : {}),
              ...(Object.keys(acctPrevious).length ? { previous: acctPrevious } : {}),
            },
      );
      return { target: 'Frappe', version, items, upToDate: items.every((i) => i.action === 'unchanged'), ...(button ? { button } : {}), notes };
    },

    /**
     * Puts back what the push overwrote on the Connected App and the Email Account (their previous non-secret
     * values, kept by the plan) with PUT /api/resource/<DocType>/<name>, and reads each back. Child tables go
     * back as rows (scopes, IMAP folders). Frappe checks the mailbox again when the Email Account is saved, so a
     * previous value that cannot sign in is refused by Frappe, in its words, and nothing of that item changes.
     */
    async restore(point, onProgress) {
      await user();
      const restored: string[] = [];
      const readBack: Record<string, boolean> = {};
      const DOCTYPE: Record<string, string> = { 'connected-app': 'Connected App', 'email-account': 'Email Account' };
      for (const item of point.items) {
        const doctype = DOCTYPE[item.id];
        if (!doctype || !item.ref) continue;
        const body = Object.fromEntries(Object.entries(item.values).map(([k, v]) => [k, CHILD_ROW[k] ? rowsOf(k, v) : v]));
        if (!Object.keys(body).length) continue;
        const holds = (d: Doc | undefined) => !!d && Object.entries(item.values).every(([k, v]) => valueOf(k, d[k]) === (CHILD_ROW[k] ? String(v ?? '') : valueOf(k, v)));
        const now = await get(doctype, item.ref);
        // Gone (deleted in Frappe since): nothing to put back into; already holding the values: nothing written.
        if (!now || holds(now)) {
          readBack[item.id] = holds(now);
          continue;
        }
        onProgress(`Putting back the ${doctype}'s previous values in Frappe…`);
        await save(doctype, item.ref, body);
        restored.push(item.id);
        readBack[item.id] = holds(await get(doctype, item.ref));
      }
      return { restored, readBack };
    },

    async apply(plan, onProgress) {
      const applied: string[] = [];
      const readBack: Record<string, boolean> = {};
      const want = desiredApp();
      const appItem = plan.items.find((i) => i.id === 'connected-app')!;
      let name = appItem.action === 'create' ? appName : String((await locateApp())?.name ?? appName);
      if (appItem.action !== 'unchanged') {
        onProgress(`${appItem.action === 'create' ? 'Creating' : 'Updating'} the Connected App in Frappe…`);
        const saved = await save('Connected App', appItem.action === 'create' ? undefined : name, { ...want, client_secret: c.clientSecret ?? '' });
        name = String(saved.name);
        applied.push('connected-app');
      }
      await c.fingerprints.set('frappe-client-secret', secretPrint());
      const back = await get('Connected App', name);
      readBack['connected-app'] = !!back && same(want, back, APP_FIELDS).length === 0 && scopesOf(back) === scopesOf(want);
      const targetTest = { ran: false, passed: false, detail: [] as string[] };
      if (plan.button) return { status: 'partial', applied, readBack, targetTest, button: plan.button };

      const u = await user();
      const cacheItem = plan.items.find((i) => i.id === 'token-cache')!;
      if (cacheItem.action === 'create' || cacheItem.action === 'update') {
        onProgress('Handing the sign-in to Frappe (Token Cache)…');
        // expires_in -1, not 0: Frappe counts a Token Cache as expired only when cint(modified + expires_in - now) < 0
        // (token_cache.py is_expired), so one saved with 0 is "valid" for its first second, and an Email Account saved
        // within that second finds no access token ("Password not found for Token Cache … access_token",
        // AuthenticationError). -1 makes Frappe refresh at once. Observed on real Frappe 15.41.0 (test/standins/README.md).
        const doc = { connected_app: name, user: u, provider_name: want.provider_name, refresh_token: c.refreshToken ?? '', access_token: '', expires_in: -1, token_type: 'Bearer', scopes: frappeScopes(ctx()).map((scope) => ({ scope })) };
        await save('Token Cache', cacheItem.action === 'create' ? undefined : `${name}-${u}`, doc);
        applied.push('token-cache');
      }
      const cache = await get('Token Cache', `${name}-${u}`);
      readBack['token-cache'] = !!cache?.refresh_token && cache.connected_app === name && cache.user === u;

      // Frappe tests the mailbox itself when an enabled Email Account is saved (IMAP and SMTP login with the Token Cache).
      const acctItem = plan.items.find((i) => i.id === 'email-account')!;
      const acctWant = await desiredAccount(name);
      const acct = await findAccount();
      onProgress('Frappe saves the Email Account and signs in to the mailbox…');
      targetTest.ran = true;
      // has_token (connected_app.py, whitelisted): whether Frappe holds an access token for this app and user, i.e. a
      // refresh has worked. Without one the Email Account was saved unchecked (a new one whose refresh failed) or its
      // check failed: "nothing changed" would then claim a configuration Frappe never proved, so it is saved again.
      const hasToken = async () => ((await call('GET', `/api/method/frappe.integrations.doctype.connected_app.connected_app.has_token?connected_app=${encodeURIComponent(name)}&connected_user=${encodeURIComponent(u)}`)).json as { message?: unknown })?.message === true;
      if (acctItem.action === 'unchanged' && acct && applied.length === 0 && (await hasToken())) {
        // Frappe tests the mailbox only when the Email Account is saved, and a save is a write: a push
        // that finds everything as it should be writes nothing and says the check was not re-run.
        targetTest.ran = false;
        targetTest.detail.push('Nothing changed, so the Email Account was not saved again: Frappe tests the mailbox only on a save.');
        readBack['email-account'] = same(acctWant, acct).length === 0;
        return { status: plan.notes.length ? 'partial' : 'configured', applied, readBack, targetTest };
      }
      try {
        if (acctItem.action !== 'unchanged' || !acct) {
          const saved = await save('Email Account', acct ? String(acct.name) : undefined, acctWant);
          applied.push('email-account');
          // Frappe saves a NEW OAuth Email Account without any check when its Token Cache gives no token (a refresh
          // that failed): email_account.py validate(), `validate_oauth = not (is_new and not get_oauth_token())`.
          // Saved again, no longer new, it is checked, and a refusal comes in Frappe's words.
          if (!acct) await save('Email Account', String(saved.name), {});
        } else await save('Email Account', String(acct.name), {}); // the Connected App or Token Cache changed, or Frappe holds no token: a save re-runs Frappe's own check
      } catch (e) {
        if (e instanceof TargetError && e.hint === 'target-validation') throw Object.assign(new TargetError('target-test-failed', `Email Account: ${e.targetText}`, host), { partial: { applied, readBack, targetTest } });
        throw e;
      }
      targetTest.passed = true;
      targetTest.detail.push('Email Account saved: Frappe signed in to IMAP and SMTP with the Token Cache.');
      const after = await findAccount();
      readBack['email-account'] = !!after && same(acctWant, after).length === 0;
      return { status: plan.notes.length ? 'partial' : 'configured', applied, readBack, targetTest };
    },
  };
}
