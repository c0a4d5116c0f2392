import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProfileSummary } from '../../../shared/ipc/contract';
import type * as SavedProfileNs from '../../../shared/saved-profile';
import type { SavedProfile } from '../../../shared/saved-profile';
import { getApi } from '../api';
import type { StepId } from '../steps';

export type Draft = Omit<SavedProfile, 'updatedAt'> & { updatedAt?: string };
export type ProfilePatch = Partial<Draft['profile']>;

/*
 * shared/saved-profile carries the profile's zod schemas: kept out of the first screen's JavaScript
 * (issue 23). Loaded at the user's first move on Start (App prefetches it) and awaited where needed,
 * so that nothing reads it before it is there.
 */
type SavedProfileModule = typeof SavedProfileNs;
let savedProfile: SavedProfileModule | undefined;
let savedProfileLoad: Promise<SavedProfileModule> | undefined;
export const loadSavedProfile = (): Promise<SavedProfileModule> => (savedProfileLoad ??= import('../../../shared/saved-profile').then((m) => (savedProfile = m)));

/**
 * The wizard's state: which screen, and the connection being configured. Progress is saved as the
 * user goes: on every screen change and tick at once, and shortly after typing stops.
 */
export function useWizard(derive: (record: Draft) => ProfilePatch | Promise<ProfilePatch> = () => ({})) {
  const api = getApi();
  const [step, setStep] = useState<StepId>('start');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [hasSecret, setHasSecret] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const latest = useRef<Draft | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const persist = useCallback(
    async (record: Draft | null) => {
      clearTimeout(timer.current);
      if (!record) return;
      // Only the user fields go to main (it refuses anything else); main's own fields stay as main wrote them.
      const [{ userFieldsOf }, patch] = await Promise.all([loadSavedProfile(), derive(record)]);
      const result = await api.profiles.save(userFieldsOf({ ...record, profile: { ...record.profile, ...patch } }));
      if (result.ok) {
        setSaveError(null);
        setHasSecret(result.value.hasSecret);
      } else setSaveError(result.error.message);
    },
    [api, derive],
  );

  const replace = useCallback((next: Draft | null) => {
    latest.current = next;
    setDraft(next);
  }, []);

  const go = useCallback(
    async (next: StepId) => {
      setStep(next);
      const record = latest.current;
      if (record && next !== 'start') {
        const updated = { ...record, wizard: { ...record.wizard, step: next } };
        replace(updated);
        await persist(updated);
      } else if (record) await persist(record);
    },
    [persist, replace],
  );

  const update = useCallback(
    (patch: ProfilePatch, extra: Partial<Omit<Draft, 'profile' | 'id'>> = {}) => {
      const record = latest.current;
      if (!record) return;
      const updated: Draft = { ...record, ...extra, profile: { ...record.profile, ...patch } };
      replace(updated);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void persist(latest.current), 400);
    },
    [persist, replace],
  );

  const saveNow = useCallback(async (extra: Partial<Omit<Draft, 'profile' | 'id'>>) => {
    const record = latest.current;
    if (!record) return;
    const updated = { ...record, ...extra };
    replace(updated);
    await persist(updated);
  }, [persist, replace]);

  const setTicks = useCallback(
    async (ticks: string[]) => {
      const record = latest.current;
      if (!record) return;
      const updated = { ...record, wizard: { ...record.wizard, ticks } };
      replace(updated);
      await persist(updated);
    },
    [persist, replace],
  );

  /** Starts a new connection for a target, or switches the target of the current one. */
  const chooseTarget = useCallback(
    (targetId: string, displayName: string) => {
      const record = latest.current;
      if (record) {
        if (record.profile.target !== targetId) replace({ ...record, profile: { ...record.profile, target: targetId, targetInputs: {} }, wizard: { ...record.wizard, ticks: [] } });
        return;
      }
      const fresh = ({ newProfileId }: SavedProfileModule): Draft => ({ id: newProfileId(displayName), profile: { name: '', target: targetId, targetInputs: {}, cloud: 'global', clientSecret: { source: 'ask' } }, wizard: { step: 'system', ticks: [] } });
      setHasSecret(false);
      // Loaded long before in practice (the user moved to get here); if not, the draft follows a moment later.
      if (savedProfile) replace(fresh(savedProfile));
      else void loadSavedProfile().then((m) => !latest.current && replace(fresh(m)));
    },
    [replace],
  );

  const open = useCallback(
    (summary: ProfileSummary) => {
      replace(summary.record);
      setHasSecret(summary.hasSecret);
      setStep(summary.record.wizard.step === 'start' ? 'system' : summary.record.wizard.step);
    },
    [replace],
  );

  const startNew = useCallback(() => {
    replace(null);
    setHasSecret(false);
    setStep('system');
  }, [replace]);

  /**
   * A new connection for a system chosen on Start (its tile): straight to Details, the system already
   * chosen; one click instead of New connection + pick + Next (issue 19). "Change the system" is Back.
   */
  const startWith = useCallback(
    async (targetId: string, displayName: string) => {
      const { newProfileId } = await loadSavedProfile();
      const fresh: Draft = { id: newProfileId(displayName), profile: { name: '', target: targetId, targetInputs: {}, cloud: 'global', clientSecret: { source: 'ask' } }, wizard: { step: 'details', ticks: [] } };
      setHasSecret(false);
      replace(fresh);
      setStep('details');
      await persist(fresh);
    },
    [persist, replace],
  );

  const home = useCallback(async () => {
    await persist(latest.current);
    replace(null);
    setStep('start');
  }, [persist, replace]);

  /** Takes what main wrote into the record (the last check run) so the next save keeps it. */
  const refresh = useCallback(async () => {
    const record = latest.current;
    if (!record) return;
    const result = await api.profiles.list();
    const stored = result.ok ? result.value.find((s) => s.record.id === record.id) : undefined;
    const current = latest.current;
    if (stored && current && current.id === record.id) {
      replace({ ...current, ...(stored.record.lastRun ? { lastRun: stored.record.lastRun } : {}) });
      setHasSecret(stored.hasSecret);
    }
  }, [api, replace]);

  // Main announces what it wrote (registration, rotation, target connection, last run, sign-in): shown, never sent back.
  useEffect(
    () =>
      api.on('connections:changed', ({ record: stored }) => {
        const take = ({ MAIN_FIELDS, MAIN_PROFILE_FIELDS }: SavedProfileModule) => {
          const current = latest.current;
          if (!current || current.id !== stored.id) return;
          const main: Partial<Draft> = {};
          for (const k of MAIN_FIELDS) (main as Record<string, unknown>)[k] = stored[k];
          const profile: Record<string, unknown> = { ...current.profile };
          for (const k of MAIN_PROFILE_FIELDS) profile[k] = stored.profile[k];
          replace({ ...current, ...main, profile: profile as Draft['profile'] });
        };
        if (savedProfile) take(savedProfile);
        else void loadSavedProfile().then(take);
      }),
    [api, replace],
  );

  useEffect(() => () => clearTimeout(timer.current), []);

  return { step, draft, hasSecret, setHasSecret, saveError, go, update, saveNow, setTicks, chooseTarget, open, startNew, startWith, home, refresh };
}

export type Wizard = ReturnType<typeof useWizard>;
