/**
 * Odoo / Flectra stand-in: the external JSON-2 API for Odoo 19+ (handleJson2; JSON-RPC too up to 21),
 * JSON-RPC (`/jsonrpc`, services common + object, as odoo/http.py and
 * odoo/service/*.py dispatch them) with API-key authentication, the models the Microsoft Outlook
 * module touches with their real fields, selection values, constraints and error texts per version
 * (15.0 / Flectra 2.0: Boolean use_microsoft_outlook_service + fetchmail_outlook; 16.0+: selection
 * 'outlook'), access rights (base.group_system), and the module's own connection tests: they refresh
 * the stored token at the endpoint the module reads and log in with XOAUTH2. Sources: README.md.
 */
import { serveJson, type Req, type Res, type Running } from './http';
import { imapServer, imapXoauth2, postToken, smtpServer, smtpXoauth2, type MicrosoftSide } from './microsoft';

/** ir.module.module `state` (odoo/addons/base/models/ir_module.py STATES), those the stand-in models. */
export type ModuleState = 'installed' | 'uninstalled' | 'to install' | 'uninstallable';

export interface OdooWrite {
  model: string;
  method: string;
  ids: number[];
  fields: string[];
}

export interface OdooOptions {
  microsoft: MicrosoftSide;
  product: 'Odoo' | 'Flectra';
  /** '19.0', '18.0', '17.0', '16.0', '15.0' (Odoo; 19+ also speaks JSON-2, 22+ only JSON-2) or '2.0' (Flectra). */
  version: string;
  databases: string[];
  /**
   * `password`: the user's own password, which the JSON-RPC external API takes where it takes an API key
   * (https://www.odoo.com/documentation/17.0/developer/reference/external_api.html, "Logging in":
   * authenticate(db, username, password); "API Keys ... can be used instead of the password"), unless the
   * user has two-factor sign-in on (`twoFactor`: auth_totp refuses the password over RPC, an API key is needed).
   * The JSON-2 API (Odoo 19+) takes API keys only (its bearer), never the password.
   */
  users: Array<{ login: string; apiKey: string; password?: string; twoFactor?: boolean; system: boolean }>;
  /** Module states; default: microsoft_outlook (and fetchmail_outlook on 15/Flectra) installed. */
  modules?: Record<string, ModuleState>;
  webBaseUrl: string;
}

/** JSON-RPC's secret: the API key, or the password when the user has no two-factor sign-in (see `users`). */
function rpcSecretMatches(u: OdooOptions['users'][number], key: unknown): boolean {
  return typeof key === 'string' && key !== '' && (key === u.apiKey || (u.password !== undefined && !u.twoFactor && key === u.password));
}

type Value = string | number | boolean | false | null;
type Rec = Record<string, Value> & { id: number };
type FieldType = 'char' | 'integer' | 'boolean' | 'selection';
interface Field {
  type: FieldType;
  selection?: string[];
}

const DEFAULT_ENDPOINT = 'https://login.microsoftonline.com/common/oauth2/v2.0/';

export interface OdooStandIn extends Running {
  records: Record<string, Rec[]>;
  writes(): number;
  /** Each write as Odoo saw it: model, method, record ids and the field names written (never values). */
  writeLog: OdooWrite[];
  setModule(name: string, state: ModuleState): void;
  /** Authenticated ORM calls (model.method) that came over JSON-RPC execute_kw / over JSON-2. */
  jsonrpcCalls: string[];
  json2Calls: string[];
}

export async function startOdoo(opts: OdooOptions): Promise<OdooStandIn> {
  const major = Number(opts.version.split('.')[0]);
  const modern = opts.product === 'Odoo' && major >= 16;
  const pkg = opts.product === 'Flectra' ? 'flectra' : 'odoo';
  const modules: Record<string, ModuleState> = { microsoft_outlook: 'installed', ...(modern ? {} : { fetchmail_outlook: 'installed' }), ...(opts.modules ?? {}) };
  const records: Record<string, Rec[]> = { 'ir.config_parameter': [{ id: 1, key: 'web.base.url', value: opts.webBaseUrl }], 'ir.mail_server': [], 'fetchmail.server': [] };
  let nextId = 100;
  let writes = 0;
  const writeLog: OdooWrite[] = [];
  /** Odoo 19+ speaks JSON-2 (and keeps JSON-RPC until 21); each authenticated call as model.method, per protocol. */
  const json2 = opts.product === 'Odoo' && major >= 19;
  const jsonrpcCalls: string[] = [];
  const json2Calls: string[] = [];

  const outlookTokenFields = (): Record<string, Field> => (modules.microsoft_outlook === 'installed' ? { microsoft_outlook_refresh_token: { type: 'char' }, microsoft_outlook_access_token: { type: 'char' }, microsoft_outlook_access_token_expiration: { type: 'integer' } } : {});
  /** Fields per model for this version and these modules (addons/microsoft_outlook/models/*.py). */
  const fields = (model: string): Record<string, Field> | undefined => {
    const outlook = modules.microsoft_outlook === 'installed';
    if (model === 'ir.config_parameter') return { key: { type: 'char' }, value: { type: 'char' } };
    if (model === 'ir.module.module') return { name: { type: 'char' }, state: { type: 'char' } };
    if (model === 'ir.mail_server') {
      const f: Record<string, Field> = { name: { type: 'char' }, smtp_host: { type: 'char' }, smtp_port: { type: 'integer' }, smtp_user: { type: 'char' }, smtp_pass: { type: 'char' }, smtp_encryption: { type: 'selection', selection: ['none', 'starttls', 'ssl'] }, from_filter: { type: 'char' }, active: { type: 'boolean' }, sequence: { type: 'integer' } };
      f.smtp_authentication = { type: 'selection', selection: ['login', 'certificate', ...(modern ? ['cli'] : []), ...(modern && outlook ? ['outlook'] : [])] };
      if (outlook) Object.assign(f, outlookTokenFields(), modern ? {} : { use_microsoft_outlook_service: { type: 'boolean' } });
      return f;
    }
    if (model === 'fetchmail.server') {
      const f: Record<string, Field> = { name: { type: 'char' }, server: { type: 'char' }, port: { type: 'integer' }, is_ssl: { type: 'boolean' }, user: { type: 'char' }, password: { type: 'char' }, state: { type: 'selection', selection: ['draft', 'done'] }, active: { type: 'boolean' } };
      f.server_type = { type: 'selection', selection: ['imap', 'pop', 'local', ...(modern && outlook ? ['outlook'] : [])] };
      if (modern && outlook) Object.assign(f, outlookTokenFields());
      if (!modern && modules.fetchmail_outlook === 'installed' && outlook) Object.assign(f, outlookTokenFields(), { use_microsoft_outlook_service: { type: 'boolean' } });
      return f;
    }
    return undefined;
  };
  /** Fields of group base.group_system on the mail servers (sources at the check in execute). */
  const SYSTEM_FIELDS = ['smtp_user', 'smtp_pass', 'microsoft_outlook_refresh_token', 'microsoft_outlook_access_token', 'microsoft_outlook_access_token_expiration'];
  const MODEL_LABEL: Record<string, string> = { 'ir.config_parameter': 'System Parameter', 'ir.mail_server': 'Mail Server', 'fetchmail.server': 'Incoming Mail Server' };

  class OdooError extends Error {
    constructor(
      readonly cls: string,
      message: string,
    ) {
      super(message);
    }
  }
  const userError = (m: string) => new OdooError(`${pkg}.exceptions.UserError`, m);
  const valueError = (m: string) => new OdooError('builtins.ValueError', m);
  const q = (name: unknown) => (modern ? `“${String(name)}”` : `'${String(name)}'`);

  const checkDb = (db: unknown) => {
    if (!opts.databases.includes(String(db))) throw new OdooError('psycopg2.OperationalError', `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(db)}" does not exist\n`);
  };
  const userFor = (uid: unknown, key: unknown) => {
    const u = opts.users.find((x, i) => i + 2 === uid && rpcSecretMatches(x, key));
    if (!u) throw new OdooError(`${pkg}.exceptions.AccessDenied`, 'Access Denied');
    return u;
  };

  const validate = (model: string, vals: Record<string, unknown>) => {
    const f = fields(model)!;
    for (const [k, v] of Object.entries(vals)) {
      const def = f[k];
      if (!def) throw valueError(`Invalid field '${k}' on model '${model}'`);
      if (def.type === 'selection' && v !== false && !def.selection!.includes(String(v))) throw valueError(`Wrong value for ${model}.${k}: '${String(v)}'`);
      if (def.type === 'integer' && v !== false && !Number.isInteger(v)) throw valueError(`invalid literal for int() with base 10: '${String(v)}'`);
    }
  };
  /** @api.constrains of the module, per version (ir_mail_server.py, fetchmail_server.py). */
  const constrain = (model: string, r: Rec) => {
    if (model === 'ir.mail_server') {
      const outlook = modern ? r.smtp_authentication === 'outlook' : r.use_microsoft_outlook_service === true;
      if (!outlook) return;
      if (r.smtp_pass) throw userError(`Please leave the password field empty for Outlook mail server ${q(r.name)}. The OAuth process does not require it`);
      if (r.smtp_encryption !== 'starttls') throw userError(`Incorrect Connection Security for Outlook mail server ${q(r.name)}. Please set it to "TLS (STARTTLS)".`);
      if (modern && !r.smtp_user) throw userError('Please fill the "Username" field with your Outlook/Office365 username (your email address). This should be the same account as the one used for the Outlook OAuthentication Token.');
    }
    if (model === 'fetchmail.server') {
      if (modern && r.server_type === 'outlook' && !r.is_ssl) throw userError(`SSL is required for server ${q(r.name)}.`);
      if (!modern && r.use_microsoft_outlook_service === true) {
        if (r.server_type !== 'imap') throw userError(`Outlook mail server ${q(r.name)} only supports IMAP server type.`);
        if (r.password) throw userError(`Please leave the password field empty for Outlook mail server ${q(r.name)}. The OAuth process does not require it`);
        if (!r.is_ssl) throw userError('SSL is required .');
      }
    }
  };

  const versionInfo = () => {
    const info = opts.version.split('.').map(Number);
    return { server_version: opts.version, server_version_info: [info[0], info[1] ?? 0, 0, 'final', 0, ''], server_serie: opts.version, protocol_version: 1 };
  };

  /**
   * The external JSON-2 API (Odoo 19+), strictly as documented and coded:
   * - route: addons/rpc/controllers/json2.py `@http.route('/json/2/<model>/<method>', methods=['POST'],
   *   auth='bearer', type='json2')`, `web_json_2_rpc(self, model, method, ids=(), context=frozendict(), **kwargs)`;
   *   any other /json/2 path: NotFound "Did you mean POST /json/2/<model>/<method>?".
   * - auth: odoo/addons/base/models/ir_http.py `_auth_method_bearer`: header `^bearer\s+(.+)$` (any case),
   *   `res.users.apikeys._check_credentials(scope='rpc')`; none → Unauthorized 'User not authenticated, use
   *   the "Authorization" header'; a wrong key → Unauthorized "Invalid apikey" (the example in
   *   external_api.rst "Response").
   * - errors: odoo/http.py `Json2Dispatcher.handle_error`: UserError and subclasses with their http_status
   *   (UserError 422, AccessError/AccessDenied 403: odoo/exceptions.py), werkzeug HTTPException with its code
   *   and `arguments: (description, code)`, anything else 500; body `serialize_exception`:
   *   {name, message, arguments, context, debug}.
   * - model/method: unknown model → NotFound "the model 'x' does not exist"; `get_public_method`
   *   (odoo/service/model.py): a private name → AccessError, a missing one → NotFound "The method 'm' does
   *   not exist on the model 'x'"; `@api.model` method called with ids → UnprocessableEntity "cannot call
   *   x.m with ids"; `inspect.signature(func).bind(records, **kwargs)` TypeError → UnprocessableEntity with
   *   Python's own words ("missing a required argument: 'vals'", "got an unexpected keyword argument 'x'").
   * - database: X-Odoo-Database (external_api.rst "Database"); without it a server with one database uses
   *   that one. An unknown name or a missing one on a multi-database server: 404 NotFound (assumed from the
   *   nodb routing map, which has no /json/2 rule; not compared with a real Odoo 19).
   */
  const SIGNATURES: Record<string, { api_model?: boolean; params: string[]; required: string[]; varkw?: boolean }> = {
    // odoo/orm/models.py (19.0) signatures, self excluded
    search_read: { api_model: true, params: ['domain', 'fields', 'offset', 'limit', 'order'], required: [], varkw: true },
    search: { api_model: true, params: ['domain', 'offset', 'limit', 'order'], required: ['domain'] },
    read: { params: ['fields', 'load'], required: [] },
    create: { api_model: true, params: ['vals_list'], required: ['vals_list'] },
    write: { params: ['vals'], required: ['vals'] },
    context_get: { api_model: true, params: [], required: [] },
    button_immediate_install: { params: [], required: [] },
    test_smtp_connection: { params: [], required: [] },
    button_confirm_login: { params: [], required: [] },
  };
  const httpError = (code: number, cls: string, message: string): Res => {
    const name = cls.includes('.') ? cls : `werkzeug.exceptions.${cls}`;
    return { status: code, body: { name, message, arguments: name.startsWith('werkzeug.') ? [message, code] : [message], context: {}, debug: `Traceback (most recent call last):\n  ...\n${name}: ${message}\n` } };
  };
  const json2Status = (cls: string) => (/\.(AccessError|AccessDenied)$/.test(cls) ? 403 : /\.(UserError|ValidationError)$/.test(cls) ? 422 : /\.MissingError$/.test(cls) ? 404 : 500);
  const handleJson2 = async (req: Req): Promise<Res> => {
    const m = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(req.path);
    if (!m) return httpError(404, 'NotFound', 'Did you mean POST /json/2/<model>/<method>?');
    if (req.method !== 'POST') return httpError(405, 'MethodNotAllowed', 'The method is not allowed for the requested URL.');
    const [, model, method] = m as unknown as [string, string, string];
    const header = String(req.headers['x-odoo-database'] ?? '');
    const db = header || (opts.databases.length === 1 ? opts.databases[0] : '');
    if (!db || !opts.databases.includes(db)) return httpError(404, 'NotFound', 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.');
    const bearer = /^bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!bearer) return httpError(401, 'Unauthorized', 'User not authenticated, use the "Authorization" header');
    const user = opts.users.find((u) => u.apiKey === bearer);
    if (!user) return httpError(401, 'Unauthorized', 'Invalid apikey');
    const mime = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (req.raw && mime !== 'application/json') return httpError(404, 'NotFound', 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.'); // Json2Dispatcher.is_compatible_with
    if (req.body === Symbol.for('invalid-json')) return httpError(400, 'BadRequest', 'could not parse the body as json: Expecting value: line 1 column 1 (char 0)');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) return httpError(400, 'BadRequest', 'could not parse the body, expecting a json object');
    json2Calls.push(`${model}.${method}`);
    const { ids = [], context = {}, ...kwargs } = body as { ids?: number[]; context?: Record<string, unknown> } & Record<string, unknown>;
    if (!fields(model) && model !== 'res.users') return httpError(404, 'NotFound', `the model '${model}' does not exist`);
    if (method.startsWith('_')) return httpError(403, `${pkg}.exceptions.AccessError`, `Private methods (such as '${model}.${method}') cannot be called remotely.`);
    const sig = SIGNATURES[method];
    const exists = sig && (model === 'res.users' ? method === 'context_get' : method === 'test_smtp_connection' ? model === 'ir.mail_server' : method === 'button_confirm_login' ? model === 'fetchmail.server' : method === 'button_immediate_install' ? model === 'ir.module.module' : method !== 'context_get');
    if (!exists) return httpError(404, 'NotFound', `The method '${method}' does not exist on the model '${model}'`);
    if (sig.api_model && (ids as number[]).length) return httpError(422, 'UnprocessableEntity', `cannot call ${model}.${method} with ids`);
    for (const k of Object.keys(kwargs)) if (!sig.params.includes(k) && !sig.varkw) return httpError(422, 'UnprocessableEntity', `got an unexpected keyword argument '${k}'`);
    for (const k of sig.required) if (!(k in kwargs)) return httpError(422, 'UnprocessableEntity', `missing a required argument: '${k}'`);
    if (model === 'res.users') return { status: 200, body: { lang: 'en_US', tz: 'Europe/Brussels', uid: opts.users.indexOf(user) + 2 } };
    const args = method === 'search_read' || method === 'search' ? [kwargs.domain ?? []] : method === 'create' ? [kwargs.vals_list] : method === 'write' ? [ids, kwargs.vals] : [ids];
    const kw = method === 'search_read' || method === 'read' ? { fields: kwargs.fields, context } : {};
    try {
      return { status: 200, body: (await execute(user, model, method, args, kw)) ?? false };
    } catch (e) {
      const err = e instanceof OdooError ? e : new OdooError('builtins.Exception', String(e));
      return httpError(json2Status(err.cls), err.cls, err.message);
    }
  };

  const param = (key: string) => records['ir.config_parameter']!.find((p) => p.key === key)?.value as string | undefined;
  /** The endpoint the module reads in this version (microsoft_outlook_mixin.py). */
  const endpoint = () => {
    if (opts.product === 'Flectra' || major >= 17) return param('microsoft_outlook.endpoint') || DEFAULT_ENDPOINT;
    if (major === 16) return param('microsoft.outlook.endpoint') || DEFAULT_ENDPOINT;
    return DEFAULT_ENDPOINT; // 15.0: _OUTLOOK_ENDPOINT, no parameter
  };

  /** _generate_outlook_oauth2_string: reuse a valid access token, else refresh with the stored refresh token. */
  const accessToken = async (r: Rec, scope: string): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    if (r.microsoft_outlook_access_token && Number(r.microsoft_outlook_access_token_expiration) >= now) return String(r.microsoft_outlook_access_token);
    if (!r.microsoft_outlook_refresh_token) throw userError(modern ? 'Please connect with your Outlook account before using it.' : 'Please login your Outlook mail server before using it.');
    const base = (param('web.base.url') ?? '').replace(/\/+$/, '');
    const res = await postToken(opts.microsoft, `${endpoint().replace(/\/?$/, '/')}token`, {
      client_id: param('microsoft_outlook_client_id') ?? '',
      client_secret: param('microsoft_outlook_client_secret') ?? '',
      scope: `offline_access ${scope}`,
      redirect_uri: `${base}/microsoft_outlook/confirm`,
      grant_type: 'refresh_token',
      refresh_token: String(r.microsoft_outlook_refresh_token),
    });
    if (res.status < 200 || res.status >= 300) throw userError(`An error occurred when fetching the access token. ${typeof res.json.error_description === 'string' ? res.json.error_description : 'Unknown error.'}`);
    r.microsoft_outlook_access_token = String(res.json.access_token);
    r.microsoft_outlook_access_token_expiration = now + Number(res.json.expires_in);
    // The refreshed token is stored: Flectra's mixin, and Odoo 18.0's (microsoft_outlook_mixin.py
    // `_fetch_outlook_access_token` returns response['refresh_token'], `_generate_outlook_oauth2_string` assigns it;
    // Disassembling-Odoo/core @ 504b0670). Earlier Odoo versions: not pinned, left as they were.
    if ((opts.product === 'Flectra' || major >= 18) && res.json.refresh_token) r.microsoft_outlook_refresh_token = String(res.json.refresh_token);
    return String(r.microsoft_outlook_access_token);
  };

  const match = (r: Rec, domain: unknown[]): boolean =>
    domain.every((d) => {
      const [f, op, v] = d as [string, string, unknown];
      if (op === '=') return r[f] === v || (v === false && !r[f]);
      if (op === 'in') return (v as unknown[]).includes(r[f]);
      throw valueError(`Invalid domain operator ${op}`);
    });
  const pick = (model: string, r: Rec, wanted: unknown): Record<string, Value> => {
    const f = fields(model)!;
    const names = Array.isArray(wanted) && wanted.length ? (wanted as string[]) : Object.keys(f);
    for (const n of names) if (n !== 'id' && !f[n]) throw valueError(`Invalid field '${n}' on model '${model}'`);
    return Object.fromEntries([['id', r.id], ...names.filter((n) => n !== 'id').map((n) => [n, r[n] ?? (f[n]!.type === 'boolean' ? false : f[n]!.type === 'integer' ? 0 : false)])]);
  };

  /**
   * `ir.module.module.button_immediate_install` (odoo/addons/base/models/ir_module.py @ 504b0670, observed on Odoo
   * 18.0: test/standins/CONFORMANCE-ODOO.md "Installing the Outlook module"):
   * - `assert_log_admin_access` first: a user who is not an administrator → AccessDenied "Access Denied" (the
   *   stand-in's users are Settings users or not; a Settings user is an administrator: group_system implies
   *   group_erp_manager, res_users.py `_is_admin`). Reading the module's state stays allowed to them.
   * - the ids are browsed: one that does not exist → MissingError "Record does not exist or has been deleted.\n
   *   (Record: ir.module.module(999999,), User: 2)" (observed text).
   * - `button_install` marks the modules and their dependencies (fetchmail_outlook's __manifest__.py depends on
   *   microsoft_outlook; `_state_update` leaves a module in another state, e.g. 'uninstallable', as it is; read, not
   *   provoked), the registry is rebuilt: the modules' fields exist from the next call on; an installed
   *   module is accepted and stays installed (observed).
   * - answer: `next()`'s act_url `/odoo` on 18.0 (observed); '/web' before (ir_module.py `next()` of 15.0-17.0 as recalled, not pinned to a commit,
   *   not observed here).
   */
  const installModules = (user: { system: boolean }, rows: Rec[], ids: number[]) => {
    if (!user.system) throw new OdooError(`${pkg}.exceptions.AccessDenied`, 'Access Denied');
    const absent = ids.filter((id) => !rows.some((r) => r.id === id));
    if (absent.length) throw new OdooError(`${pkg}.exceptions.MissingError`, `Record does not exist or has been deleted.\n(Record: ir.module.module(${absent.length === 1 ? `${absent[0]},` : absent.join(', ')}), User: ${opts.users.findIndex((u) => u === user) + 2})`);
    const wanted = rows.filter((r) => ids.includes(r.id)).map((r) => String(r.name));
    // `_state_update('to install', ['uninstalled'])` skips a module in any other state (an 'uninstallable' one stays so).
    for (const n of wanted) for (const m of n === 'fetchmail_outlook' ? ['microsoft_outlook', n] : [n]) if (modules[m] === 'uninstalled' || modules[m] === 'to install') modules[m] = 'installed';
    writes++;
    writeLog.push({ model: 'ir.module.module', method: 'button_immediate_install', ids: [...ids], fields: ['state'] });
    return { type: 'ir.actions.act_url', target: 'self', url: opts.product === 'Odoo' && major >= 18 ? '/odoo' : '/web' };
  };

  const execute = async (user: { system: boolean }, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): Promise<unknown> => {
    if (model === 'ir.module.module') {
      const rows = Object.entries(modules).map(([name, state], i) => ({ id: i + 1, name, state }) as Rec);
      if (method === 'button_immediate_install') return installModules(user, rows, (args[0] ?? []) as number[]);
      if (method !== 'search_read') throw userError(`The method '${method}' does not exist on the model 'ir.module.module'`);
      const domain = (args[0] ?? []) as unknown[];
      return rows.filter((r) => match(r, domain)).map((r) => pick(model, r, kwargs.fields));
    }
    const f = fields(model);
    if (!f || (model === 'fetchmail.server' && !modern && false)) throw userError(`Object ${model} doesn't exist`);
    // search_read and read check the fields first (odoo/models.py check_field_access_rights, called before the
    // model's access rights): a field of group base.group_system (smtp_user and smtp_pass in
    // odoo/addons/base/models/ir_mail_server.py, the microsoft_outlook_* tokens in
    // addons/microsoft_outlook/models/microsoft_outlook_mixin.py) names the fields. Observed on Odoo 18.0.
    if (!user.system && (method === 'search_read' || method === 'read')) {
      const wanted = Array.isArray(kwargs.fields) ? (kwargs.fields as string[]) : [];
      const denied = wanted.filter((n) => SYSTEM_FIELDS.includes(n) && f[n]);
      if (denied.length)
        throw new OdooError(
          `${pkg}.exceptions.AccessError`,
          `You do not have enough rights to access the fields "${denied.join(',')}" on ${MODEL_LABEL[model]} (${model}). Please contact your system administrator.\n\nOperation: read\nUser: ${opts.users.findIndex((u) => u === user) + 2}\nFields:\n${[...denied].sort().map((n) => `- ${n} (allowed for groups 'Administration / Settings')`).join('\n')}`,
        );
    }
    if (!user.system) throw new OdooError(`${pkg}.exceptions.AccessError`, `You are not allowed to access '${MODEL_LABEL[model]}' (${model}) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Settings\n\nContact your administrator to request access if necessary.`);
    const table = records[model]!;
    switch (method) {
      case 'search':
        return table.filter((r) => match(r, (args[0] ?? []) as unknown[])).map((r) => r.id);
      case 'search_read':
        return table.filter((r) => match(r, (args[0] ?? []) as unknown[])).map((r) => pick(model, r, kwargs.fields));
      case 'read':
        return table.filter((r) => ((args[0] ?? []) as number[]).includes(r.id)).map((r) => pick(model, r, kwargs.fields));
      case 'create': {
        const vals = (Array.isArray(args[0]) ? args[0][0] : args[0]) as Record<string, Value>;
        validate(model, vals);
        // ir_config_parameter.py `_sql_constraints` key_uniq 'Key must be unique.', turned into a ValidationError
        // "The operation cannot be completed: %s" by odoo/service/model.py (observed on Odoo 18.0, CONFORMANCE-ODOO.md).
        if (model === 'ir.config_parameter' && table.some((p) => p.key === vals.key)) throw new OdooError(`${pkg}.exceptions.ValidationError`, 'The operation cannot be completed: Key must be unique.');
        const r: Rec = { ...(model === 'fetchmail.server' ? { state: 'draft', active: true, server_type: 'pop' } : {}), ...(model === 'ir.mail_server' ? { active: true, smtp_authentication: 'login', smtp_encryption: 'none' } : {}), ...vals, id: nextId++ };
        constrain(model, r);
        table.push(r);
        writes++;
        writeLog.push({ model, method, ids: [r.id], fields: Object.keys(vals).sort() });
        return Array.isArray(args[0]) ? [r.id] : r.id; // create(vals_list) → the new records' ids
      }
      case 'write': {
        const [ids, vals] = args as [number[], Record<string, Value>];
        validate(model, vals);
        for (const r of table.filter((x) => ids.includes(x.id))) {
          const next = { ...r, ...vals };
          constrain(model, next);
          Object.assign(r, vals);
        }
        writes++;
        writeLog.push({ model, method, ids: [...ids], fields: Object.keys(vals).sort() });
        return true;
      }
      case 'test_smtp_connection': {
        if (model !== 'ir.mail_server') break;
        const r = table.find((x) => ((args[0] ?? []) as number[]).includes(x.id));
        if (!r) throw userError('Record does not exist or has been deleted.');
        const outlook = modern ? r.smtp_authentication === 'outlook' : r.use_microsoft_outlook_service === true;
        if (!outlook) throw userError('Connection Test Failed! Here is what we got instead:\n This stand-in only tests Outlook OAuth servers');
        const token = await accessToken(r, 'https://outlook.office.com/SMTP.Send');
        try {
          await smtpXoauth2(opts.microsoft, smtpServer(opts.microsoft, String(r.smtp_host), Number(r.smtp_port)), String(r.smtp_user), token);
        } catch (e) {
          throw userError(`Connection Test Failed! Here is what we got instead:\n ${(e as Error).message}`);
        }
        // Odoo 18.0 adds `next: act_window_close` (observed; odoo/addons/base/models/ir_mail_server.py test_smtp_connection).
        return { type: 'ir.actions.client', tag: 'display_notification', params: { message: 'Connection Test Successful!', type: 'success', sticky: false, ...(opts.product === 'Odoo' && major >= 18 ? { next: { type: 'ir.actions.act_window_close' } } : {}) } };
      }
      case 'button_confirm_login': {
        if (model !== 'fetchmail.server') break;
        for (const r of table.filter((x) => ((args[0] ?? []) as number[]).includes(x.id))) {
          const outlook = modern ? r.server_type === 'outlook' : r.use_microsoft_outlook_service === true;
          if (!outlook) throw userError('Connection test failed: this stand-in only tests Outlook OAuth servers');
          // addons/mail/models/fetchmail.py button_confirm_login: what the IMAP server answers is "Server replied
          // with following exception:\n %s"; anything else raised while connecting, the module's own UserError
          // about the token included, becomes "Connection test failed: %s" (observed on Odoo 18.0).
          let token: string;
          try {
            token = await accessToken(r, 'https://outlook.office.com/IMAP.AccessAsUser.All');
          } catch (e) {
            throw opts.product === 'Odoo' && major >= 18 && e instanceof OdooError ? userError(`Connection test failed: ${e.message}`) : e;
          }
          try {
            await imapXoauth2(opts.microsoft, imapServer(opts.microsoft, String(r.server), Number(r.port)), String(r.user), token);
          } catch (e) {
            throw userError(`Server replied with following exception:\n ${(e as Error).message}`);
          }
          // fetchmail.py button_confirm_login: server.write({'state': 'done'}) — a write, even when it was done already.
          r.state = 'done';
          writes++;
          writeLog.push({ model, method, ids: [r.id], fields: ['state'] });
        }
        return true;
      }
    }
    throw new OdooError('builtins.AttributeError', `The method '${method}' does not exist on the model '${model}'`);
  };

  const handle = async (req: Req): Promise<Res> => {
    if (json2 && req.path === '/web/version' && req.method === 'GET') return { status: 200, body: versionInfo() };
    if (json2 && (req.path === '/json/2' || req.path.startsWith('/json/2/'))) return handleJson2(req);
    // XML-RPC/JSON-RPC are deprecated in 19.0 and removed in Odoo 22 (external_rpc_api.rst): no /jsonrpc from 22 on.
    if (req.path !== '/jsonrpc' || req.method !== 'POST' || major >= 22) return { status: 404, body: '<!DOCTYPE html><html><head><title>404 | Page not found</title></head><body>404 Not Found</body></html>' };
    const b = req.body as { id?: unknown; params?: { service?: string; method?: string; args?: unknown[] } };
    const id = b?.id ?? null;
    const ok = (result: unknown): Res => ({ status: 200, body: { jsonrpc: '2.0', id, result } });
    const fail = (e: unknown): Res => {
      const err = e instanceof OdooError ? e : new OdooError('builtins.Exception', String(e));
      return { status: 200, body: { jsonrpc: '2.0', id, error: { code: 200, message: `${opts.product} Server Error`, data: { name: err.cls, debug: `Traceback (most recent call last):\n  ...\n${err.cls}: ${err.message}\n`, message: err.message, arguments: [err.message], context: {} } } } };
    };
    try {
      const { service, method, args = [] } = b.params ?? {};
      if (service === 'common' && method === 'version') return ok(versionInfo());
      if (service === 'db' && method === 'list') return ok([...opts.databases]); // list_db = True (Odoo's default)
      if (service === 'common' && (method === 'authenticate' || method === 'login')) {
        const [db, login, key] = args;
        jsonrpcCalls.push(`common.${method}`);
        checkDb(db);
        const i = opts.users.findIndex((u) => u.login === login && rpcSecretMatches(u, key));
        return ok(i >= 0 ? i + 2 : false);
      }
      if (service === 'object' && method === 'execute_kw') {
        const [db, uid, key, model, m, margs, kwargs] = args as [string, number, string, string, string, unknown[], Record<string, unknown>];
        checkDb(db);
        const user = userFor(uid, key);
        jsonrpcCalls.push(`${model}.${m}`);
        return ok(await execute(user, model, m, margs ?? [], kwargs ?? {}));
      }
      throw new OdooError('builtins.NameError', `service ${String(service)} / method ${String(method)} not found`);
    } catch (e) {
      return fail(e);
    }
  };

  const running = await serveJson(handle);
  return { ...running, records, writes: () => writes, writeLog, jsonrpcCalls, json2Calls, setModule: (n, s) => void (modules[n] = s) };
}
