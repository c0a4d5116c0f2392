import { Button, Card, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Switch, Text, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons/svg/arrow-download';
import { CalendarClock20Regular } from '@fluentui/react-icons/svg/calendar-clock';
import { Copy20Regular } from '@fluentui/react-icons/svg/copy';
import { DocumentText20Regular } from '@fluentui/react-icons/svg/document-text';
import { useMemo, useState } from 'react';
import { REMINDER_DAYS_BEFORE, type FormatId } from '../../../shared/catalogue/formats';
import type { TargetEntry } from '../../../shared/catalogue/types';
import { getApi } from '../api';
import { pasteCard, profileOf, targetSteps } from '../catalogue';
import { Checklist, statusOf } from '../components/Checklist';
import { CopySecret } from '../components/CopySecret';
import { DiagnosisCard } from '../components/DiagnosisCard';
import { ValueBox } from '../components/ValueBox';
import { useWizardContext } from '../state/WizardContext';
import { CHECK_LABELS, type CheckResult } from '../../../shared/checks';
import { useAnnounce } from '../components/Announcer';
import { daysUntil, formatDay } from '../components/format';
import { Markdown } from '../components/Markdown';
import { Screen } from '../components/Screen';
import { canPushTo, PushToTarget } from '../components/PushToTarget';
import { RenewSecret } from '../components/RenewSecret';
import { isRelayTarget, RelayDeviceSetup } from '../components/RelayDeviceSetup';
import { WhoSignsInWithPassword } from '../components/WhoSignsInWithPassword';
import type { Draft } from '../state/useWizard';
import type { TargetPlanView } from '../../../shared/ipc/target';
import { assistantDid } from '../assistant-did';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  formats: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  formatRow: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap', justifyContent: 'space-between' },
  muted: { color: tokens.colorNeutralForeground2 },
  secretNote: { color: tokens.colorNeutralForeground2, fontStyle: 'italic' },
});

export const FORMAT_LABELS: Record<FormatId, string> = {
  'paste-card': 'Paste card (text)',
  'profile-json': 'Connection profile (JSON, for the mail-oauth command)',
  env: 'Environment file (.env)',
  'emailengine-oauth2-json': 'EmailEngine OAuth2 app (JSON for POST /v1/oauth2)',
  'emailengine-curl': 'EmailEngine API call (curl)',
  'odoo-system-parameters': 'System parameters',
  'frappe-connected-app': 'Frappe Connected App (JSON)',
  'report-html': 'Hand-over report (HTML)',
  'ics-reminder': 'Secret expiry reminder (calendar .ics)',
};

/** A paste-card field as an instruction when it is not a value to type: a box to tick, a value the system fills in itself (item 13). */
function FieldLine(props: { label: string; value: string; note?: string }) {
  const styles = useStyles();
  if (props.value === 'ticked')
    return (
      <Text block data-field-kind="tick">
        Tick <strong>{props.label}</strong>.
      </Text>
    );
  if (props.note === 'filled in automatically')
    return (
      <Text block data-field-kind="auto" className={styles.muted}>
        <strong>{props.label}</strong>: {props.value}. The system fills this in itself.
      </Text>
    );
  return <ValueBox label={props.note ? `${props.label} (${props.note})` : props.label} value={props.value} />;
}

export function Done(props: { draft: Draft; target: TargetEntry; hasSecret: boolean; onBack: () => void; onHome: () => void; results?: readonly CheckResult[] }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const [includeSecret, setIncludeSecret] = useState(false);
  const [saved, setSaved] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [pushBusy, setPushBusy] = useState(false);
  /** The plan the card read last (null: none since the card opened, or a push or restore since). */
  const [readPlan, setReadPlan] = useState<TargetPlanView | null>(null);
  const [restored, setRestored] = useState(false);
  const [showSteps, setShowSteps] = useState(false);
  // From what was written (the saved last push, the plan read since): a configured push folds the manual steps;
  // a plan with changes (after "Not now", or a target changed since) shows them as they are.
  const did = assistantDid(props.draft, readPlan);
  const doneByAssistant = did.all && !restored && !showSteps;
  const card = useMemo(() => pasteCard(props.target, profileOf(props.draft, props.target)), [props.draft, props.target]);
  const run = props.draft.lastRun;
  const w = useWizardContext();
  const steps = useMemo(() => targetSteps(props.target, profileOf(props.draft, props.target)), [props.draft, props.target]);
  const ticks = props.draft.wizard.ticks;
  const failures = (props.results ?? []).filter((r) => r.status === 'failed');
  const tick = (id: string, on: boolean) => {
    const nextTicks = on ? [...new Set([...ticks, id])] : ticks.filter((t) => t !== id);
    w?.setTicks?.(nextTicks);
    announce(`${on ? 'Marked done' : 'Marked not done'}. ${steps.filter((s) => statusOf(s, nextTicks) !== 'todo').length} of ${steps.length} steps in ${props.target.displayName} done, saved.`);
  };
  const days = daysUntil(props.draft.profile.secretExpires);

  /** Into this customer's folder (no dialog); `elsewhere`: the save dialog. */
  const save = async (format: string, elsewhere = false) => {
    setError(null);
    const r = await api.export.save({ profileId: props.draft.id, format, includeSecret, elsewhere });
    if (!r.ok) {
      setError(r.error.message);
      announce(`Could not export: ${r.error.message}`);
      return;
    }
    if (r.value.savedTo) {
      setSaved((s) => ({ ...s, [format]: r.value.savedTo! }));
      announce(`Saved to ${r.value.savedTo}`);
    } else announce('Not saved');
  };

  const copyFormat = async (format: string, what: string) => {
    setError(null);
    // Main makes and copies it: with the secret only after its own confirmation dialog (the renderer never holds the secret).
    const r = await api.export.copy({ profileId: props.draft.id, format, includeSecret });
    if (!r.ok) {
      setError(r.error.message);
      announce(`Could not make the ${what}: ${r.error.message}`);
      return;
    }
    announce(r.value.copied ? `${what} copied${r.value.secretIncluded ? ', including the secret (cleared from the clipboard in one minute)' : ''}` : `The ${what} was not copied`);
  };

  const formats = props.target.exports.filter((f) => f !== 'paste-card');
  return (
    <Screen
      id="done"
      title={`Put the values into ${props.target.displayName}`}
      lead="Everything below is tested and in your system's own words; paste it where each section says, then keep the report."
      onBack={pushBusy ? undefined : props.onBack}
      onNext={props.onHome}
      nextLabel="Back to the start"
      nextDisabled={pushBusy}
    >
      <div className={styles.stack}>
        {run && (
          <MessageBar intent={run.status === 'passed' ? 'success' : 'error'} layout="multiline" data-testid="done-verdict">
            <MessageBarBody>
              <MessageBarTitle>{run.status === 'passed' ? 'Working: all checks passed' : `Not working yet: ${run.failed} check${run.failed === 1 ? '' : 's'} failed`}</MessageBarTitle>
              {run.status === 'passed'
                ? 'The registration, sign-in and mail connections work. Now put the values into your system.'
                : failures.length
                  ? 'Fix what is below first, then run the test again; the values and the report are ready when you are.'
                  : 'Go back to the test to see what failed and how to fix it; the report says what still fails.'}
            </MessageBarBody>
          </MessageBar>
        )}
        {run?.status === 'failed' && (
          <section aria-labelledby="broken-title" className={styles.section} data-testid="done-broken">
            <Text as="h3" id="broken-title" weight="semibold" size={500}>
              What is broken
            </Text>
            {failures.map((r) =>
              r.diagnosis ? (
                <DiagnosisCard key={r.id} diagnosis={r.diagnosis} />
              ) : (
                <Text key={r.id} block>
                  {CHECK_LABELS[r.id].title} failed.
                </Text>
              ),
            )}
            <div className={styles.row}>
              <Button appearance="primary" onClick={props.onBack}>
                Back to the test
              </Button>
            </div>
          </section>
        )}

        {isRelayTarget(props.target) && <RelayDeviceSetup profileId={props.draft.id} target={props.target} />}
        {isRelayTarget(props.target) && <WhoSignsInWithPassword profileId={props.draft.id} />}
        {canPushTo(props.target) && <PushToTarget profileId={props.draft.id} target={props.target} saved={props.draft.targetConnection} onBusy={setPushBusy} onPlan={setReadPlan} onPushed={() => (setRestored(false), setShowSteps(false))} onRestored={() => setRestored(true)} />}
        {steps.length > 0 && doneByAssistant && (
          <section aria-labelledby="target-steps-title" className={styles.section} data-testid="target-steps" data-done-by="assistant">
            <Text as="h3" id="target-steps-title" weight="semibold" size={500}>
              Set it up in {props.target.displayName}: done by the assistant
            </Text>
            <Text block className={styles.muted}>
              The push put every value into {props.target.displayName}, read it back, and {props.target.displayName}&apos;s own test passed: the {steps.length} manual step{steps.length === 1 ? '' : 's'} are not needed.
            </Text>
            <div className={styles.row}>
              <Button onClick={() => setShowSteps(true)}>Show the manual steps anyway</Button>
            </div>
          </section>
        )}
        {steps.length > 0 && !doneByAssistant && (
          <section aria-labelledby="target-steps-title" className={styles.section} data-testid="target-steps">
            <Text as="h3" id="target-steps-title" weight="semibold" size={500}>
              Set it up in {props.target.displayName}
            </Text>
            <Text block className={styles.muted}>
              Every value below is the tested one. Tick each step as you finish it; your ticks are saved.
            </Text>
            <Checklist id="target-checklist" steps={steps} ticks={ticks} byAssistant={did.steps} onTick={tick} label={`Steps in ${props.target.displayName}`} level={4} />
          </section>
        )}

        <Card appearance="filled-alternative">
          <Switch
            checked={includeSecret}
            onChange={(_, d) => {
              setIncludeSecret(d.checked);
              announce(d.checked ? 'Exports and copies now include the client secret' : 'Exports leave the client secret out');
            }}
            label="Include the client secret in copies and exports"
          />
          {includeSecret ? (
            <MessageBar intent="warning">
              <MessageBarBody>
                <MessageBarTitle>The secret will be in plain text</MessageBarTitle>
                Anyone who sees the copied text or the file can read and send this mailbox&apos;s mail. Paste it straight into {props.target.displayName}, do not e-mail it, and delete the file afterwards.
              </MessageBarBody>
            </MessageBar>
          ) : (
            <Text size={200} className={styles.muted} block>
              Off: the secret is replaced by a placeholder, so the card and the report are safe to screenshot or send.
              {!props.hasSecret && ' (No secret is saved for this connection.)'}
            </Text>
          )}
        </Card>

        <section aria-labelledby="card-title" className={styles.section}>
          <div className={styles.row}>
            <Text as="h3" id="card-title" weight="semibold" size={500}>
              {card.title}
            </Text>
            <Button icon={<Copy20Regular />} onClick={() => void copyFormat('paste-card', 'paste card')}>
              Copy the whole card
            </Button>
          </div>
          {card.sections.map((section) => (
            <Card key={section.title} data-testid="paste-section">
              <Text as="h4" weight="semibold" size={400}>
                {section.title}
              </Text>
              <Text size={200} className={styles.muted}>
                Where: {section.where}
              </Text>
              {section.fields.map((f, i) =>
                f.secret && !includeSecret ? (
                  <div key={i}>
                    <Text weight="semibold" size={200} block>
                      {f.label}
                    </Text>
                    <Text className={styles.secretNote} size={200}>
                      The client secret Value you pasted, held by the assistant (see Credentials for where it is kept). Copy secret copies just the Value; “Include the client secret” above puts it in the card instead.
                    </Text>
                    <CopySecret profileId={props.draft.id} hasSecret={props.hasSecret} />
                  </div>
                ) : f.secret ? (
                  <div key={i} className={styles.row}>
                    <Text weight="semibold" size={200}>
                      {f.label}
                    </Text>
                    <Button size="small" icon={<Copy20Regular />} onClick={() => void copyFormat('paste-card', 'paste card')}>
                      Copy the card with the secret
                    </Button>
                  </div>
                ) : (
                  <FieldLine key={i} label={f.label} value={f.value} note={f.note} />
                ),
              )}
              {section.notes?.map((n, i) => (
                <Markdown key={i} source={n} />
              ))}
            </Card>
          ))}
          {card.notes?.map((n, i) => (
            <Markdown key={i} source={n} />
          ))}
        </section>

        <section aria-labelledby="handover-title" className={styles.section}>
          <Text as="h3" id="handover-title" weight="semibold" size={500}>
            Hand over and remember
          </Text>
          <div className={styles.row}>
            <Button appearance="primary" icon={<DocumentText20Regular />} onClick={() => void save('report-html')}>
              Save the hand-over report
            </Button>
            <Button icon={<CalendarClock20Regular />} onClick={() => void save('ics-reminder')}>
              Save an expiry reminder (.ics)
            </Button>
            <Text size={200} className={styles.muted}>
              {days === undefined ? 'No expiry date recorded on the Credentials screen.' : days < 0 ? `The secret expired ${-days} days ago.` : `The secret expires in ${days} days (${formatDay(props.draft.profile.secretExpires)}); the reminder fires ${REMINDER_DAYS_BEFORE} days before.`}
            </Text>
          </div>
        </section>

        {w && props.draft.profile.clientId && (props.hasSecret || props.draft.profile.rotation) && <RenewSecret draft={props.draft} target={props.target} update={w.update} />}

        <section aria-labelledby="files-title" className={styles.section}>
          <Text as="h3" id="files-title" weight="semibold" size={500}>
            Other formats
          </Text>
          <ul className={styles.formats}>
            {formats.map((f) => (
              <li key={f} className={styles.formatRow} data-format={f}>
                <Text>{FORMAT_LABELS[f] ?? f}</Text>
                <div className={styles.row}>
                  {saved[f] && (
                    <>
                      <Text size={200} className={styles.muted} data-testid="saved-to">
                        Saved to {saved[f]}
                      </Text>
                      <Button size="small" appearance="subtle" aria-label={`Save elsewhere… ${FORMAT_LABELS[f] ?? f}`} onClick={() => void save(f, true)}>
                        Save elsewhere…
                      </Button>
                    </>
                  )}
                  <Button size="small" icon={<Copy20Regular />} aria-label={`Copy ${FORMAT_LABELS[f] ?? f}`} onClick={() => void copyFormat(f, FORMAT_LABELS[f] ?? f)}>
                    Copy
                  </Button>
                  <Button size="small" icon={<ArrowDownload20Regular />} aria-label={`Save ${FORMAT_LABELS[f] ?? f}`} onClick={() => void save(f)}>
                    Save
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        </section>
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
      </div>
    </Screen>
  );
}
