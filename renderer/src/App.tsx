import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useState } from 'react';
import { CHECK_LABELS, type CheckResult } from '../../shared/checks';
import { checksFor, findTarget, profileOf } from './catalogue';
import { AnnouncerProvider } from './components/Announcer';
import { WizardShell } from './components/WizardShell';
import { Start } from './screens/Start';
import { useWizard, type Draft, type ProfilePatch, type Wizard as WizardState } from './state/useWizard';
import { WizardContext } from './state/WizardContext';
import { targetHints } from '../../shared/catalogue';
import { WIZARD_STEPS, type StepId } from './steps';

/*
 * The first screen (Start) is in the first chunk; every later screen is its own chunk, loaded when the
 * wizard reaches it (React.lazy + Suspense, issue 23), and fetched in the background once the first
 * screen is up so that moving on does not wait for the file.
 */
const loaders = {
  system: () => import('./screens/System'),
  details: () => import('./screens/Details'),
  register: () => import('./screens/Register'),
  credentials: () => import('./screens/Credentials'),
  signin: () => import('./screens/SignIn'),
  test: () => import('./screens/Test'),
  done: () => import('./screens/Done'),
};
const System = lazy(() => loaders.system().then((m) => ({ default: m.System })));
const Details = lazy(() => loaders.details().then((m) => ({ default: m.Details })));
const Register = lazy(() => loaders.register().then((m) => ({ default: m.Register })));
const Credentials = lazy(() => loaders.credentials().then((m) => ({ default: m.Credentials })));
const SignIn = lazy(() => loaders.signin().then((m) => ({ default: m.SignIn })));
const Test = lazy(() => loaders.test().then((m) => ({ default: m.Test })));
const Done = lazy(() => loaders.done().then((m) => ({ default: m.Done })));

/**
 * Fetch the later screens' chunks at the user's first move (pointer or key), not before: the first
 * screen's load is not slowed by them, and by the time a click ends the next screen is in memory.
 */
function usePrefetchScreens() {
  useEffect(() => {
    const events = ['pointermove', 'pointerdown', 'keydown'] as const;
    const prefetch = () => {
      for (const e of events) window.removeEventListener(e, prefetch, true);
      for (const load of Object.values(loaders)) void load().catch(() => undefined);
    };
    for (const e of events) window.addEventListener(e, prefetch, { capture: true, passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, prefetch, true);
    };
  }, []);
}

function Screens({ w }: { w: WizardState }) {
  // The last test's results (with their diagnoses), so Done opens with what is broken and its fix.
  const [last, setLast] = useState<{ id: string; results: CheckResult[] } | undefined>(undefined);
  // After "Create it for me" filled the credentials: straight to the mailbox sign-in, which opens at once
  // and goes on to the test when it matches the mailbox (issue 19: steps removed, not meaning).
  const [autoSignIn, setAutoSignIn] = useState(false);
  const target = findTarget(w.draft?.profile.target);
  const go = (step: StepId) => void w.go(step);

  // Start itself is in the first chunk; its Basic-auth page is lazy, hence the boundary.
  if (w.step === 'start')
    return (
      <Suspense fallback={null}>
        <Start onNew={w.startNew} onOpen={w.open} onChooseTarget={(id, name) => (w.startNew(), w.chooseTarget(id, name))} />
      </Suspense>
    );
  if (w.step === 'system' || !w.draft || !target) {
    return <Suspense fallback={null}><System selected={w.draft?.profile.target} onSelect={w.chooseTarget} onBack={() => void w.home()} onNext={() => go('details')} /></Suspense>;
  }
  const draft = w.draft;
  const common = { draft, target };
  const screen = (() => {
    switch (w.step) {
      case 'details':
        return <Details {...common} update={w.update} onBack={() => go('system')} onNext={() => go('register')} />;
      case 'register':
        return <Register {...common} setTicks={(t) => void w.setTicks(t)} update={w.update} saveNow={w.saveNow} onSecretStored={() => w.setHasSecret(true)} onBack={() => go('details')} onNext={() => (setAutoSignIn(false), go('credentials'))} onCreatedNext={w.hasSecret ? () => (setAutoSignIn(true), go(derive(draft).flow === 'app-only' ? 'test' : 'signin')) : undefined} />;
      case 'credentials':
        return (
          <Credentials
            {...common}
            hasSecret={w.hasSecret}
            onSecretStored={() => w.setHasSecret(true)}
            update={w.update}
            saveNow={() => w.saveNow({})}
            onBack={() => go('register')}
            onNext={() => go(derive(draft).flow === 'app-only' ? 'test' : 'signin')}
          />
        );
      case 'signin':
        return (
          <SignIn
            {...common}
            update={w.update}
            saveSignedIn={(account) => w.saveNow(account ? { signedInAs: account } : { signedInAs: undefined })}
            onBack={() => (setAutoSignIn(false), go('credentials'))}
            onNext={() => (setAutoSignIn(false), go('test'))}
            autoStart={autoSignIn}
            onEditMailbox={() => go('details')}
          />
        );
      case 'test':
        return <Test {...common} onRan={w.refresh} onResults={(results) => setLast({ id: draft.id, results })} onBack={() => go(derive(draft).flow === 'app-only' ? 'credentials' : 'signin')} onNext={() => go('done')} />;
      case 'done':
        return <Done {...common} results={last?.id === draft.id ? last.results : undefined} hasSecret={w.hasSecret} onBack={() => go('test')} onHome={() => void w.home()} />;
      default:
        return null;
    }
  })();
  return (
    <>
      {w.saveError && (
        <MessageBar intent="error">
          <MessageBarBody>Your progress could not be saved: {w.saveError}</MessageBarBody>
        </MessageBar>
      )}
      <WizardContext.Provider value={{ draft, target, update: w.update, saveNow: () => w.saveNow({}), hasSecret: w.hasSecret, onSecretStored: () => w.setHasSecret(true), setTicks: (t) => void w.setTicks(t) }}>
        <Suspense fallback={null}>{screen}</Suspense>
      </WizardContext.Provider>
    </>
  );
}

/** Flow and API follow from the target and its inputs (EmailEngine's base scope...): saved with the profile for the engine. */
function derive(record: Draft): ProfilePatch {
  const target = findTarget(record.profile.target);
  if (!target) return {};
  const hints = targetHints(target, record.profile.targetInputs ?? {});
  return { flow: hints.flow, api: hints.api };
}

/** The sidebar's hint for the Test screen follows the system's real checks (item 17). */
function testHint(target: NonNullable<ReturnType<typeof findTarget>>, draft: Draft): string {
  try {
    const checks = checksFor(target, profileOf(draft, target)).filter((c) => c !== 'network' && c !== 'token');
    return checks.map((c) => CHECK_LABELS[c].title.replace(/ \(.*\)$/, '').replace(/^Microsoft /, '')).join(', ');
  } catch {
    return 'The mail connections';
  }
}

function Wizard() {
  const w = useWizard(derive);
  usePrefetchScreens();
  // App-only systems skip the sign-in screen (item 17): no one signs in as the mailbox.
  const target = findTarget(w.draft?.profile.target);
  const appOnly = !!w.draft && derive(w.draft).flow === 'app-only';
  const index = WIZARD_STEPS.findIndex((s) => s.id === w.step);
  const completed = new Set<StepId>(w.step === 'start' ? [] : WIZARD_STEPS.slice(0, Math.max(0, index)).map((s) => s.id));
  return (
    <WizardShell current={w.step} completed={completed} hints={w.draft && target ? { ...(appOnly ? { signin: `Not needed for ${target.displayName}` } : {}), test: testHint(target, w.draft) } : undefined}>
      <Screens w={w} />
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
