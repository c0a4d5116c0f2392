import type { Channel } from '../../shared/ipc/contract';
import type { ResolvedConnection } from '../app/resolve-connection';
import type { TargetAnswer, TargetPlanView, TargetPushView, TargetRestoreView } from '../../shared/ipc/target';
import type { SavedProfile, TargetConnection } from '../../shared/saved-profile';
import { parseCredentials, targetCredentialsKey, validateTargetUrl, type CreatedConnectedApp, type RestorePoint, type TargetCredentials } from '../engine/targets';
import { PUSH_TARGET_KIND } from '../../shared/ipc/target';
import type { Handler } from './dispatch';
import { AppError } from './dispatch';
import { connectedAppQuestion, originOf, pushPlanQuestion, targetOriginQuestion, type Confirm } from '../app/confirmations';
import { vaultKeys } from '../app/vault-keys';

/**
 * The target side of the engine as the IPC handlers use it (issue 11); built by engine-facade.ts
 * from electron/engine/targets with the app's vault (the msal cache and the credentials are there).
 */
export interface TargetEngine {
  test(conn: ResolvedConnection, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined): Promise<TargetAnswer<{ version: string; user?: string; database?: string; notes: string[] }>>;
  plan(conn: ResolvedConnection, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined, options?: { replaceHeldToken?: boolean }): Promise<TargetAnswer<TargetPlanView>>;
  push(conn: ResolvedConnection, secret: string | undefined, connection: TargetConnection, credentials: TargetCredentials | undefined, options: { handOverToken: boolean; replaceHeldToken?: boolean; onProgress: (message: string) => void; signal?: AbortSignal; expected?: Pick<TargetPlanView, 'items'> }): Promise<TargetAnswer<TargetPushView & { restorePoint?: RestorePoint }>>;
  restore(conn: ResolvedConnection, connection: TargetConnection, credentials: TargetCredentials | undefined, point: RestorePoint, options: { onProgress: (message: string) => void }): Promise<TargetAnswer<TargetRestoreView>>;
  /**
   * Frappe's Connected App, made (or this connection's read back) before the registration: no complete connection
   * yet (Details), so the CAs the push would trust are given (`ca`, {@link TargetHandlerDeps.trust}).
   */
  createConnectedApp(req: { url: string; login: string; credentials: TargetCredentials; provider: string; existing?: string; ca?: string[] }): Promise<TargetAnswer<CreatedConnectedApp>>;
}

export interface TargetHandlerDeps {
  load(id: string): SavedProfile;
  /** The connection resolved for one operation (electron/app/resolve-connection.ts). */
  resolve(id: string): ResolvedConnection;
  /** The CAs this connection's requests trust (its own and the app's, as resolve() adds them), for a connection not complete yet. */
  trust(id: string): string[];
  save(record: SavedProfile): SavedProfile;
  secret(profileId: string): Promise<string | undefined>;
  vault: { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void>; delete(key: string): Promise<void> };
  engine: TargetEngine | undefined;
  emitProgress(message: string): void;
  /** The native question before a host first receives this connection's values. */
  confirm: Confirm;
  /** The longest a push may run before main stops it (default {@link PUSH_LIMIT_MS}). */
  pushLimitMs?: number;
  /** Opens a page in the person's browser (shell.openExternal); absent where there is none. */
  openExternal?: (url: string) => Promise<void>;
}

/** A push (or a restore) is stopped after two minutes: the target's own test waits are bounded well inside that. */
export const PUSH_LIMIT_MS = 120_000;

type TargetChannel = Extract<Channel, `target:${string}`>;
/** The one Frappe user who may hand a sign-in to Frappe (Token Cache create: Administrator only), so the one the assistant signs in as. */
const FRAPPE_ADMIN = 'Administrator';
type Send = 'key' | 'secret' | 'signIn';

/**
 * Push binds the target origin (issue 18): the address is written by main only (target:test). Before a
 * stored credential is first used with a host, main asks ONE native question naming the host and
 * everything this connection will send it (the stored key, the client secret, and the sign-in of the
 * mailbox when the connection signs in as it); the answer is remembered for that origin and connection,
 * so "Put it into" proceeds without asking again. A key just given is not a stored one: the test and (withPlan)
 * the plan read with it unasked, and the question comes with the push. After a paste the page asks for the push
 * with `ask` (issue 19): main then always asks, naming the plan it read (and the host's values the first time),
 * so the one native answer is the push's confirmation. A changed address forgets the stored key and the
 * answer, so a key is never sent to an origin other than the one it was entered for.
 */
export function createTargetHandlers(deps: TargetHandlerDeps): { [C in TargetChannel]: Handler<C> } {
  const engine = () => {
    if (!deps.engine) throw new AppError('target-unavailable', 'Putting the values into the target is not available in this window.');
    return deps.engine;
  };
  const connectionOf = (saved: SavedProfile): TargetConnection => {
    if (!saved.targetConnection) throw new AppError('target-not-set', 'Test the target connection first: its address and credentials are not saved yet.');
    return saved.targetConnection;
  };
  const credentialsOf = async (id: string) => parseCredentials(await deps.vault.get(targetCredentialsKey(id)));
  /** Everything this connection sends a target host: the stored key, the client secret and, signing in as the mailbox, its sign-in. */
  const everything = (conn: ResolvedConnection): Send[] => ['key', 'secret', ...(conn.profile.flow === 'app-only' ? [] : (['signIn'] as const))];
  /**
   * Asks unless this origin was already allowed `needed`; the one question names all this connection will
   * send the host (not only what this step needs), so the push that follows asks nothing. Records the answer.
   */
  const allow = async (resolved: ResolvedConnection, connection: TargetConnection, needed: Send[], plan?: TargetPlanView): Promise<TargetConnection> => {
    const profileId = resolved.id;
    const origin = originOf(connection.url);
    if (!origin) throw new AppError('target-url-invalid', 'The target address is not a valid https address. Nothing was sent.');
    const had = connection.approvedOrigin === origin ? (connection.approvedSends ?? []) : [];
    const allowed = needed.every((x) => had.includes(x));
    if (allowed && !plan) return connection;
    const sends = [...new Set([...needed, ...everything(resolved)])];
    const values = { storedKey: sends.includes('key'), clientSecret: sends.includes('secret'), signIn: sends.includes('signIn') };
    // With a plan (issue 19): one question, the changes and (the first time) the host's values; it is the push's confirmation.
    const question = plan ? pushPlanQuestion(resolved.saved, connection, plan, allowed ? null : values) : targetOriginQuestion(resolved.saved, connection, values);
    if (!(await deps.confirm(question))) throw new AppError('target-declined', `You declined: nothing was sent to ${origin}${plan ? ' and nothing was written' : ''}.`);
    if (allowed) return connection;
    const approved: TargetConnection = { ...connection, approvedOrigin: origin, approvedSends: [...new Set([...had, ...sends])] };
    deps.save({ ...deps.load(profileId), targetConnection: approved });
    return approved;
  };
  /** The restore point kept for this connection, only for the origin it was recorded at. */
  const storedPoint = async (id: string, connection: TargetConnection): Promise<RestorePoint | null> => {
    const raw = await deps.vault.get(vaultKeys.targetPrevious(id));
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as { origin: string | null; point: RestorePoint };
      return v.origin === originOf(connection.url) ? v.point : null;
    } catch {
      return null;
    }
  };
  const forgetStoredKey = async (id: string) => {
    await deps.vault.delete(vaultKeys.targetCredentials(id));
    for (const name of ['emailengine-app-secret', 'frappe-client-secret']) await deps.vault.delete(vaultKeys.targetFingerprint(id, name));
    await deps.vault.delete(vaultKeys.targetPrevious(id));
  };
  /** The plan main last read per connection and origin: what an asked push names (main's data, never the page's). */
  const lastPlan = new Map<string, { origin: string | null; plan: TargetPlanView }>();
  const keepPlan = <T extends TargetAnswer<TargetPlanView>>(profileId: string, connection: TargetConnection, r: T): T => {
    if (r.ok) lastPlan.set(profileId, { origin: originOf(connection.url), plan: r.value });
    else lastPlan.delete(profileId);
    return r;
  };
  return {
    'target:test': async ({ profileId, connection, credentials, withPlan }) => {
      const conn0 = deps.resolve(profileId);
      const before = conn0.saved.targetConnection;
      const url = connection.url.trim();
      const sameOrigin = before !== undefined && originOf(before.url) !== null && originOf(before.url) === originOf(url);
      // A new address: the key stored for the old one is forgotten, never offered to the new one.
      if (before && !sameOrigin) await forgetStoredKey(profileId);
      const given = credentials as TargetCredentials | undefined;
      let conn: TargetConnection = { ...(sameOrigin ? before : {}), ...connection, url };
      const stored = given ? undefined : await credentialsOf(profileId);
      if (stored) conn = await allow(conn0, conn, ['key']);
      const r = await engine().test(conn0, await deps.secret(profileId), conn, given ?? stored);
      if (r.ok) {
        // Only credentials that proved themselves are kept (in the vault; the record holds no secret).
        if (given) await deps.vault.set(targetCredentialsKey(profileId), JSON.stringify(given));
        const tested: TargetConnection = { ...conn, ...(r.value.database ? { database: r.value.database } : {}), testedVersion: r.value.version };
        deps.save({ ...deps.load(profileId), targetConnection: tested });
        // The plan read with the key just given for this address (as the test is): no stored key is used, nothing asked.
        const plan = withPlan && given ? keepPlan(profileId, tested, await engine().plan(conn0, await deps.secret(profileId), tested, given)) : undefined;
        if (plan && !plan.ok) return plan;
        return { ok: true, value: { ...r.value, hasCredentials: true, ...(plan ? { plan: plan.value } : {}) } };
      }
      return r;
    },
    'target:plan': async ({ profileId, replaceHeldToken }) => {
      const resolved = deps.resolve(profileId);
      const conn = await allow(resolved, connectionOf(resolved.saved), ['key']);
      return keepPlan(profileId, conn, await engine().plan(resolved, await deps.secret(profileId), conn, await credentialsOf(profileId), { replaceHeldToken }));
    },
    'target:push': async ({ profileId, handOverToken, replaceHeldToken, ask }) => {
      const resolved = deps.resolve(profileId);
      const current = connectionOf(resolved.saved);
      const shown = lastPlan.get(profileId);
      if (ask && (!shown || shown.origin !== originOf(current.url) || shown.plan.upToDate)) throw new AppError('target-plan-missing', 'There is no plan with changes to confirm: read the plan first. Nothing was sent.');
      const conn = await allow(resolved, current, handOverToken && resolved.profile.flow !== 'app-only' ? ['key', 'secret', 'signIn'] : ['key', 'secret'], ask ? shown!.plan : undefined);
      // A time limit: a target that stops answering does not keep the screen waiting for ever.
      const limit = new AbortController();
      const timer = setTimeout(() => limit.abort(new Error(`the push took longer than ${Math.round((deps.pushLimitMs ?? PUSH_LIMIT_MS) / 1000)} s and was stopped`)), deps.pushLimitMs ?? PUSH_LIMIT_MS);
      const r = await engine()
        .push(resolved, await deps.secret(profileId), conn, await credentialsOf(profileId), { handOverToken, replaceHeldToken, onProgress: deps.emitProgress, signal: limit.signal, ...(ask ? { expected: shown!.plan } : {}) })
        .finally(() => clearTimeout(timer));
      const status = r.ok ? (r.value.status === 'failed' ? 'failed' : r.value.status) : 'failed';
      deps.save({ ...deps.load(profileId), targetConnection: { ...conn, lastPush: { at: new Date().toISOString(), status, summary: (r.ok ? r.value.summary : r.diagnosis.title).slice(0, 500) } } });
      if (!r.ok) return r;
      // What this push overwrote is kept in the vault (no secret in it), for "Restore the previous values".
      // A push that overwrote nothing keeps the earlier restore point: a second, idempotent push loses nothing.
      const { restorePoint, ...view } = r.value;
      if (restorePoint && (restorePoint.items.length || restorePoint.notRestorable.length)) await deps.vault.set(vaultKeys.targetPrevious(profileId), JSON.stringify({ origin: originOf(conn.url), point: restorePoint }));
      return { ok: true, value: { ...view, restorable: !!(await storedPoint(profileId, conn))?.items.length } };
    },
    'target:openTokenPage': async ({ profileId }) => {
      const saved = deps.load(profileId);
      if (PUSH_TARGET_KIND[saved.profile.target ?? ''] !== 'emailengine') throw new AppError('target-profile-unsupported', 'Only EmailEngine has an access-token page the assistant can open.');
      // The address the card starts with: the tested one, else the web address from Details (without EmailEngine's /oauth redirect page).
      const raw = saved.targetConnection?.url ?? String(saved.profile.targetInputs?.baseUrl ?? '').replace(/\/+$/, '').replace(/\/oauth$/, '');
      let base: string;
      try {
        base = validateTargetUrl(raw);
      } catch {
        throw new AppError('target-url-invalid', 'The EmailEngine address is not a valid https address (http only on this computer): fix it first.');
      }
      // EmailEngine's Access Tokens > Create new (lib/ui-routes/admin-entities-routes.js, GET /admin/tokens/new).
      const url = `${base}/admin/tokens/new`;
      if (!deps.openExternal) return { opened: false, url };
      await deps.openExternal(url);
      return { opened: true, url };
    },
    'target:createConnectedApp': async ({ profileId, url, credentials, providerName }) => {
      const saved = deps.load(profileId);
      if (PUSH_TARGET_KIND[saved.profile.target ?? ''] !== 'frappe' || credentials.kind !== 'frappe') throw new AppError('target-profile-unsupported', 'Only Frappe has a Connected App the assistant can create.');
      let site: string;
      try {
        site = validateTargetUrl(url);
      } catch {
        throw new AppError('target-url-invalid', 'The Frappe site address is not a valid https address (http only on this computer). Nothing was sent.');
      }
      const origin = originOf(site);
      const inputs = saved.profile.targetInputs ?? {};
      const provider = providerName || inputs.providerName || 'Microsoft 365';
      const before = saved.targetConnection;
      const sameOrigin = !!before && originOf(before.url) === origin;
      // This connection's Connected App at this site (made before, or pasted): read back, never made twice.
      const existing = inputs.connectedAppName && (sameOrigin || originOf(inputs.baseUrl ?? '') === origin) ? inputs.connectedAppName : undefined;
      // A new site: the password kept for the old one is forgotten, never offered to the new one (as target:test).
      if (before && !sameOrigin) await forgetStoredKey(profileId);
      const login = FRAPPE_ADMIN;
      const connection: TargetConnection = { ...(sameOrigin ? before : {}), kind: 'frappe', url: site, login };
      // The same trust as the push's: the connection's CAs and the app's (a site behind a company CA, the emulator's in tests).
      const ca = deps.trust(profileId);
      // Nothing reaches the site before the person said yes (natively, in main): the write, and what it will receive.
      if (!(await deps.confirm(connectedAppQuestion(saved, connection, provider, existing)))) throw new AppError('target-declined', `You declined: nothing was sent to ${origin}.`);
      const r = await engine().createConnectedApp({ url: site, login, credentials, provider, ...(existing ? { existing } : {}), ...(ca.length ? { ca } : {}) });
      if (!r.ok) return r;
      // The password proved itself: kept in the vault for the push; the question named everything the push sends.
      await deps.vault.set(targetCredentialsKey(profileId), JSON.stringify(credentials));
      // The site as Frappe itself names it (get_url(), the start of the Redirect URI it shows): what the registration needs.
      const shownSite = originOf(r.value.redirectUri) ?? site;
      const now = deps.load(profileId);
      deps.save({
        ...now,
        profile: { ...now.profile, targetInputs: { ...(now.profile.targetInputs ?? {}), baseUrl: shownSite, connectedAppName: r.value.name, providerName: provider } },
        // What the assistant made there, read back: the Done card shows Frappe's "Start a Connected App" step as its work.
        targetConnection: { ...connection, approvedOrigin: origin!, approvedSends: ['key', 'secret', 'signIn'], connectedApp: { name: r.value.name, at: new Date().toISOString() } },
      });
      return { ok: true, value: { name: r.value.name, redirectUri: r.value.redirectUri, site: shownSite, created: r.value.created } };
    },
    'target:restorePlan': async ({ profileId }) => {
      const saved = deps.load(profileId);
      return { point: saved.targetConnection ? await storedPoint(profileId, saved.targetConnection) : null };
    },
    'target:restore': async ({ profileId, at }) => {
      const resolved = deps.resolve(profileId);
      const conn = connectionOf(resolved.saved);
      const point = await storedPoint(profileId, conn);
      // Only the restore point that was shown: a newer push in between changes what would be put back.
      if (!point || point.at !== at) throw new AppError('target-restore-unknown', 'These are not the values shown (a push ran since, or nothing is recorded). Nothing was written; look at what would be restored again.');
      const allowed = await allow(resolved, conn, ['key']);
      const r = await engine().restore(resolved, allowed, await credentialsOf(profileId), point, { onProgress: deps.emitProgress });
      if (r.ok && Object.values(r.value.readBack).every(Boolean)) await deps.vault.delete(vaultKeys.targetPrevious(profileId));
      return r;
    },
  };
}
