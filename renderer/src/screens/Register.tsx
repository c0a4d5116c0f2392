import { Badge, makeStyles, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import type { SavedProfile } from '../../../shared/saved-profile';
import { portalSteps, profileOf } from '../catalogue';
import { useAnnounce } from '../components/Announcer';
import { Checklist, statusOf, useChecklistGate } from '../components/Checklist';
import { Screen } from '../components/Screen';
import type { Draft, ProfilePatch } from '../state/useWizard';
import { LintPanel } from './register/CheckExisting';
import { CreateForMe } from './register/CreateForMe';
import { SendToAdmin } from './register/SendToAdmin';
import { adoptPatch } from './register/useRegistration';

const useStyles = makeStyles({
  choices: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  label: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  who: { color: tokens.colorNeutralForeground2 },
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, borderTop: `1px solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalL },
});

export type RegisterChoice = 'create' | 'check' | 'portal' | 'admin';

const FROM_METHOD = { created: 'create', checked: 'check', manual: 'portal' } as const;

export function Register(props: {
  draft: Draft;
  target: TargetEntry;
  setTicks: (ticks: string[]) => void;
  update: (patch: ProfilePatch, extra?: Partial<Omit<Draft, 'profile' | 'id'>>) => void;
  saveNow: (extra: Partial<Omit<Draft, 'profile' | 'id'>>) => Promise<void>;
  onSecretStored: () => void;
  onBack: () => void;
  onNext: () => void;
  /** Creation filled the credentials (IDs and the secret in the vault): Next skips the Credentials screen. */
  onCreatedNext?: (() => void) | undefined;
}) {
  const styles = useStyles();
  const announce = useAnnounce();
  const { update, saveNow, onSecretStored } = props;
  const method = props.draft.registration?.method;
  const [choice, setChoice] = useState<RegisterChoice>(method ? FROM_METHOD[method] : 'create');
  const [creating, setCreating] = useState(false);
  const steps = useMemo(() => portalSteps(props.target, profileOf(props.draft, props.target)), [props.draft, props.target]);
  const ticks = props.draft.wizard.ticks;
  const done = steps.filter((s) => statusOf(s, ticks) !== 'todo').length;
  const gate = useChecklistGate(steps, ticks, props.onNext);
  const org = props.draft.profile.mailbox?.split('@')[1];
  const created = props.draft.registration?.method === 'created' && props.draft.registration.state === 'complete' && choice === 'create' && !!props.onCreatedNext;
  const appOnly = props.target.flow === 'app-only';
  // Created just now, in this visit (issue 19): the assistant goes on by itself to the mailbox sign-in
  // (app-only: the test) once the created values are in, after a moment to read the result. Coming back
  // to this screen later does not move on: there the Next button does.
  const [justCreated, setJustCreated] = useState(false);
  const goOn = useRef(props.onCreatedNext);
  goOn.current = props.onCreatedNext;
  const canGoOn = !!props.onCreatedNext;
  useEffect(() => {
    if (!justCreated || !created || !canGoOn) return;
    const t = setTimeout(() => (setJustCreated(false), goOn.current?.()), 1200);
    return () => clearTimeout(t);
  }, [justCreated, created, canGoOn]);

  const tick = (id: string, on: boolean) => {
    const next = on ? [...new Set([...ticks, id])] : ticks.filter((t) => t !== id);
    props.setTicks(next);
    const count = steps.filter((s) => statusOf(s, next) !== 'todo').length;
    announce(`${on ? 'Marked done' : 'Marked not done'}. ${count} of ${steps.length} steps done, saved.`);
  };

  /** Takes the ids, tenant, expiry and registration record main saved, so the wizard's next save keeps them. */
  const adopt = useCallback(
    async (record: SavedProfile) => {
      const { patch, extra } = adoptPatch(record);
      update(patch, extra);
      // Main stored the secret in the vault before it answered: say so at once, so a quick "Next" on the
      // credentials screen does not meet "the secret is missing" while the save is still under way.
      if (patch.clientSecret?.source === 'vault') onSecretStored();
      await saveNow(extra);
    },
    [update, saveNow, onSecretStored],
  );

  const CHOICES: { id: RegisterChoice; title: string; who: string; badge?: string }[] = [
    {
      id: 'create',
      title: 'Create it for me',
      badge: 'Recommended',
      who: `Sign in once as an administrator${org ? ` of ${org}` : ''}; the assistant creates the registration for ${props.target.displayName}, grants consent, makes the secret and fills in the next screen. About a minute. For anyone who is, or has next to them, an administrator.`,
    },
    { id: 'check', title: 'Check the one I have', who: 'Paste the Application (client) ID of an existing registration; the assistant lists what is wrong for this system and fixes it with your permission. For a registration someone made before.' },
    { id: 'portal', title: "I'll do it in the portal", who: `The ${steps.length} steps in the Microsoft Entra admin center, every value ready to copy, then “Check what I did”. For those who want to see each setting, or whose organisation does not allow tools to sign in.` },
    { id: 'admin', title: 'Send the steps to my administrator', who: 'A PowerShell or Azure CLI script to pass on, for when you are not an administrator yourself; it sends the secret back sealed, in a file only this assistant opens.' },
  ];

  const choose = (c: RegisterChoice) => {
    setChoice(c);
    announce(`${CHOICES.find((x) => x.id === c)?.title ?? ''} chosen`);
  };

  return (
    <Screen
      id="register"
      title="Register the app in Microsoft Entra"
      lead={`Microsoft needs an app registration for ${props.target.displayName} before it lets it use the mailbox; choose how it gets made.`}
      onBack={props.onBack}
      onNext={choice === 'portal' ? gate.onNext : created ? props.onCreatedNext : props.onNext}
      {...(created ? { nextLabel: appOnly ? 'Go to the test' : 'Sign in as the mailbox' } : {})}
      nextDisabled={creating}
      {...(choice === 'portal'
        ? {
            footer: (
              <Text size={200}>
                {done} of {steps.length} done · saved as you tick
              </Text>
            ),
          }
        : {})}
    >
      <div className={styles.choices}>
        <Text as="h3" id="register-choice-title" weight="semibold" size={400}>
          How do you want to do it?
        </Text>
        <RadioGroup aria-labelledby="register-choice-title" value={choice} onChange={(_, d) => choose(d.value as RegisterChoice)} data-testid="register-choice">
          {CHOICES.map((c) => (
            <Radio
              key={c.id}
              value={c.id}
              data-choice={c.id}
              label={
                <span className={styles.label}>
                  <span>
                    <strong>{c.title}</strong>
                    {c.badge && (
                      <>
                        {' '}
                        <Badge appearance="tint" color="brand" size="small">
                          {c.badge}
                        </Badge>
                      </>
                    )}
                  </span>
                  <Text size={200} className={styles.who}>
                    {c.who}
                  </Text>
                </span>
              }
            />
          ))}
        </RadioGroup>
      </div>
      <div className={styles.panel} data-panel={choice}>
        {choice === 'create' && <CreateForMe draft={props.draft} target={props.target} adopt={adopt} onSendToAdmin={() => choose('admin')} onBusy={setCreating} onCreated={() => setJustCreated(true)} goesOn={appOnly ? 'Going on to the test…' : 'Going on to the mailbox sign-in…'} />}
        {choice === 'check' && <LintPanel draft={props.draft} target={props.target} update={(p) => update(p)} adopt={adopt} method="checked" askClientId />}
        {choice === 'portal' && (
          <>
            <Checklist steps={steps} ticks={ticks} onTick={tick} />
            {gate.dialog}
            <Text as="h3" weight="semibold" size={400}>
              When you have done the steps
            </Text>
            <LintPanel draft={props.draft} target={props.target} update={(p) => update(p)} adopt={adopt} method="manual" askClientId={false} />
          </>
        )}
        {choice === 'admin' && <SendToAdmin draft={props.draft} target={props.target} adopt={adopt} />}
      </div>
    </Screen>
  );
}
