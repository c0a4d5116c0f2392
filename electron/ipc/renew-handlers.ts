import { diagnose, type Diagnosis, type DiagnosisCode } from '../../shared/diagnosis';
import type { CheckRun } from '../../shared/checks';
import type { Profile } from '../../shared/profile';
import type { SavedProfile } from '../../shared/saved-profile';
import type { ResolvedConnection } from '../app/resolve-connection';
import { pendingSecretKey } from '../engine/keepalive/renew';
import { RotationError } from '../engine/keepalive/rotate';
import { diagnoseRegistrationError } from '../engine/registration';
import { AppError, type Handler } from './dispatch';
import type { SecretStore } from './handlers';
import type { ClipboardPort, Confirm } from './hardening-handlers';
import type { RegistrationEngine } from './registration-handlers';
import { createSecretCopyHandler } from './secret-copy-handler';
import { renewFinishQuestion, renewStartQuestion } from '../app/confirmations';

/**
 * Renew secret in the app (issue 12, item 2), over the rotation engine (electron/engine/keepalive/renew.ts):
 *   renew:start  adds a new secret with the administrator's session, records the renewal in the saved
 *                connection the moment the secret exists (an interruption leaves both valid, the old one
 *                current), proves the new Value with the connection's own checks; run again, it resumes.
 *   renew:copy   the new Value to the clipboard from main, after a native confirmation.
 *   renew:finish only with the person's confirmation: the new Value becomes current, the old secret is
 *                removed from the registration and read back.
 * The Value never leaves main: not in an answer, an error text or the saved connection.
 */
export interface RenewHandlerDeps {
  load(id: string): SavedProfile;
  /** The connection resolved for one operation, the endpoint policy enforced. */
  resolve(id: string): ResolvedConnection;
  save(record: SavedProfile): SavedProfile;
  secretKey(profileId: string): string;
  secrets: SecretStore;
  engine: RegistrationEngine;
  /** The connection's checks with this secret Value (streams checks:progress); resolves the connection for that run. */
  runChecks(profileId: string, secret: string): Promise<CheckRun>;
  confirm: Confirm;
  clipboard: ClipboardPort;
}

const CODES: Record<RotationError['code'], DiagnosisCode> = {
  'app-not-found': 'registration-app-missing',
  'no-rotation': 'rotation-none-open',
  'not-proved': 'rotation-not-proved',
  'not-confirmed': 'rotation-not-confirmed',
  'old-still-there': 'rotation-old-still-there',
  'new-missing': 'rotation-new-missing',
};

export function createRenewHandlers(deps: RenewHandlerDeps): { 'renew:start': Handler<'renew:start'>; 'renew:finish': Handler<'renew:finish'>; 'renew:copy': Handler<'renew:copy'> } {
  const failure = (e: unknown, saved: SavedProfile, secrets: string[]): Diagnosis => {
    if (e instanceof AppError) throw e;
    if (e instanceof RotationError) return diagnose({ source: 'graph', text: e.message, hint: CODES[e.code] }, { profile: saved.profile, secrets });
    return diagnoseRegistrationError(e, saved.profile, { secrets });
  };
  /** The saved connection with the engine's rotation fields (and nothing else) taken over. */
  const keep = (id: string, p: Profile): SavedProfile => {
    const fresh = deps.load(id);
    const { rotation: _old, ...rest } = fresh.profile;
    return deps.save({
      ...fresh,
      profile: { ...rest, ...(p.rotation ? { rotation: p.rotation } : {}), ...(p.secretId ? { secretId: p.secretId } : {}), ...(p.secretExpires ? { secretExpires: p.secretExpires } : {}) },
      ...(fresh.registration && p.secretId && !p.rotation ? { registration: { ...fresh.registration, secretKeyId: p.secretId } } : {}),
    });
  };

  return {
    'renew:start': async ({ profileId, months }) => {
      const conn = deps.resolve(profileId);
      const saved = conn.saved;
      // A new secret is a write to the tenant: main asks (an open renewal resumes without adding another).
      if (!saved.profile.rotation && !(await deps.confirm(renewStartQuestion(saved, months)))) {
        throw new AppError('renewal-declined', 'You declined: no secret was added. The current secret keeps working.');
      }
      const vaultKey = deps.secretKey(profileId);
      const seen: string[] = [];
      try {
        const r = await deps.engine.renewStart(conn, {
          vaultKey,
          months,
          onAdded: async (p) => void keep(profileId, p),
          prove: async (_p, secret) => {
            seen.push(secret);
            return deps.runChecks(profileId, secret);
          },
        });
        const record = keep(profileId, r.profile);
        const notProved = () => diagnose({ source: 'internal', text: '', hint: 'rotation-not-proved' }, { profile: saved.profile });
        if (!r.run) return { status: 'failed', diagnosis: notProved(), record };
        if (r.proved) return { status: 'proved', summary: r.summary, run: r.run, record };
        return { status: 'not-proved', summary: r.summary, run: r.run, diagnosis: notProved(), record };
      } catch (e) {
        return { status: 'failed', diagnosis: failure(e, saved, seen), record: deps.load(profileId) };
      }
    },

    'renew:finish': async ({ profileId }) => {
      const conn = deps.resolve(profileId);
      const saved = conn.saved;
      // The page's `confirmed: true` is not the answer: removing the old secret is asked natively, by main.
      if (saved.profile.rotation && !(await deps.confirm(renewFinishQuestion(saved)))) {
        throw new AppError('renewal-declined', 'You declined: the old secret was not removed, and both still work.');
      }
      try {
        const r = await deps.engine.renewFinish(conn, { vaultKey: deps.secretKey(profileId), confirmed: saved.profile.rotation !== undefined });
        const record = keep(profileId, r.profile);
        return { status: 'finished', summary: r.summary, ...(r.removedKeyId ? { removedKeyId: r.removedKeyId } : {}), record };
      } catch (e) {
        return { status: 'failed', diagnosis: failure(e, saved, []), record: deps.load(profileId) };
      }
    },

    // The same request and answer as secret:copy ({profileId} → copied / reason), for the renewal's new Value.
    'renew:copy': createSecretCopyHandler({ load: deps.load, secretKey: (id) => pendingSecretKey(deps.secretKey(id)), secrets: deps.secrets, confirm: deps.confirm, clipboard: deps.clipboard, what: 'the new client secret' }) as unknown as Handler<'renew:copy'>,
  };
}
