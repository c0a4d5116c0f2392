import { CLOUDS, FLOWS, MAIL_APIS, TENANT_ALIASES, type Profile, type ProfileInput } from '../profile';
import { isPersonalMailbox } from '../endpoints';
import { cleanMailbox, cleanPasted, isDomain, isGuid, isMailbox, normaliseGuid } from './clean';
import { targetHintsFor, type TargetHints } from './targets';

export type Severity = 'error' | 'warning';
export interface Finding {
  /** Profile field the finding is about (dotted for nested: endpoints.imap, targetInputs.baseUrl). */
  field: string;
  severity: Severity;
  /** Stable code, e.g. 'secret-value-is-guid'. */
  code: string;
  /** What is wrong and what to do, in plain words. */
  message: string;
}

export interface ValidateOptions {
  now: Date;
  /** The secret value when known (typed in the app, or resolved by the CLI). Never echoed in a finding. */
  secretValue?: string;
  /** What the target needs; defaults to the catalogue's entry for profile.target and its inputs. */
  target?: TargetHints;
}

export interface ValidationResult {
  findings: Finding[];
  /** The values after unambiguous cleaning (only fields that validation looked at). */
  cleaned: Partial<Profile>;
}

const DAY_MS = 86_400_000;
const EXPIRY_WARNING_DAYS = 30;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Static validation: everything that can be said about a profile before any network traffic. Pure,
 * fast, safe to call on every keystroke.
 */
export function validateProfile(profile: ProfileInput | Record<string, unknown>, opts: ValidateOptions): ValidationResult {
  const p = profile as Record<string, unknown>;
  const findings: Finding[] = [];
  const cleaned: Partial<Profile> = {};
  const add = (field: string, severity: Severity, code: string, message: string) => findings.push({ field, severity, code, message });

  // --- name, target, cloud, flow, api -------------------------------------------------------------
  const name = str(p.name)?.trim() ?? '';
  if (!name) add('name', 'error', 'name-missing', 'Give the profile a name, for example "Fabrikam – Odoo reception mailbox".');
  else cleaned.name = name;

  const targetId = str(p.target)?.trim() ?? '';
  const rawInputs = p.targetInputs && typeof p.targetInputs === 'object' ? (p.targetInputs as Record<string, unknown>) : {};
  const target = opts.target ?? (targetId ? targetHintsFor(targetId, rawInputs) : undefined);
  if (!targetId) add('target', 'error', 'target-missing', 'Choose the system that will send and read the mail.');
  else {
    cleaned.target = targetId;
    if (!target) add('target', 'warning', 'target-unknown', `"${targetId}" is not a known target system; checks will treat it as a generic application.`);
  }

  const cloud = p.cloud === undefined ? 'global' : p.cloud;
  if (typeof cloud !== 'string' || !(CLOUDS as readonly string[]).includes(cloud)) {
    add('cloud', 'error', 'cloud-unknown', `The cloud must be one of ${CLOUDS.join(', ')}. Most tenants are "global"; US government tenants use "gcc-high" or "dod".`);
  } else cleaned.cloud = cloud as Profile['cloud'];

  const flow = p.flow === undefined ? (target?.flow ?? 'delegated') : p.flow;
  if (typeof flow !== 'string' || !(FLOWS as readonly string[]).includes(flow)) {
    add('flow', 'error', 'flow-unknown', 'The flow must be "delegated" (a person signs in as the mailbox) or "app-only" (the application acts on its own with admin consent).');
  } else {
    cleaned.flow = flow as Profile['flow'];
    if (target?.flow && target.flow !== flow) {
      add('flow', 'error', 'flow-target-mismatch', `${target.id} uses the ${target.flow} flow; change the flow to "${target.flow}".`);
    }
  }
  const api = p.api === undefined ? (target?.api ?? 'imap-smtp') : p.api;
  if (typeof api !== 'string' || !(MAIL_APIS as readonly string[]).includes(api)) {
    add('api', 'error', 'api-unknown', 'The API must be "imap-smtp" or "graph".');
  } else {
    cleaned.api = api as Profile['api'];
    if (target?.api && target.api !== api) add('api', 'error', 'api-target-mismatch', `${target.id} talks to the mailbox through ${target.api === 'graph' ? 'Microsoft Graph' : 'IMAP and SMTP'}; change the API to "${target.api}".`);
  }
  const appOnly = cleaned.flow === 'app-only';

  // --- client id ----------------------------------------------------------------------------------
  const clientId = checkGuidField(p.clientId, 'clientId', 'Application (client) ID', add, true);
  if (clientId !== undefined) cleaned.clientId = clientId;

  // --- mailbox ------------------------------------------------------------------------------------
  const rawMailbox = str(p.mailbox) ?? '';
  let mailbox = '';
  if (!rawMailbox.trim()) add('mailbox', 'error', 'mailbox-missing', 'Enter the mailbox the system sends and reads as, for example reception@fabrikam.com.');
  else {
    const c = cleanMailbox(rawMailbox);
    if (!isMailbox(c.value)) {
      add('mailbox', 'error', 'mailbox-invalid', `"${truncate(c.value)}" is not an e-mail address. Enter the mailbox's full address, like reception@fabrikam.com.`);
    } else {
      mailbox = c.value;
      cleaned.mailbox = mailbox;
      if (c.changes.length) add('mailbox', 'warning', 'mailbox-cleaned', `Removed ${c.changes.join(', ')} from the mailbox: now ${mailbox}.`);
    }
  }
  const personal = mailbox ? isPersonalMailbox(mailbox) : false;

  // --- tenant -------------------------------------------------------------------------------------
  const rawTenant = str(p.tenant) ?? '';
  let tenant = '';
  if (!rawTenant.trim()) {
    add('tenant', 'error', 'tenant-missing', 'Enter the Directory (tenant) ID from the app registration\'s Overview page, or the organisation\'s domain (fabrikam.onmicrosoft.com).');
  } else {
    const c = cleanPasted(rawTenant);
    const lower = c.value.toLowerCase();
    const guid = normaliseGuid(c.value);
    const authorityMatch = /^https?:\/\/[^/]+\/([^/?#]+)/i.exec(c.value);
    if ((TENANT_ALIASES as readonly string[]).includes(lower)) tenant = lower;
    else if (guid) {
      tenant = guid;
      if (guid !== c.value) c.changes.push('wrote the ID in standard form');
    } else if (authorityMatch && (normaliseGuid(authorityMatch[1]!) || isDomain(authorityMatch[1]!) || (TENANT_ALIASES as readonly string[]).includes(authorityMatch[1]!.toLowerCase()))) {
      tenant = normaliseGuid(authorityMatch[1]!) ?? authorityMatch[1]!.toLowerCase();
      c.changes.push('the sign-in address around the tenant');
    } else if (isDomain(c.value)) tenant = lower;
    if (!tenant) {
      add('tenant', 'error', 'tenant-invalid', `"${truncate(c.value)}" is not a tenant. Use the Directory (tenant) ID (a GUID like 4f1c2a7e-…), a verified domain (fabrikam.onmicrosoft.com), or common / organizations / consumers.`);
    } else {
      cleaned.tenant = tenant;
      if (c.changes.length) add('tenant', 'warning', 'tenant-cleaned', `Removed ${c.changes.join(', ')} from the tenant: now ${tenant}.`);
      if (c.label && /object|secret|application|client/i.test(c.label)) {
        add('tenant', 'error', 'tenant-label-mismatch', `The pasted value was labelled "${c.label}": the tenant is the "Directory (tenant) ID" on the app's Overview page.`);
      }
      const alias = (TENANT_ALIASES as readonly string[]).includes(tenant);
      if (appOnly && alias) add('tenant', 'error', 'tenant-alias-app-only', `App-only access needs the organisation's own tenant, not "${tenant}". Enter the Directory (tenant) ID from the app's Overview page.`);
      if (personal && (tenant === 'organizations' || (!alias))) {
        add('tenant', 'error', 'tenant-personal-needs-consumers', `${mailbox} is a personal Outlook.com account: use the tenant "consumers" (or "common"), and an app that allows personal Microsoft accounts.`);
      }
      if (tenant === 'consumers' && mailbox && !personal) {
        add('tenant', 'error', 'tenant-consumers-company-mailbox', `"consumers" only signs in personal Outlook.com accounts, but ${mailbox} is a work mailbox. Use the Directory (tenant) ID or "organizations".`);
      }
      if (!appOnly && (tenant === 'common' || tenant === 'organizations') && !personal) {
        add('tenant', 'warning', 'tenant-multi-tenant-only', `"${tenant}" works only if the app registration accepts accounts in any organisation; a single-tenant app fails with AADSTS50194. Prefer the Directory (tenant) ID.`);
      }
      if (clientId && tenant === clientId) add('tenant', 'error', 'tenant-equals-client-id', 'The tenant and the client ID are the same value: the Directory (tenant) ID and the Application (client) ID are two different GUIDs on the Overview page.');
    }
  }
  if (personal && appOnly) add('flow', 'error', 'app-only-personal-mailbox', `App-only access does not exist for personal Outlook.com accounts like ${mailbox}: use the delegated flow.`);
  if (personal && cleaned.cloud && cleaned.cloud !== 'global') add('cloud', 'error', 'cloud-personal-mailbox', `Personal Outlook.com accounts live in the global cloud; set the cloud to "global".`);

  // --- secret -------------------------------------------------------------------------------------
  checkSecret(p, opts, target, appOnly, clientId, add, cleaned);

  // --- target base URL and redirect ---------------------------------------------------------------
  const inputs = (p.targetInputs && typeof p.targetInputs === 'object' ? p.targetInputs : {}) as Record<string, unknown>;
  const cleanedInputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) if (typeof v === 'string') cleanedInputs[k] = v;
  if (target?.needsBaseUrl || typeof inputs.baseUrl === 'string') {
    const base = checkBaseUrl(str(inputs.baseUrl) ?? '', target, add);
    if (base) {
      cleanedInputs.baseUrl = base;
      if (target?.redirectPath) cleanedInputs.redirectUri = target.redirectPath(base);
    }
  }
  cleaned.targetInputs = cleanedInputs;

  // --- endpoints, CA, proxy -----------------------------------------------------------------------
  checkEndpoints(p.endpoints, add, cleaned);
  if (p.caCerts !== undefined) {
    if (!Array.isArray(p.caCerts)) add('caCerts', 'error', 'ca-certs-invalid', 'Extra CA certificates must be a list of PEM texts or file paths.');
    else
      p.caCerts.forEach((c, i) => {
        if (typeof c !== 'string' || !c.trim()) add(`caCerts.${i}`, 'error', 'ca-cert-empty', 'An extra CA certificate is empty: paste the PEM text (-----BEGIN CERTIFICATE-----) or a file path.');
        else if (c.includes('-----BEGIN') && !/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(c)) add(`caCerts.${i}`, 'error', 'ca-cert-not-certificate', 'This PEM block is not a certificate (it must read -----BEGIN CERTIFICATE-----). A private key never belongs here.');
        else if (!c.includes('-----BEGIN') && /\s/.test(c.trim()) && !/[/\\]/.test(c)) add(`caCerts.${i}`, 'error', 'ca-cert-invalid', 'An extra CA certificate must be PEM text (-----BEGIN CERTIFICATE-----) or the path of a .pem file.');
      });
  }
  if (p.proxy !== undefined) {
    const proxy = str(p.proxy) ?? '';
    if (!/^https?:\/\/[^\s/]+(:\d+)?\/?$/i.test(proxy.trim())) add('proxy', 'error', 'proxy-invalid', 'The proxy must be an http(s) URL with host and port, for example http://proxy.fabrikam.local:3128.');
    else cleaned.proxy = proxy.trim();
  }
  return { findings, cleaned };
}

type Add = (field: string, severity: Severity, code: string, message: string) => void;

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

function fieldCode(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Cleans and checks a GUID field; returns the cleaned GUID, or undefined when it cannot be used. */
function checkGuidField(raw: unknown, field: string, portalLabel: string, add: Add, required: boolean): string | undefined {
  const code = fieldCode(field);
  const text = str(raw) ?? '';
  if (!text.trim()) {
    if (required) add(field, 'error', `${code}-missing`, `Enter the ${portalLabel} from the app registration's Overview page.`);
    return undefined;
  }
  const c = cleanPasted(text);
  const guid = normaliseGuid(c.value);
  if (!guid) {
    add(field, 'error', `${code}-not-guid`, `The ${portalLabel} is a GUID like 11111111-2222-4333-8444-000000000001; "${truncate(c.value)}" is not. Copy it again from the app registration's Overview page.`);
    return undefined;
  }
  if (guid !== c.value) c.changes.push('wrote the ID in standard form');
  if (c.changes.length) add(field, 'warning', `${code}-cleaned`, `Removed ${c.changes.join(', ')} from the ${portalLabel}: now ${guid}.`);
  if (c.label && field === 'clientId' && /object|directory|tenant|secret/i.test(c.label)) {
    add(field, 'error', 'client-id-label-mismatch', `The pasted value was labelled "${c.label}": the client ID is the "Application (client) ID" on the Overview page.`);
  }
  return guid;
}

function checkSecret(p: Record<string, unknown>, opts: ValidateOptions, target: TargetHints | undefined, appOnly: boolean, clientId: string | undefined, add: Add, cleaned: Partial<Profile>) {
  const ref = p.clientSecret as { source?: unknown; name?: unknown } | undefined;
  const needsSecret = appOnly || (target?.confidential ?? true);
  if (ref !== undefined) {
    if (typeof ref !== 'object' || ref === null || !['env', 'ask', 'vault', 'none'].includes(String(ref.source))) {
      add('clientSecret', 'error', 'secret-ref-invalid', 'The client secret in a profile is a reference: {"source":"env","name":"VAR"}, {"source":"ask"} or {"source":"vault","key":"…"}; never the value.');
    } else if (ref.source === 'env' && (typeof ref.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(ref.name))) {
      add('clientSecret', 'error', 'secret-env-name-invalid', 'The environment variable name for the secret must be letters, digits and underscores, e.g. MAIL_OAUTH_SECRET. Put the secret itself in that variable, not in the profile.');
    } else if (ref.source === 'none' && appOnly) {
      add('clientSecret', 'error', 'secret-missing', 'App-only access needs the client secret Value (Certificates & secrets).');
    }
  }
  const secretIdText = str(p.secretId);
  let secretId: string | undefined;
  if (secretIdText !== undefined && secretIdText.trim()) {
    secretId = checkGuidField(secretIdText, 'secretId', 'Secret ID', add, false);
    if (secretId) cleaned.secretId = secretId;
    if (secretId && clientId && secretId === clientId) add('secretId', 'error', 'secret-id-equals-client-id', 'The Secret ID and the client ID are the same value: the Secret ID is listed next to the secret under Certificates & secrets.');
  }

  const value = opts.secretValue;
  if (value !== undefined) {
    const c = cleanPasted(value);
    if (!c.value) {
      if (needsSecret) add('clientSecret', 'error', 'secret-missing', 'Enter the client secret Value (Certificates & secrets > Client secrets > Value column).');
    } else if (isGuid(c.value) || normaliseGuid(c.value)) {
      const sameAsId = secretId && normaliseGuid(c.value) === secretId;
      add('clientSecret', 'error', sameAsId ? 'secret-value-is-secret-id' : 'secret-value-is-guid', 'This looks like the Secret ID, not the secret. In Certificates & secrets, copy the Value column (shown only right after you create the secret; if it is hidden now, create a new secret).');
      if (clientId && normaliseGuid(c.value) === clientId) add('clientSecret', 'error', 'secret-value-is-client-id', 'The secret is the same as the client ID. Copy the secret Value from Certificates & secrets.');
    } else {
      if (c.changes.length && !c.label) add('clientSecret', 'warning', 'secret-value-cleaned', `Removed ${c.changes.join(', ')} around the secret. The secret itself was not changed.`);
      if (c.label) add('clientSecret', 'warning', 'secret-value-cleaned', `Removed the label "${c.label}" in front of the secret.`);
      if (/\s/.test(c.value)) add('clientSecret', 'error', 'secret-value-has-space', 'The secret contains a space or line break; client secrets never do. Copy the Value again.');
      else if (c.value.length < 16) add('clientSecret', 'warning', 'secret-value-short', 'The secret is shorter than client secret Values usually are (about 40 characters). Check that it was copied entirely.');
      if (/^\*+$|\.\.\.|…$/.test(c.value) || /^[A-Za-z0-9~._-]{3}\*{3,}$/.test(c.value)) add('clientSecret', 'error', 'secret-value-masked', 'The secret looks masked ("abc*****"): the portal shows the full Value only once. Create a new client secret and copy its Value.');
    }
  }

  const exp = str(p.secretExpires);
  if (exp !== undefined && exp.trim()) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/.exec(exp.trim());
    const when = m ? new Date(m[4] ? exp.trim() : `${m[1]}-${m[2]}-${m[3]}T23:59:59Z`) : null;
    if (!when || Number.isNaN(when.getTime())) {
      add('secretExpires', 'error', 'secret-expires-invalid', 'The secret expiry date must be written yyyy-mm-dd (the "Expires" column under Certificates & secrets).');
    } else {
      cleaned.secretExpires = exp.trim();
      const days = Math.floor((when.getTime() - opts.now.getTime()) / DAY_MS);
      if (when.getTime() < opts.now.getTime()) add('secretExpires', 'error', 'secret-expired', `The client secret expired on ${exp.trim().slice(0, 10)}. Create a new secret under Certificates & secrets and update every system that uses the old one.`);
      else if (days < EXPIRY_WARNING_DAYS) add('secretExpires', 'warning', 'secret-expiring-soon', `The client secret expires in ${days} day${days === 1 ? '' : 's'} (${exp.trim().slice(0, 10)}). Plan a new secret now; mail stops when it expires.`);
    }
  }
}

function checkBaseUrl(raw: string, target: TargetHints | undefined, add: Add): string | undefined {
  const field = 'targetInputs.baseUrl';
  const c = cleanPasted(raw);
  let text = c.value;
  if (!text) {
    add(field, 'error', 'base-url-missing', `Enter the web address people use to open ${target?.id ?? 'the system'}, for example https://erp.fabrikam.com.`);
    return undefined;
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    if (/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?(\/.*)?$/i.test(text)) {
      add(field, 'error', 'base-url-no-scheme', `The web address needs its scheme: https://${text}.`);
    } else add(field, 'error', 'base-url-invalid', `"${truncate(text)}" is not a web address. Enter it like https://erp.fabrikam.com.`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    add(field, 'error', 'base-url-invalid', `"${truncate(text)}" is not a web address. Enter it like https://erp.fabrikam.com.`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    add(field, 'error', 'base-url-scheme', `The web address must start with https:// (not ${url.protocol}//).`);
    return undefined;
  }
  if (url.username || url.password) {
    add(field, 'error', 'base-url-credentials', 'Remove the user name and password from the web address.');
    return undefined;
  }
  const isLoopback = /^(localhost|127\.0\.0\.1|\[::1\])$/i.test(url.hostname);
  if (url.protocol === 'http:' && !isLoopback) {
    if (target?.requiresHttps) add(field, 'error', 'base-url-https-required', `${target.id} needs an https address for the sign-in redirect; Microsoft only accepts http for localhost. Use https://${url.host}.`);
    else add(field, 'warning', 'base-url-http', 'Microsoft accepts http redirect addresses only for localhost; use https.');
  }
  if (url.search || url.hash) {
    add(field, 'error', 'base-url-query', 'Remove the part after "?" or "#" from the web address.');
    return undefined;
  }
  let path = url.pathname;
  const strayPath = /\/(web|odoo|login|app|flexdeploy|flexdeploy\/faces|desk|oauth|microsoft_outlook\/confirm|flexdeploy\/rest\/v2\/oauth)(\/.*)?$/i;
  if (path !== '/' && path !== '') {
    if (strayPath.test(path)) {
      add(field, 'warning', 'base-url-stray-path', `Removed "${path}" from the web address: the redirect address is built from the site's root.`);
      path = '/';
    } else if (path.endsWith('/')) {
      add(field, 'warning', 'base-url-trailing-slash', 'Removed the trailing slash: the redirect address must match exactly.');
      path = path.replace(/\/+$/, '');
    }
  } else if (text.endsWith('/')) {
    add(field, 'warning', 'base-url-trailing-slash', 'Removed the trailing slash: the redirect address must match exactly.');
  }
  const base = `${url.protocol}//${url.host}${path === '/' ? '' : path}`;
  text = base;
  if (c.changes.length) add(field, 'warning', 'base-url-cleaned', `Removed ${c.changes.join(', ')} from the web address.`);
  return text;
}

function checkEndpoints(raw: unknown, add: Add, cleaned: Partial<Profile>) {
  if (raw === undefined) return;
  if (typeof raw !== 'object' || raw === null) {
    add('endpoints', 'error', 'endpoints-invalid', 'Endpoint overrides must be an object with signInHost, imap, smtp and graphUrl.');
    return;
  }
  const e = raw as Record<string, unknown>;
  const out: NonNullable<Profile['endpoints']> = {};
  for (const key of Object.keys(e)) {
    if (!['signInHost', 'imap', 'smtp', 'graphUrl'].includes(key)) add(`endpoints.${key}`, 'error', 'endpoint-unknown', `"${key}" is not an endpoint; use signInHost, imap, smtp or graphUrl.`);
  }
  if (e.signInHost !== undefined) {
    const v = (str(e.signInHost) ?? '').trim().replace(/^https:\/\//i, '').replace(/\/+$/, '');
    if (!/^[a-z0-9.-]+(:\d{1,5})?$/i.test(v)) add('endpoints.signInHost', 'error', 'endpoint-sign-in-host-invalid', 'The sign-in host is a host name with an optional port, like login.microsoftonline.com, without a path.');
    else out.signInHost = v;
  }
  for (const [key, def] of [['imap', 993], ['smtp', 587]] as const) {
    if (e[key] === undefined) continue;
    const v = (str(e[key]) ?? '').trim();
    const m = /^([a-z0-9.-]+):(\d{1,5})$/i.exec(v);
    if (!m) add(`endpoints.${key}`, 'error', `endpoint-${key}-invalid`, `The ${key.toUpperCase()} endpoint is host:port, for example ${key === 'imap' ? 'outlook.office365.com:993' : 'smtp.office365.com:587'}.`);
    else if (Number(m[2]) < 1 || Number(m[2]) > 65535) add(`endpoints.${key}`, 'error', 'endpoint-port-range', 'A port is a number from 1 to 65535.');
    else {
      out[key] = v;
      const port = Number(m[2]);
      if (key === 'imap' && port === 143) add('endpoints.imap', 'warning', 'endpoint-imap-port-143', `Microsoft 365 serves IMAP over TLS on port ${def}; port 143 (STARTTLS) is not what the checks use.`);
      if (key === 'smtp' && port === 465) add('endpoints.smtp', 'warning', 'endpoint-smtp-port-465', `Microsoft 365 takes SMTP submission on port ${def} with STARTTLS; port 465 is not offered.`);
      if (key === 'smtp' && port === 25) add('endpoints.smtp', 'warning', 'endpoint-smtp-port-25', `Port 25 is for server-to-server mail, not for authenticated submission; use ${def}.`);
    }
  }
  if (e.graphUrl !== undefined) {
    const v = (str(e.graphUrl) ?? '').trim();
    let ok = false;
    try {
      const u = new URL(v);
      ok = u.protocol === 'https:';
      if (u.protocol === 'http:') add('endpoints.graphUrl', 'error', 'endpoint-graph-url-http', 'The Graph URL must use https.');
      else if (!ok) add('endpoints.graphUrl', 'error', 'endpoint-graph-url-invalid', 'The Graph URL is an https address like https://graph.microsoft.com.');
    } catch {
      add('endpoints.graphUrl', 'error', 'endpoint-graph-url-invalid', 'The Graph URL is an https address like https://graph.microsoft.com.');
    }
    if (ok) out.graphUrl = v.replace(/\/+$/, '');
  }
  cleaned.endpoints = out;
}
