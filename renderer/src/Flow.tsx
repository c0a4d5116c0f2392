import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { CHECK_LABELS, type CheckResult } from '../../shared/checks';
import { checksFor, findTarget, profileOf } from './catalogue';
import { loaders } from './screens/loaders';
import type { Draft, ProfilePatch, Wizard as WizardState } from './state/useWizard';
import { WizardContext } from './state/WizardContext';
import { targetHints } from '../../shared/catalogue';
import type { StepId } from './steps';

/*
 * Everything past the first screen that needs the target catalogue (and with it zod): the screens after
 * Start, the flow/API a profile is saved with, the sidebar's hints. Its own chunk (issue 23): App loads
 * it at the user's first move on Start, or when the wizard leaves Start, whichever comes first.
 */
const System = lazy(() => loaders.system().then((m) => ({ default: m.System })));
const Details = lazy(() => loaders.details().then((m) => ({ default: m.Details })));
const Register = lazy(() => loaders.register().then((m) => ({ default: m.Register })));
const Credentials = lazy(() => loaders.credentials().then((m) => ({ default: m.Credentials })));
const SignIn = lazy(() => loaders.signin().then((m) => ({ default: m.SignIn })));
const Test = lazy(() => loaders.test().then((m) => ({ default: m.Test })));
const Done = lazy(() => loaders.done().then((m) => ({ default: m.Done })));

/** What the wizard keeps across screens (held by App, so that it outlives a visit to Start). */
export interface FlowState {
  last: { id: string; results: CheckResult[] } | undefined;
  setLast: (last: { id: string; results: CheckResult[] }) => void;
  autoSignIn: boolean;
  setAutoSignIn: (on: boolean) => void;
  /** Right after "Create it for me": all green on the Test screen goes on to the export by itself (issue 19). */
  autoExport?: boolean;
  setAutoExport?: (on: boolean) => void;
}

export function Screens({ w, last, setLast, autoSignIn, setAutoSignIn, autoExport = false, setAutoExport = () => {} }: FlowState & { w: WizardState }) {
  const target = findTarget(w.draft?.profile.target);
  const go = (step: StepId) => void w.go(step);

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
        return <Register {...common} setTicks={(t) => void w.setTicks(t)} update={w.update} saveNow={w.saveNow} onSecretStored={() => w.setHasSecret(true)} onBack={() => go('details')} onNext={() => (setAutoSignIn(false), go('credentials'))} onCreatedNext={w.hasSecret ? () => (setAutoSignIn(true), setAutoExport(true), go(derive(draft).flow === 'app-only' ? 'test' : 'signin')) : undefined} />;
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
            onBack={() => (setAutoSignIn(false), setAutoExport(false), go('credentials'))}
            onNext={() => (setAutoSignIn(false), go('test'))}
            autoStart={autoSignIn}
            onEditMailbox={() => go('details')}
          />
        );
      case 'test':
        return (
          <Test
            {...common}
            onRan={w.refresh}
            onResults={(results) => setLast({ id: draft.id, results })}
            onBack={() => (setAutoExport(false), go(derive(draft).flow === 'app-only' ? 'credentials' : 'signin'))}
            onNext={() => (setAutoExport(false), go('done'))}
            goOnWhenPassed={autoExport}
          />
        );
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
export function derive(record: Draft): ProfilePatch {
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

/** The sidebar's hints for the current connection (App-only systems skip the sign-in screen, item 17). */
export function shellHints(draft: Draft): Partial<Record<StepId, string>> | undefined {
  const target = findTarget(draft.profile.target);
  if (!target) return undefined;
  const appOnly = derive(draft).flow === 'app-only';
  return { ...(appOnly ? { signin: `Not needed for ${target.displayName}` } : {}), test: testHint(target, draft) };
}
