import { Button, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled } from '@fluentui/react-icons/svg/checkmark-circle';
import { Clock20Regular } from '@fluentui/react-icons/svg/clock';
import { DismissCircle20Filled } from '@fluentui/react-icons/svg/dismiss-circle';
import type { ProgressRow } from './useRegistration';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  done: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0 },
  failed: { color: tokens.colorPaletteRedForeground1, flexShrink: 0 },
  waiting: { color: tokens.colorPaletteDarkOrangeForeground1, flexShrink: 0 },
  note: { color: tokens.colorPaletteDarkOrangeForeground1 },
  bar: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
});

function Icon(props: { state: ProgressRow['state'] }) {
  const styles = useStyles();
  if (props.state === 'done') return <CheckmarkCircle20Filled className={styles.done} aria-label="done" />;
  if (props.state === 'failed') return <DismissCircle20Filled className={styles.failed} aria-label="failed" />;
  if (props.state === 'waiting') return <Clock20Regular className={styles.waiting} aria-label="waiting" />;
  return <Spinner size="extra-tiny" aria-label="working" />;
}

/**
 * Every Graph step in words, as the engine reports it ("Creating the app registration", "Waiting for
 * Microsoft Entra to replicate, 14 s"), with Cancel while it runs. What was done stays recorded.
 */
export function ProgressList(props: { rows: readonly ProgressRow[]; running: boolean; status?: string; elapsedSeconds: number; onCancel: () => void }) {
  const styles = useStyles();
  return (
    <div data-testid="registration-progress">
      <ol className={styles.list} aria-label="What the assistant is doing">
        {props.rows.map((r) => (
          <li key={r.index} className={styles.row} data-state={r.state}>
            <Icon state={r.state} />
            <Text>
              {r.message}
              {r.note && r.note !== r.message && (
                <>
                  {' — '}
                  <span className={styles.note}>{r.note}</span>
                </>
              )}
            </Text>
          </li>
        ))}
      </ol>
      {props.running && (
        <div className={styles.bar}>
          <Spinner size="tiny" label={`${props.status ?? 'Working…'} · ${props.elapsedSeconds} s so far`} />
          <Button onClick={props.onCancel}>Cancel</Button>
        </div>
      )}
    </div>
  );
}
