import { Button, Card, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { Person20Regular, SignOut20Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import type { SignInOutcome } from '../../../shared/ipc/contract';
import { getApi } from '../api';
import { useAnnounce } from '../components/Announcer';
import { DiagnosisCard } from '../components/DiagnosisCard';
import { Screen } from '../components/Screen';
import type { Draft, ProfilePatch } from '../state/useWizard';
import { useElapsed } from '../state/useElapsed';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

type Phase = { kind: 'idle' } | { kind: 'running'; message: string } | { kind: 'done'; outcome: SignInOutcome } | { kind: 'error'; message: string };

export function SignIn(props: {
  draft: Draft;
  target: TargetEntry;
  update: (patch: ProfilePatch) => void;
  saveSignedIn: (account: string | undefined) => Promise<void>;
  onBack: () => void;
  onNext: () => void;
  onEditMailbox: () => void;
}) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const mailbox = props.draft.profile.mailbox ?? '';
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const elapsed = useElapsed(phase.kind === 'running');

  useEffect(
    () =>
      api.on('signin:progress', ({ message }) => {
        setPhase((p) => (p.kind === 'running' ? { kind: 'running', message } : p));
        announce(message);
      }),
    [api, announce],
  );

  const start = async () => {
    setPhase({ kind: 'running', message: 'Opening the Microsoft sign-in window…' });
    announce('Opening the Microsoft sign-in window');
    const r = await api.signin.start({ profileId: props.draft.id });
    if (!r.ok) {
      setPhase({ kind: 'error', message: r.error.message });
      announce(`Sign-in could not start: ${r.error.message}`);
      return;
    }
    const outcome = r.value;
    setPhase({ kind: 'done', outcome });
    if (outcome.status === 'signed-in') {
      await props.saveSignedIn(outcome.account);
      announce(outcome.matchesMailbox ? `Signed in as ${outcome.account}` : `Signed in as ${outcome.account}, which is not the mailbox ${mailbox}`);
    } else if (outcome.status === 'cancelled') {
      announce(outcome.reason === 'closed' ? 'The sign-in window was closed. Nothing was lost.' : 'The sign-in took too long and was stopped. Nothing was lost.');
    } else announce(`Sign-in failed: ${outcome.diagnosis.title}`);
  };

  const signOutAndRetry = async () => {
    await api.signin.signOut({ profileId: props.draft.id });
    await props.saveSignedIn(undefined);
    await start();
  };

  const appOnly = props.target.flow === 'app-only';
  if (appOnly) {
    return (
      <Screen id="signin" title="No one needs to sign in" lead={`${props.target.displayName} uses the app's own secret; the test on the next screen gets a token for the app itself, with the permissions an administrator approved.`} onBack={props.onBack} onNext={props.onNext} nextLabel="Go to the test">
        <Text>If the test says consent is missing, go back to step 4 and have an administrator grant it.</Text>
      </Screen>
    );
  }

  const outcome = phase.kind === 'done' ? phase.outcome : undefined;
  const signedIn = outcome?.status === 'signed-in' ? outcome : undefined;
  const previously = props.draft.signedInAs;
  const canContinue = (signedIn && signedIn.matchesMailbox) || (!outcome && previously?.toLowerCase() === mailbox.toLowerCase());

  return (
    <Screen
      id="signin"
      title="Sign in once to prove the registration works"
      lead={`A Microsoft sign-in window opens; sign in as the mailbox ${mailbox || ''}, not as yourself, because ${props.target.displayName} will act as that account.`}
      onBack={props.onBack}
      onNext={props.onNext}
      nextDisabled={!canContinue}
      nextLabel="Go to the test"
    >
      <div className={styles.stack}>
        <Card appearance="filled-alternative">
          <Text weight="semibold" as="h3" block>
            Use this account
          </Text>
          <div className={styles.row}>
            <Person20Regular aria-hidden />
            <Text className={styles.mono} data-testid="expected-account">
              {mailbox}
            </Text>
          </div>
          <Text block size={200}>
            The window starts clean, without accounts you signed in with before. If Microsoft asks to approve permissions, review and accept them: they are the ones from step 4.
          </Text>
        </Card>

        <div className={styles.row} aria-live="polite">
          {phase.kind === 'running' ? (
            <>
              <Spinner size="small" label={`${phase.message} (${Math.floor(elapsed / 1000)} s)`} />
              <Button onClick={() => void api.signin.cancel()}>Cancel sign-in</Button>
            </>
          ) : (
            <Button appearance={signedIn ? 'secondary' : 'primary'} onClick={() => void start()}>
              {outcome || previously ? 'Sign in again' : 'Sign in'}
            </Button>
          )}
          {previously && !outcome && phase.kind !== 'running' && (
            <Text>
              Last signed in as <strong>{previously}</strong>.
            </Text>
          )}
        </div>

        {phase.kind === 'error' && (
          <MessageBar intent="error">
            <MessageBarBody>
              <MessageBarTitle>The sign-in could not start</MessageBarTitle>
              {phase.message}
            </MessageBarBody>
          </MessageBar>
        )}
        {outcome?.status === 'cancelled' && (
          <MessageBar intent="info" data-testid="signin-cancelled">
            <MessageBarBody>
              <MessageBarTitle>{outcome.reason === 'closed' ? 'The sign-in window was closed' : 'The sign-in took too long'}</MessageBarTitle>
              Nothing was lost: your details, checklist and secret are saved. Click Sign in when you are ready.
            </MessageBarBody>
          </MessageBar>
        )}
        {signedIn && signedIn.matchesMailbox && (
          <MessageBar intent="success" data-testid="signin-success">
            <MessageBarBody>
              <MessageBarTitle>Signed in as {signedIn.account}</MessageBarTitle>
              The registration works for this mailbox. Next, the assistant tests the mail connections.
            </MessageBarBody>
          </MessageBar>
        )}
        {signedIn && !signedIn.matchesMailbox && (
          <MessageBar intent="warning" data-testid="signin-mismatch" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>You signed in as {signedIn.account}, but the mailbox is {mailbox}</MessageBarTitle>
              {signedIn.diagnosis ? (
                `${props.target.displayName} would act as ${signedIn.account}. The fix is below.`
              ) : (
                <>
              {props.target.displayName} would send and read mail as {signedIn.account}, and Microsoft refuses to let one account send as another. This usually happens when the browser was already signed in to your own account.
              <ol className={styles.steps}>
                <li>Click “Sign out and sign in again”, then choose “Use another account” and sign in as {mailbox}.</li>
                <li>Or, if {signedIn.account} is the mailbox you meant, change the mailbox on step 3.</li>
              </ol>
                </>
              )}
            </MessageBarBody>
          </MessageBar>
        )}
        {signedIn && !signedIn.matchesMailbox && (
          <div className={styles.row}>
            <Button appearance="primary" icon={<SignOut20Regular />} onClick={() => void signOutAndRetry()}>
              Sign out and sign in again
            </Button>
            <Button
              onClick={() => {
                props.update({ mailbox: signedIn.account });
                props.onEditMailbox();
              }}
            >
              Use {signedIn.account} as the mailbox
            </Button>
          </div>
        )}
        {signedIn?.diagnosis && <DiagnosisCard diagnosis={signedIn.diagnosis} />}
        {outcome?.status === 'failed' && <DiagnosisCard diagnosis={outcome.diagnosis} onRunAgain={() => void start()} runAgainLabel="Sign in again" />}
      </div>
    </Screen>
  );
}
