/**
 * A value the user must enter somewhere else, shown exactly as it must be entered, with Copy, but
 * ONLY when the value is known (issue 14 item 1): a `<placeholder>` or a value the catalogue marks
 * unknown is shown as "not known yet" with where it comes from, and nothing can copy it.
 * Commands stay on one line (the box scrolls); URIs break only after `/ . ?` (item 16).
 */
import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { Info16Regular } from '@fluentui/react-icons/svg/info';
import { Fragment, type ReactNode } from 'react';
import { isUnresolved } from '../catalogue';
import { CopyButton } from './Copy';

const useStyles = makeStyles({
  row: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  // Copy stays beside the box, at its top (a tall multi-line command does not stretch it); the box scrolls inside itself.
  box: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS, minWidth: 0 },
  value: {
    flex: 1,
    minWidth: 0,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase300,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    margin: 0,
  },
  wrapUri: { whiteSpace: 'normal', overflowWrap: 'normal', wordBreak: 'normal' },
  oneLine: { whiteSpace: 'pre', overflowX: 'auto' },
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  label: { color: tokens.colorNeutralForeground2 },
  unknown: {
    display: 'flex',
    gap: tokens.spacingHorizontalXS,
    alignItems: 'flex-start',
    color: tokens.colorNeutralForeground2,
    border: `1px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
  },
});

export type ValueKind = 'uri' | 'command' | 'text';

export function kindOf(value: string): ValueKind {
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value)) return 'uri';
  if (/^[A-Z][a-z]+-[A-Za-z]+ |^(Connect|New|Add|Set|Get|Remove|Test)-|^az |^curl /.test(value)) return 'command';
  return 'text';
}

/** A URI with break opportunities only after `/ . ?` (never inside a word). */
export function breakableUri(uri: string): ReactNode[] {
  return uri.split(/(?<=[/.?])/).map((part, i) => (
    <Fragment key={i}>
      {part}
      <wbr />
    </Fragment>
  ));
}

/** What a placeholder stands for, in words ("<Application (client) ID>" -> "the Application (client) ID"). */
export function unknownHint(value: string): string {
  const names = [...value.matchAll(/<([^<>]+)>/g)].map((m) => m[1]!);
  if (names.length === 0) return 'Not known yet.';
  return `Not known yet: needs ${names.map((n) => (n.startsWith('paste') ? 'the client secret Value' : `the ${n}`)).join(' and ')}. It appears here once the assistant has it.`;
}

export function ValueBox(props: { label: string; value: string; unknown?: boolean; testId?: string; kind?: ValueKind }) {
  const styles = useStyles();
  const unresolved = isUnresolved({ value: props.value, unknown: props.unknown });
  if (unresolved) {
    return (
      <div className={styles.row} data-value-box="unknown">
        <Text size={200} weight="semibold" className={styles.label}>
          {props.label}
        </Text>
        <Text size={200} className={styles.unknown} data-testid="value-unknown">
          <Info16Regular aria-hidden /> {unknownHint(props.value)}
        </Text>
      </div>
    );
  }
  const kind = props.kind ?? kindOf(props.value);
  return (
    <div className={styles.row} data-value-box="known">
      <Text size={200} weight="semibold" className={styles.label}>
        {props.label}
      </Text>
      <div className={styles.box}>
        <pre className={mergeClasses(styles.value, kind === 'uri' ? styles.wrapUri : kind === 'command' ? styles.oneLine : styles.text)} data-testid={props.testId} tabIndex={kind === 'command' ? 0 : undefined}>
          {kind === 'uri' ? breakableUri(props.value) : props.value}
        </pre>
        <CopyButton value={props.value} what={props.label} />
      </div>
    </div>
  );
}
