import type { CheckRun } from '../../shared/checks';
import { diagnose } from '../../shared/diagnosis';
import type { SignInOutcome } from '../../shared/ipc/contract';
import type { ResolvedConnection } from '../app/resolve-connection';
import { acquireToken, EngineError, runChecks, signIn, signOut, type AuthWindow, type Clock, type EngineDeps, type SecretVault } from '../engine';
import { systemClock, type SystemBrowser } from '../engine/ports';
import { watchReach } from '../engine/reach-watch';
import { CHECK_LABELS, type CheckId } from '../../shared/checks';
import { exportProfile } from '../engine/export';
import { ExportError } from '../engine/export/types';
import { AppError } from './dispatch';
import type { EngineFacade } from './handlers';
import { createRegistrationFacade } from './registration-facade';
import { createTargetFacade } from './target-facade';
import { createInventoryEngine } from './inventory-handlers';

/**
 * Builds the engine facade the IPC handlers use, from the engine (electron/engine) and the ports.
 * Shared by main.ts (Electron adapters) and the e2e test host (a Playwright page as the sign-in
 * window, the emulator's CA), so both run the same composition.
 */
export interface EnginePorts {
  authWindow: AuthWindow;
  /** The person's own browser, for the administrator's sign-in with a loopback redirect (RFC 8252); absent: the embedded window only. */
  systemBrowser?: SystemBrowser;
  vault: SecretVault;
  now: () => Date;
  /** What administrator operations sleep on while they wait out replication lag or throttling (default: the system clock; tests: the emulator's). */
  clock?: Clock;
  /** Per-check time bounds (ms); defaults from shared/checks. */
  checkTimeoutMs?: number;
  signInTimeoutMs?: number;
  /** The public client administrators sign in to (default Microsoft Graph Command Line Tools; REGISTRATION-FACTS.md 1). */
  adminClientId?: string | (() => string | undefined);
}

/**
 * Every method takes the connection as resolved for the operation (electron/app/resolve-connection.ts):
 * the engine profile, the redirect URI, the checks, the endpoints, CAs and proxy are used as given,
 * never derived again here.
 */
/**
 * The profile the checks judge. App-only Graph mail is scoped to the mailbox unless the connection recorded that
 * every mailbox was chosen (issue 19: the portal checklist, the script and Create it for me all scope by default),
 * so a token without Entra mail roles is right and the mailbox checks are the proof. Only the token check reads it.
 */
export function checkedProfile(conn: Pick<ResolvedConnection, 'profile' | 'saved'>): ResolvedConnection['profile'] {
  const p = conn.profile;
  if (p.flow !== 'app-only' || p.api !== 'graph' || p.mailboxScope) return p;
  return { ...p, mailboxScope: conn.saved.registration?.mailboxScope ?? 'exchange-rbac' };
}

/** What the watch for the Exchange step may run: nothing that sends (the SMTP check and the round trip send a message). */
const READ_ONLY_LOOK = new Set<CheckId>(['network', 'token', 'graph', 'imap']);

export function createEngineFacade(ports: EnginePorts): EngineFacade {
  const lastRuns = new Map<string, CheckRun>();
  const deps = (conn: ResolvedConnection, secret: string | undefined): EngineDeps => ({
    vault: ports.vault,
    authWindow: ports.authWindow,
    net: conn.net,
    ...(secret ? { clientSecret: secret } : {}),
  });

  return {
    registration: createRegistrationFacade(ports),
    target: createTargetFacade(ports),
    inventory: createInventoryEngine(ports),

    async signIn(conn, secret, { signal, onProgress }): Promise<SignInOutcome> {
      const { profile, redirectUri } = conn;
      const mailbox = profile.mailbox.toLowerCase();
      try {
        if (profile.flow === 'app-only') {
          onProgress('Asking Microsoft Entra for an app-only token (client credentials)…');
          const token = await acquireToken(profile, deps(conn, secret), { signal, timeoutMs: ports.signInTimeoutMs ?? 30_000 });
          return { status: 'signed-in', account: `App ${token.info.appId ?? profile.clientId}`, tenantId: token.info.tenantId ?? null, matchesMailbox: true, scopes: token.info.roles ?? token.info.scopes ?? [] };
        }
        onProgress('Opening the Microsoft sign-in window…');
        const result = await signIn(profile, deps(conn, secret), { signal, timeoutMs: ports.signInTimeoutMs ?? 300_000, ...(redirectUri ? { redirectUri } : {}) });
        const account = result.account;
        const matchesMailbox = account.toLowerCase() === mailbox;
        const outcome: SignInOutcome = { status: 'signed-in', account, tenantId: result.token.info.tenantId ?? null, matchesMailbox, scopes: result.token.info.scopes ?? [] };
        if (!matchesMailbox) {
          outcome.diagnosis = diagnose(new EngineError('signed-in-wrong-account', `signed in as ${account}, the mailbox is ${profile.mailbox}`), {
            profile,
            check: 'token',
            signedInAs: account,
            ...(secret ? { secretValue: secret } : {}),
          });
        }
        return outcome;
      } catch (error) {
        if (error instanceof EngineError && error.hint === 'sign-in-cancelled') {
          return { status: 'cancelled', reason: /within|timed? ?out/i.test(error.message) ? 'timeout' : 'closed' };
        }
        return { status: 'failed', diagnosis: diagnose(error, { profile, check: 'token', ...(secret ? { secretValue: secret } : {}) }) };
      }
    },

    async signOut(conn) {
      await signOut(conn.profile, deps(conn, undefined));
    },

    async runChecks(conn, secret, { only, signal, onProgress }) {
      // The catalogue's checks for this connection, unless the person asked for some of them.
      const run = await runChecks(checkedProfile(conn), deps(conn, secret), {
        only: only?.length ? only : conn.checks,
        ...(ports.checkTimeoutMs ? { timeouts: ports.checkTimeoutMs } : {}),
        signal,
        onProgress,
      });
      lastRuns.set(conn.id, run);
      return run;
    },

    async watchExchange(conn, secret, { signal, onProgress, limitMs }) {
      // The connection's own checks that only look: the network, the token and the mailbox read (Graph or IMAP), read only.
      const only = conn.checks.filter((c): c is CheckId => READ_ONLY_LOOK.has(c));
      if (conn.profile.flow !== 'app-only' || !only.some((c) => c === 'graph' || c === 'imap')) throw new AppError('watch-not-applicable', conn.profile.flow !== 'app-only' ? 'only an app-only connection waits for the Exchange step' : 'this connection only sends, and looking would send a message');
      return watchReach({
        clock: ports.clock ?? systemClock,
        signal,
        ...(onProgress ? { onProgress } : {}),
        ...(limitMs ? { limitMs } : {}),
        look: async (s) => {
          const run = await runChecks(checkedProfile(conn), deps(conn, secret), { only, readOnly: true, signal: s, ...(ports.checkTimeoutMs ? { timeouts: ports.checkTimeoutMs } : {}) });
          const failing = run.results.filter((r) => r.status !== 'passed').map((r) => CHECK_LABELS[r.id].title);
          return { reached: run.results.length > 0 && failing.length === 0, failing };
        },
      });
    },

    async makeExport(conn, secret, format, includeSecret) {
      // The connection as it defines itself: the app's trusted CAs are not part of what is exported.
      const profile = conn.ownProfile;
      const saved = conn.saved;
      try {
        const run = lastRuns.get(conn.id);
        // The mail reach the checks judge (checkedProfile), so the report says what the tenant really allows.
        const mailboxScope = checkedProfile(conn).mailboxScope;
        const file = exportProfile(profile, format, { includeSecret, now: ports.now(), ...(secret ? { secretValue: secret } : {}), ...(run ? { checkRun: run } : {}), ...(saved.registration ? { registration: saved.registration } : {}), ...(mailboxScope ? { mailboxScope } : {}) });
        return { format, ...file };
      } catch (error) {
        if (error instanceof ExportError) throw new AppError(`export-${error.code}`, error.message);
        throw error;
      }
    },
  };
}
