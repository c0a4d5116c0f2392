import { Button, Card, makeStyles, Text, Title2, tokens } from '@fluentui/react-components';
import { ArrowRight20Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/ipc/contract';
import { getApi } from '../api';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  lead: { fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  needs: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  footer: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalL },
  version: { color: tokens.colorNeutralForeground3 },
});

export function Welcome(props: { onStart: () => void }) {
  const styles = useStyles();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    getApi()
      .app.getInfo()
      .then((result) => {
        if (!live) return;
        if (result.ok) setInfo(result.value);
        else setInfoError(result.error.message);
      });
    return () => {
      live = false;
    };
  }, []);

  return (
    <section className={styles.stack} aria-labelledby="welcome-title">
      <Title2 as="h2" id="welcome-title">
        Connect your system to Microsoft 365 mail
      </Title2>
      <Text className={styles.lead} block>
        This assistant gets your ERP, deployment tool or mail gateway sending and reading mail through Microsoft 365 or
        Outlook.com with OAuth. It tells you exactly what to register in Microsoft Entra for <em>your</em> system, signs
        in to prove it works, tests IMAP, SMTP and Graph for real, explains any failure with the fix, and gives you the
        values to paste, in your system&apos;s own words.
      </Text>
      <Card>
        <Text weight="semibold" as="h3" block>
          What you will need
        </Text>
        <ul className={styles.needs}>
          <li>The web address of your system (for example https://erp.example.com), if it has one.</li>
          <li>The mailbox it should send and read as, and that mailbox&apos;s password to sign in once.</li>
          <li>
            An account that can create app registrations in Microsoft Entra (an administrator, or someone with the
            Application Developer role), or someone who can do it with you.
          </li>
          <li>About 15 minutes. Your progress is saved as you go.</li>
        </ul>
      </Card>
      <div className={styles.footer}>
        <Button appearance="primary" size="large" icon={<ArrowRight20Regular />} iconPosition="after" onClick={props.onStart}>
          Get started
        </Button>
        <Text size={200} className={styles.version} data-testid="app-version" role="status">
          {info ? `Version ${info.version}` : infoError ? `Version unknown: ${infoError}` : 'Loading version…'}
        </Text>
      </div>
    </section>
  );
}
