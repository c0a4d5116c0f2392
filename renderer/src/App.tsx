import { Suspense, useEffect, useState } from 'react';
import type { CheckResult } from '../../shared/checks';
import { AnnouncerProvider } from './components/Announcer';
import { WizardShell } from './components/WizardShell';
import { Start } from './screens/Start';
import { loaders } from './screens/loaders';
import { loadSavedProfile, useWizard, type Draft } from './state/useWizard';
import type * as FlowNs from './Flow';
import { WIZARD_STEPS, type StepId } from './steps';

/*
 * The first screen (Start) is in the first chunk, without the target catalogue and zod (issue 23): what
 * needs them (./Flow: the later screens' wiring, the flow/API saved with a profile, the sidebar's hints)
 * is its own chunk, and every later screen is its own chunk too, loaded when the wizard reaches it and
 * fetched in the background once the user moves on the first screen, so moving on does not wait.
 */
type FlowModule = typeof FlowNs;
let flowModule: Promise<FlowModule> | undefined;
const loadFlow = () => (flowModule ??= import('./Flow'));
/** The flow/API a profile is saved with, from the catalogue (loaded on first need; useWizard awaits it). */
const derive = async (record: Draft) => (await loadFlow()).derive(record);

/**
 * Fetch the later screens' chunks at the user's first move (pointer or key), not before: the first
 * screen's load is not slowed by them, and by the time a click ends the next screen is in memory.
 */
function usePrefetchScreens() {
  useEffect(() => {
    const events = ['pointermove', 'pointerdown', 'keydown'] as const;
    const prefetch = () => {
      for (const e of events) window.removeEventListener(e, prefetch, true);
      for (const load of [loadFlow, loadSavedProfile, ...Object.values(loaders)]) void load().catch(() => undefined);
    };
    for (const e of events) window.addEventListener(e, prefetch, { capture: true, passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, prefetch, true);
    };
  }, []);
}

/** The Flow chunk once loaded: at once when the wizard is past Start (it is needed now). */
function useFlow(needed: boolean): FlowModule | null {
  const [flow, setFlow] = useState<FlowModule | null>(null);
  useEffect(() => {
    let live = true;
    if (needed || flowModule) void loadFlow().then((m) => live && setFlow(() => m));
    return () => {
      live = false;
    };
  }, [needed]);
  return flow;
}

function Wizard() {
  const w = useWizard(derive);
  usePrefetchScreens();
  const flow = useFlow(w.step !== 'start' || !!w.draft);
  // Kept here, not in the Flow screens, so that a visit to Start does not forget them.
  // The last test's results (with their diagnoses), so Done opens with what is broken and its fix.
  const [last, setLast] = useState<{ id: string; results: CheckResult[] } | undefined>(undefined);
  // After "Create it for me" filled the credentials: straight to the mailbox sign-in, which opens at once
  // and goes on to the test when it matches the mailbox (issue 19: steps removed, not meaning).
  const [autoSignIn, setAutoSignIn] = useState(false);
  const [autoExport, setAutoExport] = useState(false);
  const index = WIZARD_STEPS.findIndex((s) => s.id === w.step);
  const completed = new Set<StepId>(w.step === 'start' ? [] : WIZARD_STEPS.slice(0, Math.max(0, index)).map((s) => s.id));
  return (
    <WizardShell current={w.step} completed={completed} hints={w.draft && flow ? flow.shellHints(w.draft) : undefined}>
      {w.step === 'start' ? (
        // Start itself is in the first chunk; its Basic-auth page is lazy, hence the boundary.
        <Suspense fallback={null}>
          <Start onNew={w.startNew} onOpen={w.open} onChooseTarget={(id, name) => (w.startNew(), w.chooseTarget(id, name))} onStartWith={(id, name) => void w.startWith(id, name)} />
        </Suspense>
      ) : flow ? (
        <flow.Screens w={w} last={last} setLast={setLast} autoSignIn={autoSignIn} setAutoSignIn={setAutoSignIn} autoExport={autoExport} setAutoExport={setAutoExport} />
      ) : null}
    </WizardShell>
  );
}

export function App() {
  return (
    <AnnouncerProvider>
      <Wizard />
    </AnnouncerProvider>
  );
}
