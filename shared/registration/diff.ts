/**
 * diffRegistration(desired, actual): what is wrong with an existing registration for this target,
 * as findings with stable diagnosis codes (shared/diagnosis/domains/registration.codes.ts). Pure.
 * `fixable` is true exactly when planRegistration has a step for it.
 */
import { ACCOUNT_TYPES } from '../catalogue/account-types';
import { analyzeRegistration, resourceName, SECRET_WARNING_DAYS, type AccessType, type Analysis, type RedirectDifference } from './analyze';
import { isGuid } from './quote';
import { everyMailboxWords, isGraphMailRole } from './reach';
import type { ActualRegistration, DesiredRegistration, Platform, RegistrationFinding, SignInAudience } from './types';
import type { RegistrationLintCode } from '../diagnosis/domains/registration.codes';

export interface DiffOptions {
  now: Date;
  /** The secret Value the user typed (compared with the secrets' hints and Secret IDs; never stored or echoed). */
  typedSecret?: string;
  /** Alias of typedSecret (the engine's name). */
  secretValue?: string;
  /** The profile signs in with a device code: public client flows must be on. */
  deviceCode?: boolean;
}

const PLATFORM_WORDS: Record<Platform, string> = { web: 'Web', publicClient: 'Mobile and desktop applications', spa: 'Single-page application' };
const DIFFERENCE_WORDS: Record<RedirectDifference, string> = {
  case: 'differs only in upper/lower case',
  scheme: 'differs in the scheme (http / https)',
  port: 'differs in the port',
  'trailing-slash': 'differs by a trailing slash',
};
const DIFFERENCE_CODE: Record<RedirectDifference, RegistrationLintCode> = {
  case: 'registration-redirect-differs-case',
  scheme: 'registration-redirect-differs-scheme',
  port: 'registration-redirect-differs-port',
  'trailing-slash': 'registration-redirect-differs-trailing-slash',
};

const typeWords = (t: AccessType): string => (t === 'Scope' ? 'delegated' : 'application');
const audienceWords = (a: SignInAudience): string => Object.values(ACCOUNT_TYPES).find((x) => x.signInAudience === a)?.short ?? a;

function finding(code: RegistrationLintCode, f: Omit<RegistrationFinding, 'code'>): RegistrationFinding {
  return { code, ...f };
}

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const listWords = (xs: readonly string[]): string => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : (xs[0] ?? ''));

/**
 * Graph application mail permissions on an app whose mail access Exchange scopes to the mailbox (issue 19):
 * granted tenant-wide, the app can reach every mailbox now; configured but not consented, consenting them
 * would. Either way the fix is the Exchange step (a management scope and role assignments), not consent.
 */
function everyMailboxFinding(desired: DesiredRegistration, xs: Analysis['notNeeded']): RegistrationFinding {
  const names = xs.map((x) => x.name);
  const granted = xs.filter((x) => x.granted).map((x) => x.name);
  const perms = `${listWords(names)} (Microsoft Graph, application)`;
  const are = names.length > 1 ? 'are' : 'is';
  const mailbox = desired.mailbox || 'the mailbox';
  const step = desired.manualSteps.find((m) => m.id === 'limit-mailbox-scope');
  const stepName = step ? `“${step.title}”` : 'the Exchange step';
  const scoped = `The safe fix limits the app to ${mailbox} in Exchange (RBAC for Applications: a management scope and a role assignment, ${stepName} below); every mailbox only if you choose it on the fix plan`;
  return finding('registration-mail-every-mailbox', granted.length
    ? {
        severity: 'warning',
        summary: `While it is not limited, the app can ${everyMailboxWords(granted)}: ${listWords(granted)} (Microsoft Graph, application) ${granted.length > 1 ? 'are' : 'is'} admin-consented tenant-wide. ${scoped}`,
        expected: `${listWords(names)} granted by Exchange for ${mailbox} only`,
        found: `${listWords(granted)} admin-consented for every mailbox`,
        fixable: false,
        who: `An Exchange administrator runs ${stepName} (Exchange Online PowerShell); then an administrator revokes the admin consent for ${listWords(granted)} under API permissions: while that consent stays, the Exchange limit changes nothing. The assistant never removes permissions by itself.`,
        detail: { permission: names.join(' '), resourceAppId: GRAPH_APP_ID },
      }
    : {
        severity: 'info',
        summary: `${perms} ${are} configured but not consented, and stay so: consented tenant-wide, ${names.length > 1 ? 'they' : 'it'} would let the app ${everyMailboxWords(names)}. ${scoped}`,
        expected: `${listWords(names)} granted by Exchange for ${mailbox} only`,
        found: 'not consented in Entra (nothing to grant there)',
        fixable: false,
        who: `An Exchange administrator runs ${stepName} (Exchange Online PowerShell): until then the app reaches no mailbox.`,
        detail: { permission: names.join(' '), resourceAppId: GRAPH_APP_ID },
      });
}

export function diffRegistration(desired: DesiredRegistration, actual: ActualRegistration, opts: DiffOptions): RegistrationFinding[] {
  const typed = opts.typedSecret ?? opts.secretValue;
  const a = analyzeRegistration(desired, actual, { now: opts.now, typedSecret: typed, deviceCode: opts.deviceCode });
  return findingsOf(desired, actual, a, { typed, deviceCode: !!opts.deviceCode });
}

/** Findings of an analysis (shared with planRegistration's `unfixable`). */
export function findingsOf(desired: DesiredRegistration, actual: ActualRegistration, a: Analysis, o: { typed?: string; deviceCode?: boolean } = {}): RegistrationFinding[] {
  const out: RegistrationFinding[] = [];
  if (a.incomplete.length > 0)
    out.push(
      finding('registration-desired-incomplete', {
        severity: 'error',
        summary: `The registration cannot be checked or made yet: ${a.incomplete.join(', ')} still needs a value from the profile`,
        fixable: false,
        who: "You: fill in the missing value on the Details screen (or in the profile's targetInputs).",
      }),
    );
  for (const r of a.missingResources)
    out.push(
      finding('registration-resource-missing', {
        severity: 'error',
        summary: `The tenant has no ${resourceName(r)} service principal: its permissions cannot be resolved or granted`,
        fixable: false,
        who: 'A Microsoft 365 administrator: check the organisation has the service (a licence that includes Exchange Online).',
        detail: { resourceAppId: r },
      }),
    );
  if (a.appMissing) {
    out.push(finding('registration-app-missing', { severity: 'error', summary: `No app registration exists for “${desired.displayName}” with this client ID`, fixable: true }));
    secretPolicyFindings(desired, a, out, true);
    return out;
  }

  for (const r of a.redirects) {
    if (r.kind === 'missing')
      out.push(
        finding('registration-redirect-missing', {
          severity: 'error',
          summary: `Redirect URI ${r.uri} is missing from the ${PLATFORM_WORDS[r.platform]} platform`,
          expected: `${PLATFORM_WORDS[r.platform]}: ${r.uri}`,
          found: 'not registered',
          fixable: true,
          detail: { uri: r.uri, platform: r.platform },
        }),
      );
    else if (r.kind === 'wrong-platform')
      out.push(
        finding('registration-redirect-wrong-platform', {
          severity: 'error',
          summary: `Redirect URI ${r.uri} is registered under ${PLATFORM_WORDS[r.found!.platform]} instead of ${PLATFORM_WORDS[r.platform]}`,
          expected: `${PLATFORM_WORDS[r.platform]}: ${r.uri}`,
          found: `${PLATFORM_WORDS[r.found!.platform]}: ${r.uri}`,
          fixable: true,
          detail: { uri: r.uri, platform: r.platform },
        }),
      );
    else
      out.push(
        finding(DIFFERENCE_CODE[r.difference!], {
          severity: 'error',
          summary: `Registered redirect URI ${r.found!.uri} ${DIFFERENCE_WORDS[r.difference!]} from ${r.uri}`,
          expected: `${PLATFORM_WORDS[r.platform]}: ${r.uri}`,
          found: `${PLATFORM_WORDS[r.found!.platform]}: ${r.found!.uri}`,
          fixable: true,
          detail: { uri: r.uri, platform: r.platform, difference: r.difference! },
        }),
      );
  }

  if (a.audience) {
    const { expected, found, kind } = a.audience;
    const code: RegistrationLintCode = kind === 'single-tenant' ? 'registration-audience-single-tenant' : kind === 'no-personal' ? 'registration-audience-no-personal' : 'registration-audience-mismatch';
    out.push(
      finding(code, {
        severity: kind === 'mismatch' ? 'warning' : 'error',
        summary:
          kind === 'single-tenant'
            ? `The app accepts only its own organisation; this setup needs ${audienceWords(expected)} (AADSTS50194 on /common)`
            : `The app accepts ${audienceWords(found)}; this setup needs ${audienceWords(expected)}`,
        expected,
        found,
        fixable: true,
      }),
    );
  }
  if (a.tokenVersionMissing)
    out.push(
      finding('registration-token-version-missing', {
        severity: 'error',
        summary: 'The app must ask for version 2 access tokens (api.requestedAccessTokenVersion = 2) to accept personal Microsoft accounts',
        expected: '2',
        found: String(actual.application!.api?.requestedAccessTokenVersion ?? 'not set'),
        fixable: true,
      }),
    );
  if (a.publicClientOff) {
    const fixable = desired.isFallbackPublicClient || !!o.deviceCode;
    out.push(
      finding('registration-public-client-off', {
        severity: 'error',
        summary: o.deviceCode && !desired.isFallbackPublicClient ? 'Public client flows are off, and this profile signs in with a device code' : "Public client flows are off; the system's guide asks for them",
        expected: 'Allow public client flows: Yes',
        found: 'No',
        fixable,
      }),
    );
  }
  if (a.implicitGrantOff)
    out.push(
      finding('registration-implicit-grant-off', {
        severity: 'warning',
        summary: 'Implicit grant access tokens and ID tokens are not both enabled, as the guide asks',
        fixable: true,
      }),
    );

  for (const p of a.permissions) {
    const name = `${p.permission.name} (${p.permission.resource}, ${p.permission.type})`;
    const unfixable = p.unresolvable ? { fixable: false, who: `The tenant's ${p.permission.resource} publishes no ${p.permission.type} permission ${p.permission.name}: a Microsoft 365 administrator must check the service exists in the tenant.` } : { fixable: true };
    if (p.kind === 'missing')
      out.push(finding('registration-permission-missing', { severity: 'error', summary: `Permission ${name} is not configured`, expected: name, found: 'not configured', ...unfixable, detail: { permission: p.permission.name, resourceAppId: p.permission.resourceAppId } }));
    else if (p.kind === 'wrong-type')
      out.push(
        finding('registration-permission-wrong-type', {
          severity: 'error',
          summary: `Permission ${p.permission.name} is configured as ${typeWords(p.found!.type)}; ${p.permission.type} is needed`,
          expected: name,
          found: `${p.permission.name} (${resourceName(p.found!.resourceAppId)}, ${typeWords(p.found!.type)})`,
          ...unfixable,
          detail: { permission: p.permission.name, resourceAppId: p.permission.resourceAppId },
        }),
      );
    else
      out.push(
        finding('registration-permission-wrong-resource', {
          severity: 'error',
          summary: `Permission ${p.permission.name} is configured under ${resourceName(p.found!.resourceAppId)}; it is needed under ${p.permission.resource}`,
          expected: name,
          found: `${p.permission.name} (${resourceName(p.found!.resourceAppId)}, ${typeWords(p.found!.type)})`,
          ...unfixable,
          detail: { permission: p.permission.name, resourceAppId: p.permission.resourceAppId },
        }),
      );
  }

  if (a.servicePrincipalMissing)
    out.push(finding('registration-service-principal-missing', { severity: 'error', summary: `“${desired.displayName}” has no enterprise application (service principal) in this tenant`, fixable: true }));
  for (const c of a.consentMissing)
    out.push(
      finding('registration-consent-missing', {
        // Delegated-only without assignment: users may still consent themselves at sign-in, unless the tenant forbids it.
        severity: c.type === 'Role' || desired.assignment.required ? 'error' : 'warning',
        // Only where the person chose every mailbox (desired = tenant-wide consent): consenting is the fix, and its reach is said.
        summary: `Admin consent is missing for ${resourceName(c.resourceAppId)} ${typeWords(c.type)} permission${c.names.length > 1 ? 's' : ''} ${c.names.join(', ')}${c.type === 'Role' && c.resourceAppId === GRAPH_APP_ID && c.names.some(isGraphMailRole) ? ` (granted, ${c.names.length > 1 ? 'they let' : 'it lets'} the app ${everyMailboxWords(c.names)})` : ''}`,
        expected: `granted: ${c.names.join(', ')}`,
        found: 'not granted',
        fixable: true,
        detail: { permission: c.names.join(' '), resourceAppId: c.resourceAppId },
      }),
    );
  for (const p of a.consentNotDeclared)
    out.push(
      finding('registration-consent-not-declared', {
        severity: 'warning',
        summary: `Permission ${p.name} (${p.resource}, ${p.type}) is granted but not configured ("Other permissions granted")`,
        fixable: true,
        detail: { permission: p.name, resourceAppId: p.resourceAppId },
      }),
    );
  // Issue 19, safe by default: Graph application mail permissions the desired state leaves to Exchange (RBAC for
  // Applications scopes them to the mailbox) are not "not needed": consented in Entra they reach every mailbox
  // (auth-limit-mailbox-access; grants are additive with the Exchange scope, REGISTRATION-FACTS 4.3). One finding
  // in plain words; the fix is the Exchange step, never the tenant-wide consent.
  const toExchange = (x: Analysis['notNeeded'][number]) => desired.mailboxScope === 'exchange-rbac' && x.type === 'Role' && x.resourceAppId === GRAPH_APP_ID && isGraphMailRole(x.name);
  const scopedMail = a.notNeeded.filter(toExchange);
  if (scopedMail.length) out.push(everyMailboxFinding(desired, scopedMail));
  for (const x of a.notNeeded.filter((n) => !toExchange(n))) {
    const everyMailbox = x.type === 'Role' && x.resourceAppId === GRAPH_APP_ID && isGraphMailRole(x.name);
    out.push(
      finding('registration-permission-not-needed', {
        severity: 'warning',
        summary: `Permission ${x.name} (${resourceName(x.resourceAppId)}, ${typeWords(x.type)}) is ${x.granted ? 'granted' : 'configured'} but not needed by this system${everyMailbox ? ` (${x.granted ? 'it lets the app' : 'consented, it would let the app'} ${everyMailboxWords([x.name])})` : ''}`,
        fixable: false,
        who: 'An administrator may remove it under API permissions if nothing else uses this app; the assistant never removes permissions by itself.',
        detail: { permission: x.name, resourceAppId: x.resourceAppId },
      }),
    );
  }

  if (a.assignmentNotRequired) {
    // Issue 19: a separate opt-in, never part of "Fix everything": turning it on locks out everyone not assigned.
    // Neither Odoo's nor Flectra's guide asks for it (their "Assign users and groups" step only assigns users).
    const n = a.lockedOutIfRequired.principalIds.length;
    const who = `${n === 0 ? 'No one else' : n === 1 ? '1 person' : `${n} people`} the directory shows signing in to this app today ${n === 1 ? 'is' : 'are'} not assigned${a.lockedOutIfRequired.othersUnknown ? '; with organisation-wide consent others may sign in too (only the sign-in logs list them)' : ''}`;
    out.push(
      finding('registration-assignment-not-required', {
        severity: 'info',
        summary: `Assignment required? is No: anyone in the organisation can sign in to this app. Turning it on is your choice, not part of Fix everything: ${who}, and would be locked out unless assigned first`,
        expected: 'Yes (optional)',
        found: 'No',
        fixable: false,
        who: 'An administrator, only if the app should be limited to assigned users: Enterprise applications > the app > Users and groups (assign everyone who uses it), then Properties > Assignment required? = Yes.',
      }),
    );
  }
  if (a.mailboxUserNotFound)
    out.push(
      finding('registration-mailbox-user-not-found', {
        severity: 'error',
        summary: `No user ${desired.mailbox} exists in this tenant, so it cannot be assigned to the app`,
        fixable: false,
        who: 'You: check the mailbox address (its sign-in name) in the profile.',
      }),
    );
  if (a.mailboxNotAssigned)
    out.push(finding('registration-mailbox-not-assigned', { severity: 'error', summary: `${desired.mailbox} is not assigned to the app, and assignment is required (AADSTS50105)`, fixable: true }));

  secretPolicyFindings(desired, a, out, false);
  typedSecretFindings(actual, a, out, o.typed);
  return out;
}

function secretPolicyFindings(desired: DesiredRegistration, a: Analysis, out: RegistrationFinding[], creating: boolean): void {
  const s = a.secrets;
  if (!s || desired.credential.kind !== 'secret') return;
  const adds = creating || s.needsNew !== null;
  if (!creating) {
    const fixable = !s.blocked;
    if (s.needsNew === 'none') out.push(finding('registration-secret-none', { severity: 'error', summary: 'The app has no client secret', fixable }));
    else if (s.needsNew === 'expired')
      out.push(
        finding('registration-secret-expired', {
          severity: 'error',
          summary: `Every client secret has expired (the last on ${s.expired.map((e) => e.end.toISOString().slice(0, 10)).sort().slice(-1)[0]})`,
          fixable,
        }),
      );
    else if (s.needsNew === 'expiring')
      out.push(
        finding('registration-secret-expiring', {
          severity: 'warning',
          summary: `The client secret expires on ${s.current!.end!.toISOString().slice(0, 10)}, in ${s.daysLeft} day${s.daysLeft === 1 ? '' : 's'}`,
          fixable,
          detail: { keyId: s.current!.keyId },
        }),
      );
  }
  if (adds && s.blocked)
    out.push(
      finding('registration-secrets-blocked', {
        severity: 'error',
        summary: "The tenant's app management policy blocks new client secrets",
        fixable: false,
        who: 'An administrator who manages app management policies: add an exception for this app, or use a certificate.',
      }),
    );
  else if (adds && s.capped)
    out.push(
      finding('registration-secret-lifetime-capped', {
        severity: 'info',
        summary: `The tenant's policy caps secrets at ${s.lifetimeMonths} months: the new secret gets ${s.lifetimeMonths} months instead of ${desired.credential.lifetimeMonths}`,
        fixable: true,
      }),
    );
}

function typedSecretFindings(actual: ActualRegistration, a: Analysis, out: RegistrationFinding[], typed: string | undefined): void {
  const t = typed?.trim();
  const s = a.secrets;
  if (!t || !s || !actual.application) return;
  const all = [...s.valid, ...s.expired];
  if (all.length === 0) return;
  if (isGuid(t) && all.some((x) => x.keyId.toLowerCase() === t.toLowerCase())) {
    out.push(finding('registration-secret-typed-is-id', { severity: 'error', summary: 'The secret entered is the Secret ID (a GUID) of one of the app’s secrets, not its Value', fixable: false, who: 'You: paste the secret’s Value, not its Secret ID.' }));
    return;
  }
  const hinted = all.filter((x) => x.hint);
  if (hinted.length === 0) return;
  if (s.valid.some((x) => x.hint && t.startsWith(x.hint))) {
    if (s.typed && s.typed.daysLeft !== null && s.typed.daysLeft < SECRET_WARNING_DAYS)
      out.push(
        finding('registration-secret-expiring', {
          severity: 'warning',
          summary: `The secret entered expires on ${s.typed.end!.toISOString().slice(0, 10)}, in ${s.typed.daysLeft} day${s.typed.daysLeft === 1 ? '' : 's'}; a newer secret exists`,
          fixable: false,
          who: 'You: put the newer secret’s Value into the system (and the assistant).',
          detail: { keyId: s.typed.keyId },
        }),
      );
    return;
  }
  if (s.expired.some((x) => x.hint && t.startsWith(x.hint))) {
    out.push(finding('registration-secret-typed-expired', { severity: 'error', summary: 'The secret entered matches a secret that has expired', fixable: false, who: 'You: paste the current secret’s Value (or create a new secret).' }));
    return;
  }
  out.push(
    finding('registration-secret-typed-unknown', {
      severity: 'error',
      summary: `The secret entered starts like none of the app’s ${hinted.length} secret${hinted.length > 1 ? 's' : ''}${isGuid(t) ? ' (it is a GUID: a Secret ID, perhaps of another app)' : ''}`,
      fixable: false,
      who: 'You: paste the Value of one of this app’s secrets, or create a new secret.',
    }),
  );
}
