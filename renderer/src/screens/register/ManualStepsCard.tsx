import { Badge, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { PersonKey20Regular } from '@fluentui/react-icons/svg/person-key';
import type { ManualStep } from '../../../../shared/registration/types';
import { ValueBox } from '../../components/ValueBox';

const useStyles = makeStyles({
  card: { borderLeft: `4px solid ${tokens.colorPaletteMarigoldBorder2}` },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  head: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  who: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center', color: tokens.colorNeutralForeground2 },
  pending: { fontFamily: tokens.fontFamilyMonospace, color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere', margin: 0, whiteSpace: 'pre-wrap' },
});

const WHERE: Record<ManualStep['where'], string> = {
  'exchange-powershell': 'Exchange Online PowerShell',
  'm365-admin': 'Microsoft 365 admin center',
};

const NEEDS: Record<string, string> = {
  appId: 'the Application (client) ID',
  servicePrincipalId: "the enterprise application's Object ID",
  tenantId: 'the tenant ID',
  mailbox: 'the mailbox',
};

/**
 * What Microsoft Graph cannot do (Exchange Online PowerShell, SMTP AUTH per mailbox): each step with
 * who must run it and the command with the real ids. A command with an id still unknown is shown
 * without Copy, saying what is missing. The Test screen shows the same card when a check fails.
 */
export function ManualStepsCard(props: { steps: readonly ManualStep[]; title?: string; lead?: string }) {
  const styles = useStyles();
  if (props.steps.length === 0) return null;
  return (
    <Card className={styles.card} id="manual-steps" data-testid="manual-steps" role="region" aria-labelledby="manual-steps-title">
      <Text as="h3" id="manual-steps-title" weight="semibold" size={400}>
        {props.title ?? 'What the assistant cannot do for you'}
      </Text>
      <Text block>{props.lead ?? 'Microsoft Graph has no way to make these changes; the person named runs each one, with the values below already filled in.'}</Text>
      <ol className={styles.list}>
        {props.steps.map((s) => {
          const missing = s.unresolved ?? [];
          return (
            <li key={s.id} data-manual-step={s.id}>
              <div className={styles.head}>
                <Text weight="semibold">{s.title}</Text>
                <Badge appearance="tint" color="brand">
                  {WHERE[s.where] ?? s.where}
                </Badge>
                {s.optional && (
                  <Badge appearance="outline" color="informative">
                    If it applies
                  </Badge>
                )}
              </div>
              <Text size={200} className={styles.who} block>
                <PersonKey20Regular aria-hidden /> Who: {s.who}
              </Text>
              {s.why && <Text block size={200}>{s.why}</Text>}
              {missing.length === 0 ? (
                <ValueBox label={WHERE[s.where] ?? 'Command'} value={s.command} testId="manual-command" kind="command" />
              ) : (
                <>
                  <pre className={styles.pending}>{s.command}</pre>
                  <Text size={200} block>
                    Filled in once {missing.map((m) => NEEDS[m] ?? m).join(' and ')} {missing.length === 1 ? 'is' : 'are'} known (after the registration exists).
                  </Text>
                </>
              )}
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
