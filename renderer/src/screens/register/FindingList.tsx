import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Badge, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled } from '@fluentui/react-icons/svg/checkmark-circle';
import { ErrorCircle20Filled } from '@fluentui/react-icons/svg/error-circle';
import { Info20Regular } from '@fluentui/react-icons/svg/info';
import { Warning20Filled } from '@fluentui/react-icons/svg/warning';
import type { LintFinding } from '../../../../shared/ipc/registration';
import { ValueBox } from '../../components/ValueBox';
import { Markdown } from '../../components/Markdown';
import { PortalLink } from '../../components/PortalLink';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  head: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  grow: { flex: 1, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  error: { color: tokens.colorPaletteRedForeground1, flexShrink: 0 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1, flexShrink: 0 },
  info: { color: tokens.colorNeutralForeground2, flexShrink: 0 },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  facts: { margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXXS },
  mono: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere', margin: 0 },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  clean: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  cause: { fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200 },
});

function SeverityIcon(props: { severity: LintFinding['severity'] }) {
  const styles = useStyles();
  if (props.severity === 'error') return <ErrorCircle20Filled className={styles.error} aria-label="problem" />;
  if (props.severity === 'warning') return <Warning20Filled className={styles.warning} aria-label="warning" />;
  return <Info20Regular className={styles.info} aria-label="note" />;
}

/** One finding of the lint: what differs, expected vs found, whether the assistant can fix it, and the fix by hand. */
export function FindingItem(props: { finding: LintFinding }) {
  const styles = useStyles();
  const f = props.finding;
  const d = f.diagnosis;
  return (
    <li data-testid="finding" data-code={f.code} data-fixable={f.fixable}>
      <Card>
        <div className={styles.head}>
          <SeverityIcon severity={f.severity} />
          <div className={styles.grow}>
            <Text as="h4" weight="semibold" block>
              {d.title}
            </Text>
            <div className={styles.cause}>
              <Markdown source={d.cause} />
            </div>
            {(f.expected || f.found) && (
              <dl className={styles.facts}>
                {f.expected && (
                  <>
                    <dt>
                      <Text size={200}>Should be</Text>
                    </dt>
                    <dd className={styles.mono}>{f.expected}</dd>
                  </>
                )}
                {f.found && (
                  <>
                    <dt>
                      <Text size={200}>Is now</Text>
                    </dt>
                    <dd className={styles.mono}>{f.found}</dd>
                  </>
                )}
              </dl>
            )}
            <div className={styles.badges}>
              {f.fixable ? (
                <Badge appearance="tint" color="success">
                  The assistant can fix this
                </Badge>
              ) : (
                <Badge appearance="tint" color="warning">
                  {f.who ? `Who: ${f.who}` : 'Needs a person'}
                </Badge>
              )}
            </div>
          </div>
        </div>
        {d.fix.length > 0 && (
          <Accordion collapsible>
            <AccordionItem value="by-hand">
              <AccordionHeader size="small">{f.fixable ? 'How to fix it by hand instead' : 'How to fix it'}</AccordionHeader>
              <AccordionPanel>
                <ol className={styles.steps}>
                  {d.fix.map((s, i) => (
                    <li key={i}>
                      <Markdown source={s.text} />
                      {s.command && <ValueBox label="Command" value={s.command} kind="command" />}
                      {s.link && <PortalLink label={s.link.label} url={s.link.url} />}
                    </li>
                  ))}
                </ol>
              </AccordionPanel>
            </AccordionItem>
          </Accordion>
        )}
      </Card>
    </li>
  );
}

export function FindingList(props: { findings: readonly LintFinding[]; label: string }) {
  const styles = useStyles();
  const order = { error: 0, warning: 1, info: 2 } as const;
  // Information only (a choice such as "Assignment required?"): the registration is clean, and the note stays listed.
  const clean = props.findings.every((f) => f.severity === 'info');
  return (
    <>
      {clean && (
        <div className={styles.clean} data-testid="lint-clean">
          <CheckmarkCircle20Filled className={styles.ok} aria-hidden />
          <Text>Nothing to fix: the registration matches what this system needs.</Text>
        </div>
      )}
      {props.findings.length > 0 && <FindingItems findings={props.findings} label={props.label} order={order} />}
    </>
  );
}

function FindingItems(props: { findings: readonly LintFinding[]; label: string; order: Record<LintFinding['severity'], number> }) {
  const styles = useStyles();
  const order = props.order;
  return (
    <ul className={styles.list} aria-label={props.label}>
      {[...props.findings]
        .sort((a, b) => order[a.severity] - order[b.severity])
        .map((f, i) => (
          <FindingItem key={`${f.code}-${i}`} finding={f} />
        ))}
    </ul>
  );
}
