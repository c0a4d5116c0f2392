/**
 * The Start screen's saved connections (item 18): each with its last check, its secret's expiry and how its
 * registration was made, and Delete. Its own chunk (issue 23), loaded only when there are saved
 * connections: the badges, cards and the delete flow are not in the first screen's JavaScript for the
 * person who has none yet. The expiry notice above the list (../basic-auth/ExpiringSoon) comes with it.
 */
import { Badge, Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ArrowRight20Regular } from '@fluentui/react-icons/svg/arrow-right';
import { Delete20Regular } from '@fluentui/react-icons/svg/delete';
import { lazy, Suspense, useState } from 'react';
import type { ProfileSummary } from '../../../../shared/ipc/contract';
import { targetName } from '../../../../shared/catalogue/names';
import { EXPIRY_WINDOW_DAYS } from '../../../../shared/expiry';
import { getApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { daysUntil, formatDate, formatDay } from '../../components/format';
import { WIZARD_STEPS } from '../../steps';
import { RegistrationBadge } from '../register/RegistrationBadge';
import { useAdmin } from '../register/useRegistration';
import type { SortKey } from './FindAndSort';

export { ExpiringSoon } from '../basic-auth/ExpiringSoon';

// Find and sort (from four saved connections on): its own chunk (issue 23).
const FindAndSort = lazy(() => import('./FindAndSort').then((m) => ({ default: m.FindAndSort })));

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  grow: { flex: 1, minWidth: '240px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  meta: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center', color: tokens.colorNeutralForeground2 },
});

/** What a deletion left behind (main's words), and what "Remove its registration too" removed; Start shows it. */
export interface DeletedNote {
  name: string;
  remains: string[];
  removed: string[];
  error?: string;
}

function ExpiryBadge(props: { expires?: string }) {
  const days = daysUntil(props.expires);
  if (days === undefined) return <Badge appearance="outline" color="informative">Secret expiry not recorded</Badge>;
  if (days <= 0) return <Badge appearance="filled" color="danger">Secret expired {formatDay(props.expires)}</Badge>;
  if (days <= EXPIRY_WINDOW_DAYS) return <Badge appearance="filled" color="warning">Secret expires in {days} days</Badge>;
  return <Badge appearance="outline" color="success">Secret valid until {formatDay(props.expires)}</Badge>;
}

function LastRunBadge(props: { summary: ProfileSummary }) {
  const run = props.summary.record.lastRun;
  if (!run) return <Badge appearance="outline" color="informative">Not tested yet</Badge>;
  return run.status === 'passed' ? (
    <Badge appearance="filled" color="success">Checks passed {formatDate(run.at)}</Badge>
  ) : (
    <Badge appearance="filled" color="danger">{run.failed} check{run.failed === 1 ? '' : 's'} failed {formatDate(run.at)}</Badge>
  );
}

export function SavedList(props: {
  shown: ProfileSummary[];
  total: number;
  query: string;
  onQuery: (q: string) => void;
  sort: SortKey;
  onSort: (s: SortKey) => void;
  onOpen: (summary: ProfileSummary) => void;
  onDeleted: (note: DeletedNote) => void;
  reload: () => Promise<void>;
}) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const { ensure } = useAdmin();
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  const remove = async (id: string, name: string, removed: string[] = []) => {
    const r = await api.profiles.delete({ id });
    setConfirmDelete(null);
    props.onDeleted({ name, remains: r.ok ? r.value.remains : [], removed });
    announce(`Connection deleted${r.ok && r.value.remains.length ? `; ${r.value.remains.length} thing${r.value.remains.length === 1 ? '' : 's'} remain outside this computer` : ''}`);
    await props.reload();
  };
  /** The registration the assistant created goes first (main asks natively), then the connection. Declined: both stay. */
  const removeWithRegistration = async (id: string, name: string) => {
    const signedIn = await ensure(id, 'write', 'window');
    if (signedIn.status !== 'signed-in') return props.onDeleted({ name, remains: [], removed: [], error: signedIn.status === 'error' ? signedIn.message : 'The administrator sign-in did not finish. Nothing was removed or deleted.' });
    const r = await api.registration.removeCreated({ profileId: id });
    if (!r.ok) return props.onDeleted({ name, remains: [], removed: [], error: `${r.error.message} The connection is kept.` });
    if (r.value.status === 'declined') {
      setConfirmDelete(null);
      return props.onDeleted({ name, remains: [], removed: [], error: 'You declined: nothing was removed and the connection is kept.' });
    }
    await remove(id, name, r.value.removed);
  };

  return (
    <section aria-labelledby="saved-title" className={styles.stack}>
      <Text as="h3" id="saved-title" weight="semibold" size={500}>
        Your saved connections
      </Text>
      {props.total > 3 && (
        <Suspense fallback={null}>
          <FindAndSort query={props.query} onQuery={props.onQuery} sort={props.sort} onSort={props.onSort} shown={props.shown.length} total={props.total} />
        </Suspense>
      )}
      <ul className={styles.list}>
        {props.shown.map((s) => {
          const targetDisplayName = targetName(s.record.profile.target);
          const stepIndex = WIZARD_STEPS.findIndex((w) => w.id === s.record.wizard.step);
          const unfinished = s.record.wizard.step !== 'done';
          const name = s.record.profile.name || targetDisplayName || 'Unnamed connection';
          return (
            <li key={s.record.id}>
              <Card data-testid="saved-profile">
                <div className={styles.row}>
                  <div className={styles.grow}>
                    <Text weight="semibold">{name}</Text>
                    <div className={styles.meta}>
                      <Text size={200}>{[targetDisplayName, s.record.profile.mailbox].filter(Boolean).join(' · ')}</Text>
                      <LastRunBadge summary={s} />
                      <ExpiryBadge expires={s.record.profile.secretExpires} />
                      <RegistrationBadge record={s.record} />
                    </div>
                  </div>
                  {confirmDelete === s.record.id ? (
                    <>
                      <Text size={200}>Delete it and its saved secret?</Text>
                      <Button appearance="primary" onClick={() => void remove(s.record.id, name)} aria-label={`Yes, delete ${name}`}>
                        Delete
                      </Button>
                      {s.record.registration?.method === 'created' && s.record.registration.appId && (
                        <Button onClick={() => void removeWithRegistration(s.record.id, name)}>Remove its registration too</Button>
                      )}
                      <Button onClick={() => setConfirmDelete(null)}>Keep</Button>
                    </>
                  ) : (
                    <>
                      <Button appearance="subtle" icon={<Delete20Regular />} aria-label={`Delete ${name}`} onClick={() => setConfirmDelete(s.record.id)} />
                      <Button appearance="primary" icon={<ArrowRight20Regular />} iconPosition="after" onClick={() => props.onOpen(s)} aria-label={`${unfinished ? `Resume at ${stepIndex + 1}. ${WIZARD_STEPS[stepIndex]?.title ?? ''}` : 'Open'}: ${name}`}>
                        {unfinished ? `Resume at ${stepIndex + 1}. ${WIZARD_STEPS[stepIndex]?.title ?? ''}` : 'Open'}
                      </Button>
                    </>
                  )}
                </div>
              </Card>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
