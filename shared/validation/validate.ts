import { CLOUDS, FLOWS, MAIL_APIS, TENANT_ALIASES, type Profile, type ProfileInput } from '../profile';
import { CLOUD_DEFAULTS, EMAILENGINE_OUTLOOK_RESOURCE, isMicrosoftSignInHost, isPersonalMailbox } from '../endpoints';
import { ADDED_HYPHENS, cleanMailbox, cleaningSentence, cleanPasted, guidWasRewritten, isDomain, isGuid, isMailbox, listPhrase, normaliseGuid, type CleaningAction } from './clean';
import { microsoftApp, NIL_GUID } from './well-known-apps';
import { targetHintsFor, withTargetFacts, type TargetHints } from './targets';

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
  const target = opts.target ? withTargetFacts(opts.target) : targetId ? targetHintsFor(targetId, rawInputs) : undefined;
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
      if (c.changes.length) add('mailbox', 'warning', 'mailbox-cleaned', cleaningSentence('mailbox', c.changes, [], mailbox));
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
    const actions: CleaningAction[] = [];
    const lower = c.value.toLowerCase();
    const guid = normaliseGuid(c.value);
    // A web address: the sign-in address with the tenant in its path, or a bare host.
    const address = /^(?:https?:\/\/)?([^/\s?#]+)([/?#].*)?$/i.exec(c.value);
    const host = (address?.[1] ?? '').toLowerCase().replace(/:\d+$/, '');
    const segment = address?.[2]?.startsWith('/') ? (address[2].slice(1).split(/[/?#]/)[0] ?? '') : '';
    const isAlias = (v: string) => (TENANT_ALIASES as readonly string[]).includes(v.toLowerCase());
    let signInHost = '';
    if (isAlias(lower)) tenant = lower;
    else if (guid) {
      tenant = guid;
      if (guidWasRewritten(c.value, guid)) actions.push(ADDED_HYPHENS);
    } else if (address && (address[2] !== undefined || /^https?:\/\//i.test(c.value))) {
      const fromPath = normaliseGuid(segment) ?? (isAlias(segment) || (isDomain(segment) && !isMicrosoftSignInHost(segment)) ? segment.toLowerCase() : undefined);
      if (fromPath) {
        tenant = fromPath;
        actions.push(TENANT_FROM_ADDRESS);
      } else if (isMicrosoftSignInHost(host)) signInHost = host;
    } else if (isMicrosoftSignInHost(lower)) signInHost = lower;
    else if (isDomain(c.value)) tenant = lower;
    if (signInHost) {
      add('tenant', 'error', 'tenant-is-sign-in-host', `${signInHost} is Microsoft's sign-in address, not your organisation. The tenant is the Directory (tenant) ID on the app registration's Overview page (a GUID like 4f1c2a7e-…), or your organisation's domain (fabrikam.onmicrosoft.com).`);
    } else if (!tenant) {
      add('tenant', 'error', 'tenant-invalid', `"${truncate(c.value)}" is not a tenant. Use the Directory (tenant) ID (a GUID like 4f1c2a7e-…), a verified domain (fabrikam.onmicrosoft.com), or common / organizations / consumers.`);
    } else {
      cleaned.tenant = tenant;
      if (c.changes.length || actions.length) add('tenant', 'warning', 'tenant-cleaned', cleaningSentence('tenant', c.changes, actions, tenant));
      if (tenant === NIL_GUID) add('tenant', 'error', 'tenant-nil-guid', `${NIL_GUID} is the empty GUID, a placeholder in samples and templates, not an organisation. Copy the Directory (tenant) ID from the app registration's Overview page.`);
      if (c.label && /object|secret|application|client/i.test(c.label)) {
        add('tenant', 'error', 'tenant-label-mismatch', `The pasted value was labelled "${c.label}": the tenant is the "Directory (tenant) ID" on the app's Overview page.`);
      }
      const alias = (TENANT_ALIASES as readonly string[]).includes(tenant);
      if (appOnly && alias) add('tenant', 'error', 'tenant-alias-app-only', `App-only access needs the organisation's own tenant, not "${tenant}". Enter the Directory (tenant) ID from the app's Overview page.`);
      if (personal && (tenant === 'organizations' || (!alias))) {
        add('tenant', 'error', 'tenant-personal-needs-consumers', `${mailbox} is a personal Outlook.com account: use the tenant "consumers" (or "common"), and an app that allows personal Microsoft accounts.`);
      }
      if (tenant === 'consumers' && mailbox && !personal) {
        // A personal Microsoft account can be created with any address, a company one too: not an error.
        add('tenant', 'warning', 'tenant-consumers-company-mailbox', `"consumers" signs in personal Microsoft accounts only. ${mailbox} is not an Outlook.com address: this works only if ${mailbox} is a personal Microsoft account created with that address. For a Microsoft 365 (work) mailbox, use the Directory (tenant) ID or "organizations".`);
      }
      if (!appOnly && (tenant === 'common' || tenant === 'organizations') && !personal) {
        add('tenant', 'warning', 'tenant-multi-tenant-only', `"${tenant}" works only if the app registration accepts accounts in any organisation; a single-tenant app fails with AADSTS50194. Prefer the Directory (tenant) ID.`);
      }
      if (clientId && tenant === clientId) add('tenant', 'error', 'tenant-equals-client-id', 'The tenant and the client ID are the same value: the Directory (tenant) ID and the Application (client) ID are two different GUIDs on the Overview page.');
    }
  }
  if (personal && appOnly) add('flow', 'error', 'app-only-personal-mailbox', `App-only access does not exist for personal Outlook.com accounts like ${mailbox}: use the delegated flow.`);
  if (personal && cleaned.cloud && cleaned.cloud !== 'global') add('cloud', 'error', 'cloud-personal-mailbox', `Personal Outlook.com accounts live in the global cloud; set the cloud to "global".`);
  const eeResource = target?.id === 'emailengine' && cleaned.cloud ? EMAILENGINE_OUTLOOK_RESOURCE[cleaned.cloud] : undefined;
  if (eeResource && cleaned.cloud && eeResource !== CLOUD_DEFAULTS[cleaned.cloud].outlookResource) {
    add('cloud', 'warning', 'cloud-emailengine-resource', `EmailEngine's "${cleaned.cloud}" setting asks for IMAP and SMTP tokens from ${eeResource}, while Microsoft documents ${CLOUD_DEFAULTS[cleaned.cloud].outlookResource} for Exchange Online in this cloud. The assistant tests with Microsoft's; if EmailEngine's sign-in works but IMAP then refuses its token, this difference is the reason.`);
  }

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
    } else if (target?.redirectPath) delete cleanedInputs.redirectUri;
  }
  if (!target?.redirectPath && typeof inputs.redirectUri === 'string' && inputs.redirectUri.trim()) checkOwnRedirect(inputs.redirectUri, add);
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
  const actions = guidWasRewritten(c.value, guid) ? [ADDED_HYPHENS] : [];
  if (c.changes.length || actions.length) add(field, 'warning', `${code}-cleaned`, cleaningSentence(portalLabel, c.changes, actions, guid));
  if (guid === NIL_GUID) {
    add(field, 'error', `${code}-nil-guid`, `${NIL_GUID} is the empty GUID, a placeholder in samples and templates: no app has it as its ID. Copy the ${portalLabel} from the app registration's Overview page.`);
  }
  const app = field === 'clientId' ? microsoftApp(guid) : undefined;
  if (app) {
    add(field, 'error', 'client-id-microsoft-app', `${guid} belongs to ${app.name} (${app.what}), one of Microsoft's own applications, not to your own app registration. Enter the Application (client) ID shown on your own app registration's Overview page (App registrations > your app > Overview).`);
  }
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
    } else if (ref.source === 'none' && appOnly && !p.clientCertificate) {
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
      if (c.changes.length && !c.label) add('clientSecret', 'warning', 'secret-value-cleaned', `Removed ${listPhrase(c.changes)} around the secret. The secret itself was not changed.`);
      if (c.label) add('clientSecret', 'warning', 'secret-value-cleaned', `Removed the label "${c.label}" in front of the secret.`);
      if (/\s/.test(c.value)) add('clientSecret', 'error', 'secret-value-has-space', 'The secret contains a space or line break; client secrets never do. Copy the Value again.');
      else if (c.value.length < 16) add('clientSecret', 'warning', 'secret-value-short', 'The secret is shorter than client secret Values usually are (about 40 characters). Check that it was copied entirely.');
      if (/^\*+$|\.\.\.|…$/.test(c.value) || /^[A-Za-z0-9~._-]{3}\*{3,}$/.test(c.value)) add('clientSecret', 'error', 'secret-value-masked', 'The secret looks masked ("abc*****"): the portal shows the full Value only once. Create a new client secret and copy its Value.');
    }
  }

  const given = str(p.secretExpires);
  const reordered = given !== undefined ? reorderDate(given.trim()) : undefined;
  if (reordered?.ambiguous) add('secretExpires', 'error', 'secret-expires-ambiguous', `"${truncate(given!.trim())}" could be ${reordered.ambiguous[0]} or ${reordered.ambiguous[1]}. Write it yyyy-mm-dd, as the "Expires" column under Certificates & secrets shows it.`);
  else if (reordered?.value) add('secretExpires', 'warning', 'secret-expires-cleaned', `Read "${truncate(given!.trim())}" as ${reordered.value} (written yyyy-mm-dd).`);
  const exp = reordered?.ambiguous ? undefined : (reordered?.value ?? given);
  if (exp !== undefined && exp.trim()) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/.exec(exp.trim());
    const when = m ? new Date(m[4] ? exp.trim() : `${m[1]}-${m[2]}-${m[3]}T23:59:59Z`) : null;
    const impossible = m ? impossibleDate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
    if (impossible) {
      add('secretExpires', 'error', 'secret-expires-invalid', `${impossible} Copy the date from the "Expires" column under Certificates & secrets, written yyyy-mm-dd.`);
    } else if (!when || Number.isNaN(when.getTime())) {
      add('secretExpires', 'error', 'secret-expires-invalid', 'The secret expiry date must be written yyyy-mm-dd (the "Expires" column under Certificates & secrets).');
    } else {
      cleaned.secretExpires = exp.trim();
      const days = Math.floor((when.getTime() - opts.now.getTime()) / DAY_MS);
      if (when.getTime() < opts.now.getTime()) add('secretExpires', 'error', 'secret-expired', `The client secret expired on ${exp.trim().slice(0, 10)}. Create a new secret under Certificates & secrets and update every system that uses the old one.`);
      else if (days < EXPIRY_WARNING_DAYS) add('secretExpires', 'warning', 'secret-expiring-soon', `The client secret expires in ${days} day${days === 1 ? '' : 's'} (${exp.trim().slice(0, 10)}). Plan a new secret now; mail stops when it expires.`);
    }
  }
}

/**
 * A date written another way, read as yyyy-mm-dd only when that reading is the only one:
 * yyyy/mm/dd and yyyy.mm.dd; dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy when the day is above 12 (31/12/2027),
 * or mm/dd/yyyy when the second number is (12/31/2027). Both numbers 12 or below (03/04/2027) is
 * ambiguous: the two readings are returned instead. Anything else: undefined (checked as it is).
 */
export function reorderDate(text: string): { value?: string; ambiguous?: [string, string] } | undefined {
  const pad = (n: string) => n.padStart(2, '0');
  const ymd = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(text);
  if (ymd) return { value: `${ymd[1]}-${pad(ymd[2]!)}-${pad(ymd[3]!)}` };
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (!dmy) return undefined;
  const [a, b, y] = [Number(dmy[1]), Number(dmy[2]), dmy[3]!];
  const exists = (month: number, day: number) => !impossibleDate(Number(y), month, day);
  if (a > 12 && b <= 12) return exists(b, a) ? { value: `${y}-${pad(String(b))}-${pad(String(a))}` } : undefined;
  if (b > 12 && a <= 12) return exists(a, b) ? { value: `${y}-${pad(String(a))}-${pad(String(b))}` } : undefined;
  if (a === b && a <= 12) return { value: `${y}-${pad(String(a))}-${pad(String(a))}` };
  if (a <= 12 && b <= 12) return { ambiguous: [`${y}-${pad(String(b))}-${pad(String(a))}`, `${y}-${pad(String(a))}-${pad(String(b))}`] };
  return undefined;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why a yyyy-mm-dd date does not exist ("There is no 30 February 2027."), or undefined when it does. */
function impossibleDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return `There is no month ${month}: months run from 01 to 12.`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `There is no ${day} ${MONTHS[month - 1]} ${year}${day > days ? `: ${MONTHS[month - 1]} ${year} has ${days} days` : ''}.`;
  return undefined;
}

/** Cleaning that is not a removal: the tenant taken out of a pasted sign-in address. */
const TENANT_FROM_ADDRESS: CleaningAction = {
  alone: () => 'kept only the tenant from the sign-in address',
  after: 'kept only the tenant from the sign-in address',
};

/**
 * Hosts Microsoft Entra registers an http:// redirect for: loopback only (PORTAL-STEPS.md, redirect
 * rules: "https except for localhost"; the portal's box refuses http://127.0.0.1, [::1] is unsupported).
 */
function httpRedirectAllowed(hostname: string): boolean {
  return /^(localhost|127\.0\.0\.1)$/i.test(hostname);
}

/** Where a pasted page address leaves the system's own web address: the index of its first page segment, or -1. */
function pagePathIndex(path: string, pages: readonly string[] | undefined): number {
  if (!pages?.length) return -1;
  // Segments are plain words (PAGE_PATHS in targets.ts); anything else a caller passes is dropped.
  const words = pages.filter((p) => /^[\w-]+$/.test(p));
  if (!words.length) return -1;
  const re = new RegExp(`/(?:${words.join('|')})(?=/|$)`, 'i');
  return re.exec(path)?.index ?? -1;
}

function checkBaseUrl(raw: string, target: TargetHints | undefined, add: Add): string | undefined {
  const field = 'targetInputs.baseUrl';
  const system = target?.displayName ?? target?.id ?? 'the system';
  const c = cleanPasted(raw);
  let text = c.value;
  if (!text) {
    add(field, 'error', 'base-url-missing', `Enter the web address people use to open ${system}, for example https://erp.fabrikam.com.`);
    return undefined;
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    // A host name without its scheme: the redirect must be https (Entra allows http only for localhost), so https:// is the one reading.
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?(\/.*)?$/i.test(text) && !/^localhost\b/i.test(text)) {
      add(field, 'warning', 'base-url-scheme-added', `Added the scheme the web address was missing: https://${truncate(text)}.`);
      text = `https://${text}`;
    } else {
      add(field, 'error', 'base-url-invalid', `"${truncate(text)}" is not a web address. Enter it like https://erp.fabrikam.com.`);
      return undefined;
    }
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

  // A page address (https://erp.fabrikam.com/web#action=…) is cut back to the system's own address:
  // a query and a fragment are never part of it, nor are the pages of the system's web app.
  let path = url.pathname;
  const page = pagePathIndex(path, target?.pagePaths);
  if (page >= 0) path = path.slice(0, page);
  const cutPage = page >= 0 || !!url.search || !!url.hash;
  const trailing = path.length > 1 && path.endsWith('/');
  path = path.replace(/\/+$/, '');
  const base = `${url.protocol}//${url.host}${path}`;

  if (url.protocol === 'http:' && !httpRedirectAllowed(url.hostname)) {
    const redirect = target?.redirectPath ? target.redirectPath(base) : undefined;
    if (redirect || target?.requiresHttps) {
      add(field, 'error', 'base-url-https-required', `Microsoft Entra accepts http:// sign-in return addresses only for localhost, so it refuses to register ${redirect ?? `${base}/…`}. Serve ${system} over https (for example behind a reverse proxy with a certificate) and enter its https:// address${url.hostname === '[::1]' ? ', or use http://localhost on this machine' : `, https://${url.host}${path}`}.`);
      return undefined;
    }
    add(field, 'warning', 'base-url-http', 'Microsoft accepts http redirect addresses only for localhost; use https.');
  } else if (url.protocol === 'http:' && url.hostname === '127.0.0.1' && target?.redirectPath) {
    add(field, 'warning', 'base-url-loopback-ip', `The Entra portal refuses http://127.0.0.1 in its redirect box: register ${target.redirectPath(`http://localhost${url.port ? `:${url.port}` : ''}${path}`)} and open ${system} at http://localhost${url.port ? `:${url.port}` : ''}${path} so both match.`);
  }

  if (cutPage) {
    const removed = text.startsWith(base) ? text.slice(base.length) : `${url.pathname.slice(path.length)}${url.search}${url.hash}`;
    add(field, 'warning', url.search || url.hash ? 'base-url-query' : 'base-url-stray-path', `Removed "${truncate(removed, 80)}" from the web address: that part opens one page inside ${system}, and the sign-in return address is built from the site's own address, ${base}.`);
  } else if (trailing || (path === '' && text.endsWith('/'))) {
    add(field, 'warning', 'base-url-trailing-slash', 'Removed the trailing slash: the redirect address must match exactly.');
  }
  if (c.changes.length) add(field, 'warning', 'base-url-cleaned', cleaningSentence('web address', c.changes));
  return base;
}

/** The return address of the user's own application (generic targets): Entra refuses http on other hosts. */
function checkOwnRedirect(raw: string, add: Add) {
  const field = 'targetInputs.redirectUri';
  let url: URL;
  try {
    url = new URL(cleanPasted(raw).value);
  } catch {
    add(field, 'error', 'redirect-uri-invalid', `"${truncate(raw.trim())}" is not a web address. Enter the full return address, like https://app.fabrikam.com/oauth/callback.`);
    return;
  }
  if (url.protocol === 'http:' && !httpRedirectAllowed(url.hostname)) {
    add(field, 'error', 'redirect-uri-https-required', `Microsoft Entra accepts http:// return addresses only for localhost, so it refuses to register ${url.href}. Serve the application over https and use https://${url.host}${url.pathname}.`);
  }
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
