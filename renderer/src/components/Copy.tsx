import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import { Checkmark16Regular } from '@fluentui/react-icons/svg/checkmark';
import { Copy16Regular } from '@fluentui/react-icons/svg/copy';
import { useState } from 'react';
import { getApi } from '../api';
import { useAnnounce } from './Announcer';

const useStyles = makeStyles({
  row: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  box: { display: 'flex', alignItems: 'stretch', gap: tokens.spacingHorizontalS },
  value: {
    flex: 1,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase300,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    overflowWrap: 'anywhere',
    whiteSpace: 'pre-wrap',
    margin: 0,
  },
  label: { color: tokens.colorNeutralForeground2 },
});

const visuallyHidden: React.CSSProperties = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' };

/**
 * Copies through main (clipboard:write): the app denies the renderer every browser permission, the
 * clipboard included, so navigator.clipboard cannot work in the real app. A value that holds the
 * client secret is never here: main copies those itself (export:copy).
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    const r = await getApi().clipboard.write({ text });
    return r.ok && r.value.copied;
  } catch {
    return false;
  }
}

/** A Copy button that says what it copied (visibly for a moment, and to screen readers). */
export function CopyButton(props: { value: string; what: string; appearance?: 'subtle' | 'secondary' | 'outline' }) {
  const announce = useAnnounce();
  const [copied, setCopied] = useState(false);
  return (
    <Button
      appearance={props.appearance ?? 'secondary'}
      icon={copied ? <Checkmark16Regular /> : <Copy16Regular />}
      onClick={async () => {
        const ok = await copyText(props.value);
        announce(ok ? `${props.what} copied` : `Could not copy ${props.what}: select it and press Ctrl+C`);
        setCopied(ok);
        if (ok) setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : 'Copy'}
      <span style={visuallyHidden}> {props.what}</span>
    </Button>
  );
}

/** A value the user must type somewhere else: shown exactly as it must be entered, with Copy. */
export function CopyValue(props: { label: string; value: string; testId?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Text size={200} weight="semibold" className={styles.label}>
        {props.label}
      </Text>
      <div className={styles.box}>
        <pre className={styles.value} data-testid={props.testId}>
          {props.value}
        </pre>
        <CopyButton value={props.value} what={props.label} />
      </div>
    </div>
  );
}
