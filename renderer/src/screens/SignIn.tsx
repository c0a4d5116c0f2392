import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, Card, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { Person20Regular } from '@fluentui/react-icons/svg/person';
import { SignOut20Regular } from '@fluentui/react-icons/svg/sign-out';
import { useEffect, useRef, useState } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import type { SignInOutcome } from '../../../shared/ipc/contract';
import { getApi } from '../api';
import { useAnnounce } from '../components/Announcer';
import { DiagnosisCard } from '../components/DiagnosisCard';
import { Screen } from '../components/Screen';
import { ValueBox } from '../components/ValueBox';
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
  /** Arrived from "Create it for me": the sign-in opens at once and a matching sign-in goes on to the test. */
  autoStart?: boolean;
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
      announce(outcome.matchesMailbox ? `Signed in as ${outcome.account}${props.autoStart ? '. Testing the mail connections.' : ''}` : `Signed in as ${outcome.account}, which is not the mailbox ${mailbox}`);
      if (props.autoStart && outcome.matchesMailbox) props.onNext();
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
  const autoStarted = useRef(false);
  useEffect(() => {
    if (!props.autoStart || appOnly || autoStarted.current) return;
    autoStarted.current = true;
    void start();
    // start() is recreated each render; the sign-in opens once, when the screen opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.autoStart, appOnly]);
  if (appOnly) {
    return (
      <Screen id="signin" title="No one needs to sign in" lead={`${props.target.displayName} uses the app's own secret; the test on the next screen gets a token for the app itself, with the permissions an administrator approved.`} onBack={props.onBack} onNext={props.onNext} nextLabel="Go to the test">
        <Text>If the test says consent is missing, go back to “Register in Microsoft Entra” and have an administrator grant it.</Text>
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
            The window starts clean, without accounts you signed in with before. If Microsoft asks to approve permissions, review and accept them: they are the ones you registered.
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
              Nothing was lost: your details and checklist are saved, and the secret is kept as the Credentials screen says. Click Sign in when you are ready.
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
              {props.target.displayName} would send and read mail as {signedIn.account}, and Microsoft lets an account send only as itself. Sign in again as {mailbox}: the window starts clean and suggests {mailbox}.
            </MessageBarBody>
          </MessageBar>
        )}
        {signedIn && !signedIn.matchesMailbox && (
          <div className={styles.row}>
            <Button appearance="primary" icon={<SignOut20Regular />} onClick={() => void signOutAndRetry()}>
              Sign in again as {mailbox}
            </Button>
            <Button
              appearance="subtle"
              onClick={() => {
                props.update({ mailbox: signedIn.account });
                props.onEditMailbox();
              }}
            >
              Use {signedIn.account} as the mailbox instead
            </Button>
          </div>
        )}
        {signedIn && !signedIn.matchesMailbox && (
          <Accordion collapsible data-testid="shared-mailbox-route">
            <AccordionItem value="shared">
              <AccordionHeader>Is {mailbox} a shared mailbox that {signedIn.account} should use?</AccordionHeader>
              <AccordionPanel>
                <div className={styles.stack}>
                  <Text block>
                    Then {signedIn.account} needs both rights on {mailbox}: reading it (FullAccess) and sending as it (SendAs). An Exchange administrator runs, in Exchange Online PowerShell:
                  </Text>
                  <ValueBox label="Read the mailbox (FullAccess)" value={`Add-MailboxPermission -Identity ${mailbox} -User ${signedIn.account} -AccessRights FullAccess -InheritanceType All`} kind="command" />
                  <ValueBox label="Send as the mailbox (SendAs)" value={`Add-RecipientPermission -Identity ${mailbox} -Trustee ${signedIn.account} -AccessRights SendAs -Confirm:$false`} kind="command" />
                  <Text block size={200}>
                    Changes can take up to an hour. {props.target.displayName} then signs in as {signedIn.account} and uses {mailbox} as the mailbox to read and send from.
                  </Text>
                  {signedIn.diagnosis && <DiagnosisCard diagnosis={signedIn.diagnosis} />}
                </div>
              </AccordionPanel>
            </AccordionItem>
          </Accordion>
        )}
        {outcome?.status === 'failed' && <DiagnosisCard diagnosis={outcome.diagnosis} onRunAgain={() => void start()} runAgainLabel="Sign in again" />}
      </div>
    </Screen>
  );
}
