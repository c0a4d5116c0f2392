import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminPurpose, AdminSession, AdminSignInOutcome, SignInAppView } from '../../../../shared/ipc/registration';
import type { RegistrationProgress } from '../../../../shared/registration/types';
import type { SavedProfile } from '../../../../shared/saved-profile';
import { getApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import type { Draft, ProfilePatch } from '../../state/useWizard';

export type SignInApp = SignInAppView;

/** Who is signed in as administrator (main holds the token; the renderer knows only the account). */
export function useAdmin() {
  const api = getApi();
  const [admin, setAdmin] = useState<AdminSession | null>(null);
  const [signInApp, setSignInApp] = useState<SignInApp | null>(null);
  const [known, setKnown] = useState(false);

  const refresh = useCallback(async () => {
    const r = await api.registration.adminStatus();
    if (r.ok) {
      setAdmin(r.value.admin);
      setSignInApp(r.value.signInApp);
    }
    setKnown(true);
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  /** Signs an administrator in unless one already is with enough rights for `purpose`. */
  const ensure = useCallback(
    async (profileId: string, purpose: AdminPurpose): Promise<AdminSignInOutcome | { status: 'error'; message: string }> => {
      if (admin && (purpose === 'read' || admin.canWrite)) return { status: 'signed-in', admin };
      const r = await api.registration.adminSignIn({ profileId, purpose });
      if (!r.ok) return { status: 'error', message: r.error.message };
      if (r.value.status === 'signed-in') setAdmin(r.value.admin);
      return r.value;
    },
    [api, admin],
  );

  const signOut = useCallback(async () => {
    await api.registration.adminSignOut();
    setAdmin(null);
  }, [api]);

  return { admin, signInApp, known, ensure, signOut, refresh };
}

export interface ProgressRow {
  index: number;
  /** The step in words, as first reported ("Create its enterprise application"). */
  message: string;
  /** What it is waiting for right now ("Waiting for Microsoft Entra to replicate the new app, 14 s"). */
  note?: string;
  state: RegistrationProgress['state'];
}

/** The `registration:progress` stream as rows, one per plan step, and the latest message. */
export function useRegistrationProgress() {
  const api = getApi();
  const announce = useAnnounce();
  const [rows, setRows] = useState<ProgressRow[]>([]);
  const [latest, setLatest] = useState<RegistrationProgress | null>(null);
  const waiting = useRef(new Set<number>());
  useEffect(
    () =>
      api.on('registration:progress', (p) => {
        setLatest(p);
        if (p.stepCount === 0) return;
        // Screen readers hear each step finish or fail, and the first wait of a step (not every second of it).
        if (p.state === 'done' || p.state === 'failed') announce(p.message);
        else if (p.state === 'waiting' && !waiting.current.has(p.stepIndex)) {
          waiting.current.add(p.stepIndex);
          announce(p.message);
        }
        setRows((rs) => {
          const before = rs.find((r) => r.index === p.stepIndex);
          const next = rs.filter((r) => r.index !== p.stepIndex);
          if (p.state === 'waiting') next.push({ index: p.stepIndex, message: before?.message ?? p.message, state: 'waiting', note: p.message });
          else next.push({ index: p.stepIndex, message: p.state === 'failed' || !before ? p.message : before.message, state: p.state });
          return next.sort((a, b) => a.index - b.index);
        });
      }),
    [api, announce],
  );
  const reset = useCallback(() => {
    setRows([]);
    setLatest(null);
    waiting.current.clear();
  }, []);
  return { rows, latest, reset };
}

/** How a screen takes what main wrote into the saved connection (ids, tenant, expiry, the registration record). */
export type Adopt = (record: SavedProfile) => Promise<void>;

export function adoptPatch(record: SavedProfile): { patch: ProfilePatch; extra: Partial<Omit<Draft, 'profile' | 'id'>> } {
  const p = record.profile;
  const patch: ProfilePatch = {};
  if (p.clientId) patch.clientId = p.clientId;
  if (p.tenant) patch.tenant = p.tenant;
  if (p.secretExpires) patch.secretExpires = p.secretExpires;
  if (p.secretId) patch.secretId = p.secretId;
  if (p.clientSecret) patch.clientSecret = p.clientSecret;
  return { patch, extra: record.registration ? { registration: record.registration } : {} };
}
