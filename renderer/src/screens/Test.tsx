import { Badge, Button, Card, makeStyles, MessageBarActions, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { ArrowClockwise20Regular } from '@fluentui/react-icons/svg/arrow-clockwise';
import { CheckmarkCircle20Filled } from '@fluentui/react-icons/svg/checkmark-circle';
import { Circle20Regular } from '@fluentui/react-icons/svg/circle';
import { DismissCircle20Filled } from '@fluentui/react-icons/svg/dismiss-circle';
import { SubtractCircle20Regular } from '@fluentui/react-icons/svg/subtract-circle';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import { CHECK_LABELS, DEFAULT_TIMEOUTS, NETWORK_SERVICES, parseNetworkProbe, type CheckId, type CheckResult, type NetworkService } from '../../../shared/checks';
import { getApi } from '../api';
import { checksFor, profileOf } from '../catalogue';
import { useAnnounce } from '../components/Announcer';
import { DiagnosisCard } from '../components/DiagnosisCard';
import { PasteError } from '../components/PasteError';
import { formatDuration } from '../components/format';
import { Screen } from '../components/Screen';
import type { Draft } from '../state/useWizard';
import { useElapsed } from '../state/useElapsed';
import { TestManualSteps } from './register/TestManualSteps';

const SERVICE_WORDS: Record<NetworkService, string> = { 'sign-in': 'Signing in (Microsoft Entra)', IMAP: 'Reading mail (IMAP)', SMTP: 'Sending mail (SMTP)', Graph: 'Mail through Microsoft Graph' };

/** One row per service the network check reached or not (issue 14 item 10): which one is blocked, and that the others work. */
function NetworkRows(props: { steps: CheckResult['steps'] }) {
  const rows = props.steps.flatMap((step) => {
    const probe = parseNetworkProbe(step.name);
    return probe ? [{ step, ...probe }] : [];
  });
  if (rows.length < 2) return null;
  rows.sort((a, b) => NETWORK_SERVICES.indexOf(a.service) - NETWORK_SERVICES.indexOf(b.service));
  return (
    <ul aria-label="Each service, from this computer" data-testid="network-rows" style={{ listStyle: 'none', margin: `${tokens.spacingVerticalXS} 0 0`, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS }}>
      {rows.map(({ step, service, target }) => (
        <li key={step.name} data-service={service} data-ok={step.ok ? 'yes' : 'no'} style={{ display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS }}>
          {step.ok ? <CheckmarkCircle20Filled primaryFill={tokens.colorPaletteGreenForeground1} aria-hidden /> : <DismissCircle20Filled primaryFill={tokens.colorPaletteRedForeground1} aria-hidden />}
          <Text size={200}>
            {SERVICE_WORDS[service]}: {step.ok ? 'reachable' : 'blocked or not answering'} <span style={{ color: tokens.colorNeutralForeground3 }}>({target})</span>
          </Text>
        </li>
      ))}
    </ul>
  );
}

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  name: { flex: 1, display: 'flex', flexDirection: 'column' },
  passed: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
});


/** What this system's test really does (item 17), and where it runs from (item 10). */
export function testLead(system: string, checks: readonly CheckId[], mailbox: string): string {
  const does = checks.filter((c) => c !== 'network').map((c) => CHECK_LABELS[c].title)
    .map((t) => t.charAt(0).toLowerCase() + t.slice(1));
  const sends = checks.includes('smtp') || checks.includes('graph');
  return [
    `The assistant does what ${system} will do: ${does.join(', ')}.`,
    sends ? `It sends one real test message${mailbox ? ` from ${mailbox} to itself` : ' to the mailbox itself'}${checks.includes('roundtrip') ? ' and watches it arrive' : ''}.` : '',
    `The test runs from this computer, not from ${system}'s server: if that server is on another network, its firewall may differ.`,
  ]
    .filter(Boolean)
    .join(' ');
}

type Row = { status: 'waiting' | 'running' | 'passed' | 'failed' | 'skipped'; message?: string; result?: CheckResult; durationMs?: number };

function StatusIcon(props: { status: Row['status'] }) {
  const styles = useStyles();
  switch (props.status) {
    case 'running':
      return <Spinner size="tiny" aria-label="running" />;
    case 'passed':
      return <CheckmarkCircle20Filled className={styles.passed} aria-label="passed" />;
    case 'failed':
      return <DismissCircle20Filled className={styles.failed} aria-label="failed" />;
    case 'skipped':
      return <SubtractCircle20Regular className={styles.muted} aria-label="skipped" />;
    default:
      return <Circle20Regular className={styles.muted} aria-label="waiting" />;
  }
}

export function Test(props: { draft: Draft; target: TargetEntry; onRan: () => Promise<void>; onBack: () => void; onNext: () => void; onResults?: (results: CheckResult[]) => void; goOnWhenPassed?: boolean }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const { onRan, onResults } = props;
  const checks = useMemo<CheckId[]>(() => {
    try {
      return checksFor(props.target, profileOf(props.draft, props.target));
    } catch {
      return ['network', 'token'];
    }
  }, [props.draft, props.target]);
  const [rows, setRows] = useState<Partial<Record<CheckId, Row>>>({});
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const elapsed = useElapsed(running);
  const started = useRef(false);
  const [confirmContinue, setConfirmContinue] = useState(false);

  useEffect(
    () =>
      api.on('checks:progress', (e) => {
        setRows((r) => {
          const status: Row['status'] = e.phase === 'started' || e.phase === 'step' ? 'running' : e.phase;
          return { ...r, [e.checkId]: { ...r[e.checkId], status, message: e.message, ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}) } };
        });
        if (e.phase === 'passed' || e.phase === 'failed') announce(`${CHECK_LABELS[e.checkId].title}: ${e.phase}`);
      }),
    [api, announce],
  );

  const run = useCallback(
    async (only?: CheckId[]) => {
      const ids = only ?? checks;
      setRunning(true);
      setError(null);
      setRows((r) => ({ ...r, ...Object.fromEntries(ids.map((id) => [id, { status: 'waiting' } as Row])) }));
      announce(only ? `Running ${CHECK_LABELS[only[0]!].title} again` : 'Running the checks');
      const r = await api.checks.run({ profileId: props.draft.id, ...(only ? { only } : {}) });
      setRunning(false);
      if (!r.ok) {
        setError(r.error.message);
        setRows((rs) => ({ ...rs, ...Object.fromEntries(ids.map((id) => [id, { status: 'waiting' } as Row])) }));
        announce(`The checks could not run: ${r.error.message}`);
        return;
      }
      setTotal(r.value.durationMs);
      onResults?.(r.value.results);
      await onRan();
      setRows((rs) => {
        const next = { ...rs };
        for (const res of r.value.results) next[res.id] = { status: res.status, result: res, durationMs: res.durationMs };
        return next;
      });
      const failed = r.value.results.filter((x) => x.status === 'failed').length;
      announce(failed ? `${failed} check${failed === 1 ? '' : 's'} failed. A fix is shown for each.` : 'All checks passed');
    },
    [api, announce, checks, props.draft.id, onRan, onResults],
  );

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void run();
  }, [run]);

  // One cause failing several checks (a closed port) is explained once, on the first check it failed.
  const causeOf = (id: CheckId) => {
    const d = rows[id]?.status === 'failed' ? rows[id]?.result?.diagnosis : undefined;
    return d ? `${d.code}|${d.evidence.host ?? ''}|${d.evidence.port ?? ''}` : undefined;
  };
  const firstWithSameCause = (index: number): CheckId | undefined => {
    const key = causeOf(checks[index]!);
    return key ? checks.slice(0, index).find((c) => causeOf(c) === key) : undefined;
  };
  const bound = Math.round(checks.reduce((s, c) => s + DEFAULT_TIMEOUTS[c], 0) / 1000);
  const states = checks.map((c) => rows[c]?.status ?? 'waiting');
  const allPassed = !running && states.every((s) => s === 'passed' || s === 'skipped') && states.some((s) => s === 'passed');
  const failedCount = states.filter((s) => s === 'failed').length;
  // On the journey right after "Create it for me" (issue 19): all green goes on to the export by itself,
  // after a moment to see it; anything failed or skipped-only stays here with its fix.
  const [ranOnce, setRanOnce] = useState(false);
  useEffect(() => {
    if (!running && total !== null) setRanOnce(true);
  }, [running, total]);
  const goesOn = !!props.goOnWhenPassed && ranOnce && allPassed;
  const onNextNow = useRef(props.onNext);
  onNextNow.current = props.onNext;
  useEffect(() => {
    if (!goesOn) return;
    const t = setTimeout(() => onNextNow.current(), 2000);
    return () => clearTimeout(t);
  }, [goesOn]);

  return (
    <Screen
      id="test"
      title="Test the connection for real"
      lead={testLead(props.target.displayName, checks, props.draft.profile.mailbox ?? '')}
      onBack={props.onBack}
      onNext={failedCount && !running ? () => (setConfirmContinue(true), requestAnimationFrame(() => document.getElementById('continue-run-again')?.focus())) : props.onNext}
      nextLabel={allPassed ? 'Export the settings' : failedCount && !running ? 'Continue with failures…' : 'Continue anyway'}
      nextAppearance={allPassed || running ? 'primary' : 'secondary'}
      footer={
        <div className={styles.toolbar}>
          <Button appearance={!running && failedCount ? 'primary' : 'secondary'} icon={<ArrowClockwise20Regular />} disabled={running} onClick={() => void run()}>
            Run all again
          </Button>
          {running ? (
            <Button onClick={() => void api.checks.cancel()}>Stop</Button>
          ) : null}
        </div>
      }
    >
      <div className={styles.toolbar} aria-live="polite" data-testid="test-summary">
        {running ? (
          <Text>
            Running… {Math.floor(elapsed / 1000)} s (each check gives up on its own; at most about {bound} s in all)
          </Text>
        ) : allPassed ? (
          <Badge appearance="filled" color="success" size="large">
            All checks passed{total !== null ? ` in ${formatDuration(total)}` : ''}
          </Badge>
        ) : null}
        {goesOn ? <Text>Going on to the export…</Text> : null}
        {!running && !allPassed && failedCount ? (
          <Badge appearance="filled" color="danger" size="large">
            {failedCount} check{failedCount === 1 ? '' : 's'} failed — the fix is below
          </Badge>
        ) : null}
      </div>
      <PasteError profile={props.draft.profile} />
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>The checks could not run</MessageBarTitle>
            {error}
          </MessageBarBody>
        </MessageBar>
      )}
      <ol className={styles.list} aria-label="Checks">
        {checks.map((id, index) => {
          const row = rows[id] ?? { status: 'waiting' };
          const label = CHECK_LABELS[id];
          return (
            <li key={id} data-check={id} data-status={row.status}>
              <Card>
                <div className={styles.row}>
                  <StatusIcon status={row.status} />
                  <div className={styles.name}>
                    <Text weight="semibold">{label.title}</Text>
                    <Text size={200} className={styles.muted}>
                      {row.status === 'running' && row.message ? row.message : row.status === 'skipped' ? (row.result?.skippedReason ?? row.message ?? label.what) : label.what}
                    </Text>
                  </div>
                  {row.durationMs !== undefined && row.status !== 'running' && <Text size={200}>{formatDuration(row.durationMs)}</Text>}
                </div>
                {id === 'network' && row.result && (row.status === 'passed' || row.status === 'failed') && <NetworkRows steps={row.result.steps} />}
                {row.status === 'failed' && row.result?.diagnosis && firstWithSameCause(index) !== undefined && (
                  <Text size={200} data-testid="same-cause">
                    Same cause as “{CHECK_LABELS[firstWithSameCause(index)!].title}” above: {row.result.diagnosis.title}. Fix that one and run all again.
                  </Text>
                )}
                {row.status === 'failed' && row.result?.diagnosis && firstWithSameCause(index) === undefined && (
                  <DiagnosisCard diagnosis={row.result.diagnosis} busy={running} onRunAgain={() => void run([id])} runAgainLabel={`Run “${label.title}” again`} />
                )}
              </Card>
            </li>
          );
        })}
      </ol>
      <TestManualSteps draft={props.draft} failed={!running && failedCount > 0} />
      {confirmContinue && !running && failedCount > 0 && (
        <MessageBar intent="warning" layout="multiline" role="alertdialog" aria-labelledby="continue-title" data-testid="continue-confirm">
          <MessageBarBody>
            <MessageBarTitle id="continue-title">
              Continue with {failedCount} failing check{failedCount === 1 ? '' : 's'}?
            </MessageBarTitle>
            {props.target.displayName} will not work until {failedCount === 1 ? 'it passes' : 'they pass'}. The Done screen opens with what is broken and its fix; the values and the report are there too.
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" id="continue-run-again" onClick={() => (setConfirmContinue(false), void run())}>
              Run all again
            </Button>
            <Button onClick={() => (setConfirmContinue(false), props.onNext())}>Continue to Done</Button>
          </MessageBarActions>
        </MessageBar>
      )}
    </Screen>
  );
}
