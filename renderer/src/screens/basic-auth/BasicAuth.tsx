/**
 * "My system still sends with a password" (issue 12 item 4): what changes at the end of December 2026,
 * what the system will see, which catalogue systems move to OAuth and how (derived from the
 * catalogue: facts.ts), and a check that sends one message with a saved connection's OAuth settings
 * to prove the move before the password stops working. Opened from the Start screen.
 */
import { Badge, Button, Card, makeStyles, MessageBar, MessageBarBody, Spinner, Text, tokens, typographyStyles } from '@fluentui/react-components';
import { ArrowLeft20Regular } from '@fluentui/react-icons/svg/arrow-left';
import { ArrowRight20Regular } from '@fluentui/react-icons/svg/arrow-right';
import { Send20Regular } from '@fluentui/react-icons/svg/send';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CheckResult } from '../../../../shared/checks';
import type { ProfileSummary } from '../../../../shared/ipc/contract';
import { getApi } from '../../api';
import { findTarget } from '../../catalogue';
import { useAnnounce } from '../../components/Announcer';
import { DiagnosisCard } from '../../components/DiagnosisCard';
import { BASIC_AUTH_REJECTION, BASIC_AUTH_SOURCE, movesFromCatalogue, sendOnceChecks, TIMELINE, timelineNow } from './facts';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  title: { ...typographyStyles.title2, margin: 0, outline: 'none' },
  lead: { fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  timeline: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  code: { fontFamily: tokens.fontFamilyMonospace, backgroundColor: tokens.colorNeutralBackground3, padding: tokens.spacingHorizontalM, borderRadius: tokens.borderRadiusMedium, whiteSpace: 'pre-wrap', margin: 0 },
  proofs: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, listStyle: 'none', padding: 0, margin: 0 },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))', gap: tokens.spacingHorizontalM, listStyle: 'none', padding: 0, margin: 0 },
  card: { height: '100%', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, color: tokens.colorNeutralForeground2 },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  grow: { flex: 1, minWidth: '220px' },
  footer: { display: 'flex', gap: tokens.spacingHorizontalM, borderTop: `1px solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalL },
  source: { color: tokens.colorNeutralForeground3 },
});

type Proof = { state: 'running' } | { state: 'done'; results: CheckResult[] } | { state: 'error'; message: string };

export function BasicAuth(props: { profiles: ProfileSummary[] | null; onChoose: (targetId: string, displayName: string) => void; onOpen: (summary: ProfileSummary) => void; onBack: () => void }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const heading = useRef<HTMLHeadingElement>(null);
  const moves = useMemo(() => movesFromCatalogue(), []);
  const now = timelineNow(new Date());
  const [proof, setProof] = useState<Record<string, Proof>>({});
  useEffect(() => heading.current?.focus(), []);

  // Connections already set up with OAuth: the ones that can prove the move with one message.
  const ready = (props.profiles ?? []).filter((s) => s.record.profile.clientId && s.record.profile.mailbox && s.record.wizard.step !== 'system' && s.record.wizard.step !== 'details');

  const sendOnce = async (s: ProfileSummary) => {
    const id = s.record.id;
    setProof((p) => ({ ...p, [id]: { state: 'running' } }));
    announce('Sending one test message with OAuth');
    const only = sendOnceChecks(s.record.profile.api === 'graph' ? 'graph' : 'imap-smtp');
    const r = await api.checks.run({ profileId: id, only });
    if (!r.ok) {
      setProof((p) => ({ ...p, [id]: { state: 'error', message: r.error.message } }));
      announce(`The test could not run: ${r.error.message}`);
      return;
    }
    setProof((p) => ({ ...p, [id]: { state: 'done', results: r.value.results } }));
    announce(r.value.passed ? 'The test message was sent with OAuth' : 'Sending with OAuth failed. The fix is shown.');
  };

  return (
    <section className={styles.stack} aria-labelledby="basic-auth-title" data-screen="basic-auth">
      <h2 id="basic-auth-title" ref={heading} tabIndex={-1} className={styles.title}>
        My system still sends with a password
      </h2>
      <Text className={styles.lead} block>
        Microsoft is switching off password sign-in (Basic authentication) for sending mail through Microsoft 365 (SMTP AUTH to
        smtp.office365.com). A system that still sends with a user name and password, or an app password, stops sending. Move it to
        OAuth: the assistant sets it up and proves it with one test message before the password stops working.
      </Text>
      <MessageBar intent={now.phase === 'before' ? 'info' : 'warning'} data-testid="basic-auth-now">
        <MessageBarBody>{now.text}</MessageBarBody>
      </MessageBar>

      <section aria-labelledby="ba-when" className={styles.stack}>
        <Text as="h3" id="ba-when" weight="semibold" size={500}>
          What changes, and when
        </Text>
        <ul className={styles.timeline} data-testid="basic-auth-timeline">
          {TIMELINE.map((t) => (
            <li key={t.when}>
              <Text weight="semibold">{t.when}: </Text>
              <Text>{t.what}</Text>
            </li>
          ))}
        </ul>
        <Text size={200} className={styles.source}>
          Source: Microsoft Exchange Team blog, &ldquo;Updated Exchange Online SMTP AUTH Basic Authentication Deprecation Timeline&rdquo; (January 2026), {BASIC_AUTH_SOURCE}
        </Text>
      </section>

      <section aria-labelledby="ba-sees" className={styles.stack}>
        <Text as="h3" id="ba-sees" weight="semibold" size={500}>
          What your system will show
        </Text>
        <Text>Its mail log or error message will contain this line from Microsoft&apos;s server (or &ldquo;535 5.7.139 … basic authentication is disabled&rdquo;):</Text>
        <pre className={styles.code} data-testid="basic-auth-rejection">{BASIC_AUTH_REJECTION}</pre>
      </section>

      <section aria-labelledby="ba-prove" className={styles.stack}>
        <Text as="h3" id="ba-prove" weight="semibold" size={500}>
          Prove OAuth works before the password stops
        </Text>
        {ready.length === 0 ? (
          <Text>No connection is set up yet. Pick your system below; at the end of the setup, the Test step signs in with OAuth and sends one message to the mailbox itself.</Text>
        ) : (
          <ul className={styles.proofs} aria-label="Connections that can send a test message">
            {ready.map((s) => {
              const target = findTarget(s.record.profile.target);
              const name = s.record.profile.name || target?.displayName || 'Unnamed connection';
              const p = proof[s.record.id];
              const failed = p?.state === 'done' ? p.results.filter((r) => r.status === 'failed') : [];
              const sent = p?.state === 'done' && p.results.length > 0 && failed.length === 0;
              return (
                <li key={s.record.id}>
                  <Card className={styles.card} data-testid="basic-auth-connection">
                    <div className={styles.row}>
                      <div className={styles.grow}>
                        <Text weight="semibold" block>
                          {name}
                        </Text>
                        <Text size={200}>{[target?.displayName, s.record.profile.mailbox].filter(Boolean).join(' · ')}</Text>
                      </div>
                      <Button appearance="primary" icon={<Send20Regular />} disabled={p?.state === 'running'} onClick={() => void sendOnce(s)} aria-label={`Send one test message with OAuth for ${name}`}>
                        Send one test message with OAuth
                      </Button>
                    </div>
                    {p?.state === 'running' && <Spinner size="tiny" label="Signing in with OAuth and sending…" />}
                    {sent && (
                      <MessageBar intent="success" data-testid="basic-auth-proved">
                        <MessageBarBody>
                          Sent with OAuth to {s.record.profile.mailbox}. This connection no longer needs the password: switch {target?.displayName ?? 'the system'} to these settings (Done step), then the password can go.
                        </MessageBarBody>
                      </MessageBar>
                    )}
                    {p?.state === 'error' && (
                      <MessageBar intent="error">
                        <MessageBarBody>The test could not run: {p.message}</MessageBarBody>
                      </MessageBar>
                    )}
                    {failed.map((r) => r.diagnosis && <DiagnosisCard key={r.id} diagnosis={r.diagnosis} />)}
                    <Button appearance="subtle" onClick={() => props.onOpen(s)}>
                      Open this connection
                    </Button>
                  </Card>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="ba-move" className={styles.stack}>
        <Text as="h3" id="ba-move" weight="semibold" size={500}>
          Move your system to OAuth
        </Text>
        <Text>Every system the assistant knows can send with OAuth. What changes for each:</Text>
        <ul className={styles.grid}>
          {moves.map((m) => (
            <li key={m.id}>
              <Card className={styles.card} data-testid="basic-auth-move" data-target={m.id}>
                <div className={styles.row}>
                  <Text weight="semibold" className={styles.grow}>
                    {m.displayName}
                  </Text>
                  <Badge appearance="outline" color="success">
                    Can move to OAuth
                  </Badge>
                </div>
                <Text size={200}>{m.how}</Text>
                {m.inTheSystem.length > 0 && (
                  <ol className={styles.steps} aria-label={`In ${m.displayName}`}>
                    {m.inTheSystem.map((step) => (
                      <li key={step}>
                        <Text size={200}>{step}</Text>
                      </li>
                    ))}
                  </ol>
                )}
                <Button icon={<ArrowRight20Regular />} iconPosition="after" onClick={() => props.onChoose(m.id, m.displayName)} aria-label={`Move ${m.displayName} to OAuth`}>
                  Move {m.displayName} to OAuth
                </Button>
              </Card>
            </li>
          ))}
        </ul>
      </section>
      <div className={styles.footer}>
        <Button icon={<ArrowLeft20Regular />} onClick={props.onBack}>
          Back
        </Button>
      </div>
    </section>
  );
}
