import { Button, Card, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { Globe20Regular } from '@fluentui/react-icons/svg/globe';
import { useEffect, useRef } from 'react';

const useStyles = makeStyles({
  head: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  icon: { color: tokens.colorBrandForeground1, flexShrink: 0, marginTop: '2px' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
});

/**
 * The administrator's sign-in is waiting in the person's own browser (main listens on a loopback address
 * for the redirect, RFC 8252): what to do there, the time so far, Cancel, and the embedded window as the
 * fallback (a browser without a Microsoft session, or one signed in as someone else).
 */
export function BrowserSignInWaiting(props: { mailbox: string; elapsedSeconds: number; onCancel: () => void; onUseWindow: () => void }) {
  const styles = useStyles();
  const org = props.mailbox.split('@')[1];
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on what to do next.
  useEffect(() => heading.current?.focus(), []);
  return (
    <Card data-testid="browser-signin-waiting" role="region" aria-labelledby="browser-signin-title">
      <div className={styles.head}>
        <Globe20Regular className={styles.icon} aria-hidden />
        <div className={styles.body}>
          <Text as="h3" weight="semibold" size={400} id="browser-signin-title" ref={heading} tabIndex={-1}>
            Continue in your browser
          </Text>
          <Text block>
            Your browser opened the Microsoft sign-in. Sign in there as an administrator{org ? ` of ${org}` : ''}
            {props.mailbox ? `, not as the mailbox ${props.mailbox}` : ''}. If the browser is already signed in, pick that account. This screen goes on by itself when you are done.
          </Text>
          <div className={styles.row}>
            <Spinner size="tiny" label={`Waiting for the sign-in in your browser · ${props.elapsedSeconds} s so far`} />
          </div>
          <div className={styles.row}>
            <Button appearance="primary" onClick={props.onUseWindow}>
              Use the built-in window instead
            </Button>
            <Button onClick={props.onCancel}>Cancel</Button>
          </div>
        </div>
      </div>
    </Card>
  );
}
