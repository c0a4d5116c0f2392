import { Button, Checkbox, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Spinner, Text, tokens } from '@fluentui/react-components';
import { ArrowSync20Regular } from '@fluentui/react-icons/svg/arrow-sync';
import { Key16Regular } from '@fluentui/react-icons/svg/key';
import { useState } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import type { Diagnosis } from '../../../shared/diagnosis/types';
import type { SavedProfile } from '../../../shared/saved-profile';
import { getApi } from '../api';
import { profileOf, wantsSecretId } from '../catalogue';
import { useAdmin } from '../screens/register/useRegistration';
import type { Draft, ProfilePatch } from '../state/useWizard';
import { useAnnounce } from './Announcer';
import { canPushTo } from './PushToTarget';
import { DiagnosisCard } from './DiagnosisCard';
import { formatDay } from './format';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground2 },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

type Phase =
  | { kind: 'idle' }
  | { kind: 'working'; what: string }
  | { kind: 'failed'; diagnosis: Diagnosis }
  /** The IPC call itself was refused (no administrator any more, the connection deleted): main's words. */
  | { kind: 'error'; message: string }
  | { kind: 'not-proved'; diagnoses: Diagnosis[] }
  | { kind: 'finished'; summary: string };

const MONTHS = [6, 12, 24] as const;

/**
 * Renew secret (issue 12, item 2) on the Done screen: a new secret is added and proved with this
 * connection's checks while the old one keeps working; the person gives the new Value to the system
 * (copied by main, never shown here) and only after they confirm is the old secret removed. A renewal
 * that stopped half-way is read from the saved connection and resumed, never started twice.
 */
export function RenewSecret(props: { draft: Draft; target: TargetEntry; update: (patch: ProfilePatch) => void }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const { ensure } = useAdmin();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [months, setMonths] = useState<(typeof MONTHS)[number]>(12);
  const [confirmed, setConfirmed] = useState(false);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'declined' | 'failed'>('idle');
  // Main's record of an open renewal (which secret is new, which is current), as the saved connection holds it.
  const renewal = props.draft.profile.rotation;
  const id = props.draft.id;
  const system = props.target.displayName;
  const pushable = canPushTo(props.target);
  // CXT and the like take the Secret ID as well as the Value (the paste card names the field).
  const needsSecretId = wantsSecretId(props.target, profileOf(props.draft, props.target));

  /** Takes main's record of the renewal into the wizard's draft (main owns it; this keeps the screen in step). */
  const adopt = (record: SavedProfile) => {
    const p = record.profile;
    props.update({ rotation: p.rotation, secretId: p.secretId, secretExpires: p.secretExpires });
  };

  const refused = (message: string) => {
    setPhase({ kind: 'error', message });
    announce(message);
  };

  const signedIn = async (): Promise<boolean> => {
    setPhase({ kind: 'working', what: 'Opening the Microsoft sign-in window for an administrator…' });
    const s = await ensure(id, 'write', 'window');
    if (s.status === 'signed-in') return true;
    if (s.status === 'failed') setPhase({ kind: 'failed', diagnosis: s.diagnosis });
    else if (s.status === 'error') refused(`The administrator sign-in failed: ${s.message}`);
    else {
      setPhase({ kind: 'idle' });
      announce('The administrator sign-in was closed. Nothing was changed.');
    }
    return false;
  };

  const start = async () => {
    if (!(await signedIn())) return;
    setPhase({ kind: 'working', what: renewal ? 'Running the checks with the new secret…' : 'Adding a new secret and running the checks with it…' });
    announce(renewal ? 'Proving the new secret with the checks' : 'Adding a new client secret; the current one keeps working');
    const r = await api.renew.start({ profileId: id, months });
    if (!r.ok) return refused(`Could not renew: ${r.error.message}`);
    adopt(r.value.record);
    const v = r.value;
    if (v.status === 'failed') {
      setPhase({ kind: 'failed', diagnosis: v.diagnosis });
      announce(`Renewal stopped: ${v.diagnosis.title}`);
    } else if (v.status === 'not-proved') {
      const failed = v.run.results.filter((x) => x.status === 'failed' && x.diagnosis).map((x) => x.diagnosis!);
      setPhase({ kind: 'not-proved', diagnoses: [...(v.diagnosis ? [v.diagnosis] : []), ...failed] });
      announce('The new secret was added but did not pass the checks; the old one stays current');
    } else {
      setPhase({ kind: 'idle' });
      announce('The new secret works. Give it to the system, then remove the old one.');
    }
  };

  const copy = async () => {
    const r = await api.renew.copy({ profileId: id }).catch(() => undefined);
    const next = !r?.ok ? 'failed' : r.value.copied ? 'copied' : r.value.reason === 'declined' ? 'declined' : 'failed';
    setCopied(next);
    announce(next === 'copied' ? 'New client secret copied; the clipboard is cleared in one minute' : next === 'declined' ? 'The new secret was not copied' : 'Could not copy the new secret');
  };

  const finish = async () => {
    if (!(await signedIn())) return;
    setPhase({ kind: 'working', what: 'Removing the old secret and reading the registration back…' });
    const r = await api.renew.finish({ profileId: id, confirmed: true });
    if (!r.ok) return refused(`Could not finish: ${r.error.message}`);
    adopt(r.value.record);
    if (r.value.status === 'failed') {
      setPhase({ kind: 'failed', diagnosis: r.value.diagnosis });
      announce(`Not finished: ${r.value.diagnosis.title}`);
      return;
    }
    setConfirmed(false);
    setCopied('idle');
    setPhase({ kind: 'finished', summary: r.value.summary });
    announce(r.value.summary);
  };

  const busy = phase.kind === 'working';
  return (
    <section aria-labelledby="renew-title" className={styles.section} data-testid="renew-secret" data-renewal={renewal?.phase ?? 'none'}>
      <Text as="h3" id="renew-title" weight="semibold" size={500}>
        Renew the client secret
      </Text>

      {!renewal && (
        <>
          <Text block className={styles.muted}>
            Before it expires{props.draft.profile.secretExpires ? ` (${formatDay(props.draft.profile.secretExpires)})` : ''}: the assistant adds a second secret, proves it with this connection&apos;s checks, and removes the old one only after you confirm {system} has the new one. {system} keeps sending with the current secret until then. Needs an administrator.
          </Text>
          <RadioGroup layout="horizontal" aria-label="How long the new secret lasts" value={String(months)} onChange={(_, d) => setMonths(Number(d.value) as (typeof MONTHS)[number])} disabled={busy}>
            {MONTHS.map((m) => (
              <Radio key={m} value={String(m)} label={`${m} months${m === 12 ? ' (recommended)' : ''}`} />
            ))}
          </RadioGroup>
          <div className={styles.row}>
            <Button icon={<ArrowSync20Regular />} onClick={() => void start()} disabled={busy}>
              Renew secret
            </Button>
          </div>
        </>
      )}

      {renewal?.phase === 'added' && phase.kind !== 'working' && (
        <MessageBar intent="warning" layout="multiline" data-testid="renew-not-proved">
          <MessageBarBody>
            <MessageBarTitle>A new secret is added but not proved yet</MessageBarTitle>
            Secret ID {renewal.new.keyId}, valid until {formatDay(renewal.new.endDateTime)}. Both secrets are valid; the old one stays current until the new one passes the checks.
          </MessageBarBody>
        </MessageBar>
      )}
      {renewal?.phase === 'added' && (
        <div className={styles.row}>
          <Button appearance="primary" icon={<ArrowSync20Regular />} onClick={() => void start()} disabled={busy}>
            Prove the new secret again
          </Button>
        </div>
      )}

      {renewal?.phase === 'proved' && (
        <>
          <MessageBar intent="success" layout="multiline" data-testid="renew-proved">
            <MessageBarBody>
              <MessageBarTitle>The new secret works</MessageBarTitle>
              Secret ID {renewal.new.keyId}{renewal.new.hint ? ` (its Value starts with ${renewal.new.hint})` : ''}, valid until {formatDay(renewal.new.endDateTime)}. Both secrets are valid now; {system} still uses the old one{renewal.old ? ` (Secret ID ${renewal.old.keyId})` : ''}.
            </MessageBarBody>
          </MessageBar>
          <ol className={styles.steps} aria-label="Finish the renewal">
            <li>
              <div className={styles.row}>
                <Text>
                  Give {system} the new Value, where the client secret goes in its settings{needsSecretId ? <>, and its new Secret ID <code>{renewal.new.keyId}</code></> : ''}
                  {pushable ? <>, or press <strong>Put it into {system}</strong> above: while this renewal is open it hands over the new secret</> : ''}.
                </Text>
                <Button size="small" icon={<Key16Regular />} onClick={() => void copy()} data-testid="renew-copy">
                  {copied === 'copied' ? 'New secret copied' : 'Copy the new secret'}
                </Button>
                <Text size={200} className={styles.muted}>
                  {copied === 'copied' ? 'Paste it now: the clipboard is cleared in one minute.' : copied === 'failed' ? 'The new secret could not be copied.' : 'Never shown on screen; the clipboard is cleared after a minute.'}
                </Text>
              </div>
            </li>
            <li>
              <Checkbox checked={confirmed} onChange={(_, d) => setConfirmed(!!d.checked)} label={`${system} now uses the new secret (it saved and, where it has one, passed its own test)`} disabled={busy} />
            </li>
            <li>
              <div className={styles.row}>
                <Button appearance="primary" onClick={() => void finish()} disabled={!confirmed || busy}>
                  Remove the old secret
                </Button>
                <Text size={200} className={styles.muted}>
                  Anything still using the old secret stops working.
                </Text>
              </div>
            </li>
          </ol>
        </>
      )}

      {phase.kind === 'working' && <Spinner size="tiny" label={phase.what} data-testid="renew-working" />}
      {phase.kind === 'failed' && <DiagnosisCard diagnosis={phase.diagnosis} />}
      {phase.kind === 'error' && (
        <MessageBar intent="error" data-testid="renew-error">
          <MessageBarBody>{phase.message}</MessageBarBody>
        </MessageBar>
      )}
      {phase.kind === 'not-proved' && phase.diagnoses.map((d, i) => <DiagnosisCard key={`${d.code}-${i}`} diagnosis={d} />)}
      {phase.kind === 'finished' && (
        <MessageBar intent="success" layout="multiline" data-testid="renew-finished">
          <MessageBarBody>
            <MessageBarTitle>Renewed</MessageBarTitle>
            {phase.summary}
          </MessageBarBody>
        </MessageBar>
      )}
      {renewal && phase.kind === 'idle' && <Text size={200} className={styles.muted}>Started {formatDay(renewal.startedAt.slice(0, 10))}; saved with this connection, so closing the app loses nothing.</Text>}
    </section>
  );
}
