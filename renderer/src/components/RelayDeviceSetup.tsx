/**
 * "A device or program that cannot use OAuth" (issue 22, item 5), on the last screen: main writes the
 * relay's settings (relay:setup) and answers the settings to type into the device, which are shown
 * here once as a card to print or hand over. The device's password is not kept anywhere in plain text:
 * closing the screen forgets it; writing the settings again makes a new one.
 */
import { Button, Card, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { RelaySetupView } from '../../../shared/ipc/relay';
import type { TargetEntry } from '../../../shared/catalogue/types';
import { getApi } from '../api';
import { useAnnounce } from './Announcer';
import { ValueBox } from './ValueBox';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground2 },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, border: `2px solid ${tokens.colorNeutralStroke1}`, maxWidth: '44rem' },
  table: { borderCollapse: 'collapse', width: '100%' },
  th: { textAlign: 'left', verticalAlign: 'top', padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXS} 0`, whiteSpace: 'nowrap', fontWeight: tokens.fontWeightSemibold },
  td: { padding: `${tokens.spacingVerticalXS} 0`, verticalAlign: 'top' },
  value: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase400, overflowWrap: 'anywhere' },
  note: { display: 'block', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

export function isRelayTarget(target: TargetEntry): boolean {
  return target.id === 'relay-device';
}

export function RelayDeviceSetup(props: { profileId: string; target: TargetEntry }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<RelaySetupView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const write = async () => {
    setBusy(true);
    setError(null);
    const r = await api.relay.setup({ profileId: props.profileId });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setView(r.value);
    announce('The relay settings are written. The device settings card is shown below.');
  };

  return (
    <section aria-labelledby="relay-title" className={styles.section} data-testid="relay-setup">
      <Text as="h3" id="relay-title" weight="semibold" size={500}>
        The relay and the device
      </Text>
      <Text block className={styles.muted}>
        The assistant writes the relay&apos;s settings on this computer (the device&apos;s password only as a scrypt hash) and shows the settings to type into the device, once. Run the relay on a computer that stays on.
      </Text>
      <div className={styles.row}>
        <Button appearance={view ? 'secondary' : 'primary'} onClick={() => void write()} disabled={busy}>
          {view ? 'Write again with a new password' : 'Write the relay settings'}
        </Button>
        {busy && <Spinner size="tiny" label="Writing the relay settings" />}
      </div>
      {error && (
        <MessageBar intent="error" data-testid="relay-error">
          <MessageBarBody>
            <MessageBarTitle>The relay settings were not written</MessageBarTitle>
            {error}
          </MessageBarBody>
        </MessageBar>
      )}
      {view && (
        <>
          <Card className={styles.card} data-testid="relay-device-card" aria-labelledby="relay-card-title">
            <Text as="h4" id="relay-card-title" weight="semibold" size={500}>
              {view.card.title}
            </Text>
            <table className={styles.table}>
              <tbody>
                {view.card.fields.map((f) => (
                  <tr key={f.label} data-field={f.label}>
                    <th scope="row" className={styles.th}>
                      {f.label}
                    </th>
                    <td className={styles.td}>
                      <span className={styles.value}>{f.value}</span>
                      {f.note && <span className={styles.note}>{f.note}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <MessageBar intent="warning">
              <MessageBarBody>
                <MessageBarTitle>The password is shown only now</MessageBarTitle>
                The relay keeps only its hash. Print this card or type the settings into the device now; if it is lost, write the settings again for a new password.
              </MessageBarBody>
            </MessageBar>
            <div className={styles.row}>
              <Button onClick={() => window.print()}>Print the card</Button>
            </div>
          </Card>
          <Card data-testid="relay-run">
            <Text as="h4" weight="semibold" size={400}>
              Run the relay
            </Text>
            <Text block className={styles.muted}>
              {view.replaced ? 'The device was there already: its old password no longer works. ' : ''}
              Files written and read back in {view.folder}. Start it with the client secret in the environment variable {view.secretEnv} (for a service: the same command with --install).
            </Text>
            <ValueBox label="Command" value={view.command} />
            {view.card.notes.map((n) => (
              <Text key={n} block size={200} className={styles.muted}>
                {n}
              </Text>
            ))}
          </Card>
        </>
      )}
    </section>
  );
}
