/**
 * Expiry monitoring (issue 12 item 3): how many days the credential a profile signs in with has left,
 * read from the app registration through Graph when the profile can (an app-only profile whose app
 * holds Application.Read.All, with its secret at hand), else from the profile's own `secretExpires`.
 * The verdict follows the monitoring-plugin conventions Nagios, Icinga, Naemon and Checkmk read:
 * 0 OK, 1 WARNING (inside the warning window), 2 CRITICAL (expired, inside the critical window, or
 * the sign-in with the credential failing), 3 UNKNOWN (no expiry known, an unreadable profile).
 *
 * Pure parts (judge, summarise, formatPluginOutput) take the facts; readExpiry gathers them. No
 * secret ever enters a result: diagnoses are redacted with the secret value.
 */
import { X509Certificate } from 'node:crypto';
import { daysUntil, endTime } from '../../../shared/expiry';
import { diagnose, type Diagnosis } from '../../../shared/diagnosis';
import type { Profile } from '../../../shared/profile';
import { acquireToken } from '../auth';
import { netOptions, resolveNet } from '../resolve-net';
import type { ResolvedNet } from '../ports';
import { MemoryVault, type Clock } from '../ports';
import { GraphClient, GraphError } from '../registration/graph';
import { findApplication } from '../registration/read';

export const PLUGIN_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type PluginState = (typeof PLUGIN_STATES)[number];
/** Exit code of each state (monitoring-plugin guidelines). */
export const PLUGIN_EXIT: Record<PluginState, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };
/** Which state wins when several connections are summarised: the worst one, CRITICAL first. */
const RANK: Record<PluginState, number> = { OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3 };

export interface Thresholds {
  warningDays: number;
  criticalDays: number;
}
export const DEFAULT_THRESHOLDS: Thresholds = { warningDays: 30, criticalDays: 7 };

/** One credential of the registration (a secret or a certificate), as Graph lists it. No value. */
export interface CredentialExpiry {
  kind: 'secret' | 'certificate';
  keyId?: string;
  displayName?: string;
  hint?: string;
  endDateTime: string;
}

export interface ExpiryFacts {
  /** Where the end date comes from. */
  source: 'graph' | 'profile' | 'none';
  /** The credential this profile uses, when it could be told apart from the others. */
  current?: CredentialExpiry;
  /** Every credential the registration has (Graph only). */
  all?: CredentialExpiry[];
  /** Why Graph was not used (no secret at hand, no Application.Read.All, delegated profile...). */
  note?: string;
  /** The sign-in with the profile's credential failed: its diagnosis (redacted). */
  failure?: Diagnosis;
}

export interface ConnectionStatus {
  profile: string;
  state: PluginState;
  daysLeft: number | null;
  expires?: string;
  source: ExpiryFacts['source'];
  /** One plain sentence for the long output. */
  text: string;
  code?: string;
  note?: string;
}

// One definition of "days left" for the app, the CLI and the notifications (shared/expiry.ts).
export { daysUntil, endTime } from '../../../shared/expiry';

/** One connection's verdict from its facts. */
export function judge(name: string, facts: ExpiryFacts, th: Thresholds, now: Date): ConnectionStatus {
  const base = { profile: name, source: facts.source, ...(facts.note ? { note: facts.note } : {}) };
  if (facts.failure) {
    const end = facts.current?.endDateTime;
    return { ...base, state: 'CRITICAL', daysLeft: end ? daysUntil(end, now) : null, ...(end ? { expires: end } : {}), code: facts.failure.code, text: `sign-in fails: ${facts.failure.title} (${facts.failure.code})` };
  }
  const end = facts.current?.endDateTime;
  if (!end) return { ...base, state: 'UNKNOWN', daysLeft: null, text: `expiry unknown${facts.note ? `: ${facts.note}` : ''}` };
  const days = daysUntil(end, now);
  if (days === null) return { ...base, state: 'UNKNOWN', daysLeft: null, text: `expiry "${end}" is not a date` };
  const what = facts.current?.kind === 'certificate' ? 'certificate' : 'client secret';
  const day = end.slice(0, 10);
  if (endTime(end) <= now.getTime()) return { ...base, state: 'CRITICAL', daysLeft: Math.min(days, 0), expires: end, text: `${what} expired on ${day}${days < 0 ? ` (${-days} day${days === -1 ? '' : 's'} ago)` : ' (today)'}` };
  const text = `${what} expires on ${day} (in ${days} day${days === 1 ? '' : 's'})`;
  if (days <= th.criticalDays) return { ...base, state: 'CRITICAL', daysLeft: days, expires: end, text };
  if (days <= th.warningDays) return { ...base, state: 'WARNING', daysLeft: days, expires: end, text };
  return { ...base, state: 'OK', daysLeft: days, expires: end, text };
}

export interface StatusSummary {
  state: PluginState;
  exit: number;
  /** The plugin's first line: `MAIL-OAUTH OK - ... | days_left=...;warn;crit`. */
  line: string;
  /** Long output: one line per connection. */
  details: string[];
  connections: ConnectionStatus[];
  thresholds: Thresholds;
}

/** Performance-data label: letters, digits, _ . - only (quoted labels are not read by every tool). */
const label = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'profile';

export function summarise(connections: ConnectionStatus[], th: Thresholds): StatusSummary {
  const state = connections.length ? connections.reduce<PluginState>((w, c) => (RANK[c.state] > RANK[w] ? c.state : w), 'OK') : 'UNKNOWN';
  const known = connections.filter((c) => c.daysLeft !== null);
  const soonest = known.sort((a, b) => a.daysLeft! - b.daysLeft!)[0];
  const worst = connections.filter((c) => c.state === state);
  let head: string;
  if (!connections.length) head = 'no profile given';
  else if (connections.length === 1) head = `${connections[0]!.profile}: ${connections[0]!.text}`;
  else if (state === 'OK') head = `${connections.length} connections, soonest: ${soonest!.profile} ${soonest!.text}`;
  else head = `${worst.length} of ${connections.length} connections ${state}: ${worst.map((c) => `${c.profile}: ${c.text}`).join('; ')}`;
  const perf: string[] = [];
  if (soonest) perf.push(`days_left=${soonest.daysLeft};${th.warningDays};${th.criticalDays}`);
  if (connections.length > 1) for (const c of known) perf.push(`${label(c.profile)}_days_left=${c.daysLeft};${th.warningDays};${th.criticalDays}`);
  const line = `MAIL-OAUTH ${state} - ${head.replace(/\|/g, '/')}${perf.length ? ` | ${perf.join(' ')}` : ''}`;
  const details = connections.length > 1 ? connections.map((c) => `${c.state}: ${c.profile}: ${c.text.replace(/\|/g, '/')}${c.note && c.source !== 'graph' ? ` [${c.note}]` : ''}`) : connections[0]?.note ? [`source: ${connections[0].source} (${connections[0].note})`] : [];
  return { state, exit: PLUGIN_EXIT[state], line, details, connections, thresholds: th };
}

export function formatPluginOutput(s: StatusSummary): string {
  return `${[s.line, ...s.details].join('\n')}\n`;
}

/** The profile's own record of the end date (no network): a certificate's own notAfter, else `secretExpires`. */
export function profileExpiry(profile: Pick<Profile, 'secretExpires'> & Partial<Pick<Profile, 'clientCertificate'>>): ExpiryFacts {
  if (profile.clientCertificate) {
    try {
      return { source: 'profile', current: { kind: 'certificate', endDateTime: new Date(new X509Certificate(profile.clientCertificate.certificatePem).validTo).toISOString() } };
    } catch {
      return { source: 'none', note: 'the profile\'s certificate cannot be read' };
    }
  }
  if (profile.secretExpires) return { source: 'profile', current: { kind: 'secret', endDateTime: profile.secretExpires } };
  return { source: 'none' };
}

/** Picks the credential in use among the registration's: by Secret ID, then by hint (first 3 characters), else the latest. */
export function pickCurrent(all: CredentialExpiry[], profile: Pick<Profile, 'secretId'>, secretValue?: string, certificateKeyId?: string): { current?: CredentialExpiry; identified: boolean } {
  const byId = (id?: string) => (id ? all.find((c) => c.keyId?.toLowerCase() === id.toLowerCase()) : undefined);
  const c = byId(certificateKeyId) ?? byId(profile.secretId) ?? (secretValue ? all.filter((x) => x.kind === 'secret' && x.hint && secretValue.startsWith(x.hint)) : []).at(0);
  if (c) return { current: c, identified: true };
  const latest = [...all].sort((a, b) => Date.parse(b.endDateTime) - Date.parse(a.endDateTime))[0];
  return { ...(latest ? { current: latest } : {}), identified: false };
}

export interface ReadExpiryDeps {
  clientSecret?: string;
  clientCertificate?: { thumbprintSha256: string; privateKey: string; x5c?: string };
  certificateKeyId?: string;
  /** SHA-1 thumbprint (hex) of the certificate signed in with: picks its keyCredential by customKeyIdentifier. */
  certificateThumbprint?: string;
  clock?: Clock;
  timeoutMs?: number;
}

/**
 * The facts for one profile. App-only with a credential at hand: a client-credentials token for Graph
 * (this is also the proof that the credential still signs in), then the app's own registration
 * (`GET /applications(appId=...)`, needs Application.Read.All or .ReadWrite.OwnedBy). Anything short of
 * that falls back to the profile's `secretExpires` and says why.
 */
export async function readExpiry(profile: Profile, deps: ReadExpiryDeps): Promise<ExpiryFacts> {
  const fallback = profileExpiry(profile);
  const hasCredential = !!deps.clientSecret || !!deps.clientCertificate;
  if (profile.flow !== 'app-only') return { ...fallback, note: 'delegated profile: expiry from the profile (Graph needs an administrator to read the registration: mail-oauth lint)' };
  if (!hasCredential) return { ...fallback, note: 'no credential at hand (set the profile\'s environment variable): expiry from the profile' };
  const graphProfile: Profile = { ...profile, api: 'graph' };
  const secrets = deps.clientSecret ? [deps.clientSecret] : [];
  let token: string;
  // Endpoints, CAs and proxy once: the token and the Graph reads both use them.
  let resolved: ResolvedNet;
  try {
    resolved = resolveNet(profile);
  } catch (e) {
    return { ...fallback, failure: diagnose(e, { profile, check: 'token', secrets }) };
  }
  try {
    const engineDeps = { vault: new MemoryVault(), net: resolved, ...(deps.clientSecret ? { clientSecret: deps.clientSecret } : {}), ...(deps.clientCertificate ? { clientCertificate: deps.clientCertificate } : {}), ...(deps.clock ? { clock: deps.clock } : {}) };
    token = (await acquireToken(graphProfile, engineDeps, { timeoutMs: deps.timeoutMs ?? 10_000 })).accessToken;
  } catch (e) {
    return { ...fallback, failure: diagnose(e, { profile, check: 'token', secrets: [...secrets, ...(deps.clientCertificate ? [deps.clientCertificate.privateKey] : [])], ...(deps.clientSecret ? { secretValue: deps.clientSecret } : {}) }) };
  }
  const graph = new GraphClient({ graphUrl: resolved.endpoints.graphUrl, token, net: netOptions(resolved), requestTimeoutMs: deps.timeoutMs ?? 10_000 });
  try {
    const app = await findApplication(graph, profile.clientId);
    if (!app) return { ...fallback, note: 'the app could not read its own registration: expiry from the profile' };
    const all: CredentialExpiry[] = [
      ...(app.passwordCredentials ?? []).map((p) => ({ kind: 'secret' as const, ...(p.keyId ? { keyId: p.keyId } : {}), ...(p.displayName ? { displayName: p.displayName } : {}), ...(p.hint ? { hint: p.hint } : {}), endDateTime: p.endDateTime ?? '' })),
      ...(app.keyCredentials ?? []).map((k) => ({ kind: 'certificate' as const, ...(k.keyId ? { keyId: k.keyId } : {}), ...(k.displayName ? { displayName: k.displayName } : {}), endDateTime: k.endDateTime ?? '' })),
    ].filter((c) => c.endDateTime);
    const byThumb = deps.certificateThumbprint ? (app.keyCredentials ?? []).find((k) => k.keyId && k.customKeyIdentifier && k.customKeyIdentifier.toUpperCase() === deps.certificateThumbprint!.toUpperCase())?.keyId : undefined;
    const { current, identified } = pickCurrent(all, profile, deps.clientSecret, deps.certificateKeyId ?? byThumb);
    return { source: 'graph', ...(current ? { current } : {}), all, ...(identified ? {} : { note: 'the credential in use could not be told apart: the latest end date is shown' }) };
  } catch (e) {
    const why = e instanceof GraphError && (e.status === 403 || e.status === 401) ? 'the app has no Application.Read.All (application permission) to read its own registration' : `Graph could not be read (${e instanceof GraphError ? `${e.status} ${e.code}` : 'network'})`;
    return { ...fallback, note: `${why}: expiry from the profile` };
  }
}
