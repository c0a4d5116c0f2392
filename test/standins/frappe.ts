/**
 * Frappe stand-in: the REST API (/api/resource, /api/method) with token auth, the DocTypes Connected
 * App, Token Cache and Email Account with their field names, naming, mandatory fields, permissions
 * (System Manager) and Frappe's error bodies (exc_type, _server_messages, HTTP status per exception),
 * and Email Account's own check on save: an enabled OAuth account takes the access token from the
 * Token Cache (refreshing it at the Connected App's token_uri when expired) and logs in to IMAP and SMTP
 * with XOAUTH2. Sources: README.md.
 */
import { randomBytes } from 'node:crypto';
import { serveJson, type Req, type Res, type Running } from './http';
import { imapServer, imapXoauth2, postToken, smtpServer, smtpXoauth2, type MicrosoftSide } from './microsoft';

export interface FrappeOptions {
  microsoft: MicrosoftSide;
  version?: string;
  /** frappe.utils.get_url(): the site's address, which Connected App redirect URIs start with. */
  siteUrl: string;
  /**
   * `password`: the user may sign in with it (POST /api/method/login); `twoFactor`: the login then asks for a
   * verification code instead of starting a session (frappe/twofactor.py, System Settings > Enable Two Factor Auth).
   */
  users: Array<{ name: string; apiKey: string; apiSecret: string; roles: string[]; password?: string; twoFactor?: boolean }>;
  /** Connected Apps that exist already (the guide: create it first with a Provider Name, then Save). */
  connectedApps?: Array<{ name: string; provider_name: string }>;
}

type Doc = Record<string, unknown> & { name: string };

class FrappeError extends Error {
  constructor(
    readonly excType: string,
    readonly status: number,
    message: string,
    readonly title?: string,
  ) {
    super(message);
  }
}
const validation = (m: string, title?: string) => new FrappeError('ValidationError', 417, m, title);

const CALLBACK = '/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/';
const PASSWORD: Record<string, string[]> = { 'Connected App': ['client_secret'], 'Token Cache': ['access_token', 'refresh_token'], 'Email Account': ['password'] };
const FIELDS: Record<string, string[]> = {
  'Connected App': ['provider_name', 'openid_configuration', 'client_id', 'client_secret', 'redirect_uri', 'authorization_uri', 'token_uri', 'revocation_uri', 'userinfo_uri', 'introspection_uri', 'scopes', 'query_parameters'],
  'Token Cache': ['user', 'connected_app', 'provider_name', 'access_token', 'refresh_token', 'expires_in', 'state', 'success_uri', 'token_type', 'scopes'],
  'Email Account': ['email_id', 'email_account_name', 'service', 'auth_method', 'connected_app', 'connected_user', 'password', 'awaiting_password', 'login_id_is_different', 'login_id', 'enable_incoming', 'use_imap', 'use_ssl', 'use_starttls', 'email_server', 'incoming_port', 'enable_outgoing', 'use_tls', 'use_ssl_for_outgoing', 'smtp_server', 'smtp_port', 'default_incoming', 'default_outgoing', 'always_use_account_email_id_as_sender', 'imap_folder'],
};
/** Child tables: parent field → its rows' fields (connected_app.json `scopes` → OAuth Scope; email_account.json `imap_folder` → IMAP Folder). */
const CHILD: Record<string, { parenttype: string; fields: string[] }> = { scopes: { parenttype: 'Connected App', fields: ['scope'] }, imap_folder: { parenttype: 'Email Account', fields: ['folder_name', 'append_to', 'uidvalidity', 'uidnext'] } };
/**
 * DocPerm rows (the DocTypes' JSON, Frappe v15.41.0): Connected App: System Manager everything, All
 * read; Token Cache: System Manager read/delete, All read/delete if owner (nobody but Administrator
 * creates one through the API); Email Account: System Manager create/read/write, Inbox User read.
 * Administrator has every right.
 */
const PERMS: Record<string, Array<{ role: string; ptypes: string[] }>> = {
  'Connected App': [{ role: 'System Manager', ptypes: ['read', 'write', 'create', 'delete'] }, { role: 'All', ptypes: ['read'] }],
  'Token Cache': [{ role: 'System Manager', ptypes: ['read', 'delete'] }, { role: 'All', ptypes: ['read', 'delete'] }],
  'Email Account': [{ role: 'System Manager', ptypes: ['read', 'write', 'create', 'delete'] }, { role: 'Inbox User', ptypes: ['read'] }],
};
const may = (user: { name: string; roles: string[] } | undefined, doctype: string, ptype: string) => user?.name === 'Administrator' || (!!user && (PERMS[doctype] ?? []).some((p) => (p.role === 'All' || user.roles.includes(p.role)) && p.ptypes.includes(ptype)));
const LABEL: Record<string, string> = { provider_name: 'Provider Name', connected_app: 'Connected App', connected_user: 'Connected User', email_id: 'Email Address', user: 'User' };
const SERVICES = ['', 'Frappe Mail', 'GMail', 'Sendgrid', 'SparkPost', 'Yahoo Mail', 'Outlook.com', 'Yandex.Mail'];

export interface FrappeStandIn extends Running {
  docs: Record<string, Map<string, Doc>>;
  writes(): number;
  /** Password fields as stored (frappe's __Auth table), for assertions. */
  passwords: Map<string, string>;
}

export async function startFrappe(opts: FrappeOptions): Promise<FrappeStandIn> {
  const version = opts.version ?? '15.40.1';
  const docs: Record<string, Map<string, Doc>> = { 'Connected App': new Map(), 'Token Cache': new Map(), 'Email Account': new Map() };
  const passwords = new Map<string, string>();
  const modified = new Map<string, number>();
  let writes = 0;
  const pkey = (doctype: string, name: string, field: string) => `${doctype}|${name}|${field}`;
  for (const a of opts.connectedApps ?? []) {
    const d: Doc = { name: a.name, doctype: 'Connected App', provider_name: a.provider_name, scopes: [], query_parameters: [] };
    d.redirect_uri = new URL(`${CALLBACK}${a.name}`, opts.siteUrl).toString();
    docs['Connected App']!.set(a.name, d);
  }

  const masked = (doctype: string, d: Doc): Doc => {
    const out: Doc = { ...d };
    for (const f of PASSWORD[doctype] ?? []) {
      const v = passwords.get(pkey(doctype, d.name, f));
      out[f] = v ? '*'.repeat(v.length) : null;
    }
    return out;
  };
  const getPassword = (doctype: string, name: string, field: string) => passwords.get(pkey(doctype, name, field));

  /** ConnectedApp.get_active_token(user): the Token Cache, refreshed at token_uri when expired. */
  const activeToken = async (appName: string, user: string): Promise<string | undefined> => {
    const app = docs['Connected App']!.get(appName);
    const cacheName = `${appName}-${user}`;
    const cache = docs['Token Cache']!.get(cacheName);
    if (!app || !cache) return undefined;
    const expiresAt = (modified.get(`Token Cache|${cacheName}`) ?? 0) + Number(cache.expires_in ?? 0) * 1000;
    if (getPassword('Token Cache', cacheName, 'access_token') && expiresAt > Date.now()) return getPassword('Token Cache', cacheName, 'access_token');
    const r = await postToken(opts.microsoft, String(app.token_uri ?? ''), {
      grant_type: 'refresh_token',
      refresh_token: getPassword('Token Cache', cacheName, 'refresh_token') ?? '',
      scope: ((app.scopes as Array<{ scope: string }>) ?? []).map((s) => s.scope).join(' '),
      redirect_uri: String(app.redirect_uri ?? ''),
      client_id: String(app.client_id ?? ''),
      client_secret: getPassword('Connected App', appName, 'client_secret') ?? '',
    });
    if (r.status !== 200) return undefined; // self.log_error("Token Refresh Error"); return None
    passwords.set(pkey('Token Cache', cacheName, 'access_token'), String(r.json.access_token));
    if (r.json.refresh_token) passwords.set(pkey('Token Cache', cacheName, 'refresh_token'), String(r.json.refresh_token));
    cache.expires_in = Number(r.json.expires_in);
    cache.token_type = 'Bearer';
    modified.set(`Token Cache|${cacheName}`, Date.now());
    return String(r.json.access_token);
  };

  const validate = async (doctype: string, d: Doc): Promise<void> => {
    if (doctype === 'Connected App') {
      if (!d.provider_name) throw new FrappeError('MandatoryError', 417, `Error: Value missing for Connected App: ${LABEL.provider_name}`);
      d.redirect_uri = new URL(`${CALLBACK}${d.name}`, opts.siteUrl).toString();
    }
    if (doctype === 'Token Cache') {
      if (!docs['Connected App']!.has(String(d.connected_app))) throw new FrappeError('LinkValidationError', 417, `Could not find Connected App: ${String(d.connected_app)}`);
      if (d.token_type && !['Bearer', 'MAC'].includes(String(d.token_type))) throw validation('Received an invalid token type.');
    }
    if (doctype === 'Email Account') {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(d.email_id ?? ''))) throw new FrappeError('InvalidEmailAddressError', 417, `${String(d.email_id ?? '')} is not a valid Email Address`);
      // email_account.py validate(), v15.41.0 line 144: checked before anything else, even in tests.
      if (Number(d.enable_incoming) && Number(d.use_imap) && !((d.imap_folder as unknown[] | undefined) ?? []).length) throw validation(`You need to set one IMAP folder for <strong>${String(d.email_id)}</strong>`);
      if (d.service && !SERVICES.includes(String(d.service))) throw validation(`Service cannot be "${String(d.service)}". It should be one of "${SERVICES.filter(Boolean).join('", "')}"`);
      if (d.auth_method && !['Basic', 'OAuth'].includes(String(d.auth_method))) throw validation(`Method cannot be "${String(d.auth_method)}". It should be one of "Basic", "OAuth"`);
      for (const other of docs['Email Account']!.values()) if (other.name !== d.name && other.email_id === d.email_id) throw validation(`Email ID must be unique, Email Account already exists for ${String(d.email_id)}`);
      if (d.auth_method === 'OAuth') {
        for (const f of ['connected_app', 'connected_user']) if (!d[f]) throw new FrappeError('MandatoryError', 417, `Error: Value missing for Email Account: ${LABEL[f]}`);
        if (!Number(d.awaiting_password)) {
          const token = Number(d.enable_incoming) || Number(d.enable_outgoing) ? await activeToken(String(d.connected_app), String(d.connected_user)) : undefined;
          if ((Number(d.enable_incoming) || Number(d.enable_outgoing)) && !token) throw new FrappeError('ValidationError', 417, `Please Authorize OAuth for Email Account ${String(d.email_account_name ?? d.name)}`, 'OAuth Error');
          const login = String(d.login_id || d.email_id);
          if (Number(d.enable_incoming)) {
            if (!d.email_server) throw validation('Email Server is required');
            try {
              await imapXoauth2(opts.microsoft, imapServer(opts.microsoft, String(d.email_server), Number(d.incoming_port || 993)), login, token!);
            } catch (e) {
              throw validation((e as Error).message);
            }
          }
          if (Number(d.enable_outgoing)) {
            if (!d.smtp_server) throw validation('SMTP Server is required');
            try {
              await smtpXoauth2(opts.microsoft, smtpServer(opts.microsoft, String(d.smtp_server), Number(d.smtp_port || 587)), login, token!);
            } catch {
              throw new FrappeError('InvalidEmailCredentials', 417, 'Please check your email login credentials.', 'Invalid Credentials');
            }
          }
        }
      }
    }
  };

  const autoname = (doctype: string, body: Record<string, unknown>): string => {
    if (doctype === 'Token Cache') return `${String(body.connected_app)}-${String(body.user)}`;
    if (doctype === 'Email Account') {
      const n = String(body.email_account_name || String(body.email_id ?? '').split('@')[0]!.replace(/[_.-]/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()));
      return n;
    }
    // Connected App: no autoname in connected_app.json, so frappe/model/naming.py set_new_name falls back to
    // make_autoname("hash"): the name sent is not used (observed on Frappe 15.41.0, CONFORMANCE-ODOO.md).
    return randomBytes(5).toString('hex');
  };

  const saveDoc = async (doctype: string, existing: Doc | undefined, body: Record<string, unknown>): Promise<Doc> => {
    const allowed = FIELDS[doctype]!;
    const name = existing?.name ?? autoname(doctype, body);
    if (!existing && docs[doctype]!.has(name)) throw new FrappeError('DuplicateEntryError', 409, `${doctype} ${name} already exists`);
    const d: Doc = { ...(existing ?? { name, doctype, ...(doctype === 'Connected App' ? { scopes: [], query_parameters: [] } : {}) }) };
    const pw: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (!allowed.includes(k)) continue; // frappe ignores values of fields the DocType does not have
      if ((PASSWORD[doctype] ?? []).includes(k)) {
        if (typeof v === 'string' && v && !/^\*+$/.test(v)) pw[k] = v;
        else if (v === '' || v === null) pw[k] = '';
        continue;
      }
      const child = CHILD[k];
      if (child) {
        // Each row gets a new name (Frappe replaces the child rows on every save of the parent).
        const rows: Array<Record<string, unknown>> = ((v as Array<Record<string, unknown>>) ?? []).map((row, i) => ({ name: randomBytes(5).toString('hex'), idx: i + 1, ...Object.fromEntries(child.fields.map((f) => [f, row[f] ?? null])), parenttype: doctype, parentfield: k }));
        // Frappe 15.41.0 (observed, conformance.ts): "Error: <strong>IMAP Folder</strong> Row #1: Value missing for: Folder Name"
        for (const row of rows) if (k === 'imap_folder' && !row.folder_name) throw new FrappeError('MandatoryError', 417, `Error: <strong>IMAP Folder</strong> Row #${String(row.idx)}: Value missing for: Folder Name`);
        d[k] = rows;
      } else d[k] = v;
    }
    // Password values are checked with the document (Email Account needs the stored token, Connected App its secret).
    const before = new Map(passwords);
    for (const [k, v] of Object.entries(pw)) passwords.set(pkey(doctype, name, k), v);
    if (doctype === 'Token Cache') modified.set(`Token Cache|${name}`, Date.now());
    try {
      await validate(doctype, d);
    } catch (e) {
      passwords.clear();
      for (const [k, v] of before) passwords.set(k, v);
      throw e;
    }
    docs[doctype]!.set(name, d);
    writes++;
    return masked(doctype, d);
  };

  const errorRes = (e: unknown): Res => {
    const err = e instanceof FrappeError ? e : new FrappeError('Exception', 500, String(e));
    const msg = JSON.stringify({ message: err.message, ...(err.title ? { title: err.title } : {}), indicator: 'red', raise_exception: 1 });
    return { status: err.status, body: { exception: `frappe.exceptions.${err.excType}: ${err.message}`, exc_type: err.excType, exc: JSON.stringify([`Traceback (most recent call last):\n  ...\nfrappe.exceptions.${err.excType}: ${err.message}\n`]), _server_messages: JSON.stringify([msg]) } };
  };

  /** Sessions started by POST /api/method/login: sid → user name (frappe/sessions.py Session.start: a random hash). */
  const sessions = new Map<string, string>();
  /**
   * POST /api/method/login (frappe/auth.py LoginManager.login / authenticate / set_user_info): usr and pwd from the
   * JSON body or the form; a wrong pair answers 401 with the message "Invalid login credentials" and exc_type
   * AuthenticationError (LoginManager.fail); with two-factor on, a `verification` step and no session
   * (twofactor.authenticate_for_2factor); else "Logged In" and the `sid` cookie (httponly, CookieManager.init_cookies)
   * with the other login cookies. The answer's exact extra keys beyond those are **not pinned**.
   */
  const loginRes = (body: Record<string, unknown>): Res => {
    const usr = String(body.usr ?? '');
    const pwd = String(body.pwd ?? '');
    if (!usr || !pwd) return { status: 401, body: { message: 'Incomplete login details', exc_type: 'AuthenticationError' } };
    const u = opts.users.find((x) => x.name === usr);
    if (!u?.password || u.password !== pwd) return { status: 401, body: { message: 'Invalid login credentials', exc_type: 'AuthenticationError' } };
    if (u.twoFactor) return { status: 200, body: { verification: { method: 'OTP App', setup: true }, tmp_id: randomBytes(5).toString('hex') } };
    const sid = randomBytes(28).toString('hex');
    sessions.set(sid, u.name);
    const cookie = (k: string, v: string, extra = '') => `${k}=${encodeURIComponent(v)}; Path=/; SameSite=Lax${extra}`;
    return {
      status: 200,
      body: { message: 'Logged In', home_page: '/app', full_name: u.name },
      headers: { 'set-cookie': [cookie('sid', sid, '; Max-Age=21600; HttpOnly'), cookie('system_user', 'yes'), cookie('full_name', u.name), cookie('user_id', u.name), cookie('user_image', '')] },
    };
  };

  const handle = async (req: Req): Promise<Res> => {
    try {
      if (req.path === '/api/method/login' && req.method === 'POST') return loginRes((req.body ?? {}) as Record<string, unknown>);
      const h = req.headers.authorization ?? '';
      const m = /^token\s+([^:\s]+):(\S+)$/i.exec(h);
      if (h && !m) throw new FrappeError('AuthenticationError', 401, 'Invalid Authorization header');
      const sid = /(?:^|;\s*)sid=([^;\s]+)/.exec(String(req.headers.cookie ?? ''))?.[1];
      // A session cookie (sessions.py Session.resume): an unknown or expired sid is Guest.
      const bySession = !m && sid ? opts.users.find((u) => u.name === sessions.get(sid)) : undefined;
      const user = m ? opts.users.find((u) => u.apiKey === m[1]) : bySession;
      if (m && (!user || user.apiSecret !== m[2])) throw new FrappeError('AuthenticationError', 401, '');
      const who = user?.name ?? 'Guest';
      if (req.path === '/api/method/frappe.auth.get_logged_user') return { status: 200, body: { message: who } };
      if (req.path === '/api/method/frappe.client.has_permission') {
        // frappe/client.py has_permission(doctype, docname, perm_type="read") → {"message": {"has_permission": bool}}
        const dt = req.query.get('doctype') ?? '';
        if (!PERMS[dt]) throw new FrappeError('DoesNotExistError', 404, `DocType ${dt} not found`);
        return { status: 200, body: { message: { has_permission: may(user, dt, (req.query.get('perm_type') ?? 'read').toLowerCase()) } } };
      }
      if (req.path === '/api/method/frappe.utils.change_log.get_versions') return { status: 200, body: { message: { frappe: { title: 'Frappe Framework', description: 'Full stack web framework', branch: `version-${version.split('.')[0]}`, version } } } };
      const r = /^\/api\/resource\/([^/]+)(?:\/(.+))?$/.exec(req.path);
      if (!r) return { status: 404, body: '<!DOCTYPE html><html><head><title>Page Not Found</title></head><body><h1>Page Not Found</h1></body></html>' };
      const doctype = r[1]!;
      if (!docs[doctype]) throw new FrappeError('DoesNotExistError', 404, `DocType ${doctype} not found`);
      const name = r[2];
      const ptype = req.method === 'GET' ? 'read' : req.method === 'POST' && !name ? 'create' : 'write';
      // Document.raise_no_permission_to: "Insufficient Permission for {doctype}" + " (<strong>{ptype}</strong>)"
      if (!may(user, doctype, ptype)) throw new FrappeError('PermissionError', 403, `Insufficient Permission for ${doctype} (<strong>${ptype}</strong>)`, 'Not permitted');
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!name && req.method === 'GET') {
        const filters = JSON.parse(req.query.get('filters') ?? '[]') as Array<[string, string, unknown]>;
        const list = [...docs[doctype]!.values()].filter((d) => filters.every(([f, op, v]) => op === '=' && d[f] === v));
        const fields = JSON.parse(req.query.get('fields') ?? '["name"]') as string[];
        return { status: 200, body: { data: list.map((d) => Object.fromEntries(fields.map((f) => [f, d[f] ?? null]))) } };
      }
      if (!name && req.method === 'POST') return { status: 200, body: { data: await saveDoc(doctype, undefined, body) } };
      const existing = name ? docs[doctype]!.get(name) : undefined;
      if (!existing) throw new FrappeError('DoesNotExistError', 404, `${doctype} ${name ?? ''} not found`);
      if (req.method === 'GET') return { status: 200, body: { data: masked(doctype, existing) } };
      if (req.method === 'PUT') return { status: 200, body: { data: await saveDoc(doctype, existing, body) } };
      throw new FrappeError('PermissionError', 403, 'Not permitted');
    } catch (e) {
      return errorRes(e);
    }
  };

  const running = await serveJson(handle);
  return { ...running, docs, passwords, writes: () => writes };
}
