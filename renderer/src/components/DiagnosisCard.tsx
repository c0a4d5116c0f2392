import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ArrowClockwise20Regular, ErrorCircle20Filled } from '@fluentui/react-icons';
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

/** A failure as a next step (UX.md): what happened, why, numbered fix, command, link, run again, redacted details. */
export function DiagnosisCard(props: { diagnosis: Diagnosis; onRunAgain?: () => void; runAgainLabel?: string; busy?: boolean }) {
  const styles = useStyles();
  const d = props.diagnosis;
  const details = evidenceText(d);
  return (
    <Card className={styles.card} data-testid="diagnosis" data-code={d.code} role="group" aria-label={d.title}>
      <div className={styles.head}>
        <ErrorCircle20Filled className={styles.icon} aria-hidden />
        <div>
          <Text as="h4" weight="semibold" size={400} block>
            {d.title}
          </Text>
          <Text block>{d.cause}</Text>
        </div>
      </div>
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
