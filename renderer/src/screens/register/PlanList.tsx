import { makeStyles, Text, tokens } from '@fluentui/react-components';
import type { PlanView } from '../../../../shared/ipc/registration';

const useStyles = makeStyles({
  plan: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

/** A registration plan as the person reads it before anything changes: one line per change, in order. */
export function PlanList(props: { steps: PlanView['steps']; testId?: string }) {
  const styles = useStyles();
  return (
    <ol className={styles.plan} aria-label="Planned changes" {...(props.testId ? { 'data-testid': props.testId } : {})}>
      {props.steps.map((s, i) => (
        <li key={i}>
          <Text>{s.summary}</Text>
        </li>
      ))}
    </ol>
  );
}
