import { Button, Card, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens } from '@fluentui/react-components';
import { Delete20Regular } from '@fluentui/react-icons/svg/delete';
import { Send20Regular } from '@fluentui/react-icons/svg/send';
import { Wand20Regular } from '@fluentui/react-icons/svg/wand';
import { useEffect, useRef, useState } from 'react';
import type { TargetEntry } from '../../../../shared/catalogue/types';
import type { Diagnosis } from '../../../../shared/diagnosis/types';
import type { ApplyResult, MailAccess, PlanView, ReachWatchProgressView, RemoveCreatedView } from '../../../../shared/ipc/registration';
import type { ManualStep } from '../../../../shared/registration/types';
import { getApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { DiagnosisCard } from '../../components/DiagnosisCard';
import { formatDay } from '../../components/format';
import type { Draft } from '../../state/useWizard';
import { useElapsed } from '../../state/useElapsed';
import { AdminHeader } from './AdminHeader';
import { PlanList } from './PlanList';
import { PlanReach } from './PlanChoices';
import { FindingList } from './FindingList';
import { ManualStepsCard } from './ManualStepsCard';
import { ProgressList } from './ProgressList';
import { BrowserSignInWaiting } from './BrowserSignInWaiting';
import { useAdmin, useRegistrationProgress, type Adopt } from './useRegistration';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  plan: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  facts: { margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXXS },
  mono: { fontFamily: tokens.fontFamilyMonospace, margin: 0, overflowWrap: 'anywhere' },
});

type Phase =
  | { kind: 'idle' }
  | { kind: 'signing-in' }
  | { kind: 'applying' }
  | { kind: 'result'; result: ApplyResult }
  | { kind: 'failed'; diagnosis: Diagnosis }
  | { kind: 'error'; message: string }
  | { kind: 'signin-cancelled'; reason: 'closed' | 'timeout' };

/** Where the new secret is kept, in the vault's own words (one truth for the storage flag). */
function secretKept(persist: boolean | undefined, expires: string | undefined): string {
  const where = persist === false ? 'kept for this session only (this computer offers no encrypted storage)' : 'saved encrypted on this computer';
  return `The secret is ${where} and never shown here${expires ? `; it expires on ${formatDay(expires)}` : ''}.`;
}

/**
 * "Create it for me": the plan shown first, one administrator sign-in, every Graph step in words,
 * cancellable; afterwards the ids are on screen 5 and the secret is in the vault (never here).
 */
/** The created app reaches its mailbox only after an Exchange administrator's step (RBAC for Applications, an Exchange service principal, a mailbox permission). */
const EXCHANGE_STEPS = new Set(['limit-mailbox-scope', 'exchange-service-principal', 'exchange-mailbox-permission', 'exchange-send-as']);
function waitsForExchange(r: Pick<ApplyResult, 'mailboxScope' | 'manualSteps'>): boolean {
  return r.mailboxScope === 'exchange-rbac' || r.manualSteps.some((m) => EXCHANGE_STEPS.has(m.id));
}

/** Where main's watch is, in words: how often it has looked, what did not answer yet, when it looks next. */
function watchWords(p: ReachWatchProgressView | undefined): string {
  if (!p || p.attempts === 0) return '';
  const looked = `; looked ${p.attempts === 1 ? 'once' : `${p.attempts} times`}${p.failing.length ? ` (not yet: ${p.failing.join(', ')})` : ''}`;
  if (p.state === 'looking') return `${looked}, looking now`;
  const next = p.nextLookInSeconds ?? 0;
  return `${looked}, next look in ${next >= 60 ? `${Math.round(next / 60)} minute${next >= 90 ? 's' : ''}` : `${next} s`}`;
}

export function CreateForMe(props: { draft: Draft; target: TargetEntry; adopt: Adopt; onSendToAdmin: () => void; onBusy?: (busy: boolean) => void; onCreated?: () => void; goesOn?: string }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const { admin, signInApp, systemBrowser, waiting, ensure, switchToWindow, signOut, refresh: refreshAdmin } = useAdmin();
  const progress = useRegistrationProgress();
  const [plan, setPlan] = useState<(PlanView & { planId: string }) | null>(null);
  const [mailAccess, setMailAccess] = useState<MailAccess | undefined>(undefined);
  const [planError, setPlanError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [persist, setPersist] = useState<boolean | undefined>(undefined);
  const [savedSteps, setSavedSteps] = useState<ManualStep[]>([]);
  const [removal, setRemoval] = useState<{ kind: 'running' } | { kind: 'done'; view: RemoveCreatedView } | { kind: 'error'; message: string } | null>(null);
  const running = phase.kind === 'signing-in' || phase.kind === 'applying';
  // The screen's Next waits while the registration is being made (issue 19): leaving mid-way helps no one.
  const { onBusy } = props;
  useEffect(() => {
    onBusy?.(running);
    return () => onBusy?.(false);
  }, [running, onBusy]);
  const elapsed = useElapsed(running);
  const record = props.draft.registration;
  const interrupted = record?.method === 'created' && record.state !== 'complete';
  const created = record?.method === 'created' && record.state === 'complete';

  useEffect(() => {
    let live = true;
    void api.registration.plan({ profileId: props.draft.id, mode: 'create', ...(mailAccess ? { choices: { mailAccess } } : {}) }).then((r) => {
      if (!live) return;
      if (r.ok) setPlan(r.value);
      else setPlanError(r.error.message);
    });
    void api.app.getStatus().then((r) => live && r.ok && setPersist(r.value.secretsPersist));
    if (created) void api.registration.manualSteps({ profileId: props.draft.id }).then((r) => live && r.ok && setSavedSteps(r.value.steps));
    return () => {
      live = false;
    };
    // The plan depends on the saved details and the reach chosen; re-planned when the screen opens or the choice changes.
  }, [api, props.draft.id, created, mailAccess]);

  const run = async () => {
    // Main applies only the plan that was shown (its id); it asks its own native question before writing.
    const planId = plan?.planId;
    if (!planId) return setPhase({ kind: 'error', message: 'The plan is not shown yet: wait for it, then create.' });
    progress.reset();
    setPhase({ kind: 'signing-in' });
    announce(systemBrowser ? 'Continue in your browser: sign in there as an administrator' : 'Opening the Microsoft sign-in window for an administrator');
    const signedIn = await ensure(props.draft.id, 'write');
    if (signedIn.status === 'error') return setPhase({ kind: 'error', message: signedIn.message });
    if (signedIn.status === 'cancelled') {
      announce('The administrator sign-in was closed. Nothing was changed.');
      return setPhase({ kind: 'signin-cancelled', reason: signedIn.reason });
    }
    if (signedIn.status === 'failed') {
      announce(`The administrator sign-in failed: ${signedIn.diagnosis.title}`);
      return setPhase({ kind: 'failed', diagnosis: signedIn.diagnosis });
    }
    setPhase({ kind: 'applying' });
    announce(`Signed in as ${signedIn.admin.account}. Creating the registration.`);
    const r = await api.registration.apply({ profileId: props.draft.id, mode: 'create', planId });
    if (!r.ok) return setPhase({ kind: 'error', message: r.error.message });
    await props.adopt(r.value.record);
    setPhase({ kind: 'result', result: r.value });
    const res = r.value;
    // Going on by itself (issue 19) only when nothing is left for someone else: an app-only app whose mail
    // access waits for the Exchange administrator's step (safe by default) would fail its test until then.
    if (res.status === 'done' && !waitsForExchange(res)) props.onCreated?.();
    announce(
      res.status === 'done'
        ? `Created ${res.displayName}. The client ID, tenant and secret are filled in on the next screen.`
        : res.status === 'cancelled'
          ? 'Stopped. What was created is recorded; continue when you are ready.'
          : `Not finished: ${res.diagnosis?.title ?? res.notDone[0]?.diagnosis.title ?? 'see below'}`,
    );
  };

  /** "Remove what was created": main asks its own native question naming the app and its id, then deletes and reads back. */
  const removeCreated = async () => {
    setRemoval({ kind: 'running' });
    const signedIn = await ensure(props.draft.id, 'write', 'window');
    if (signedIn.status === 'error') return setRemoval({ kind: 'error', message: signedIn.message });
    if (signedIn.status !== 'signed-in') return setRemoval({ kind: 'error', message: signedIn.status === 'failed' ? signedIn.diagnosis.title : 'The administrator sign-in was closed. Nothing was removed.' });
    const r = await api.registration.removeCreated({ profileId: props.draft.id });
    if (!r.ok) return setRemoval({ kind: 'error', message: r.error.message });
    if (r.value.status === 'removed') {
      await props.adopt(r.value.record);
      setPhase({ kind: 'idle' });
      progress.reset();
    }
    setRemoval({ kind: 'done', view: r.value });
    announce(r.value.status === 'declined' ? 'Nothing was removed.' : `Removed: ${r.value.removed.join('; ') || 'nothing was left'}.`);
  };

  const result = phase.kind === 'result' ? phase.result : undefined;

  /**
   * Issue 19 (auto-continue): created app-only and scoped, the app reaches the mailbox only once the Exchange
   * administrator has run the handed-over step. Main watches for that (registration:watchExchange: read-only
   * checks, nothing sent or written, 3 s at first and then once a minute, on its clock); this screen shows where
   * the watch is and goes on to the test when main says the mailbox answers. "Go to the test" goes on at once;
   * leaving the screen stops the watch.
   */
  const [exchangeWatch, setExchangeWatch] = useState<{ state: 'waiting' | 'looking' | 'reached' | 'timed-out' | 'not-watching'; progress?: ReachWatchProgressView; message?: string } | null>(null);
  const watchExchange = !!result && result.status === 'done' && waitsForExchange(result) && props.target.flow === 'app-only' && !!props.onCreated;
  // The screen hands a new callback on each render: the outcome reads the latest one and the watch is not restarted by it.
  const onCreated = useRef(props.onCreated);
  onCreated.current = props.onCreated;
  useEffect(() => {
    if (!watchExchange) return;
    const profileId = props.draft.id;
    let live = true;
    setExchangeWatch({ state: 'waiting' });
    const off = api.on('registration:watch', (p) => {
      if (live && p.profileId === profileId) setExchangeWatch({ state: p.state, progress: p });
    });
    void api.registration.watchExchange({ profileId }).then((r) => {
      if (!live) return;
      if (r.ok && r.value.status === 'reached') {
        setExchangeWatch({ state: 'reached' });
        announce('The Exchange step took effect: the app reaches the mailbox. Going on to the test.');
        onCreated.current?.();
      } else if (r.ok && r.value.status === 'timed-out') setExchangeWatch({ state: 'timed-out' });
      else if (!r.ok) setExchangeWatch({ state: 'not-watching', message: r.error.message });
    });
    return () => {
      live = false;
      off();
      void api.registration.watchStop({ profileId });
    };
    // Once per created result; the connection's id does not change on this screen.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [watchExchange]);
  const failure = phase.kind === 'failed' ? phase.diagnosis : result?.diagnosis;
  const roleProblem = failure?.code === 'registration-role-required' || failure?.code === 'registration-users-cannot-register' || failure?.code === 'registration-admin-consent-needed';
  const label = admin?.canWrite ? (interrupted ? 'Continue creating it' : 'Create it') : interrupted ? 'Sign in as an administrator and continue' : 'Sign in as an administrator and create it';

  return (
    <div className={styles.stack} data-testid="create-for-me">
      {!result && !created && (
        <Card>
          <Text as="h3" weight="semibold" size={400}>
            What the assistant will do{plan ? ` for “${plan.displayName}”` : ''}
          </Text>
          {plan ? (
            <>
              <PlanList steps={plan.steps} testId="plan" />
              <PlanReach
                plan={plan}
                mailbox={props.draft.profile.mailbox ?? ''}
                busy={running}
                onMailAccess={(m) => {
                  setPlan(null);
                  setMailAccess(m);
                  announce(m === 'mailbox' ? `Only ${props.draft.profile.mailbox ?? 'the mailbox'}` : 'Every mailbox in your organisation');
                }}
              />
            </>
          ) : planError ? (
            <Text>The plan could not be made: {planError}</Text>
          ) : (
            <Text>Working out the plan…</Text>
          )}
          <Text size={200} block>
            Nothing changes until an administrator signs in; a second run changes nothing that is already right.
          </Text>
        </Card>
      )}

      {interrupted && !running && !result && (
        <MessageBar intent="info" data-testid="create-interrupted">
          <MessageBarBody>
            <MessageBarTitle>Creating “{record?.displayName ?? plan?.displayName ?? 'the registration'}” stopped before it finished</MessageBarTitle>
            Nothing is lost: what already exists in Microsoft Entra is found again and only the rest is done.
          </MessageBarBody>
        </MessageBar>
      )}

      {!created && !(result && result.status === 'done') && (
        <>
          <AdminHeader target={props.target} mailbox={props.draft.profile.mailbox ?? ''} purpose="write" {...(plan ? { grantsAppRoles: plan.steps.some((x) => x.kind === 'assign-app-role') } : {})} admin={admin} signInApp={signInApp} inBrowser={systemBrowser} onSignInAppChanged={() => void refreshAdmin()} {...(admin && !running ? { onSignOut: () => void signOut() } : {})} />
          {!running && (
            <div className={styles.row}>
              <Button appearance="primary" icon={<Wand20Regular />} onClick={() => void run()} disabled={!plan}>
                {label}
              </Button>
            </div>
          )}
        </>
      )}

      {phase.kind === 'signing-in' && waiting === 'browser' && (
        <BrowserSignInWaiting mailbox={props.draft.profile.mailbox ?? ''} elapsedSeconds={Math.floor(elapsed / 1000)} onCancel={() => void api.registration.cancel()} onUseWindow={switchToWindow} />
      )}
      {(running || progress.rows.length > 0) && !(phase.kind === 'signing-in' && waiting === 'browser') && (
        <ProgressList
          rows={result?.status === 'cancelled' ? progress.rows.map((r) => (r.state === 'failed' ? { ...r, state: 'waiting', message: r.message.replace(/: failed$/, ': stopped') } : r)) : progress.rows}
          running={running}
          status={phase.kind === 'signing-in' ? 'Waiting for the administrator to sign in' : 'Working'}
          elapsedSeconds={Math.floor(elapsed / 1000)}
          onCancel={() => void (phase.kind === 'signing-in' ? api.registration.cancel() : api.registration.cancel())}
        />
      )}

      {phase.kind === 'signin-cancelled' && (
        <MessageBar intent="info" data-testid="admin-signin-cancelled">
          <MessageBarBody>
            <MessageBarTitle>{phase.reason === 'closed' ? (systemBrowser ? 'The sign-in was cancelled' : 'The sign-in window was closed') : 'The sign-in took too long'}</MessageBarTitle>
            Nothing was changed in your tenant. Sign in again when the administrator is ready.
          </MessageBarBody>
        </MessageBar>
      )}
      {phase.kind === 'error' && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>The registration could not be created</MessageBarTitle>
            {phase.message}
          </MessageBarBody>
        </MessageBar>
      )}

      {result?.status === 'done' && (
        <MessageBar intent="success" data-testid="create-success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Created “{result.displayName}” and checked it</MessageBarTitle>
            The client ID, tenant and secret are filled in on the next screen. {secretKept(persist, result.secret?.endDateTime)}
            {props.goesOn && props.onCreated && !waitsForExchange(result) ? ` ${props.goesOn}` : ''}
          </MessageBarBody>
        </MessageBar>
      )}
      {result?.status === 'partial' && (
        <MessageBar intent="warning" data-testid="create-partial" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>“{result.displayName}” exists, but it is not finished</MessageBarTitle>
            What is still missing, and who can fix it, is below. What exists is recorded with this connection.
          </MessageBarBody>
        </MessageBar>
      )}
      {result?.status === 'cancelled' && (
        <MessageBar intent="warning" data-testid="create-cancelled">
          <MessageBarBody>
            <MessageBarTitle>Stopped</MessageBarTitle>
            {result.appId ? `“${result.displayName}” exists (client ID ${result.appId}); it is recorded with this connection. ` : result.applied.length ? `Done before stopping: ${result.applied.join('; ')}. ` : 'Nothing was changed in your tenant. '}“{label}” finds what exists and does only the rest.
          </MessageBarBody>
        </MessageBar>
      )}
      {result?.appId && result.reach && result.reach.length > 0 && (
        <MessageBar intent={result.reach.some((r) => !r.limited) ? 'warning' : 'info'} data-testid="created-reach" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {result.reach.some((r) => !r.limited) ? 'The app can reach every mailbox in your organisation' : result.mailboxScope === 'exchange-rbac' ? `The app reaches no mailbox until an Exchange administrator limits it to ${props.draft.profile.mailbox || 'the mailbox'}` : 'The app reaches only the mailboxes named below'}
            </MessageBarTitle>
            {result.reach.map((r) => `${r.grant}: ${r.reach}`).join('; ')}.
            {result.mailboxScope === 'exchange-rbac' ? ' Hand the Exchange step below to your Exchange administrator (the commands have the new ids filled in); the assistant cannot run it, because Microsoft Graph cannot set Exchange RBAC.' : ''}
          </MessageBarBody>
        </MessageBar>
      )}
      {exchangeWatch && watchExchange && (
        <Text data-testid="exchange-watch" data-state={exchangeWatch.state} role="status">
          {exchangeWatch.state === 'reached'
            ? 'The Exchange step took effect: the app reaches the mailbox. Going on to the test…'
            : exchangeWatch.state === 'timed-out'
              ? 'The assistant stopped looking for the Exchange step after three hours. Once it is done, “Go to the test” checks the connection.'
              : exchangeWatch.state === 'not-watching'
                ? `The assistant cannot look for the Exchange step by itself here (${exchangeWatch.message ?? 'no read-only check'}). Once the step is done, “Go to the test” checks the connection.`
              : `Waiting for the Exchange step: the assistant looks whether the app reaches the mailbox (reading only, nothing is sent) and goes on to the test by itself${watchWords(exchangeWatch.progress)}. Exchange can take up to two hours to apply it; “Go to the test” goes on now.`}
        </Text>
      )}
      {result && (result.status === 'done' || result.appId) && (
        <Card data-testid="created-ids">
          <dl className={styles.facts}>
            <dt>
              <Text size={200}>Application (client) ID</Text>
            </dt>
            <dd className={styles.mono}>{result.appId ?? 'not created yet'}</dd>
            <dt>
              <Text size={200}>Directory (tenant) ID</Text>
            </dt>
            <dd className={styles.mono}>{result.tenantId ?? ''}</dd>
            {result.secret && (
              <>
                <dt>
                  <Text size={200}>Secret ID</Text>
                </dt>
                <dd className={styles.mono}>{result.secret.keyId}</dd>
                <dt>
                  <Text size={200}>Secret expires</Text>
                </dt>
                <dd className={styles.mono}>{formatDay(result.secret.endDateTime)}</dd>
              </>
            )}
          </dl>
        </Card>
      )}
      {created && !result && (
        <MessageBar intent="success" data-testid="create-success">
          <MessageBarBody>
            <MessageBarTitle>“{record?.displayName ?? 'The registration'}” was created by the assistant</MessageBarTitle>
            Its client ID and tenant are on the next screen; the secret is in the vault. Go on with Next.
          </MessageBarBody>
        </MessageBar>
      )}

      {result && result.notDone.length > 0 && (
        <Card data-testid="not-done">
          <Text as="h3" weight="semibold" size={400}>
            Not done yet
          </Text>
          <ul className={styles.plan}>
            {result.notDone.map((n, i) => (
              <li key={i}>
                <Text>{n.summary}</Text>
              </li>
            ))}
          </ul>
          <Text size={200} block>
            What was made is recorded with this connection; “{label}” does only what is still missing.
          </Text>
        </Card>
      )}
      {failure && <DiagnosisCard diagnosis={failure} onRunAgain={() => void run()} runAgainLabel="Try again" />}
      {result &&
        [...new Map(result.notDone.filter((n) => n.diagnosis.code !== failure?.code && n.diagnosis.code !== 'registration-step-not-attempted').map((n) => [n.diagnosis.code, n.diagnosis])).values()].map((d) => (
          <DiagnosisCard key={d.code} diagnosis={d} />
        ))}
      {roleProblem && (
        <div className={styles.row}>
          <Button appearance="primary" icon={<Send20Regular />} onClick={props.onSendToAdmin}>
            Send the steps to my administrator
          </Button>
          <Text size={200}>A script and the checklist they can run themselves.</Text>
        </div>
      )}
      {result && result.findings.length > 0 && <FindingList findings={result.findings} label="What the check after creating found" />}

      {!running && removal?.kind !== 'running' && record?.method === 'created' && record.appId && (!result || result.status !== 'done' || created) && (
        <div className={styles.row} data-testid="remove-created-offer">
          <Button appearance="secondary" icon={<Delete20Regular />} onClick={() => void removeCreated()}>
            Remove what was created
          </Button>
          <Text size={200}>Deletes “{record.displayName ?? 'the app registration'}” ({record.appId}) and its enterprise application from Microsoft Entra; you are asked first.</Text>
        </div>
      )}
      {removal?.kind === 'running' && <Text>Removing what was created…</Text>}
      {removal?.kind === 'error' && (
        <MessageBar intent="error" data-testid="remove-created-error">
          <MessageBarBody>
            <MessageBarTitle>Nothing more was removed</MessageBarTitle>
            {removal.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {removal?.kind === 'done' && (
        <MessageBar intent={removal.view.status === 'declined' ? 'info' : removal.view.stillThere?.application || removal.view.stillThere?.servicePrincipal ? 'warning' : 'success'} data-testid="remove-created-result" layout="multiline">
          <MessageBarBody>
            {removal.view.status === 'declined' ? (
              <>
                <MessageBarTitle>Nothing was removed</MessageBarTitle>“{removal.view.displayName}” ({removal.view.appId}) stays in Microsoft Entra.
              </>
            ) : (
              <>
                <MessageBarTitle>Removed from Microsoft Entra, read back</MessageBarTitle>
                {removal.view.removed.length ? `Removed ${removal.view.removed.join(' and ')}.` : `“${removal.view.displayName}” was already gone.`}{' '}
                {removal.view.stillThere?.application || removal.view.stillThere?.servicePrincipal
                  ? `Still there when read back: ${[removal.view.stillThere.application ? 'the app registration' : '', removal.view.stillThere.servicePrincipal ? 'the enterprise application' : ''].filter(Boolean).join(' and ')}; try again in a minute.`
                  : 'Neither the app registration nor its enterprise application is there any more; this connection no longer names them.'}
              </>
            )}
          </MessageBarBody>
        </MessageBar>
      )}

      <ManualStepsCard steps={result?.manualSteps ?? savedSteps} />
    </div>
  );
}
