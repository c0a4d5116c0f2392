import { Badge, Button, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens } from '@fluentui/react-components';
import { SearchInfo20Regular } from '@fluentui/react-icons/svg/search-info';
import { Wrench20Regular } from '@fluentui/react-icons/svg/wrench';
import { useState } from 'react';
import type { TargetEntry } from '../../../../shared/catalogue/types';
import type { Diagnosis } from '../../../../shared/diagnosis/types';
import type { ApplyResult, LintReport, PlanChoices, PlanView } from '../../../../shared/ipc/registration';
import { getApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { DiagnosisCard } from '../../components/DiagnosisCard';
import { formatDate } from '../../components/format';
import type { Draft, ProfilePatch } from '../../state/useWizard';
import { useElapsed } from '../../state/useElapsed';
import { AdminHeader } from './AdminHeader';
import { FindingList } from './FindingList';
import { ManualStepsCard } from './ManualStepsCard';
import { PlanList } from './PlanList';
import { AssignmentOptIn, PlanReach } from './PlanChoices';
import { ProgressList } from './ProgressList';
import { BrowserSignInWaiting } from './BrowserSignInWaiting';
import { useAdmin, useRegistrationProgress, type Adopt } from './useRegistration';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Phase = { kind: 'idle' } | { kind: 'busy'; what: 'sign-in' | 'lint' | 'plan' | 'fix' } | { kind: 'failed'; diagnosis: Diagnosis } | { kind: 'error'; message: string } | { kind: 'cancelled' };

/** The lint (and its fix) as a panel: used by "Check the one I have" and by the portal path's "Check what I did". */
export function LintPanel(props: { draft: Draft; target: TargetEntry; update: (patch: ProfilePatch) => void; adopt: Adopt; method: 'checked' | 'manual'; askClientId: boolean }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const { admin, signInApp, systemBrowser, waiting, ensure, switchToWindow, signOut, refresh: refreshAdmin } = useAdmin();
  const progress = useRegistrationProgress();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [report, setReport] = useState<LintReport | null>(null);
  const [fixed, setFixed] = useState<ApplyResult | null>(null);
  const [plan, setPlan] = useState<(PlanView & { planId: string }) | null>(null);
  const running = phase.kind === 'busy';
  const elapsed = useElapsed(running);
  const clientId = (props.draft.profile.clientId ?? '').trim();
  const validId = GUID.test(clientId);

  const signIn = async (purpose: 'read' | 'write'): Promise<boolean> => {
    setPhase({ kind: 'busy', what: 'sign-in' });
    const o = await ensure(props.draft.id, purpose);
    if (o.status === 'signed-in') {
      if (!props.draft.profile.tenant) props.update({ tenant: o.admin.tenantId });
      return true;
    }
    if (o.status === 'error') setPhase({ kind: 'error', message: o.message });
    else if (o.status === 'failed') setPhase({ kind: 'failed', diagnosis: o.diagnosis });
    else setPhase({ kind: 'cancelled' });
    return false;
  };

  const check = async () => {
    setFixed(null);
    setPlan(null);
    if (!(await signIn('read'))) return;
    setPhase({ kind: 'busy', what: 'lint' });
    announce('Reading the registration from Microsoft Entra');
    const r = await api.registration.lint({ profileId: props.draft.id, clientId, method: props.method });
    if (!r.ok) return setPhase({ kind: 'error', message: r.error.message });
    await props.adopt(r.value.record);
    setReport(r.value);
    setPhase({ kind: 'idle' });
    const n = r.value.findings.length;
    announce(!r.value.appFound ? 'No app registration with this client ID in this tenant' : n ? `${n} finding${n === 1 ? '' : 's'}` : 'No problems found');
  };

  /** Nothing is written before the person has seen what will change: the plan, read from the tenant as it is now. */
  const review = async (choice: PlanChoices = {}) => {
    setFixed(null);
    if (!(await signIn('read'))) return;
    setPhase({ kind: 'busy', what: 'plan' });
    // One choice changed, the other kept: the plan is made again with both (and its digest covers both).
    const choices: PlanChoices = { ...(plan?.choices.requireAssignment ? { requireAssignment: true } : {}), ...(plan?.mailAccess ? { mailAccess: plan.mailAccess.chosen } : {}), ...choice };
    if (choices.requireAssignment === false) delete choices.requireAssignment;
    const r = await api.registration.plan({ profileId: props.draft.id, mode: 'fix', ...(Object.keys(choices).length ? { choices } : {}) });
    if (!r.ok) return setPhase({ kind: 'error', message: r.error.message });
    setPlan(r.value);
    setPhase({ kind: 'idle' });
    announce(r.value.steps.length ? `${r.value.steps.length} change${r.value.steps.length === 1 ? '' : 's'} planned; nothing is changed until you confirm` : 'Nothing to change');
  };

  const fixAll = async () => {
    // Main applies only the plan that was shown (its id); it asks its own native question before writing.
    const planId = plan?.planId;
    if (!planId) return;
    progress.reset();
    setPlan(null);
    if (!(await signIn('write'))) return;
    setPhase({ kind: 'busy', what: 'fix' });
    announce('Fixing the registration');
    const r = await api.registration.apply({ profileId: props.draft.id, mode: 'fix', planId });
    if (!r.ok) return setPhase({ kind: 'error', message: r.error.message });
    await props.adopt(r.value.record);
    setFixed(r.value);
    setReport((rep) => (rep ? { ...rep, checkedAt: new Date().toISOString(), findings: r.value.findings, manualSteps: r.value.manualSteps, status: r.value.findings.some((f) => f.severity === 'error') ? 'errors' : r.value.findings.some((f) => f.severity === 'warning') ? 'warnings' : 'clean' } : rep));
    setPhase(r.value.diagnosis ? { kind: 'failed', diagnosis: r.value.diagnosis } : { kind: 'idle' });
    announce(r.value.status === 'done' ? `Fixed: ${r.value.applied.length} change${r.value.applied.length === 1 ? '' : 's'}, checked again` : `Not everything was fixed: ${r.value.diagnosis?.title ?? ''}`);
  };

  const fixable = report?.findings.filter((f) => f.fixable) ?? [];
  // "Assignment required? is No" is not part of Fix everything; its opt-in lives on the plan, reachable on its own too.
  const assignmentOff = !!report?.findings.some((f) => f.code === 'registration-assignment-not-required');
  const purpose = fixable.length ? 'write' : 'read';

  return (
    <div className={styles.stack} data-testid="lint-panel">
      {props.askClientId && (
        <Field
          label="Application (client) ID of the registration you have"
          hint="On the app's Overview page in Microsoft Entra; paste it here."
          required
          {...(clientId && !validId ? { validationState: 'error' as const, validationMessage: 'A client ID looks like 11111111-2222-4333-8444-000000000001.' } : {})}
        >
          <Input id="check-clientId" className={styles.mono} value={props.draft.profile.clientId ?? ''} placeholder="00000000-0000-0000-0000-000000000000" spellCheck={false} onChange={(_, d) => props.update({ clientId: d.value.trim() })} />
        </Field>
      )}
      <AdminHeader target={props.target} mailbox={props.draft.profile.mailbox ?? ''} purpose={purpose} admin={admin} signInApp={signInApp} inBrowser={systemBrowser} onSignInAppChanged={() => void refreshAdmin()} {...(admin && !running ? { onSignOut: () => void signOut() } : {})} />
      {!running && (
        <div className={styles.row}>
          <Button appearance={report ? 'secondary' : 'primary'} icon={<SearchInfo20Regular />} disabled={!validId} onClick={() => void check()}>
            {props.method === 'manual' ? 'Check what I did' : admin ? 'Check it' : 'Sign in and check it'}
          </Button>
          {fixable.length > 0 && !plan && (
            <Button appearance="primary" icon={<Wrench20Regular />} onClick={() => void review({})}>
              Fix everything ({fixable.length})…
            </Button>
          )}
          {fixable.length === 0 && assignmentOff && !plan && (
            <Button appearance="secondary" icon={<Wrench20Regular />} onClick={() => void review({})}>
              Review the assignment option…
            </Button>
          )}
          {!validId && <Text size={200}>Paste the client ID first.</Text>}
        </div>
      )}
      {plan && !running && (
        <section aria-labelledby="fix-plan-title" className={styles.stack} data-testid="fix-plan">
          <Text as="h3" id="fix-plan-title" weight="semibold" size={400}>
            What the assistant will change in “{plan.displayName}”
          </Text>
          {plan.steps.length ? (
            <PlanList steps={plan.steps} />
          ) : (
            <Text>Nothing to change: the registration already matches.</Text>
          )}
          <AssignmentOptIn plan={plan} onChange={(on) => void review({ requireAssignment: on })} />
          <PlanReach
            plan={plan}
            mailbox={props.draft.profile.mailbox ?? ''}
            onMailAccess={(m) => {
              announce(m === 'mailbox' ? `Only ${props.draft.profile.mailbox ?? 'the mailbox'}` : 'Every mailbox in your organisation');
              void review({ mailAccess: m });
            }}
          />
          {plan.unfixable.length > 0 && <Text size={200}>Not changed by the assistant (someone must act, see the findings): {plan.unfixable.map((f) => f.diagnosis.title).join('; ')}.</Text>}
          <Text size={200}>Only these changes are made; everything else on the registration stays as it is. Each change is read back afterwards.{admin?.canWrite ? '' : ' Changing it needs an administrator to sign in with write permissions.'}</Text>
          <div className={styles.row}>
            {plan.steps.length > 0 && (
              <Button appearance="primary" icon={<Wrench20Regular />} onClick={() => void fixAll()}>
                Make {plan.steps.length === 1 ? 'this change' : `these ${plan.steps.length} changes`}
              </Button>
            )}
            <Button onClick={() => (setPlan(null), announce('Nothing was changed'))}>Not now</Button>
          </div>
        </section>
      )}
      {phase.kind === 'busy' && phase.what === 'sign-in' && waiting === 'browser' && (
        <BrowserSignInWaiting mailbox={props.draft.profile.mailbox ?? ''} elapsedSeconds={Math.floor(elapsed / 1000)} onCancel={() => void api.registration.cancel()} onUseWindow={switchToWindow} />
      )}
      {(running || progress.rows.length > 0) && !(phase.kind === 'busy' && phase.what === 'sign-in' && waiting === 'browser') && (
        <ProgressList
          rows={progress.rows}
          running={running}
          status={phase.kind === 'busy' ? (phase.what === 'sign-in' ? 'Waiting for the sign-in' : phase.what === 'lint' ? 'Reading the registration' : phase.what === 'plan' ? 'Working out what to change' : 'Fixing') : undefined}
          elapsedSeconds={Math.floor(elapsed / 1000)}
          onCancel={() => void api.registration.cancel()}
        />
      )}
      {phase.kind === 'cancelled' && (
        <MessageBar intent="info">
          <MessageBarBody>{systemBrowser ? 'The sign-in was cancelled.' : 'The sign-in window was closed.'} Nothing was read or changed.</MessageBarBody>
        </MessageBar>
      )}
      {phase.kind === 'error' && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>The check could not run</MessageBarTitle>
            {phase.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {phase.kind === 'failed' && <DiagnosisCard diagnosis={phase.diagnosis} />}
      {fixed?.status === 'done' && (
        <MessageBar intent="success" data-testid="fix-success">
          <MessageBarBody>
            <MessageBarTitle>Fixed and checked again</MessageBarTitle>
            {fixed.applied.length} change{fixed.applied.length === 1 ? '' : 's'} made (listed above) and read back from Microsoft Entra.{fixed.secret ? ' The new secret is saved with this connection and never shown here.' : ''}
          </MessageBarBody>
        </MessageBar>
      )}
      {report && !report.appFound && (
        <MessageBar intent="warning" data-testid="lint-not-found">
          <MessageBarBody>
            <MessageBarTitle>No app registration with this client ID in this tenant</MessageBarTitle>
            Check the ID on the app&apos;s Overview page, or sign in to the tenant it lives in. Or let the assistant create one.
          </MessageBarBody>
        </MessageBar>
      )}
      {report && report.appFound && (
        <section aria-labelledby="lint-title" className={styles.stack} data-testid="lint-report" data-status={report.status}>
          <div className={styles.row}>
            <Text as="h3" id="lint-title" weight="semibold" size={400}>
              {report.displayName ? `“${report.displayName}”` : 'The registration'}: {report.findings.length ? `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}` : 'no problems'}
            </Text>
            <Badge appearance="outline">Checked {formatDate(report.checkedAt)}</Badge>
          </div>
          <FindingList findings={report.findings} label="Findings" />
          <ManualStepsCard steps={report.manualSteps} />
        </section>
      )}
    </div>
  );
}
