import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ArrowClockwise20Regular } from '@fluentui/react-icons/svg/arrow-clockwise';
import { ErrorCircle20Filled } from '@fluentui/react-icons/svg/error-circle';
import type { Diagnosis } from '../../../shared/diagnosis/types';
import { CopyButton } from './Copy';
import { ValueBox } from './ValueBox';
import { Markdown } from './Markdown';
import { PortalLink } from './PortalLink';

const useStyles = makeStyles({
  card: { borderLeft: `4px solid ${tokens.colorPaletteRedBorder2}` },
  head: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  icon: { color: tokens.colorPaletteRedForeground1, flexShrink: 0, marginTop: '2px' },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  stepExtra: { marginTop: tokens.spacingVerticalXS, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, alignItems: 'flex-start' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  evidence: { fontFamily: tokens.fontFamilyMonospace, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', backgroundColor: tokens.colorNeutralBackground3, padding: tokens.spacingHorizontalS, borderRadius: tokens.borderRadiusMedium, margin: 0 },
});

function evidenceText(d: Diagnosis): string {
  const e = d.evidence;
  const facts: [string, string | number | undefined][] = [
    ['code', d.code],
    ['source', e.source],
    ['AADSTS', e.aadsts],
    ['trace id', e.traceId],
    ['correlation id', e.correlationId],
    ['HTTP status', e.httpStatus],
    ['response code', e.responseCode],
    ['error', e.errno],
    ['host', e.host && e.port ? `${e.host}:${e.port}` : e.host],
  ];
  return [...facts.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}: ${v}`), '', e.text].join('\n').trim();
}

const SERVICE_BY_PORT: Record<number, string> = { 993: 'reading mail (IMAP)', 143: 'reading mail (IMAP)', 587: 'sending mail (SMTP)', 25: 'sending mail (SMTP)', 465: 'sending mail (SMTP)', 443: 'signing in and Microsoft Graph (HTTPS)' };

/**
 * A network failure in the user's words and a request the network team can act on (issue 14 item 10):
 * which service, which host and port, and that the test ran from this computer.
 */
export function networkWords(d: Diagnosis): { plain: string; request: string } | undefined {
  if (!/^(network-|tls-)/.test(d.code) || !d.evidence.host) return undefined;
  const port = Number(d.evidence.port ?? 0);
  const service = SERVICE_BY_PORT[port];
  const where = `${d.evidence.host}${port ? `:${port}` : ''}`;
  return {
    plain: `Your network blocks ${service ?? 'the connection'} to ${where} from this computer. The test ran here, not on your system's server, whose network may differ.`,
    request: `Please allow outgoing TCP connections from this computer${port ? ` to ${d.evidence.host} on port ${port}` : ` to ${d.evidence.host}`} (${service ? `${service}, ` : ''}Microsoft 365). Without a TLS-inspecting proxy in between, please: it is needed for OAuth mail to Microsoft 365.`,
  };
}

/** A failure as a next step (UX.md): what happened, why, numbered fix, command, link, run again, redacted details. */
export function DiagnosisCard(props: { diagnosis: Diagnosis; onRunAgain?: () => void; runAgainLabel?: string; busy?: boolean }) {
  const styles = useStyles();
  const d = props.diagnosis;
  const details = evidenceText(d);
  const net = networkWords(d);
  return (
    <Card className={styles.card} data-testid="diagnosis" data-code={d.code} role="group" aria-label={d.title}>
      <div className={styles.head}>
        <ErrorCircle20Filled className={styles.icon} aria-hidden />
        <div>
          <Text as="h4" weight="semibold" size={400} block>
            {d.title}
          </Text>
          <Text block>{d.cause}</Text>
          {net && (
            <Text block weight="semibold" data-testid="network-words">
              {net.plain}
            </Text>
          )}
        </div>
      </div>
      {net && <ValueBox label="Request for the network team" value={net.request} kind="text" testId="network-request" />}
      {d.fix.length > 0 && (
        <>
          <Text weight="semibold">How to fix it</Text>
          <ol className={styles.steps}>
            {d.fix.map((f, i) => (
              <li key={i}>
                <Markdown source={f.text} />
                {(f.command || f.link) && (
                  <div className={styles.stepExtra}>
                    {f.command && <ValueBox label="PowerShell" value={f.command} testId="fix-command" kind="command" />}
                    {f.link && <PortalLink label={f.link.label} url={f.link.url} />}
                  </div>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      <div className={styles.actions}>
        {props.onRunAgain && (
          <Button appearance="primary" icon={<ArrowClockwise20Regular />} onClick={props.onRunAgain} disabled={props.busy}>
            {props.runAgainLabel ?? 'Run again'}
          </Button>
        )}
      </div>
      <Accordion collapsible>
        <AccordionItem value="details">
          <AccordionHeader size="small">Details for a support ticket</AccordionHeader>
          <AccordionPanel>
            <pre className={styles.evidence} data-testid="evidence">
              {details}
            </pre>
            <CopyButton value={details} what="details" />
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </Card>
  );
}
