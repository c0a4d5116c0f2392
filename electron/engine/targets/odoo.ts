/**
 * Odoo and Flectra. Transport per version (odooProtocol): Odoo 19+ through the external JSON-2 API
 * (`POST /json/2/<model>/<method>`, `Authorization: bearer <API key>`, named arguments, the database
 * in `X-Odoo-Database`; odoo/documentation 19.0 content/developer/reference/external_api.rst, odoo/odoo
 * addons/rpc/controllers/json2.py); Odoo 15-18 and Flectra through JSON-RPC (`/jsonrpc`, services
 * `common` and `object`; the same dispatch as /xmlrpc/2) with an API key. Field names from
 * addons/microsoft_outlook (odoo/odoo 15.0-19.0) and addons/fetchmail_outlook (Odoo 15.0,
 * flectra-hq/flectra 2.0): see test/standins/README.md.
 */
import { CLOUD_DEFAULTS, resolveEndpoints } from '../../../shared/endpoints';
import { createContext, getTarget } from '../../../shared/catalogue';
import { TARGET_DEFAULT_HOSTS } from '../../../shared/catalogue/clouds';
import { ODOO_ENDPOINT_KEY, ODOO_ENDPOINT_KEY_OLD } from '../../../shared/catalogue/targets/odoo-family';
import { oauthEndpointBase } from '../../../shared/catalogue/portal-links';
import { TargetError } from './errors';
import { jsonOf, targetRequest, TargetNetError, unreachable } from './http';
import { SECRET_SHOWN, type PlanItem, type PushPlan, type TargetClient, type TargetContextInput, type TargetTestResult } from './types';

type Value = string | number | boolean;
type Values = Record<string, Value>;

/** How the module names things in this version: 16+ a selection, 15.0 and Flectra a Boolean. */
export interface OdooDialect {
  product: 'Odoo' | 'Flectra';
  version: string;
  major: number;
  /** ir.mail_server smtp_authentication='outlook' (16+) or use_microsoft_outlook_service (15.0, Flectra). */
  outlookSelection: boolean;
  /** Keys of the endpoint system parameter this version may read ([] = fixed to /common). */
  endpointKeys: string[];
  /** Modules the configuration needs. */
  modules: string[];
  /** How the assistant talks to this server (odooProtocol). */
  protocol: OdooProtocol;
}

export type OdooProtocol = 'json2' | 'jsonrpc';

/**
 * The transport per version. Odoo 19.0 added the external JSON-2 API and deprecated XML-RPC/JSON-RPC
 * (odoo/documentation 19.0, content/developer/reference/external_api.rst ".. versionadded:: 19.0";
 * external_rpc_api.rst ".. deprecated:: 19.0"); those stay until Odoo 22 (fall 2028), but from 19 on
 * the assistant uses JSON-2 only. Odoo 15-18 and Flectra (no /json/2) keep JSON-RPC.
 */
export function odooProtocol(product: 'Odoo' | 'Flectra', major: number): OdooProtocol {
  return product === 'Odoo' && major >= 19 ? 'json2' : 'jsonrpc';
}

export function odooDialect(product: 'Odoo' | 'Flectra', versionInfo: unknown[], serverVersion: string): OdooDialect {
  const major = Number(versionInfo[0]);
  if (product === 'Flectra') {
    if (major !== 2) throw new TargetError('target-version-unsupported', `Flectra ${serverVersion}: the assistant knows Flectra 2.x (Microsoft Outlook + Fetchmail Outlook modules)`);
    return { product, version: serverVersion, major, outlookSelection: false, endpointKeys: [ODOO_ENDPOINT_KEY], modules: ['microsoft_outlook', 'fetchmail_outlook'], protocol: 'jsonrpc' };
  }
  if (!Number.isInteger(major) || major < 15) throw new TargetError('target-version-unsupported', `Odoo ${serverVersion}: the Microsoft Outlook module exists from Odoo 15.0 on`);
  // Odoo 19+ is spoken to over JSON-2 (odooProtocol), which has no end date: no upper bound here.
  if (major === 15) return { product, version: serverVersion, major, outlookSelection: false, endpointKeys: [], modules: ['microsoft_outlook', 'fetchmail_outlook'], protocol: 'jsonrpc' };
  // The endpoint parameter each version reads (addons/microsoft_outlook/models/microsoft_outlook_mixin.py):
  // 16 `Config.get_param('microsoft.outlook.endpoint', _OUTLOOK_ENDPOINT)` (odoo/odoo @ 00ce3720);
  // 17+ `_get_microsoft_endpoint()` → 'microsoft_outlook.endpoint' (18.0: Disassembling-Odoo/core @ 504b0670).
  // 19.0 reads the same 'microsoft_outlook.endpoint' and keeps the record fields smtp_authentication='outlook',
  // server_type='outlook' and microsoft_outlook_refresh_token (odoo/odoo addons/microsoft_outlook/models/
  // microsoft_outlook_mixin.py, ir_mail_server.py, fetchmail_server.py). Only the key the server reads is written.
  return { product, version: serverVersion, major, outlookSelection: true, endpointKeys: major === 16 ? [ODOO_ENDPOINT_KEY_OLD] : [ODOO_ENDPOINT_KEY], modules: ['microsoft_outlook'], protocol: odooProtocol(product, major) };
}

interface RpcError {
  code?: number;
  message?: string;
  data?: { name?: string; message?: string; arguments?: unknown[] };
}

/** Named arguments of one ORM call (JSON-2's body; odoo/models.py parameter names). */
type Named = { ids?: number[]; domain?: unknown[]; fields?: string[]; vals_list?: Values[]; vals?: Values; context?: Record<string, unknown> } & Record<string, unknown>;
/** The positional order of those names for JSON-RPC's execute_kw (after the ids, if any). */
const POSITIONAL: Record<string, string[]> = { search_read: ['domain'], search: ['domain'], create: ['vals_list'], write: ['vals'] };

/** Odoo's error (its exception class and message) → what it means for the user. */
export function classifyOdooError(e: RpcError, host: string): TargetError {
  const name = e.data?.name ?? '';
  const text = e.data?.message ?? e.message ?? 'Odoo Server Error';
  const cls = name.replace(/^(odoo|flectra)\.exceptions\./, '');
  if (/database ".*" does not exist|FATAL:\s+database/i.test(text)) return new TargetError('target-wrong-database', text, host);
  if (cls === 'AccessDenied') return new TargetError('target-bad-credentials', text, host);
  if (cls === 'AccessError') return new TargetError('target-insufficient-rights', text, host);
  if (/Invalid field '(use_microsoft_outlook_service|microsoft_outlook_\w+)'|Wrong value for ir\.mail_server\.smtp_authentication: 'outlook'|Wrong value for fetchmail\.server\.server_type: 'outlook'|Object fetchmail\.server doesn't exist|the model 'fetchmail\.server' does not exist/.test(text))
    return new TargetError('target-module-missing', text, host);
  return new TargetError('target-validation', text, host);
}

/** The modules' names as Odoo's Apps list shows them. */
const MODULE_TITLES: Record<string, string> = { microsoft_outlook: 'Microsoft Outlook', fetchmail_outlook: 'Fetchmail Outlook' };
/**
 * States the assistant installs from (odoo/addons/base/models/ir_module.py `button_install` takes 'uninstalled'
 * and 'to install'; 'uninstallable' or no record at all, the module is not on the server: target-module-missing).
 */
const INSTALLABLE = ['uninstalled', 'to install'];
/** Fields the Outlook modules add (microsoft_outlook_mixin.py; 15.0 / Flectra use_microsoft_outlook_service): absent until installed. */
const MODULE_FIELDS = ['use_microsoft_outlook_service', 'microsoft_outlook_refresh_token', 'microsoft_outlook_access_token', 'microsoft_outlook_access_token_expiration'];

export function odooClient(c: TargetContextInput): TargetClient {
  const base = c.connection.url;
  const host = new URL(base).host;
  let db = c.connection.database?.trim() ?? '';
  const login = c.connection.login ?? '';
  const key = c.credentials.kind === 'odoo' ? c.credentials.apiKey : '';
  const product: 'Odoo' | 'Flectra' = c.profile.target === 'flectra' ? 'Flectra' : 'Odoo';
  let id = 0;
  let uid: number | undefined;
  let dialect: OdooDialect | undefined;

  const http = async (path: string, init: { method: string; headers?: Record<string, string>; body?: string }) => {
    try {
      return await targetRequest(`${base}${path}`, init, { ...(c.profile.caCerts ? { ca: c.profile.caCerts } : {}), timeoutMs: c.timeoutMs, ...(c.signal ? { signal: c.signal } : {}) });
    } catch (e) {
      if (e instanceof TargetNetError) throw unreachable(e, host);
      throw e;
    }
  };
  const rpc = async (service: string, method: string, args: unknown[]): Promise<unknown> => {
    const r = await http('/jsonrpc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: ++id }) });
    const json = jsonOf(r) as { result?: unknown; error?: RpcError } | undefined;
    if (!json || (!('result' in json) && !json.error)) throw new TargetError('target-not-recognised', `HTTP ${r.status} from /jsonrpc (not ${product}'s JSON-RPC)`, host, r.status);
    if (json.error) throw classifyOdooError(json.error, host);
    return json.result;
  };
  /**
   * JSON-2 (Odoo 19+): POST /json/2/<model>/<method>, the API key as bearer token, the database in
   * X-Odoo-Database, the method's parameters by name in a JSON object; success 200 with the return value,
   * errors 4xx/5xx with {name, message, arguments, context, debug} (external_api.rst "Request"/"Response").
   */
  const json2 = async (model: string, method: string, named: Named): Promise<unknown> => {
    const r = await http(`/json/2/${model}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', authorization: `bearer ${key}`, 'user-agent': 'mail-oauth', ...(db ? { 'x-odoo-database': db } : {}) }, body: JSON.stringify(named) });
    const json = jsonOf(r);
    if (r.status === 200 && json !== undefined) return json;
    const err = (json && typeof json === 'object' ? json : {}) as { name?: string; message?: string };
    if (!err.name) throw new TargetError('target-not-recognised', `HTTP ${r.status} from /json/2/${model}/${method} (not ${product}'s JSON-2 API)`, host, r.status);
    // ir_http.py _auth_method_bearer: werkzeug Unauthorized "Invalid apikey" / 'User not authenticated, use the "Authorization" header'.
    if (r.status === 401) throw new TargetError('target-bad-credentials', `${product} refused the API key (HTTP 401: ${err.message ?? 'Unauthorized'})`, host, 401);
    if (r.status === 404 && err.name === 'werkzeug.exceptions.NotFound' && !/model|method/i.test(err.message ?? ''))
      throw new TargetError('target-wrong-database', `HTTP 404 from /json/2 with database "${db || '(none given)'}": ${err.message ?? 'Not Found'}`, host, 404);
    throw classifyOdooError({ data: { name: err.name, message: err.message ?? '' } }, host);
  };
  /** One ORM call, named as JSON-2 names it; on JSON-RPC the same call with positional arguments. */
  const exec = (model: string, method: string, named: Named): Promise<unknown> => {
    if (dialect?.protocol === 'json2') return json2(model, method, named);
    const { ids, ...rest } = named;
    const pos = (POSITIONAL[method] ?? []).map((k) => rest[k]);
    for (const k of POSITIONAL[method] ?? []) delete rest[k];
    return rpc('object', 'execute_kw', [db, uid, key, model, method, [...(ids ? [ids] : []), ...pos], rest]);
  };

  /** The version, unauthenticated: common.version over /jsonrpc (15-21), else GET /web/version (Odoo 22+, no /jsonrpc). */
  const serverVersion = async () => {
    try {
      return (await rpc('common', 'version', [])) as { server_version?: string; server_version_info?: unknown[] };
    } catch (e) {
      if (!(e instanceof TargetError) || e.hint !== 'target-not-recognised') throw e;
      const r = await http('/web/version', { method: 'GET' });
      const v = jsonOf(r) as { server_version?: string; server_version_info?: unknown[] } | undefined;
      if (r.status !== 200 || !v?.server_version) throw e;
      return v;
    }
  };

  const signIn = async (): Promise<OdooDialect> => {
    if (dialect && (uid || dialect.protocol === 'json2')) return dialect;
    const v = await serverVersion();
    if (!v?.server_version) throw new TargetError('target-not-recognised', 'common.version answered without server_version', host);
    dialect = odooDialect(product, v.server_version_info ?? [], v.server_version);
    if (dialect.protocol === 'json2') {
      // No login step in JSON-2: the key is checked on every call. context_get (an @api.model method
      // every user may call) proves key and database before anything is read.
      await json2('res.users', 'context_get', {});
      return dialect;
    }
    if (!db) {
      // No name given: a server with one database (db.list, unless list_db is off) needs none.
      const list = (await rpc('db', 'list', []).catch(() => undefined)) as string[] | undefined;
      if (!list || list.length !== 1) throw new TargetError('target-wrong-database', list?.length ? `no database name given; this server has ${list.length}: ${list.slice(0, 10).join(', ')}` : 'no database name given, and the server does not list its databases', host);
      db = list[0]!;
    }
    const r = await rpc('common', 'authenticate', [db, login, key, {}]);
    if (typeof r !== 'number' || !r) throw new TargetError('target-bad-credentials', `${product} refused the login "${login}" with this API key (authenticate returned false)`, host);
    uid = r;
    return dialect;
  };

  const target = getTarget(c.profile.target);
  const desired = (d: OdooDialect) => {
    const ctx = createContext(target, c.profile, c.clientSecret ?? '');
    const params: Record<string, string> = { microsoft_outlook_client_id: c.profile.clientId, microsoft_outlook_client_secret: c.clientSecret ?? '' };
    const notes: string[] = [];
    // The endpoint parameter: needed for a single-tenant app (AADSTS50194 on /common) and for any
    // sign-in host other than Odoo's default login.microsoftonline.com (national clouds, the emulator).
    const defaultHost = ctx.hosts.signInHost === CLOUD_DEFAULTS.global.signInHost;
    if (ctx.audience === 'single' || !defaultHost) {
      if (d.endpointKeys.length) for (const k of d.endpointKeys) params[k] = oauthEndpointBase(ctx.hosts.signInHost, ctx.authority);
      else notes.push(`${d.product} ${d.version} always signs in through https://login.microsoftonline.com/common/: a single-tenant app or another cloud does not work there (AADSTS50194). Allow any organization on the registration, or upgrade to Odoo 16+.`);
    }
    // Hosts: Odoo's own defaults (what its form fills in), unless the profile proved other servers.
    const ep = resolveEndpoints(c.profile);
    const custom = !!c.profile.endpoints?.imap || !!c.profile.endpoints?.smtp || c.profile.cloud !== 'global';
    const smtp = custom ? ep.smtp : TARGET_DEFAULT_HOSTS.smtp;
    const imap = custom ? ep.imap : TARGET_DEFAULT_HOSTS.imap;
    const name = `${c.profile.mailbox} (Outlook)`;
    const outgoing: Values = { name, smtp_host: smtp.host, smtp_port: smtp.port, smtp_encryption: 'starttls', smtp_user: c.profile.mailbox, from_filter: c.profile.mailbox };
    if (d.outlookSelection) outgoing.smtp_authentication = 'outlook';
    else outgoing.use_microsoft_outlook_service = true;
    const incoming: Values = { name, server: imap.host, port: imap.port, is_ssl: true, user: c.profile.mailbox };
    if (d.outlookSelection) incoming.server_type = 'outlook';
    else Object.assign(incoming, { server_type: 'imap', use_microsoft_outlook_service: true });
    return { params, outgoing, incoming, notes };
  };

  const TOKEN = 'microsoft_outlook_refresh_token';
  const ACCESS = 'microsoft_outlook_access_token';
  const CLEARED = '(cleared: Odoo signs in again with the new credentials)';
  /**
   * The mailbox's server. Before the Outlook module is installed (`installed` false) only the fields that exist
   * then are read (asking for another one is Odoo's "Invalid field"), and a model the module brings with it
   * (15.0: fetchmail.server comes with fetchmail, a dependency of fetchmail_outlook) is read as no record yet.
   */
  const readServer = async (model: string, userField: string, fields: string[], installed = true) => {
    const wanted = installed ? ['id', ...fields, TOKEN] : ['id', ...fields.filter((f) => !MODULE_FIELDS.includes(f))];
    try {
      const rows = (await exec(model, 'search_read', { domain: [[userField, '=', c.profile.mailbox]], fields: wanted, context: { active_test: false } })) as Array<Record<string, Value>>;
      return rows[0];
    } catch (e) {
      if (!installed && e instanceof TargetError && e.hint === 'target-module-missing') return undefined;
      throw e;
    }
  };
  const diff = (want: Values, have: Record<string, Value> | undefined) => Object.keys(want).filter((k) => !have || String(have[k] ?? '') !== String(want[k]));

  return {
    async test(): Promise<TargetTestResult> {
      const d = await signIn();
      const notes: string[] = [];
      if (c.profile.target === 'odoo' && c.profile.targetInputs.version && Number(c.profile.targetInputs.version) !== d.major && !(c.profile.targetInputs.version === '17' && d.major >= 17))
        notes.push(`The connection says Odoo ${c.profile.targetInputs.version}, the server is ${d.version}: the push uses the server's own field names.`);
      return { ok: true, version: `${d.product} ${d.version}`, user: login, database: db, notes };
    },

    async plan(): Promise<PushPlan> {
      const d = await signIn();
      const version = `${d.product} ${d.version}`;
      // Module check first: without it every field below is unknown. A module that can be installed is the
      // plan's first item (issue 19); one the server does not have (no record, 'uninstallable') stops here.
      const mods = (await exec('ir.module.module', 'search_read', { domain: [['name', 'in', d.modules]], fields: ['name', 'state'] })) as Array<{ id: number; name: string; state: string }>;
      const missing = d.modules.filter((m) => mods.find((x) => x.name === m)?.state !== 'installed');
      const stuck = missing.filter((m) => !INSTALLABLE.includes(mods.find((x) => x.name === m)?.state ?? ''));
      if (stuck.length) throw new TargetError('target-module-missing', `module${stuck.length > 1 ? 's' : ''} ${stuck.join(', ')} not installed and not installable here (state: ${stuck.map((m) => mods.find((x) => x.name === m)?.state ?? 'not found').join(', ')})`, host);
      const installed = missing.length === 0;
      const titles = missing.map((m) => MODULE_TITLES[m] ?? m).join(' and ');
      const want = desired(d);
      const items: PlanItem[] = missing.map((m) => ({
        id: `module:${m}`,
        action: 'update',
        verb: 'install',
        what: `the module ${MODULE_TITLES[m] ?? m} (${m})`,
        where: 'ir.module.module',
        fields: { state: 'installed' },
        changed: ['state'],
        ref: String(mods.find((x) => x.name === m)!.id),
        note: `Installed first, as Apps > ${MODULE_TITLES[m] ?? m} > ${d.product === 'Odoo' && d.major >= 16 ? 'Activate' : 'Install'} does (${d.product} reloads its modules), then read back; the mail servers are written only once it is installed.`,
        notRestorable: `The module ${MODULE_TITLES[m] ?? m} (${m}) stays installed: a restore does not uninstall it. Uninstall it yourself in ${d.product}'s Apps if you no longer want it.`,
      }));
      const have = (await exec('ir.config_parameter', 'search_read', { domain: [['key', 'in', Object.keys(want.params)]], fields: ['key', 'value'] })) as Array<{ id: number; key: string; value: string }>;
      for (const [k, v] of Object.entries(want.params)) {
        const cur = have.find((h) => h.key === k);
        const secret = k === 'microsoft_outlook_client_secret';
        items.push({
          id: `param:${k}`,
          action: !cur ? 'create' : cur.value !== v ? 'update' : 'unchanged',
          what: `System parameter ${k}`,
          where: 'ir.config_parameter',
          fields: { key: k, value: secret ? SECRET_SHOWN : v },
          changed: !cur || cur.value !== v ? ['value'] : [],
          ...(cur && cur.value !== v && !secret ? { previous: { value: cur.value } } : {}),
        });
      }
      const button = c.refreshToken ? undefined : 'Connect your Outlook account (on the outgoing and on the incoming server)';
      // New Outlook credentials (a renewed secret, another client id or endpoint): Odoo would go on using the
      // access token it holds (microsoft_outlook_mixin.py `_generate_outlook_oauth2_string` reuses it until it
      // expires, up to an hour), so its own test would pass without using the new values. Clearing the held
      // access token makes Test Connection and Test & Confirm refresh with the new ones now (seen on Odoo 18.0:
      // test/standins/CONFORMANCE-ODOO.md).
      const credentialsChanged = items.some((i) => i.id.startsWith('param:') && i.action !== 'unchanged');
      for (const [model, userField, values, what] of [
        ['ir.mail_server', 'smtp_user', want.outgoing, 'Outgoing mail server'],
        ['fetchmail.server', 'user', want.incoming, 'Incoming mail server'],
      ] as const) {
        const cur = await readServer(model, userField, Object.keys(values), installed);
        const changed = diff(values, cur);
        const hasToken = !!cur?.[TOKEN];
        const replace = hasToken && !!c.replaceHeldToken && !!c.refreshToken;
        const fields: Record<string, string> = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
        if ((!hasToken || replace) && c.refreshToken) {
          fields[TOKEN] = SECRET_SHOWN;
          changed.push(TOKEN);
        } else if (hasToken && credentialsChanged) {
          fields[ACCESS] = CLEARED;
          changed.push(ACCESS);
        }
        // Never a token in a restore point: the refresh token and the cached access token are secrets (and a
        // cleared access token needs no putting back: Odoo fetches a new one).
        const previous = cur ? Object.fromEntries(changed.filter((k) => k !== TOKEN && k !== ACCESS).map((k) => [k, (cur[k] ?? null) as Value | null])) : {};
        // Planned before the module is installed: its fields (the Outlook choice, the token) are planned as
        // they will be written once it is; the push reads this server again after installing it.
        const pending = installed ? '' : ` Planned before ${titles} is installed: ${changed.filter((k) => MODULE_FIELDS.includes(k) || values[k] === 'outlook').join(', ') || 'its fields'} exist only once it is; the push installs it first, reads this server again, then writes.`;
        items.push({
          id: model,
          action: !cur ? 'create' : changed.length ? 'update' : 'unchanged',
          what: `${what} "${String(values.name)}"`,
          where: model,
          fields,
          changed,
          ...(Object.keys(previous).length ? { previous } : {}),
          ...(pending ? { note: pending.trim() } : {}),
          ...(replace
            ? { note: `${d.product} already holds a refresh token for this server: it is REPLACED by the sign-in you proved (you asked for it).`, heldToken: 'replaced' as const }
            : hasToken
              ? { note: `${d.product} already holds a refresh token for this server: it is kept.${fields[ACCESS] === CLEARED ? ` Its cached access token is cleared, so ${d.product}'s own test signs in with the new Outlook credentials now.` : ''}`, heldToken: 'kept' as const }
              : !c.refreshToken
                ? { note: `No refresh token to hand over: press Connect your Outlook account in the target.${pending}` }
                : {}),
        });
      }
      return { target: product, version, items, upToDate: items.every((i) => i.action === 'unchanged'), ...(button && items.some((i) => i.fields[TOKEN] === undefined && (i.id === 'ir.mail_server' || i.id === 'fetchmail.server') && !i.note?.includes('already')) ? { button } : {}), notes: want.notes };
    },

    async restore(point, onProgress) {
      await signIn();
      const restored: string[] = [];
      const readBack: Record<string, boolean> = {};
      const same = (a: unknown, b: unknown) => String(a ?? '') === String(b ?? '');
      for (const item of point.items) {
        if (item.id.startsWith('param:')) {
          const k = item.id.slice('param:'.length);
          const value = item.values.value;
          if (typeof value !== 'string') continue;
          onProgress(`Putting back system parameter ${k}…`);
          const cur = (await exec('ir.config_parameter', 'search', { domain: [['key', '=', k]] })) as number[];
          if (cur.length) await exec('ir.config_parameter', 'write', { ids: cur, vals: { value } });
          else await exec('ir.config_parameter', 'create', { vals_list: [{ key: k, value }] });
          restored.push(item.id);
          const back = (await exec('ir.config_parameter', 'search_read', { domain: [['key', '=', k]], fields: ['key', 'value'] })) as Array<{ value: string }>;
          readBack[item.id] = back[0]?.value === value;
        } else if (item.id === 'ir.mail_server' || item.id === 'fetchmail.server') {
          const userField = item.id === 'ir.mail_server' ? 'smtp_user' : 'user';
          const fields = Object.keys(item.values);
          // The server the push changed is found by the mailbox (its user), unless the user itself was changed back.
          const cur = await readServer(item.id, userField, fields);
          if (!cur) {
            readBack[item.id] = false;
            continue;
          }
          onProgress(`Putting back the ${item.id === 'ir.mail_server' ? 'outgoing' : 'incoming'} mail server's previous values…`);
          // An empty field was read as false (Odoo's empty value) or missing: written back as false.
          await exec(item.id, 'write', { ids: [Number(cur.id)], vals: Object.fromEntries(Object.entries(item.values).map(([k, v]) => [k, v ?? false])) });
          restored.push(item.id);
          const after = (await exec(item.id, 'read', { ids: [Number(cur.id)], fields })) as Array<Record<string, Value>>;
          readBack[item.id] = !!after[0] && fields.every((f) => same(after[0]![f], item.values[f] ?? false));
        }
      }
      return { restored, readBack };
    },

    async apply(plan, onProgress) {
      const d = await signIn();
      const want = desired(d);
      const applied: string[] = [];
      const readBack: Record<string, boolean> = {};
      // The module first (ir_module.py button_immediate_install: installs, commits and reloads the registry; it
      // answers an act_url to /odoo), read back as installed before anything that needs its fields is written.
      const installs = plan.items.filter((i) => i.verb === 'install' && i.action === 'update');
      if (installs.length) {
        const names = installs.map((i) => i.id.slice('module:'.length));
        onProgress(`Installing ${names.map((m) => MODULE_TITLES[m] ?? m).join(' and ')} in ${d.product}…`);
        try {
          await exec('ir.module.module', 'button_immediate_install', { ids: installs.map((i) => Number(i.ref)) });
        } catch (e) {
          // assert_log_admin_access: a user who is not an administrator gets AccessDenied "Access Denied" here
          // (observed on Odoo 18.0, CONFORMANCE-ODOO.md), which classifyOdooError reads as a refused key.
          if (e instanceof TargetError && e.hint === 'target-bad-credentials') throw new TargetError('target-insufficient-rights', `installing ${names.join(', ')}: ${d.product} answered "${e.targetText}" (only an administrator may install modules; nothing was written)`, host);
          throw e;
        }
        const states = (await exec('ir.module.module', 'search_read', { domain: [['name', 'in', names]], fields: ['name', 'state'] })) as Array<{ name: string; state: string }>;
        for (const i of installs) {
          applied.push(i.id);
          readBack[i.id] = states.find((s) => `module:${s.name}` === i.id)?.state === 'installed';
        }
        const notYet = installs.filter((i) => !readBack[i.id]);
        if (notYet.length) throw new TargetError('target-module-missing', `asked to install ${notYet.map((i) => i.id.slice('module:'.length)).join(', ')}, but ${d.product} reads back: ${notYet.map((i) => states.find((s) => `module:${s.name}` === i.id)?.state ?? 'not found').join(', ')}; nothing else was written`, host);
      }
      for (const item of plan.items.filter((i) => i.id.startsWith('param:'))) {
        const k = item.id.slice('param:'.length);
        if (item.action === 'create' || item.action === 'update') {
          onProgress(`Setting system parameter ${k}…`);
          const cur = (await exec('ir.config_parameter', 'search', { domain: [['key', '=', k]] })) as number[];
          if (cur.length) await exec('ir.config_parameter', 'write', { ids: cur, vals: { value: want.params[k]! } });
          else await exec('ir.config_parameter', 'create', { vals_list: [{ key: k, value: want.params[k]! }] });
          applied.push(item.id);
        }
      }
      const back = (await exec('ir.config_parameter', 'search_read', { domain: [['key', 'in', Object.keys(want.params)]], fields: ['key', 'value'] })) as Array<{ key: string; value: string }>;
      for (const k of Object.keys(want.params)) readBack[`param:${k}`] = back.find((b) => b.key === k)?.value === want.params[k];

      const ids: Record<string, number> = {};
      for (const [model, userField, values] of [
        ['ir.mail_server', 'smtp_user', want.outgoing],
        ['fetchmail.server', 'user', want.incoming],
      ] as const) {
        const item = plan.items.find((i) => i.id === model)!;
        const cur = await readServer(model, userField, Object.keys(values));
        // Only what differs now (a partial change writes only the changed fields); everything on create.
        const write: Record<string, Value> = cur ? Object.fromEntries(diff(values, cur).map((k) => [k, values[k]!])) : { ...values };
        if (item.fields[TOKEN] === SECRET_SHOWN && c.refreshToken) Object.assign(write, { [TOKEN]: c.refreshToken, [ACCESS]: '', microsoft_outlook_access_token_expiration: 0 });
        else if (item.fields[ACCESS] === CLEARED) Object.assign(write, { [ACCESS]: '', microsoft_outlook_access_token_expiration: 0 });
        if (!cur) {
          onProgress(`Creating the ${model === 'ir.mail_server' ? 'outgoing' : 'incoming'} mail server…`);
          ids[model] = firstId(await exec(model, 'create', { vals_list: [write] }));
          applied.push(model);
        } else {
          ids[model] = Number(cur.id);
          if (item.action === 'update' && Object.keys(write).length) {
            onProgress(`Updating the ${model === 'ir.mail_server' ? 'outgoing' : 'incoming'} mail server…`);
            await exec(model, 'write', { ids: [ids[model]!], vals: write });
            applied.push(model);
          }
        }
        const after = await readServer(model, userField, Object.keys(values));
        readBack[model] = !!after && diff(values, after).length === 0 && (!!after[TOKEN] || !c.refreshToken);
      }

      const targetTest = { ran: false, passed: false, detail: [] as string[] };
      const tokens = await Promise.all(['ir.mail_server', 'fetchmail.server'].map(async (m) => (await exec(m, 'read', { ids: [ids[m]!], fields: [TOKEN] })) as Array<Record<string, Value>>));
      if (tokens.every((t) => !!t[0]?.[TOKEN])) {
        targetTest.ran = true;
        onProgress(`${d.product} tests the outgoing server (Test Connection)…`);
        try {
          await exec('ir.mail_server', 'test_smtp_connection', { ids: [ids['ir.mail_server']!] });
          targetTest.detail.push('Outgoing: Connection Test Successful!');
        } catch (e) {
          if (!(e instanceof TargetError) || !/Connection Test Succeeded/.test(e.targetText)) throw failedTest(e, 'Outgoing server Test Connection', { applied, readBack, targetTest });
          targetTest.detail.push('Outgoing: Connection Test Succeeded!');
        }
        // Test & Confirm (button_confirm_login) writes state = 'done' even when it is done already: it
        // runs only when the incoming server was written now or is not confirmed, so a second push writes nothing.
        const before = (await exec('fetchmail.server', 'read', { ids: [ids['fetchmail.server']!], fields: ['state'] })) as Array<{ state: string }>;
        if (applied.includes('fetchmail.server') || before[0]?.state !== 'done') {
          onProgress(`${d.product} tests the incoming server (Test & Confirm)…`);
          try {
            await exec('fetchmail.server', 'button_confirm_login', { ids: [ids['fetchmail.server']!] });
          } catch (e) {
            throw failedTest(e, 'Incoming server Test & Confirm', { applied, readBack, targetTest });
          }
        } else targetTest.detail.push('Incoming: unchanged and confirmed already, Test & Confirm not pressed again (it writes).');
        const st = (await exec('fetchmail.server', 'read', { ids: [ids['fetchmail.server']!], fields: ['state'] })) as Array<{ state: string }>;
        targetTest.detail.push(`Incoming: state ${st[0]?.state ?? '?'}`);
        targetTest.passed = st[0]?.state === 'done';
      }
      const partial = !targetTest.ran || want.notes.length > 0;
      return { status: partial ? 'partial' : 'configured', applied, readBack, targetTest, ...(plan.button ? { button: plan.button } : {}) };
    },
  };
}

/** create(vals_list) answers a list of ids (JSON-2: the records' ids; JSON-RPC: the same list), an id from older servers. */
function firstId(r: unknown): number {
  return Number(Array.isArray(r) ? r[0] : r);
}

function failedTest(e: unknown, which: string, partial: unknown): unknown {
  if (e instanceof TargetError) return Object.assign(new TargetError('target-test-failed', `${which}: ${e.targetText}`, e.host), { partial });
  return e;
}
