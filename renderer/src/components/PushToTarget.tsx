/**
 * "Put it into <target>" (issue 11): instead of pasting eight values and signing in a second time, the
 * assistant configures EmailEngine, Odoo/Flectra or Frappe through its API and hands over the proven
 * sign-in. "Test and show the plan" (one continue: the test, then the plan read from the target; by itself after a paste),
 * then the one explicit confirmation "Put it into <target>" with the target's own test.
 * The address starts as the web address typed on Details (the same server for Odoo, Flectra, Frappe
 * and EmailEngine: web.base.url, the site URL, EmailEngine's service URL); the Odoo database is found
 * by the test when the server lists exactly one. The Odoo login is always asked (no guessed default);
 * Frappe's user starts as Administrator, the one user Frappe lets create a Token Cache (issue 19).
 * A pasted key, token or password that completes the form starts the test and the plan (issue 19); a plan with
 * changes then opens main's native question by itself (the plan in it): its one answer writes, "Not now" leaves
 * the plan and "Put it into <target>" here, with nothing written.
 * The target's key or token goes once to the vault (target:test); nothing secret comes back.
 */
import { Button, Card, Checkbox, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { CloudArrowUp20Regular } from '@fluentui/react-icons/svg/cloud-arrow-up';
import { Open20Regular } from '@fluentui/react-icons/svg/open';
import { PlugConnected20Regular } from '@fluentui/react-icons/svg/plug-connected';
import { TaskListLtr20Regular } from '@fluentui/react-icons/svg/task-list-ltr';
import { useEffect, useState } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import type { Diagnosis } from '../../../shared/diagnosis/types';
import { PUSH_TARGET_KIND, type TargetPlanView, type TargetPushView, type TargetRestorePointView, type TargetRestoreView } from '../../../shared/ipc/target';
import type { TargetConnection } from '../../../shared/saved-profile';
import { getApi } from '../api';
import { useWizardContext } from '../state/WizardContext';
import { useElapsed } from '../state/useElapsed';
import { useAnnounce } from './Announcer';
import { DiagnosisCard } from './DiagnosisCard';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))', gap: tokens.spacingHorizontalM },
  items: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  action: { fontFamily: tokens.fontFamilyMonospace, fontWeight: tokens.fontWeightSemibold, minWidth: '7em', display: 'inline-block' },
  fields: { margin: `${tokens.spacingVerticalXXS} 0 0 7.5em`, color: tokens.colorNeutralForeground2, fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', wordBreak: 'break-all' },
  muted: { color: tokens.colorNeutralForeground2 },
});

const CREDENTIAL_LABELS: Record<'emailengine' | 'odoo' | 'frappe' | 'frappe-keys', string[]> = {
  emailengine: ['Access token'],
  // JSON-RPC takes the user's password where it takes an API key; two-factor sign-in and Odoo 19+'s JSON-2 need the key (issue 19).
  odoo: ['Password or API key'],
  // Frappe: the Administrator's own password (POST /api/method/login, issue 19), or with two-factor sign-in on, an API key and secret.
  frappe: ['Password'],
  'frappe-keys': ['API key', 'API secret'],
};
/** Only Administrator may create a Token Cache in Frappe (its DocPerms), so the sign-in is handed over as Administrator. */
const FRAPPE_LOGIN = 'Administrator';

/**
 * The target's address as first shown: the web address typed on Details (EmailEngine's without a
 * trailing /oauth, which is its redirect page, not its API). Empty when it is not a usable address.
 */
export function prefilledTargetUrl(baseUrl: string | undefined): string {
  const t = (baseUrl ?? '').trim().replace(/\/+$/, '').replace(/\/oauth$/, '');
  return /^https?:\/\/[^\s/?#]+/.test(t) ? t : '';
}

/** Whether this target can be configured through its API (the Done screen shows the step only then). */
export function canPushTo(target: TargetEntry): boolean {
  return target.id in PUSH_TARGET_KIND;
}

/** The longest a push may take before main stops it (shown while it runs). */
export const PUSH_LIMIT_SECONDS = 120;

export function PushToTarget(props: {
  profileId: string;
  target: TargetEntry;
  saved?: TargetConnection | undefined;
  baseUrl?: string;
  /** The screen's Back and Next wait while a push or a restore runs (issue 19). */
  onBusy?: (busy: boolean) => void;
  /** A push finished (its status), so the screen can fold the manual steps. */
  onPushed?: (status: TargetPushView['status']) => void;
  /** The plan read from the target (null once a push or a restore wrote since, or a new test starts): what it holds now. */
  onPlan?: (plan: TargetPlanView | null) => void;
  /** The previous values were put back: the target no longer holds what the push wrote. */
  onRestored?: () => void;
}) {
  const styles = useStyles();
  const wizard = useWizardContext();
  const prefill = prefilledTargetUrl(props.baseUrl ?? wizard?.draft.profile.targetInputs?.baseUrl);
  const api = getApi();
  const announce = useAnnounce();
  const kind = PUSH_TARGET_KIND[props.target.id]!;
  const name = props.target.displayName.replace(/ \/.*$/, '');
  const [url, setUrl] = useState(props.saved?.url ?? prefill);
  const [database, setDatabase] = useState(props.saved?.database ?? '');
  const [login, setLogin] = useState(props.saved?.login ?? (kind === 'frappe' ? FRAPPE_LOGIN : ''));
  /** Frappe with two-factor sign-in on: an API key and secret instead of the password. */
  const [frappeKeys, setFrappeKeys] = useState(false);
  const labels = CREDENTIAL_LABELS[kind === 'frappe' && frappeKeys ? 'frappe-keys' : kind];
  /** The login is asked: Odoo/Flectra always, Frappe when it signs in with the password. */
  const asksLogin = kind === 'odoo' || (kind === 'frappe' && !frappeKeys);
  const [cred, setCred] = useState<string[]>(['', '']);
  const [tested, setTested] = useState<string | null>(props.saved?.testedVersion ? `Saved connection to ${props.saved.testedVersion}` : null);
  const [plan, setPlan] = useState<TargetPlanView | null>(null);
  const [result, setResult] = useState<TargetPushView | null>(null);
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const [busy, setBusy] = useState<'test' | 'plan' | 'push' | null>(null);
  const [progress, setProgress] = useState('');
  const [handOver, setHandOver] = useState(true);
  /** Replace a refresh token the target already holds (when its own test fails with that one): off unless asked. */
  const [replaceHeld, setReplaceHeld] = useState(false);
  /**
   * A key, token or password was pasted (issue 19, "fetch the push plan without a click"): once every field the
   * test needs is filled, the test and the plan run by themselves. Typing does not start it (a half-typed
   * password would be a failed sign-in at the target); the button stays for typed values and for retrying.
   */
  const [pasted, setPasted] = useState(false);
  /** Main's question, opened by itself after a paste, was answered no: the plan stays, nothing was written. */
  const [declined, setDeclined] = useState(false);

  const [point, setPoint] = useState<TargetRestorePointView | null>(null);
  const [restoring, setRestoring] = useState<'shown' | 'running' | null>(null);
  const [restored, setRestored] = useState<TargetRestoreView | null>(null);
  const { onBusy } = props;
  const working = busy === 'push' || restoring === 'running';
  useEffect(() => {
    onBusy?.(working);
    return () => onBusy?.(false);
  }, [working, onBusy]);
  const elapsed = useElapsed(working);

  useEffect(() => api.on('target:progress', (p) => setProgress(p.message)), [api]);
  /** What "Restore the previous values" would put back (what the last push overwrote), read from main. */
  const loadPoint = async () => {
    const r = await api.target.restorePlan({ profileId: props.profileId });
    setPoint(r.ok ? r.value.point : null);
  };
  useEffect(() => {
    if (props.saved) void loadPoint();
    // Once when the card opens for a saved connection; after each push and restore again (below).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.profileId]);

  const restore = async () => {
    if (!point) return;
    setRestoring('running');
    setDiagnosis(null);
    const r = await api.target.restore({ profileId: props.profileId, at: point.at });
    setRestoring(null);
    setProgress('');
    if (!r.ok) return fail({ code: 'unrecognised', title: r.error.message, cause: '', fix: [], evidence: { source: 'internal', text: '' }, transient: false });
    if (!r.value.ok) return fail(r.value.diagnosis);
    setRestored(r.value.value);
    setResult(null);
    setPlan(null);
    props.onPlan?.(null);
    if (r.value.value.restored.length) props.onRestored?.();
    announce(r.value.value.summary);
    await loadPoint();
  };

  const credentials = () => {
    if (kind === 'emailengine') return cred[0] ? { kind, accessToken: cred[0] } : undefined;
    if (kind === 'odoo') return cred[0] ? { kind, apiKey: cred[0] } : undefined;
    if (!frappeKeys) return cred[0] ? { kind, password: cred[0] } : undefined;
    return cred[0] && cred[1] ? { kind, apiKey: cred[0], apiSecret: cred[1] } : undefined;
  };
  const fail = (d: Diagnosis) => {
    setDiagnosis(d);
    announce(d.title);
  };

  /** `fromPaste`: a pasted key started it; a plan with changes then opens main's question by itself (issue 19). */
  const test = async (fromPaste = false) => {
    setBusy('test');
    setDiagnosis(null);
    setPlan(null);
    setResult(null);
    setDeclined(false);
    const creds = credentials();
    // A key given here: main reads the plan with it in the same step (as the test), so its first-use question waits for the push.
    const r = await api.target.test({ profileId: props.profileId, connection: { kind, url, ...(kind === 'odoo' ? { ...(database.trim() ? { database } : {}), login } : asksLogin ? { login } : {}) }, ...(creds ? { credentials: creds, withPlan: !replaceHeld } : {}) });
    setBusy(null);
    if (!r.ok) return fail({ code: 'unrecognised', title: r.error.message, cause: '', fix: [], evidence: { source: 'internal', text: '' }, transient: false });
    if (!r.value.ok) return fail(r.value.diagnosis);
    setCred(['', '']);
    if (r.value.value.database) setDatabase(r.value.value.database);
    const text = `Connected to ${r.value.value.version}${r.value.value.user ? ` as ${r.value.value.user}` : ''}${r.value.value.database && !database ? `, database ${r.value.value.database}` : ''}.`;
    setTested(text);
    announce(text);
    const read = r.value.value.plan ? planShown(r.value.value.plan) : await showPlan();
    if (fromPaste && read && !read.upToDate) await doPush(true);
  };

  const planShown = (p: TargetPlanView) => {
    setPlan(p);
    props.onPlan?.(p);
    announce(p.upToDate ? `${name} already holds these values` : `Plan: ${p.items.filter((i) => i.action === 'create' || i.action === 'update').length} changes`);
    return p;
  };
  const showPlan = async (replaceHeldToken = replaceHeld): Promise<TargetPlanView | undefined> => {
    setBusy('plan');
    const r = await api.target.plan({ profileId: props.profileId, replaceHeldToken });
    setBusy(null);
    if (!r.ok) return void fail({ code: 'unrecognised', title: r.error.message, cause: '', fix: [], evidence: { source: 'internal', text: '' }, transient: false });
    if (!r.value.ok) return void fail(r.value.diagnosis);
    return planShown(r.value.value);
  };

  /**
   * `ask`: opened by itself after a pasted key's plan; main asks its native question with that plan whatever it was
   * asked before. "Not now" there leaves the plan and this button; nothing is written.
   */
  const doPush = async (ask = false) => {
    setBusy('push');
    setDiagnosis(null);
    setResult(null);
    setRestored(null);
    setDeclined(false);
    const r = await api.target.push({ profileId: props.profileId, handOverToken: handOver, replaceHeldToken: handOver && replaceHeld, ask });
    setBusy(null);
    setProgress('');
    if (!r.ok && ask && r.error.code === 'target-declined') {
      setDeclined(true);
      return announce(`Nothing was written to ${name}`);
    }
    if (!r.ok) return fail({ code: 'unrecognised', title: r.error.message, cause: '', fix: [], evidence: { source: 'internal', text: '' }, transient: false });
    if (!r.value.ok) return fail(r.value.diagnosis);
    setResult(r.value.value);
    setPlan(r.value.value.plan);
    props.onPlan?.(null);
    props.onPushed?.(r.value.value.status);
    announce(r.value.value.summary);
    await loadPoint();
  };

  /**
   * Credentials kept for this address and already allowed there (Frappe's password given on Details to make the
   * Connected App, issue 19) and nothing pushed yet: the test and the plan run by themselves when the card opens,
   * as after a paste. They write nothing; "Put it into" stays the one confirmation.
   */
  const storedAndAllowed = kind === 'frappe' && !!props.saved && !!props.saved.approvedSends?.includes('key') && !!props.saved.approvedOrigin && (() => {
    try {
      return new URL(props.saved.url).origin === props.saved.approvedOrigin;
    } catch {
      return false;
    }
  })();
  useEffect(() => {
    if (storedAndAllowed && !props.saved?.lastPush) void test();
    // Once when the card opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.profileId]);

  const complete = !!url.trim() && (!asksLogin || !!login.trim()) && labels.every((_, i) => !!cred[i]);
  useEffect(() => {
    if (!pasted || !complete || busy !== null) return;
    setPasted(false);
    void test(true);
    // test() reads the current fields; it runs once per paste that completes them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pasted, complete, busy]);

  const changes = plan?.items.filter((i) => i.action === 'create' || i.action === 'update').length ?? 0;
  return (
    <Card data-testid="push-to-target" aria-labelledby="push-title">
      <div className={styles.stack}>
        <Text as="h3" id="push-title" weight="semibold" size={500}>
          Put it into {name}
        </Text>
        <Text className={styles.muted}>
          Instead of pasting the values and signing in again inside {name}: the assistant fills them in through {name}&apos;s API, hands over the sign-in you just proved, and runs {name}&apos;s own test. You see every change first.
        </Text>
        <form
          className={styles.stack}
          aria-label={`Connection to ${name}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (url && busy === null) void test();
          }}
        >
          <div className={styles.grid}>
            <Field
              label={`${name} address`}
              hint={prefill && url === prefill ? `the web address from Details; change it only if ${name}'s API is reached elsewhere` : kind === 'emailengine' ? 'e.g. https://emailengine.fabrikam.com (http:// only on this computer)' : 'e.g. https://erp.fabrikam.com (http:// only on this computer)'}
              required
            >
              <Input value={url} onChange={(_, d) => setUrl(d.value)} type="url" autoComplete="off" data-push-field="url" />
            </Field>
            {kind === 'odoo' && (
              <>
                <Field label="Database" hint="as in the database selector; leave empty when the server has only one">
                  <Input value={database} onChange={(_, d) => setDatabase(d.value)} autoComplete="off" data-push-field="database" />
                </Field>
                <Field label="Login" hint="a user with Settings rights; below, that user's password, or an API key (Preferences > Account Security) when two-factor sign-in is on or on Odoo 19 and later" required>
                  <Input value={login} onChange={(_, d) => setLogin(d.value)} autoComplete="off" data-push-field="login" />
                </Field>
              </>
            )}
            {kind === 'frappe' && !frappeKeys && (
              <Field label="User" hint={`${FRAPPE_LOGIN}: only ${FRAPPE_LOGIN} may hand a sign-in to Frappe (its Token Cache); below, that user's password`} required>
                <Input value={login} onChange={(_, d) => setLogin(d.value)} autoComplete="off" data-push-field="login" />
              </Field>
            )}
            {labels.map((label, i) => (
              <Field key={label} label={label} hint={`${props.saved?.testedVersion || storedAndAllowed ? 'leave empty to use the saved one' : 'kept encrypted on this computer, never shown again'}${i === labels.length - 1 ? '; pasted, the test and the plan start by themselves' : ''}`}>
                <Input type="password" value={cred[i] ?? ''} onChange={(_, d) => setCred((c) => c.map((v, j) => (j === i ? d.value : v)))} onPaste={() => setPasted(true)} autoComplete="off" data-push-field={`credential-${i}`} />
              </Field>
            ))}
          </div>
          {kind === 'emailengine' && (
            <div className={styles.row}>
              <Button
                appearance="secondary"
                icon={<Open20Regular />}
                onClick={() =>
                  void api.target.openTokenPage({ profileId: props.profileId }).then((r) => {
                    if (!r.ok) return fail({ code: 'unrecognised', title: r.error.message, cause: '', fix: [], evidence: { source: 'internal', text: '' }, transient: false });
                    announce(r.value.opened ? `EmailEngine's new access token page is open in your browser: ${r.value.url}` : `Open ${r.value.url} in your browser`);
                  })
                }
                data-testid="push-open-token-page"
              >
                Make an access token in EmailEngine
              </Button>
              <Text className={styles.muted} size={200}>
                Opens EmailEngine&apos;s Access Tokens &gt; Create new in your browser: give it a description, Generate a token, copy it, and paste it above.
              </Text>
            </div>
          )}
          {kind === 'frappe' && (
            <Checkbox
              checked={frappeKeys}
              onChange={(_, d) => {
                setFrappeKeys(!!d.checked);
                setCred(['', '']);
              }}
              label="Use an API key and secret instead (when two-factor sign-in is on: User > Settings > API Access > Generate Keys)"
              data-push-field="frappe-keys"
            />
          )}
          <div className={styles.row}>
            <Button type="submit" icon={<PlugConnected20Regular />} disabled={!url || busy !== null}>
              Test and show the plan
            </Button>
            {busy === 'test' && <Spinner size="tiny" label="Testing…" />}
            {tested && <Text data-testid="push-tested">{tested}</Text>}
          </div>
        </form>

        {plan && (
          <section aria-labelledby="push-plan-title" className={styles.stack}>
            <Text as="h4" id="push-plan-title" weight="semibold">
              <TaskListLtr20Regular /> {result ? `What the push did in ${plan.version}` : `What will change in ${plan.version}`}
            </Text>
            <ul className={styles.items} data-testid="push-plan">
              {plan.items.map((i) => (
                <li key={i.id} data-item={i.id} data-action={i.action}>
                  <span className={styles.action}>{i.verb ?? i.action}</span> {i.what} <Text className={styles.muted} size={200}>({i.where})</Text>
                  {(i.action === 'create' || i.action === 'update') && <div className={styles.fields}>{Object.entries(i.fields).map(([k, v]) => `${k} = ${v}`).join('\n')}</div>}
                  {i.note && <div className={styles.fields}>{i.note}</div>}
                </li>
              ))}
            </ul>
            {plan.notes.map((n) => (
              <MessageBar key={n} intent="warning">
                <MessageBarBody>{n}</MessageBarBody>
              </MessageBar>
            ))}
            <Checkbox checked={handOver} onChange={(_, d) => setHandOver(!!d.checked)} label={`Hand over the sign-in (the refresh token) so ${name} does not need its own "connect" step`} />
            {handOver && plan.items.some((i) => i.heldToken) && (
              <Checkbox
                data-testid="push-replace-held"
                checked={replaceHeld}
                disabled={busy !== null}
                onChange={(_, d) => {
                  setReplaceHeld(!!d.checked);
                  setResult(null);
                  void showPlan(!!d.checked);
                }}
                label={`Replace the sign-in ${name} already holds (only if ${name}'s own test fails with it: the plan then shows the replacement)`}
              />
            )}
            <div className={styles.row}>
              <Button appearance="primary" icon={<CloudArrowUp20Regular />} onClick={() => void doPush()} disabled={busy !== null}>
                {plan.upToDate ? `Check ${name} again` : `Put it into ${name}`}
              </Button>
              <Text className={styles.muted} size={200}>
                {plan.upToDate ? 'Nothing to change.' : `${changes} change${changes === 1 ? '' : 's'}; running it twice changes nothing the second time.`}
              </Text>
              {declined && (
                <Text data-testid="push-declined" size={200}>
                  Nothing was written. Put it into {name} when you are ready.
                </Text>
              )}
              {busy === 'push' && <Spinner size="tiny" label={`${progress || 'Working…'} ${Math.floor(elapsed / 1000)} s (stopped after ${PUSH_LIMIT_SECONDS} s)`} data-testid="push-running" />}
            </div>
          </section>
        )}

        {result && (
          <MessageBar intent={result.status === 'configured' ? 'success' : result.status === 'partial' ? 'warning' : 'error'} data-testid="push-result" data-status={result.status}>
            <MessageBarBody>
              <MessageBarTitle>{result.status === 'configured' ? `${name} is configured and its own test passed` : result.status === 'partial' ? `${name} is configured; one thing is left for you` : `${name} is configured, but its own test failed`}</MessageBarTitle>
              {result.summary}
              {result.button && (
                <div>
                  In {name}, press <b>{result.button}</b>.
                </div>
              )}
            </MessageBarBody>
          </MessageBar>
        )}
        {(diagnosis ?? (result?.status === 'failed' ? result.diagnosis : undefined)) && <DiagnosisCard diagnosis={(diagnosis ?? result!.diagnosis)!} />}

        {point && point.items.length > 0 && (
          <section aria-labelledby="push-restore-title" className={styles.stack} data-testid="push-restore">
            <Text as="h4" id="push-restore-title" weight="semibold">
              The last push replaced values in {name}
            </Text>
            {restoring === null && (
              <div className={styles.row}>
                <Button disabled={busy !== null} onClick={() => setRestoring('shown')}>
                  Restore the previous values
                </Button>
                <Text className={styles.muted} size={200}>
                  You see what would be put back first.
                </Text>
              </div>
            )}
            {restoring !== null && (
              <>
                <Text>What the push replaced on {new Date(point.at).toLocaleString()}, to be put back:</Text>
                <ul className={styles.items} data-testid="push-restore-plan">
                  {point.items.map((i) => (
                    <li key={i.id} data-item={i.id}>
                      <span className={styles.action}>restore</span> {i.what} <Text className={styles.muted} size={200}>({i.where})</Text>
                      <div className={styles.fields}>{Object.entries(i.values).map(([k, v]) => `${k} = ${v === null ? '(empty)' : String(v)}`).join('\n')}</div>
                    </li>
                  ))}
                </ul>
                {point.notRestorable.map((n) => (
                  <Text key={n} size={200} block className={styles.muted}>
                    Not put back: {n}
                  </Text>
                ))}
                <div className={styles.row}>
                  <Button appearance="primary" disabled={restoring === 'running'} onClick={() => void restore()}>
                    Put these back
                  </Button>
                  <Button disabled={restoring === 'running'} onClick={() => setRestoring(null)}>
                    Not now
                  </Button>
                  {restoring === 'running' && <Spinner size="tiny" label={`${progress || 'Putting the previous values back…'} ${Math.floor(elapsed / 1000)} s`} />}
                </div>
              </>
            )}
          </section>
        )}
        {restored && (
          <MessageBar intent={Object.values(restored.readBack).every(Boolean) ? 'success' : 'warning'} data-testid="push-restored" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{Object.values(restored.readBack).every(Boolean) ? 'The previous values are back, read back from the target' : 'Not every value was confirmed by reading back'}</MessageBarTitle>
              {restored.summary}
              {restored.notRestorable.length > 0 && ` Not put back: ${restored.notRestorable.join(' ')}`}
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
    </Card>
  );
}
