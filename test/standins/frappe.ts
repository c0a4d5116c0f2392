/**
 * Frappe stand-in: the REST API (/api/resource, /api/method) with token auth, the DocTypes Connected
 * App, Token Cache and Email Account with their field names, naming, mandatory fields, permissions
 * (System Manager) and Frappe's error bodies (exc_type, _server_messages, HTTP status per exception),
 * and Email Account's own check on save: an enabled OAuth account takes the access token from the
 * Token Cache (refreshing it at the Connected App's token_uri when expired) and logs in to IMAP and SMTP
 * with XOAUTH2. Sources: README.md.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
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
  /** Served over https with this certificate (a site behind a company CA); plain http on 127.0.0.1 without. */
  tls?: { key: string; cert: string };
}

type Doc = Record<string, unknown> & { name: string };

class FrappeError extends Error {
  constructor(
    readonly excType: string,
    readonly status: number,
    message: string,
    readonly title?: string,
    /** Extra keys of the error body (a PermissionError's `_error_message`). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}
const validation = (m: string, title?: string) => new FrappeError('ValidationError', 417, m, title);
/** SMTPServer.throw_invalid_credentials_exception (frappe/email/smtp.py): the words, then the last line of the traceback. */
const invalidCredentials = (lastLine: string) => new FrappeError('InvalidEmailCredentials', 417, `Please check your email login credentials. ${lastLine}`, 'Invalid Credentials');

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
/** email_account.json `service` options in v15.41.0 (no "Frappe Mail" yet: observed, it is refused there). */
const SERVICES = ['', 'GMail', 'Sendgrid', 'SparkPost', 'Yahoo Mail', 'Outlook.com', 'Yandex.Mail'];
/**
 * BaseDocument._validate_selects (v15.41.0, observed): "{prefix} {label} cannot be \"{value}\". It should be one of
 * \"{options}\"", the prefix empty on the document itself (so the text starts with a space), every option quoted,
 * the empty one too.
 */
const selectError = (label: string, value: string, options: string[]) => validation(` ${label} cannot be "${value}". It should be one of "${options.join('", "')}"`);
const bold = (x: string) => `<strong>${x}</strong>`;
/** frappe/model/naming.py make_autoname("hash") (v15): 4 base32hex characters of the time in deciseconds, then 6 random ones. */
const B32HEX = '0123456789abcdefghijklmnopqrstuv';
const hashName = () => {
  const ts = Math.floor(Date.now() / 100) % 32 ** 4;
  return [3, 2, 1, 0].map((i) => B32HEX[Math.floor(ts / 32 ** i) % 32]).join('') + [...randomBytes(6)].map((b) => B32HEX[b % 32]).join('');
};

/** Whether a TCP connection to the server opens (Python's socket.create_connection). */
const reachable = (server: { host: string; port: number }) =>
  new Promise<boolean>((resolve) => {
    const sock = connect(server.port, server.host);
    sock.setTimeout(10_000);
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => (sock.destroy(), resolve(false)));
  });

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

  /**
   * ConnectedApp.get_active_token(user) (connected_app.py, v15.41.0): no Token Cache → None; a Token Cache that
   * has not expired is returned as it is (even with no access token stored); an expired one is refreshed at
   * token_uri first, and a refresh that fails is logged ("Token Refresh Error") and yields None. Expired is
   * TokenCache.is_expired(): cint(modified + expires_in - now, in seconds) < 0, so cint truncates a fraction
   * of a second to 0 and a Token Cache saved with expires_in 0 is NOT expired for its first second.
   */
  const activeToken = async (appName: string, user: string): Promise<string | undefined> => {
    const app = docs['Connected App']!.get(appName);
    const cacheName = `${appName}-${user}`;
    const cache = docs['Token Cache']!.get(cacheName);
    if (!app || !cache) return undefined;
    const expiresIn = Math.trunc(((modified.get(`Token Cache|${cacheName}`) ?? 0) + Number(cache.expires_in ?? 0) * 1000 - Date.now()) / 1000);
    if (expiresIn >= 0) return cacheName;
    // Any exception of the refresh (an error answer, no answer at all) → self.log_error("Token Refresh Error"); return None.
    const r = await postToken(opts.microsoft, String(app.token_uri ?? ''), {
      grant_type: 'refresh_token',
      refresh_token: getPassword('Token Cache', cacheName, 'refresh_token') ?? '',
      scope: ((app.scopes as Array<{ scope: string }>) ?? []).map((s) => s.scope).join(' '),
      redirect_uri: String(app.redirect_uri ?? ''),
      client_id: String(app.client_id ?? ''),
      client_secret: getPassword('Connected App', appName, 'client_secret') ?? '',
    }).catch(() => undefined);
    if (r?.status !== 200) return undefined;
    passwords.set(pkey('Token Cache', cacheName, 'access_token'), String(r.json.access_token));
    if (r.json.refresh_token) passwords.set(pkey('Token Cache', cacheName, 'refresh_token'), String(r.json.refresh_token));
    cache.expires_in = Number(r.json.expires_in);
    cache.token_type = 'Bearer';
    modified.set(`Token Cache|${cacheName}`, Date.now());
    return cacheName;
  };
  /** token_cache.get_password("access_token") (base_document.py → password.py get_decrypted_password): nothing stored → AuthenticationError. */
  const accessToken = (cacheName: string): string => {
    const t = getPassword('Token Cache', cacheName, 'access_token');
    if (!t) throw new FrappeError('AuthenticationError', 401, `Password not found for Token Cache ${cacheName} access_token`);
    return t;
  };

  const validate = async (doctype: string, d: Doc, isNew: boolean, who: string): Promise<void> => {
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
      if (d.service && !SERVICES.includes(String(d.service))) throw selectError('Service', String(d.service), SERVICES);
      if (d.auth_method && !['Basic', 'OAuth'].includes(String(d.auth_method))) throw selectError('Method', String(d.auth_method), ['Basic', 'OAuth']);
      for (const other of docs['Email Account']!.values()) if (other.name !== d.name && other.email_id === d.email_id) throw validation(`Email ID must be unique, Email Account already exists for ${String(d.email_id)}`);
      // email_account.py validate() (v15.41.0): an OAuth account has no password and never awaits one; a NEW one
      // whose Token Cache gives no token (none yet, or its refresh failed) is saved without any check; otherwise
      // Frappe logs in to IMAP (get_incoming_server) and SMTP (validate_smtp_conn) before saving.
      const useOauth = d.auth_method === 'OAuth';
      // get_oauth_token(): frappe.get_doc("Connected App", connected_app) (none → "Connected App None not found"), then
      // get_active_token(connected_user), which falls back to the user making the request. The server does not
      // enforce connected_app / connected_user (their mandatory_depends_on is a form rule): observed.
      const oauthToken = async () => {
        if (!docs['Connected App']!.has(String(d.connected_app))) throw new FrappeError('DoesNotExistError', 404, `Connected App ${d.connected_app ? String(d.connected_app) : 'None'} not found`);
        return activeToken(String(d.connected_app), String(d.connected_user || who));
      };
      if (useOauth) {
        d.awaiting_password = 0;
        passwords.delete(pkey('Email Account', d.name, 'password'));
      }
      const validateOauth = useOauth && !(isNew && !(await oauthToken()));
      if (!Number(d.awaiting_password)) {
        if (validateOauth) {
          const login = String(d.login_id || d.email_id);
          const account = String(d.name);
          // frappe/email/oauth.py Oauth._validate: after connecting, before authenticating.
          const authorized = (token: string | undefined) => {
            if (!token) throw new FrappeError('ValidationError', 417, `Please Authorize OAuth for Email Account ${account}`, 'OAuth Error');
            return token;
          };
          if (Number(d.enable_incoming)) {
            const cache = await oauthToken();
            const token = cache ? accessToken(cache) : undefined;
            if (!d.email_server) throw validation('Email Server is required');
            const server = imapServer(opts.microsoft, String(d.email_server), Number(d.incoming_port || 993));
            // receive.py connect_imap: IMAP4_SSL connects before Oauth(...) checks the token; check_email_server_connection
            // re-raises an OSError as it is (HTTP 500, exc_type the Python class; observed: gaierror for a name the
            // peer could not resolve).
            // receive.py: msgprint("Invalid Mail Server. Please rectify and try again."), then the error goes on up.
            if (!(await reachable(server))) throw new FrappeError('ConnectionRefusedError', 500, 'Invalid Mail Server. Please rectify and try again.');
            try {
              await imapXoauth2(opts.microsoft, server, login, authorized(token));
            } catch (e) {
              if (e instanceof FrappeError) throw e;
              // check_email_server_connection: an authentication failure is the SMTP one's words, anything else as it is.
              const text = (e as Error).message;
              if (/authenticationfailed|loginfailed/.test(text.toLowerCase().replace(/ /g, ''))) throw invalidCredentials(`imaplib.IMAP4.error: ${text}`);
              throw validation(text);
            }
          }
          if (Number(d.enable_outgoing)) {
            if (!d.smtp_server) throw validation('SMTP Server is required');
            const cache = await oauthToken();
            const token = cache ? accessToken(cache) : undefined;
            try {
              await smtpXoauth2(opts.microsoft, smtpServer(opts.microsoft, String(d.smtp_server), Number(d.smtp_port || 587)), login, authorized(token));
            } catch (e) {
              if (e instanceof FrappeError) throw e;
              // smtplib's exception as Python prints it: (code, b'text').
              const m = /^(\d{3})[ -](.*)$/s.exec((e as Error).message);
              throw invalidCredentials(`smtplib.SMTPAuthenticationError: ${m ? `(${m[1]}, b'${m[2]!.trim()}')` : (e as Error).message}`);
            }
          }
        } else if (!useOauth && !passwords.get(pkey('Email Account', d.name, 'password')) && (Number(d.enable_incoming) || Number(d.enable_outgoing))) throw validation('Password is required or select Awaiting Password');
      }
    }
  };

  const autoname = (doctype: string, body: Record<string, unknown>): string => {
    if (doctype === 'Token Cache') return `${String(body.connected_app)}-${String(body.user)}`;
    if (doctype === 'Email Account') {
      // email_account.py autoname: the address's local part, _ . - as spaces, then Python's str.title(), which starts a
      // word after every non-letter ("conformance4x" → "Conformance4X", observed).
      const n = String(body.email_account_name || String(body.email_id ?? '').split('@')[0]!.replace(/[_.-]/g, ' ').toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()));
      return n;
    }
    return hashName(); // no autoname → "hash"; a name sent is dropped (naming.py set_new_name: observed)
  };

  const saveDoc = async (doctype: string, existing: Doc | undefined, body: Record<string, unknown>, who: string): Promise<Doc> => {
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
      await validate(doctype, d, !existing, who);
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
    return { status: err.status, body: { exception: `frappe.exceptions.${err.excType}: ${err.message}`, exc_type: err.excType, exc: JSON.stringify([`Traceback (most recent call last):\n  ...\nfrappe.exceptions.${err.excType}: ${err.message}\n`]), _server_messages: JSON.stringify([msg]), ...err.extra } };
  };

  /** Sessions started by POST /api/method/login: sid → user name (frappe/sessions.py Session.start: a random hash). */
  const sessions = new Map<string, string>();
  /** The CSRF token a session holds (sessions.py get_csrf_token: made only when a desk page asks for one). */
  const csrf = new Map<string, string>();
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
      if (req.path === '/app' && req.method === 'GET') {
        // The desk page puts a CSRF token into the session (and the page). Observed on the peer: after GET /app, a
        // session write without X-Frappe-CSRF-Token is 400 CSRFTokenError "Invalid Request".
        if (!bySession || !sid) return { status: 302, body: '', headers: { location: '/login?redirect-to=/app' } };
        const token = csrf.get(sid) ?? randomBytes(28).toString('hex');
        csrf.set(sid, token);
        return { status: 200, body: `<!DOCTYPE html><html><head><script>frappe.csrf_token = "${token}";</script></head><body></body></html>` };
      }
      // auth.py validate_csrf_token: an unsafe method on a session that holds a token needs it in X-Frappe-CSRF-Token.
      const held = bySession && sid ? csrf.get(sid) : undefined;
      if (held && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) && req.headers['x-frappe-csrf-token'] !== held) throw new FrappeError('CSRFTokenError', 400, 'Invalid Request', 'Message');
      if (req.path === '/api/method/logout') {
        // frappe.handler.logout → LoginManager.logout: the session ends, and the answer is Guest's login info (observed:
        // 200 {"message": "No App", "home_page": "/login", "full_name": "Guest"} and sid=Guest among the cookies).
        if (sid) {
          sessions.delete(sid);
          csrf.delete(sid);
        }
        const cookie = (k: string, v: string) => `${k}=${v}; Path=/; SameSite=Lax`;
        // Then CookieManager.flush_cookies expires the login cookies as well (each name twice, as observed).
        const gone = ['user_image', 'sid', 'user_id', 'system_user', 'full_name'].map((k) => `${k}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/`);
        return { status: 200, body: { message: 'No App', home_page: '/login', full_name: 'Guest' }, headers: { 'set-cookie': [`sid=Guest; Max-Age=612000; HttpOnly; Path=/; SameSite=Lax`, cookie('system_user', 'no'), cookie('full_name', 'Guest'), cookie('user_id', 'Guest'), cookie('user_image', ''), ...gone] } };
      }
      // Every method below is whitelisted without allow_guest: Guest (no credentials, an unknown or ended session) is
      // refused by frappe.is_whitelisted (observed on frappe.auth.get_logged_user).
      if (req.path.startsWith('/api/method/') && who === 'Guest') {
        const method = req.path.slice('/api/method/'.length);
        throw new FrappeError('PermissionError', 403, `<details><summary>You are not permitted to access this resource.</summary>Function ${bold(method)} is not whitelisted.</details>`, 'Method Not Allowed');
      }
      if (req.path === '/api/method/frappe.auth.get_logged_user') return { status: 200, body: { message: who } };
      if (req.path === '/api/method/frappe.client.has_permission') {
        // frappe/client.py has_permission(doctype, docname, perm_type="read") → {"message": {"has_permission": bool}}
        const dt = req.query.get('doctype') ?? '';
        if (!PERMS[dt]) throw new FrappeError('DoesNotExistError', 404, `DocType ${dt} not found`);
        return { status: 200, body: { message: { has_permission: may(user, dt, (req.query.get('perm_type') ?? 'read').toLowerCase()) } } };
      }
      if (req.path === '/api/method/frappe.integrations.doctype.connected_app.connected_app.has_token') {
        // connected_app.py has_token(connected_app, connected_user=None): bool(token_cache and its access_token) (observed: {"message": false}).
        const app = req.query.get('connected_app') ?? '';
        if (!docs['Connected App']!.has(app)) throw new FrappeError('DoesNotExistError', 404, `Connected App ${app} not found`, 'Message');
        const cacheName = `${app}-${req.query.get('connected_user') || who}`;
        return { status: 200, body: { message: docs['Token Cache']!.has(cacheName) && !!getPassword('Token Cache', cacheName, 'access_token') } };
      }
      if (req.path === '/api/method/frappe.utils.change_log.get_versions') return { status: 200, body: { message: { frappe: { title: 'Frappe Framework', description: 'Full stack web framework', branch: `version-${version.split('.')[0]}`, version } } } };
      const r = /^\/api\/resource\/([^/]+)(?:\/(.+))?$/.exec(req.path);
      if (!r) return { status: 404, body: '<!DOCTYPE html><html><head><title>Page Not Found</title></head><body><h1>Page Not Found</h1></body></html>' };
      const doctype = r[1]!;
      if (!docs[doctype]) throw new FrappeError('DoesNotExistError', 404, `DocType ${doctype} not found`);
      const name = r[2];
      const ptype = req.method === 'GET' ? 'read' : req.method === 'POST' && !name ? 'create' : 'write';
      // A named document is loaded before its permission is checked (api/v1.py: frappe.get_doc, then save()).
      if (name && !docs[doctype]!.has(name)) throw new FrappeError('DoesNotExistError', 404, `${doctype} ${name} not found`);
      if (!may(user, doctype, ptype)) {
        // permissions.has_permission(doc) (v15.41.0, observed): "User <u> does not have access to this document", with
        // ": <DocType> - <name>" when the user may read the DocType, else after "User <u> does not have doctype access
        // via role permission for document <DocType>" and a <br>; the message's title "Message"; the body's
        // `_error_message` is Document.raise_no_permission_to's "Insufficient Permission for <DocType> (<ptype>)".
        const docMsg = `User ${bold(who)} does not have access to this document`;
        const msg = may(user, doctype, 'read') ? `${docMsg}: ${doctype} - ${name ?? 'None'}` : `User ${bold(who)} does not have doctype access via role permission for document ${bold(doctype)}<br>${docMsg}`;
        throw new FrappeError('PermissionError', 403, msg, 'Message', { _error_message: `Insufficient Permission for ${doctype} (${bold(ptype)})` });
      }
      // api/v1.py get_request_form_data(): the document is the body, or the body's `data` when it has one (observed).
      const raw = (req.body ?? {}) as Record<string, unknown>;
      const wrapped = typeof raw.data === 'string' ? (JSON.parse(raw.data) as unknown) : raw.data;
      const body = (wrapped && typeof wrapped === 'object' ? wrapped : raw) as Record<string, unknown>;
      if (!name && req.method === 'GET') {
        const filters = JSON.parse(req.query.get('filters') ?? '[]') as Array<[string, string, unknown]>;
        const list = [...docs[doctype]!.values()].filter((d) => filters.every(([f, op, v]) => op === '=' && d[f] === v));
        const fields = JSON.parse(req.query.get('fields') ?? '["name"]') as string[];
        return { status: 200, body: { data: list.map((d) => Object.fromEntries(fields.map((f) => [f, d[f] ?? null]))) } };
      }
      if (!name && req.method === 'POST') return { status: 200, body: { data: await saveDoc(doctype, undefined, body, who) } };
      const existing = name ? docs[doctype]!.get(name) : undefined;
      if (!existing) throw new FrappeError('DoesNotExistError', 404, `${doctype} ${name ?? ''} not found`);
      if (req.method === 'GET') return { status: 200, body: { data: masked(doctype, existing) } };
      if (req.method === 'PUT') return { status: 200, body: { data: await saveDoc(doctype, existing, body, who) } };
      throw new FrappeError('PermissionError', 403, 'Not permitted');
    } catch (e) {
      return errorRes(e);
    }
  };

  const running = await serveJson(handle, opts.tls);
  return { ...running, docs, passwords, writes: () => writes };
}
