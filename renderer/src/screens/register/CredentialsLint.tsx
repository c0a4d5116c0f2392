import { makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { LintReport } from '../../../../shared/ipc/registration';
import { getApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { formatDay } from '../../components/format';
import type { Draft } from '../../state/useWizard';
import { FindingList } from './FindingList';
import { useAdmin } from './useRegistration';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Screen 5, hooked in by one line: when the assistant made the registration it says so; when a client
 * id is typed and an administrator is signed in (screen 4), the registration is checked at once,
 * before any sign-in, including the typed secret against the registration's secret hints.
 */
export function CredentialsLint(props: { draft: Draft; secret: string }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const { admin } = useAdmin();
  const [report, setReport] = useState<LintReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const clientId = (props.draft.profile.clientId ?? '').trim();
  const secret = props.secret.trim();
  const record = props.draft.registration;

  // Just created and read back by the assistant, nothing typed: checking again would only move the
  // screen under the user's pointer as the result arrives.
  const justCreated = record?.method === 'created' && record.appId === clientId && !secret;

  useEffect(() => {
    if (!admin || !GUID.test(clientId) || justCreated) {
      setReport(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      setBusy(true);
      void api.registration.lint({ profileId: props.draft.id, clientId, ...(secret ? { secret } : {}) }).then((r) => {
        if (!live) return;
        setBusy(false);
        if (r.ok) {
          setReport(r.value);
          setError(null);
          const n = r.value.findings.filter((f) => f.severity !== 'info').length;
          announce(!r.value.appFound ? 'No registration with this client ID in the tenant' : n ? `The registration has ${n} problem${n === 1 ? '' : 's'}` : 'The registration matches');
        } else setError(r.error.message);
      });
    }, 600);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, announce, admin, clientId, secret, props.draft.id, justCreated]);

  return (
    <div className={styles.stack} data-testid="credentials-lint">
      {record?.method === 'created' && record.appId && record.appId === clientId && (
        <MessageBar intent="success" data-testid="filled-by-assistant">
          <MessageBarBody>
            <MessageBarTitle>Filled in by the assistant</MessageBarTitle>
            It created “{record.displayName ?? 'the registration'}”{record.by ? ` as ${record.by}` : ''}; the secret is saved with this connection and never shown here
            {props.draft.profile.secretExpires ? ` (it expires on ${formatDay(props.draft.profile.secretExpires)})` : ''}. Nothing to type: go on with Next.
          </MessageBarBody>
        </MessageBar>
      )}
      {busy && <Spinner size="tiny" label={`Checking the registration in Microsoft Entra as ${admin?.account ?? 'the administrator'}…`} />}
      {error && <Text>The registration could not be checked: {error}</Text>}
      {report && !busy && !report.appFound && (
        <MessageBar intent="warning">
          <MessageBarBody>
            <MessageBarTitle>Microsoft Entra has no registration with this client ID in {admin?.tenantName ?? 'this tenant'}</MessageBarTitle>
            Compare it with the app&apos;s Overview page; a typo here would fail the sign-in with AADSTS700016.
          </MessageBarBody>
        </MessageBar>
      )}
      {report && !busy && report.appFound && (
        <section aria-label="The registration, checked" className={styles.stack}>
          <Text size={200}>Checked in Microsoft Entra as {admin?.account}, before any sign-in:</Text>
          <FindingList findings={report.findings} label="What the registration check found" />
        </section>
      )}
    </div>
  );
}
