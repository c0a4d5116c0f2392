/**
 * "Who still signs in with a password?" (issue 22, item 6) in the app: the administrator signs in (read
 * only, with AuditLog.Read.All) and main lists each sender of the Entra sign-in logs that used a
 * legacy client (SMTP AUTH, IMAP, POP...) in the last 30 days, with the suggested path.
 */
import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { InventoryTenant, InventoryView } from '../../../shared/ipc/inventory';
import { getApi } from '../api';
import { useAnnounce } from './Announcer';
import { DiagnosisCard } from './DiagnosisCard';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground2 },
  table: { borderCollapse: 'collapse', width: '100%' },
  th: { textAlign: 'left', borderBottom: `1px solid ${tokens.colorNeutralStroke1}`, padding: tokens.spacingVerticalXS },
  td: { verticalAlign: 'top', borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, padding: tokens.spacingVerticalXS, overflowWrap: 'anywhere' },
  pre: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', margin: 0 },
});

const PATH_LABEL = { wizard: 'Move it to OAuth with the wizard', relay: 'Point it at the relay', 'high-volume-email': 'High Volume Email (internal mail)' } as const;

/** For a saved connection's tenant (profileId), or a tenant named on the Start screen (tenant; undefined = not typed yet). */
export function WhoSignsInWithPassword(props: { profileId: string } | { tenant: InventoryTenant | undefined }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<InventoryView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const read = async () => {
    setBusy(true);
    setError(null);
    const r = await api.inventory.read('profileId' in props ? { profileId: props.profileId } : { tenant: props.tenant! });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setView(r.value);
    if (r.value.status === 'read') announce(`${r.value.senders.length} sender(s) still sign in with a password`);
  };

  return (
    <section aria-labelledby="inventory-title" className={styles.section} data-testid="inventory">
      <Text as="h3" id="inventory-title" weight="semibold" size={500}>
        {'profileId' in props ? 'Who still signs in with a password?' : 'Read the sign-in logs'}
      </Text>
      <Text block className={styles.muted}>
        An administrator signs in (read only) and the assistant reads the Entra sign-in logs of the last 30 days for legacy clients (SMTP AUTH, IMAP, POP…). Nothing is changed. Reading them needs an Entra ID P1 or P2 licence; without it, the Exchange steps are shown instead.
      </Text>
      <div>
        <Button onClick={() => void read()} disabled={busy || ('tenant' in props && !props.tenant)}>
          Find who still signs in with a password
        </Button>
        {busy && <Spinner size="tiny" label="Waiting for the administrator's sign-in and the sign-in logs" />}
      </div>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {view?.status === 'failed' && <DiagnosisCard diagnosis={view.diagnosis} />}
      {view?.status === 'cancelled' && <Text block>The sign-in was closed; nothing was read.</Text>}
      {view?.status === 'read' && (
        <>
          {view.source === 'unlicensed' ? (
            <MessageBar intent="warning">
              <MessageBarBody>
                <MessageBarTitle>The sign-in logs cannot be read in this tenant</MessageBarTitle>
                {view.message}. Exchange answers the same question: {view.exchange.report}.
              </MessageBarBody>
            </MessageBar>
          ) : view.senders.length === 0 ? (
            <Text block data-testid="inventory-none">
              No sign-in with a password since {view.since.slice(0, 10)}.
            </Text>
          ) : (
            <table className={styles.table} data-testid="inventory-list">
              <caption className={styles.muted}>
                {view.senders.length} sender(s) signed in with a password since {view.since.slice(0, 10)}
              </caption>
              <thead>
                <tr>
                  <th className={styles.th} scope="col">Account</th>
                  <th className={styles.th} scope="col">Client</th>
                  <th className={styles.th} scope="col">From</th>
                  <th className={styles.th} scope="col">Sign-ins</th>
                  <th className={styles.th} scope="col">Last seen</th>
                  <th className={styles.th} scope="col">Next step</th>
                </tr>
              </thead>
              <tbody>
                {view.senders.map((s) => (
                  <tr key={`${s.account}|${s.client}`} data-account={s.account} data-path={s.path}>
                    <td className={styles.td}>{s.account}</td>
                    <td className={styles.td}>{s.client}</td>
                    <td className={styles.td}>{s.addresses.join(', ') || '(no address)'}</td>
                    <td className={styles.td}>
                      {s.count}
                      {s.failed ? ` (${s.failed} failed)` : ''}
                    </td>
                    <td className={styles.td}>{s.lastSeen.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</td>
                    <td className={styles.td}>
                      <strong>{PATH_LABEL[s.path]}</strong>
                      {s.target ? ` (${s.target})` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Text block size={200} className={styles.muted}>
            Also check, per mailbox, where SMTP AUTH is still on (Exchange Online PowerShell):
          </Text>
          <pre className={styles.pre}>{view.exchange.powershell}</pre>
        </>
      )}
    </section>
  );
}
