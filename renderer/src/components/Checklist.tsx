/**
 * A manual checklist (screen 4's portal steps, the Done screen's steps in the system itself).
 * One step open at a time; finished steps collapse to a line; a sticky "Step n of m" header;
 * optional steps wait behind their "only if ..." question; "Show all steps" opens everything for
 * printing (issue 14 item 3). Values are shown with Copy only when known (item 1); the paste
 * fields sit in the steps where the portal shows the values (item 2); illustrations are drawn from
 * the step's own data (item 4).
 */
import { EVERY_MAILBOX } from '../../../shared/registration/reach';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  mergeClasses,
  ProgressBar,
  Switch,
  Text,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircle20Filled } from '@fluentui/react-icons/svg/checkmark-circle';
import { ChevronDown20Regular } from '@fluentui/react-icons/svg/chevron-down';
import { ChevronRight20Regular } from '@fluentui/react-icons/svg/chevron-right';
import { Circle20Regular } from '@fluentui/react-icons/svg/circle';
import { SubtractCircle20Regular } from '@fluentui/react-icons/svg/subtract-circle';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Step, StepPlace } from '../../../shared/catalogue/types';
import { profileOf } from '../catalogue';
import { illustrationData, orgName } from '../illustration-data';
import { useWizardContext } from '../state/WizardContext';
import { useAnnounce } from './Announcer';
import { ChecklistPasteFields } from './ChecklistPasteFields';
import { Markdown } from './Markdown';
import { PortalIllustration } from './PortalIllustration';
import { PortalLink } from './PortalLink';
import { ValueBox } from './ValueBox';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  sticky: {
    position: 'sticky',
    top: 0,
    zIndex: 2,
    backgroundColor: tokens.colorNeutralBackground2,
    padding: `${tokens.spacingVerticalS} 0`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  stickyRow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', justifyContent: 'space-between' },
  heading: { margin: 0 },
  toggle: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    width: '100%',
    textAlign: 'left',
    background: 'none',
    border: 'none',
    padding: 0,
    font: 'inherit',
    color: 'inherit',
    cursor: 'pointer',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px', borderRadius: tokens.borderRadiusSmall },
  },
  title: { flex: 1, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  titleDone: { fontWeight: tokens.fontWeightRegular, fontSize: tokens.fontSizeBase300, color: tokens.colorNeutralForeground2 },
  collapsed: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}` },
  open: { boxShadow: tokens.shadow8, border: `1px solid ${tokens.colorBrandStroke2}` },
  doneIcon: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0 },
  todoIcon: { color: tokens.colorNeutralForeground3, flexShrink: 0 },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  copies: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  question: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
});

export const PLACES: Record<StepPlace, string> = {
  entra: 'Microsoft Entra admin center',
  'm365-admin': 'Microsoft 365 admin center',
  'exchange-powershell': 'Exchange Online PowerShell',
  target: 'In your system',
  assistant: 'In this assistant',
};

/** The "only if ..." question in front of an optional step (answered No = not needed, skipped). */
export function optionalQuestion(step: Step): string {
  switch (step.id) {
    case 'admin-consent':
      return 'Does your organization make people ask an administrator before they approve an app (“Need admin approval”)? If you are not sure, an administrator can do this step anyway.';
    case 'assign-users':
      return 'Is “Assignment required?” set to Yes on the enterprise application (so only assigned people may sign in)?';
    case 'mail-protocols':
      return 'Is Authenticated SMTP (or IMAP) turned off for this mailbox? New tenants and security defaults turn it off; the test on screen “Test” tells you if it is.';
    case 'several-users':
      return 'Will several people send mail from their own address through this system?';
    case 'limit-mailbox':
      return 'Should the app reach only this one mailbox instead of every mailbox in your organization?';
    case 'every-mailbox':
      return `Must the app reach ${EVERY_MAILBOX}, not only this one? It could then read and send the mail of every person there. If you are not sure, skip it.`;
    default:
      return `Only if it applies to you: ${step.title}. Does it?`;
  }
}

export const SKIP_PREFIX = 'skip:';
export type StepStatus = 'done' | 'skipped' | 'todo';

export function statusOf(step: Step, ticks: readonly string[]): StepStatus {
  if (ticks.includes(step.id)) return 'done';
  if (ticks.includes(`${SKIP_PREFIX}${step.id}`)) return 'skipped';
  return 'todo';
}

/** Required steps not ticked yet (optional ones count only when the user answered Yes and left them open). */
export function unfinishedRequired(steps: readonly Step[], ticks: readonly string[]): Step[] {
  return steps.filter((s) => !s.optional && statusOf(s, ticks) === 'todo');
}

export interface ChecklistProps {
  /** The steps, in order (from the catalogue). */
  steps: readonly Step[];
  /** Ids of the steps the user has ticked (and `skip:<id>` for optional steps answered "No"). */
  ticks: readonly string[];
  /** Called when the user ticks or unticks a step (id may be `skip:<id>`). */
  onTick: (id: string, done: boolean) => void;
  /** Accessible name of the list. */
  label?: string;
  /** Extra content rendered inside a step's card, after its values (e.g. a paste field). */
  renderExtra?: (step: Step) => ReactNode;
  /** Heading level of the step titles (3 on screen 4). */
  level?: 3 | 4;
  /** Id used for the sticky header and the show-all switch (two lists on one screen need different ids). */
  id?: string;
  /** Render the paste fields of the IDs and the secret inside their steps (default: yes, where a step shows them). */
  pasteFields?: boolean;
  /** Steps the assistant did itself (from what main saved): shown done "by the assistant", with no tick box. */
  byAssistant?: readonly string[];
}

/**
 * The copy boxes a step shows besides its body: a command block whose every line the body already shows as a
 * command (each with its own Copy) is not shown a second time.
 */
export function extraCopies(step: Pick<Step, 'body' | 'copy'>): Step['copy'] {
  const shown = new Set(step.body.split('\n').filter((l) => /^ {4}\S/.test(l)).map((l) => l.trim()));
  return step.copy.filter((c) => c.secret || !c.value.split('\n').every((l) => shown.has(l.trim())));
}

function ChecklistStep(props: {
  step: Step;
  index: number;
  total: number;
  status: StepStatus;
  open: boolean;
  showAll: boolean;
  answeredYes: boolean;
  level: 3 | 4;
  onToggle: () => void;
  onTick: (done: boolean) => void;
  onAnswer: (yes: boolean) => void;
  extra?: ReactNode;
  byAssistant: boolean;
}) {
  const styles = useStyles();
  const w = useWizardContext();
  const { step, status } = props;
  const titleId = `step-${step.id}-title`;
  const bodyId = `step-${step.id}-body`;
  const expanded = props.open || props.showAll;
  const art = useMemo(() => {
    if (!w || !step.illustration) return undefined;
    try {
      return illustrationData(step, w.target, profileOf(w.draft, w.target));
    } catch {
      return undefined;
    }
  }, [w, step]);
  const org = w ? orgName(w.draft.profile) : undefined;
  const copies = extraCopies(step);
  const Heading = props.level === 4 ? 'h4' : 'h3';
  const askFirst = step.optional && status === 'todo' && !props.answeredYes && !props.showAll;
  return (
    <li data-step={step.id} data-state={expanded ? 'open' : status === 'todo' ? 'closed' : status}>
      <Card className={mergeClasses(!expanded && styles.collapsed, props.open && !props.showAll && styles.open)} aria-labelledby={titleId}>
        <Heading className={styles.heading}>
          <button type="button" className={styles.toggle} aria-expanded={expanded} aria-controls={expanded ? bodyId : undefined} onClick={props.onToggle} id={titleId}>
            {status === 'done' ? (
              <CheckmarkCircle20Filled className={styles.doneIcon} aria-label="done" />
            ) : status === 'skipped' ? (
              <SubtractCircle20Regular className={styles.todoIcon} aria-label="not needed" />
            ) : expanded ? (
              <ChevronDown20Regular className={styles.todoIcon} aria-hidden />
            ) : (
              <ChevronRight20Regular className={styles.todoIcon} aria-hidden />
            )}
            <span className={mergeClasses(styles.title, !expanded && status !== 'todo' && styles.titleDone)}>
              Step {props.index + 1} of {props.total} — {step.title}
              {status === 'skipped' ? ' (not needed)' : props.byAssistant ? ' (done by the assistant)' : ''}
            </span>
            {!expanded && status === 'todo' && <Circle20Regular className={styles.todoIcon} aria-hidden />}
          </button>
        </Heading>
        {expanded && (
          <div className={styles.body} id={bodyId}>
            <div className={styles.badges}>
              <Badge appearance="tint" color="brand">
                {PLACES[step.where]}
              </Badge>
              {step.optional && (
                <Badge appearance="outline" color="informative">
                  Only if it applies
                </Badge>
              )}
            </div>
            {askFirst ? (
              <div className={styles.question} data-testid="optional-question">
                <Text weight="semibold">{optionalQuestion(step)}</Text>
                <div className={styles.actions}>
                  <Button appearance="primary" onClick={() => props.onAnswer(true)}>
                    Yes, show me how
                  </Button>
                  <Button onClick={() => props.onAnswer(false)}>No, skip it</Button>
                </div>
              </div>
            ) : (
              <>
                <div>
                  <Markdown source={withOrg(step.body, org)} />
                </div>
                {copies.length > 0 && (
                  <div className={styles.copies}>
                    {copies.map((c, i) =>
                      c.secret ? (
                        <SecretHeld key={`${c.label}-${i}`} label={c.label} />
                      ) : (
                        <ValueBox key={`${c.label}-${i}`} label={c.label} value={c.value} unknown={(c as { unknown?: boolean }).unknown} />
                      ),
                    )}
                  </div>
                )}
                {props.extra}
                {art && <PortalIllustration data={art} />}
                <div className={styles.actions}>
                  {step.link && <PortalLink label={step.link.label} url={step.link.url} />}
                  {props.byAssistant ? (
                    <Text data-testid="step-done-by-assistant">Done by the assistant: it made this in the target and read it back.</Text>
                  ) : (
                    <Checkbox checked={status === 'done'} onChange={(_, d) => props.onTick(d.checked === true)} label={`Done: ${step.title}`} />
                  )}
                  {status === 'skipped' && (
                    <Button appearance="subtle" onClick={() => props.onAnswer(true)}>
                      It applies after all
                    </Button>
                  )}
                </div>
              </>
            )}
          </div>
        )}
      </Card>
    </li>
  );
}

/** The portal's literal `<Org>` / `<tenant>` as the organisation's name, when it is known (item 7). */
export function withOrg(text: string, org: string | undefined): string {
  if (!org || org === 'your organization') return text;
  return text.replaceAll('<Org>', org).replaceAll('<tenant>', org);
}

/** Where the secret goes: the assistant holds it (never in the page); copying it is a separate, deliberate action. */
function SecretHeld(props: { label: string }) {
  const w = useWizardContext();
  return (
    <div data-value-box="secret">
      <Text size={200} weight="semibold" block>
        {props.label}
      </Text>
      <Text size={200} block>
        {w?.hasSecret
          ? 'The client secret Value you pasted earlier, held by the assistant. Use “Copy the card with the secret” on this screen when you are ready to paste it.'
          : 'The client secret Value: paste it on the “Credentials” screen first.'}
      </Text>
    </div>
  );
}

/** Keeps keyboard users in place when a step collapses: focus moves to the title of the step that opens. */
function focusStep(id: string) {
  requestAnimationFrame(() => document.getElementById(`step-${id}-title`)?.focus());
}

/** The first step still to do, from `from` on (wrapping), or undefined when all are done. */
function nextTodo(steps: readonly Step[], ticks: readonly string[], from = 0): string | undefined {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[(from + i) % steps.length]!;
    if (statusOf(s, ticks) === 'todo') return s.id;
  }
  return undefined;
}

/** A manual checklist: the steps with their values, tickable; progress in a sticky header. */
export function Checklist(props: ChecklistProps) {
  const styles = useStyles();
  const announce = useAnnounce();
  const { steps } = props;
  // What the assistant did counts as done, as a tick would (it is never saved as one).
  const ticks = useMemo(() => (props.byAssistant?.length ? [...props.ticks, ...props.byAssistant] : props.ticks), [props.ticks, props.byAssistant]);
  const listId = props.id ?? 'checklist';
  const [openId, setOpenId] = useState<string | undefined>(() => nextTodo(steps, ticks));
  const [showAll, setShowAll] = useState(false);
  const [yes, setYes] = useState<Set<string>>(new Set());
  const done = steps.filter((s) => statusOf(s, ticks) !== 'todo').length;
  const openIndex = steps.findIndex((s) => s.id === openId);

  // Steps can change under the list (details edited): keep the open one if it still exists.
  useEffect(() => {
    if (openId && !steps.some((s) => s.id === openId)) setOpenId(nextTodo(steps, ticks));
  }, [steps, ticks, openId]);

  const after = (id: string, nextTicks: readonly string[]) => {
    const i = steps.findIndex((s) => s.id === id);
    return nextTodo(steps, nextTicks, i + 1);
  };

  const tick = (step: Step, on: boolean) => {
    props.onTick(step.id, on);
    if (on) {
      const nextTicks = [...ticks, step.id];
      const n = after(step.id, nextTicks);
      setOpenId(n);
      focusStep(n ?? step.id);
    }
  };

  const answer = (step: Step, isYes: boolean) => {
    if (isYes) {
      setYes((y) => new Set(y).add(step.id));
      if (statusOf(step, ticks) === 'skipped') props.onTick(`${SKIP_PREFIX}${step.id}`, false);
      setOpenId(step.id);
      return;
    }
    props.onTick(`${SKIP_PREFIX}${step.id}`, true);
    const n = after(step.id, [...ticks, `${SKIP_PREFIX}${step.id}`]);
    setOpenId(n);
    focusStep(n ?? step.id);
    announce(`${step.title}: not needed.`);
  };

  const current = openIndex >= 0 ? steps[openIndex] : undefined;
  return (
    <>
      <div className={styles.sticky} data-testid={`${listId}-header`}>
        <div className={styles.stickyRow}>
          <Text weight="semibold" size={400} aria-live="polite">
            {current ? `Step ${openIndex + 1} of ${steps.length} · ${current.title}` : done === steps.length ? `All ${steps.length} steps done` : `${done} of ${steps.length} steps done`}
          </Text>
          <Switch
            checked={showAll}
            onChange={(_, d) => setShowAll(d.checked)}
            label="Show all steps (for printing)"
            id={`${listId}-show-all`}
          />
        </div>
        <ProgressBar value={steps.length ? done / steps.length : 0} thickness="large" aria-label={`${done} of ${steps.length} steps done`} />
        <Text size={200}>
          {done} of {steps.length} done · saved as you tick
        </Text>
      </div>
      <ol className={styles.list} aria-label={props.label ?? 'Checklist'}>
        {steps.map((step, index) => (
          <ChecklistStep
            key={step.id}
            step={step}
            index={index}
            total={steps.length}
            status={statusOf(step, ticks)}
            open={openId === step.id}
            showAll={showAll}
            answeredYes={yes.has(step.id)}
            level={props.level ?? 3}
            onToggle={() => setOpenId((o) => (o === step.id ? undefined : step.id))}
            onTick={(on) => tick(step, on)}
            onAnswer={(isYes) => answer(step, isYes)}
            byAssistant={props.byAssistant?.includes(step.id) ?? false}
            extra={
              <>
                {(props.pasteFields ?? true) && <ChecklistPasteFields step={step} />}
                {props.renderExtra?.(step)}
              </>
            }
          />
        ))}
      </ol>
    </>
  );
}

/**
 * Next on a checklist screen: asks first when required steps are unticked (item 3). Returns the
 * handler for the Next button and the dialog to render.
 */
export function useChecklistGate(steps: readonly Step[], ticks: readonly string[], onNext: () => void, what = 'the portal') {
  const [asking, setAsking] = useState(false);
  const missing = unfinishedRequired(steps, ticks);
  // An inline question, not a modal dialog: it keeps the page's focus order and never hides the page (axe).
  const dialog = asking && missing.length > 0 && (
    <MessageBar intent="warning" layout="multiline" role="alertdialog" aria-labelledby="gate-title" data-testid="checklist-gate">
      <MessageBarBody>
        <MessageBarTitle id="gate-title">
          {missing.length} step{missing.length === 1 ? ' is' : 's are'} not ticked yet
        </MessageBarTitle>
        Without them, the sign-in or the test will fail. Not ticked:
        <ul data-testid="unticked-steps">
          {missing.map((s) => (
            <li key={s.id}>
              Step {steps.indexOf(s) + 1}: {s.title}
            </li>
          ))}
        </ul>
        If you did them in {what} already, continue.
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={() => setAsking(false)} id="gate-back">
          Back to the steps
        </Button>
        <Button
          onClick={() => {
            setAsking(false);
            onNext();
          }}
        >
          Continue anyway
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
  const ask = () => {
    setAsking(true);
    requestAnimationFrame(() => document.getElementById('gate-back')?.focus());
  };
  return { onNext: () => (missing.length ? ask() : onNext()), dialog, missing };
}
