/**
 * EmailEngine through its REST API (postalsys/emailengine: lib/api-routes/oauth2-app-routes.js,
 * account-routes.js, stats-routes.js; field rules from lib/schemas.js). Bearer access token.
 */
import { createContext, getTarget } from '../../../shared/catalogue';
import { emailEngineOAuth2Body, emailEngineProvider, TargetProfileError } from '../../../shared/catalogue/targets/emailengine';
import { fingerprint } from './connection';
import { TargetError } from './errors';
import { jsonOf, targetRequest, TargetNetError, unreachable, type TargetHttpResponse } from './http';
import { SECRET_SHOWN, type PlanItem, type PushPlan, type TargetClient, type TargetContextInput, type TargetTestResult } from './types';

interface EeApp {
  id: string;
  name?: string;
  provider?: string;
  enabled?: boolean;
  clientId?: string;
  authority?: string;
  cloud?: string;
  redirectUrl?: string;
  baseScopes?: string;
}
interface EeAccount {
  account: string;
  state?: string;
  email?: string;
  oauth2?: { provider?: string; auth?: { user?: string } };
  lastError?: { response?: string; serverResponseCode?: string; tokenRequest?: { status?: number; response?: { error?: string; error_description?: string } } } | null;
}

const CONNECTED = ['connected', 'syncing'];
/** Fields of POST /v1/oauth2 that PUT /v1/oauth2/{app} refuses (UpdateOAuthApp). */
export const CREATE_ONLY = ['provider', 'baseScopes'];
const ERRORED = ['authenticationError', 'connectError'];

/** EmailEngine's account id for a mailbox: readable, stable, so a second push finds it. */
export function emailEngineAccountId(mailbox: string): string {
  return mailbox.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function emailEngineClient(c: TargetContextInput): TargetClient {
  const base = c.connection.url;
  const token = c.credentials.kind === 'emailengine' ? c.credentials.accessToken : '';
  const host = new URL(base).host;

  const call = async (method: string, path: string, body?: unknown): Promise<{ r: TargetHttpResponse; json: unknown }> => {
    let r: TargetHttpResponse;
    try {
      r = await targetRequest(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }, { ...(c.profile.caCerts ? { ca: c.profile.caCerts } : {}), timeoutMs: c.timeoutMs, ...(c.signal ? { signal: c.signal } : {}) });
    } catch (e) {
      if (e instanceof TargetNetError) throw unreachable(e, host);
      throw e;
    }
    const json = jsonOf(r);
    if (r.status >= 400) throw problem(r, json, path);
    return { r, json };
  };

  /** EmailEngine's Boom errors: {statusCode, error, message, fields?: [{message, key}]}. */
  const problem = (r: TargetHttpResponse, json: unknown, path: string): TargetError => {
    const j = (json ?? {}) as { message?: string; error?: string; fields?: { message: string; key: string }[] };
    const text = [j.message ?? j.error ?? `HTTP ${r.status}`, ...(j.fields ?? []).map((f) => f.message)].join(': ');
    // EmailEngine answers errors as Boom payloads ({statusCode, error, message}); anything else is another server.
    if (json === undefined || typeof (json as { statusCode?: unknown }).statusCode !== 'number') return new TargetError('target-not-recognised', `HTTP ${r.status} from ${path} (not EmailEngine's API)`, host, r.status);
    if (r.status === 401) return new TargetError('target-bad-credentials', text, host, 401);
    if (r.status === 403) return new TargetError('target-insufficient-rights', text, host, 403);
    if (r.status === 400) return new TargetError('target-validation', text, host, 400);
    if (r.status === 404 && path === '/v1/stats') return new TargetError('target-not-recognised', text, host, 404);
    return new TargetError('target-validation', text, host, r.status);
  };

  const target = getTarget(c.profile.target);
  const ctx = () => createContext(target, c.profile, c.clientSecret ?? '');
  const desiredApp = (): Record<string, unknown> => {
    try {
      return emailEngineOAuth2Body(ctx());
    } catch (e) {
      if (e instanceof TargetProfileError) throw new TargetError('target-profile-unsupported', e.message);
      throw e;
    }
  };
  const accountId = emailEngineAccountId(c.profile.mailbox);
  const isService = () => emailEngineProvider(ctx()) === 'outlookService';

  const findApp = async (): Promise<EeApp | undefined> => {
    const { json } = await call('GET', '/v1/oauth2?pageSize=1000');
    const apps = ((json as { apps?: EeApp[] })?.apps ?? []) as EeApp[];
    const want = desiredApp();
    // baseScopes is fixed when the app is created (UpdateOAuthApp refuses it): an app with other base scopes is another app.
    return apps.find((a) => a.provider === want.provider && a.clientId === c.profile.clientId && (want.baseScopes === undefined || (a.baseScopes ?? 'imap') === want.baseScopes));
  };
  const getAccount = async (): Promise<EeAccount | undefined> => {
    try {
      return (await call('GET', `/v1/account/${encodeURIComponent(accountId)}`)).json as EeAccount;
    } catch (e) {
      if (e instanceof TargetError && e.status === 404) return undefined;
      throw e;
    }
  };

  /**
   * The PUT body: EmailEngine's UpdateOAuthApp (lib/api-routes/oauth2-app-routes.js) takes no
   * `provider` and no `baseScopes` (both fixed at creation; `"baseScopes" is not allowed`).
   */
  const updateBody = (want: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(want).filter(([k]) => !CREATE_ONLY.includes(k)));
  const APP_FIELDS = ['name', 'provider', 'enabled', 'clientId', 'authority', 'cloud', 'redirectUrl', 'baseScopes'] as const;
  const shown = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).map(([k, v]) => [k, k === 'clientSecret' ? SECRET_SHOWN : String(v)]));
  const secretPrint = () => fingerprint(`${c.profile.clientId}:${c.clientSecret ?? ''}`);

  return {
    async test(): Promise<TargetTestResult> {
      const { json } = await call('GET', '/v1/stats');
      const version = (json as { version?: string })?.version;
      if (!version) throw new TargetError('target-not-recognised', '/v1/stats answered without a version', host);
      const [major, minor] = version.split('.').map(Number);
      const notes: string[] = [];
      if ((major ?? 0) < 2) throw new TargetError('target-version-unsupported', `EmailEngine ${version} (2.x needed)`, host);
      if (isService() && (major === 2 && (minor ?? 0) < 61)) notes.push(`EmailEngine ${version} may predate the "Outlook (application)" app type.`);
      return { ok: true, version: `EmailEngine ${version}`, notes };
    },

    async plan(): Promise<PushPlan> {
      const version = (await this.test()).version;
      const want = desiredApp();
      const items: PlanItem[] = [];
      const app = await findApp();
      const sameSecret = await c.fingerprints.matches('emailengine-app-secret', secretPrint());
      const changedApp = app ? APP_FIELDS.filter((k) => k in want && String(app[k] ?? '') !== String(want[k] ?? '')) : [...Object.keys(want)];
      if (app && !sameSecret) changedApp.push('clientSecret');
      // What an update overwrites, for "Restore the previous values": never the secret (EmailEngine does not show it back).
      const previous = app ? Object.fromEntries(changedApp.filter((k) => k !== 'clientSecret' && !CREATE_ONLY.includes(k)).map((k) => [k, (app[k as keyof EeApp] ?? null) as string | boolean | null])) : {};
      items.push({
        id: 'oauth2-app',
        action: !app ? 'create' : changedApp.length ? 'update' : 'unchanged',
        what: `OAuth2 application "${String(want.name)}" (${String(want.provider)})`,
        where: app ? `PUT /v1/oauth2/${app.id}` : 'POST /v1/oauth2',
        fields: shown(want),
        changed: changedApp,
        ...(app ? { ref: app.id } : {}),
        ...(Object.keys(previous).length ? { previous } : {}),
      });
      const acct = await getAccount();
      const button = isService() || c.refreshToken ? undefined : 'Add account, then Sign in with Microsoft (as the mailbox user)';
      const accountFields: Record<string, string> = { account: accountId, name: c.profile.mailbox, email: c.profile.mailbox, 'oauth2.provider': app ? app.id : '(the app above)', 'oauth2.auth.user': c.profile.mailbox };
      if (!isService()) accountFields['oauth2.refreshToken'] = SECRET_SHOWN;
      const sameAccount = acct && acct.oauth2?.provider === app?.id && acct.oauth2?.auth?.user?.toLowerCase() === c.profile.mailbox.toLowerCase();
      const healthy = sameAccount && CONNECTED.includes(acct?.state ?? '');
      if (button && !healthy) items.push({ id: 'account', action: 'skip', what: `Account ${c.profile.mailbox}`, where: 'POST /v1/account', fields: accountFields, changed: [], note: 'No refresh token of the proving sign-in is available to hand over.' });
      else
        items.push({
          id: 'account',
          action: !acct ? 'create' : healthy ? 'unchanged' : 'update',
          what: `Account ${c.profile.mailbox}`,
          where: 'POST /v1/account',
          fields: accountFields,
          changed: !acct ? Object.keys(accountFields) : healthy ? [] : ['oauth2'],
          ...(healthy ? { note: `EmailEngine already has this mailbox ${acct?.state}: its sign-in is kept.` } : {}),
        });
      const upToDate = items.every((i) => i.action === 'unchanged');
      return { target: 'EmailEngine', version, items, upToDate, ...(button && !healthy ? { button } : {}), notes: [] };
    },

    async restore(point, onProgress) {
      await this.test();
      const restored: string[] = [];
      const readBack: Record<string, boolean> = {};
      for (const item of point.items) {
        if (item.id !== 'oauth2-app' || !item.ref) continue;
        const body = Object.fromEntries(Object.entries(item.values).filter(([k, v]) => !CREATE_ONLY.includes(k) && k !== 'clientSecret' && v !== null));
        if (!Object.keys(body).length) continue;
        onProgress('Putting back the OAuth2 application’s previous values in EmailEngine…');
        await call('PUT', `/v1/oauth2/${encodeURIComponent(item.ref)}`, body);
        restored.push(item.id);
        const back = (await call('GET', `/v1/oauth2/${encodeURIComponent(item.ref)}`)).json as EeApp;
        readBack[item.id] = Object.entries(body).every(([k, v]) => String(back[k as keyof EeApp] ?? '') === String(v));
      }
      return { restored, readBack };
    },

    async apply(plan, onProgress) {
      const applied: string[] = [];
      const readBack: Record<string, boolean> = {};
      const want = desiredApp();
      let app = await findApp();
      const appItem = plan.items.find((i) => i.id === 'oauth2-app')!;
      if (appItem.action === 'create') {
        onProgress('Creating the OAuth2 application in EmailEngine…');
        const { json } = await call('POST', '/v1/oauth2', want);
        app = { id: String((json as { id?: string }).id), ...want } as EeApp;
        applied.push('oauth2-app');
      } else if (appItem.action === 'update' && app) {
        onProgress('Updating the OAuth2 application in EmailEngine…');
        const update = updateBody(want);
        await call('PUT', `/v1/oauth2/${encodeURIComponent(app.id)}`, update);
        applied.push('oauth2-app');
      }
      if (!app) throw new TargetError('target-validation', 'EmailEngine did not return the OAuth2 application id', host);
      await c.fingerprints.set('emailengine-app-secret', secretPrint());
      const back = (await call('GET', `/v1/oauth2/${encodeURIComponent(app.id)}`)).json as EeApp;
      readBack['oauth2-app'] = APP_FIELDS.every((k) => !(k in want) || String(back[k] ?? '') === String(want[k] ?? ''));

      const accountItem = plan.items.find((i) => i.id === 'account')!;
      if (accountItem.action === 'create' || accountItem.action === 'update') {
        onProgress(`Registering ${c.profile.mailbox} in EmailEngine…`);
        const oauth2: Record<string, unknown> = { provider: app.id, auth: { user: c.profile.mailbox } };
        if (!isService()) oauth2.refreshToken = c.refreshToken;
        await call('POST', '/v1/account', { account: accountId, name: c.profile.mailbox, email: c.profile.mailbox, oauth2 });
        applied.push('account');
      }
      const targetTest = { ran: false, passed: false, detail: [] as string[] };
      if (accountItem.action !== 'skip') {
        // EmailEngine connects in the background: wait (bounded) for the account's state.
        onProgress(`Waiting for EmailEngine to connect ${c.profile.mailbox}…`);
        targetTest.ran = true;
        const deadline = Date.now() + c.settleMs;
        let acct = await getAccount();
        while (acct && !CONNECTED.includes(acct.state ?? '') && !ERRORED.includes(acct.state ?? '') && Date.now() < deadline) {
          await c.clock.sleep(250, c.signal);
          acct = await getAccount();
        }
        readBack.account = !!acct && acct.oauth2?.provider === app.id && acct.oauth2?.auth?.user?.toLowerCase() === c.profile.mailbox.toLowerCase();
        targetTest.passed = CONNECTED.includes(acct?.state ?? '');
        targetTest.detail.push(`Account state: ${acct?.state ?? 'missing'}`);
        if (!targetTest.passed) {
          const e = acct?.lastError;
          const words = e?.tokenRequest?.response?.error_description ?? e?.response ?? `the account stayed "${acct?.state ?? 'missing'}" for ${Math.round(c.settleMs / 1000)} s`;
          throw Object.assign(new TargetError('target-test-failed', `EmailEngine account ${acct?.state ?? 'missing'}: ${words}`, host), { partial: { applied, readBack, targetTest } });
        }
      }
      return { status: accountItem.action === 'skip' ? 'partial' : 'configured', applied, readBack, targetTest, ...(plan.button ? { button: plan.button } : {}) };
    },
  };
}
