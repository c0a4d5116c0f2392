import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminPurpose, AdminSession, AdminSignInOutcome, AdminSignInVia, SignInAppView } from '../../../../shared/ipc/registration';
import type { RegistrationProgress } from '../../../../shared/registration/types';
import type { SavedProfile } from '../../../../shared/saved-profile';
import { getApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import type { Draft, ProfilePatch } from '../../state/useWizard';

export type SignInApp = SignInAppView;

type EnsureOutcome = AdminSignInOutcome | { status: 'error'; message: string };

/**
 * Who is signed in as administrator (main holds the token; the renderer knows only the account), and the
 * sign-in itself: in the person's own browser when this host has one (a browser already signed in to
 * Microsoft 365 only asks to pick the account; RFC 8252 loopback redirect in main), else in the embedded
 * window. While the browser sign-in waits, `waiting` is 'browser' and `switchToWindow()` switches to the
 * embedded window (main cancels the browser's wait when the window's sign-in starts).
 */
export function useAdmin() {
  const api = getApi();
  const [admin, setAdmin] = useState<AdminSession | null>(null);
  const [signInApp, setSignInApp] = useState<SignInApp | null>(null);
  const [systemBrowser, setSystemBrowser] = useState(false);
  const [known, setKnown] = useState(false);
  const [waiting, setWaiting] = useState<AdminSignInVia | null>(null);
  const pending = useRef<{ profileId: string; purpose: AdminPurpose } | null>(null);
  const fallback = useRef<Promise<EnsureOutcome> | null>(null);

  const refresh = useCallback(async () => {
    const r = await api.registration.adminStatus();
    if (r.ok) {
      setAdmin(r.value.admin);
      setSignInApp(r.value.signInApp);
      setSystemBrowser(r.value.systemBrowser);
    }
    setKnown(true);
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const call = useCallback(
    async (profileId: string, purpose: AdminPurpose, via: AdminSignInVia): Promise<EnsureOutcome> => {
      const r = await api.registration.adminSignIn({ profileId, purpose, via });
      if (!r.ok) return { status: 'error', message: r.error.message };
      if (r.value.status === 'signed-in') setAdmin(r.value.admin);
      return r.value;
    },
    [api],
  );

  /**
   * Signs an administrator in unless one already is with enough rights for `purpose`. `only: 'window'`
   * where the screen shows no "Continue in your browser" state (it would wait with nothing on screen).
   */
  const ensure = useCallback(
    async (profileId: string, purpose: AdminPurpose, only?: 'window'): Promise<EnsureOutcome> => {
      if (admin && (purpose === 'read' || admin.canWrite)) return { status: 'signed-in', admin };
      const via: AdminSignInVia = systemBrowser && only !== 'window' ? 'browser' : 'window';
      pending.current = { profileId, purpose };
      fallback.current = null;
      setWaiting(via);
      try {
        let r = await call(profileId, purpose, via);
        // "Use the built-in window instead": the browser's wait ended as cancelled; the window's sign-in answers.
        while (r.status === 'cancelled' && fallback.current) {
          const next: Promise<EnsureOutcome> = fallback.current;
          fallback.current = null;
          r = await next;
        }
        return r;
      } finally {
        pending.current = null;
        setWaiting(null);
      }
    },
    [admin, systemBrowser, call],
  );

  /** While the browser sign-in waits: the embedded window instead (the fallback; e.g. no Microsoft session in that browser). */
  const switchToWindow = useCallback(() => {
    const p = pending.current;
    if (!p || fallback.current) return;
    setWaiting('window');
    fallback.current = call(p.profileId, p.purpose, 'window');
  }, [call]);

  const signOut = useCallback(async () => {
    await api.registration.adminSignOut();
    setAdmin(null);
  }, [api]);

  return { admin, signInApp, systemBrowser, known, waiting, ensure, switchToWindow, signOut, refresh };
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
