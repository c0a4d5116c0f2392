import { Badge, Button, Card, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens, typographyStyles } from '@fluentui/react-components';
import { Add20Regular } from '@fluentui/react-icons/svg/add';
import { ArrowRight20Regular } from '@fluentui/react-icons/svg/arrow-right';
import { Delete20Regular } from '@fluentui/react-icons/svg/delete';
import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo, AppStatus, ProfileSummary } from '../../../shared/ipc/contract';
import { getApi } from '../api';
import { TARGET_NAMES, targetName } from '../../../shared/catalogue/names';
import { useAnnounce } from '../components/Announcer';
import { daysUntil, formatDate, formatDay } from '../components/format';
import { EXPIRY_WINDOW_DAYS } from '../../../shared/expiry';
import { WIZARD_STEPS } from '../steps';
import { PasteErrorOpener } from '../components/PasteErrorOpener';
import { RegistrationBadge } from './register/RegistrationBadge';
import { useAdmin } from './register/useRegistration';
import { BasicAuthEntry, ExpiringSoon } from './basic-auth/Entry';
import type { SortKey } from './start/FindAndSort';
// Find and sort (from four saved connections on): its own chunk (issue 23).
const FindAndSort = lazy(() => import('./start/FindAndSort').then((m) => ({ default: m.FindAndSort })));
const BasicAuth = lazy(() => import('./basic-auth/BasicAuth').then((m) => ({ default: m.BasicAuth }))); // its own chunk (issue 23)
const InventoryStart = lazy(() => import('./start/InventoryStart').then((m) => ({ default: m.InventoryStart }))); // its own chunk
// Paste an error pulls the diagnosis catalogue: its own chunk, fetched when the pointer or the focus
// reaches its button (or at the click), never before the first screen is up (issue 23).
const loadPasteError = () => import('../components/PasteError');
const PasteError = lazy(() => loadPasteError().then((m) => ({ default: m.PasteError })));

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  title: { ...typographyStyles.title2, margin: 0, outline: 'none' },
  lead: { fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  needs: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  footer: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalL },
  version: { color: tokens.colorNeutralForeground3 },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  grow: { flex: 1, minWidth: '240px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  tiles: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  meta: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center', color: tokens.colorNeutralForeground2 },
});


const nameOf = (s: ProfileSummary) => s.record.profile.name || targetName(s.record.profile.target) || '';

/** Ten customers on one screen (item 18): find by customer, system or mailbox; sort by expiry or status. */
export function sortAndFilter(list: readonly ProfileSummary[], query: string, sort: SortKey): ProfileSummary[] {
  const q = query.trim().toLowerCase();
  const hit = (s: ProfileSummary) => !q || [nameOf(s), targetName(s.record.profile.target) ?? '', s.record.profile.mailbox ?? '', s.record.profile.tenant ?? ''].some((v) => v.toLowerCase().includes(q));
  const rank = (s: ProfileSummary) => (s.record.lastRun?.status === 'failed' ? 0 : !s.record.lastRun ? 1 : 2);
  const expiry = (s: ProfileSummary) => s.record.profile.secretExpires || '9999-12-31';
  const by: Record<SortKey, (a: ProfileSummary, b: ProfileSummary) => number> = {
    recent: (a, b) => b.record.updatedAt.localeCompare(a.record.updatedAt),
    expiry: (a, b) => expiry(a).localeCompare(expiry(b)),
    status: (a, b) => rank(a) - rank(b) || expiry(a).localeCompare(expiry(b)),
    name: (a, b) => nameOf(a).localeCompare(nameOf(b)),
  };
  return list.filter(hit).sort(by[sort]);
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

export function Start(props: { onNew: () => void; onOpen: (summary: ProfileSummary) => void; onChooseTarget?: (targetId: string, displayName: string) => void; onStartWith?: (targetId: string, displayName: string) => void }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const heading = useRef<HTMLHeadingElement>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [profiles, setProfiles] = useState<ProfileSummary[] | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('recent');
  const [basicAuth, setBasicAuth] = useState(false);
  const [inventory, setInventory] = useState(false);
  const [pasteOpen, setPasteOpen] = useState(false);
  /** What the last deletion left behind (main's words), and what "Remove its registration too" removed. */
  const [deleted, setDeleted] = useState<{ name: string; remains: string[]; removed: string[]; error?: string } | null>(null);
  const { ensure } = useAdmin();
  const shown = useMemo(() => sortAndFilter(profiles ?? [], query, sort), [profiles, query, sort]);

  const load = useCallback(async () => {
    const result = await api.profiles.list();
    setProfiles(result.ok ? [...result.value].sort((a, b) => b.record.updatedAt.localeCompare(a.record.updatedAt)) : []);
  }, [api]);

  // The heading takes the focus in the commit that shows it, before the first paint, not in a task after it.
  useLayoutEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    let live = true;
    void api.app.getInfo().then((r) => live && (r.ok ? setInfo(r.value) : setInfoError(r.error.message)));
    void api.app.getStatus().then((r) => live && r.ok && setStatus(r.value));
    void load();
    return () => {
      live = false;
    };
  }, [api, load]);

  const remove = async (id: string, name: string, removed: string[] = []) => {
    const r = await api.profiles.delete({ id });
    setConfirmDelete(null);
    setDeleted({ name, remains: r.ok ? r.value.remains : [], removed });
    announce(`Connection deleted${r.ok && r.value.remains.length ? `; ${r.value.remains.length} thing${r.value.remains.length === 1 ? '' : 's'} remain outside this computer` : ''}`);
    await load();
  };
  /** The registration the assistant created goes first (main asks natively), then the connection. Declined: both stay. */
  const removeWithRegistration = async (id: string, name: string) => {
    const signedIn = await ensure(id, 'write', 'window');
    if (signedIn.status !== 'signed-in') return setDeleted({ name, remains: [], removed: [], error: signedIn.status === 'error' ? signedIn.message : 'The administrator sign-in did not finish. Nothing was removed or deleted.' });
    const r = await api.registration.removeCreated({ profileId: id });
    if (!r.ok) return setDeleted({ name, remains: [], removed: [], error: `${r.error.message} The connection is kept.` });
    if (r.value.status === 'declined') {
      setConfirmDelete(null);
      return setDeleted({ name, remains: [], removed: [], error: 'You declined: nothing was removed and the connection is kept.' });
    }
    await remove(id, name, r.value.removed);
  };

  if (inventory)
    return (
      <Suspense fallback={null}>
        <InventoryStart onBack={() => setInventory(false)} />
      </Suspense>
    );
  if (basicAuth) return <BasicAuth profiles={profiles} onChoose={props.onChooseTarget ?? (() => props.onNew())} onOpen={props.onOpen} onBack={() => setBasicAuth(false)} />;
  return (
    <section className={styles.stack} aria-labelledby="start-title" data-screen="start">
      <h2 id="start-title" ref={heading} tabIndex={-1} className={styles.title}>
        Connect your system to Microsoft 365 mail
      </h2>
      <Text className={styles.lead} block>
        This assistant gets your ERP, deployment tool or mail gateway sending and reading mail through Microsoft 365 or
        Outlook.com with OAuth. It tells you exactly what to register in Microsoft Entra for <em>your</em> system, signs
        in to prove it works, tests IMAP, SMTP and Graph for real, explains any failure with the fix, and gives you the
        values to paste, in your system&apos;s own words.
      </Text>
      <ExpiringSoon profiles={profiles} onOpen={props.onOpen} />
      <BasicAuthEntry onOpen={() => setBasicAuth(true)} onInventory={() => setInventory(true)} />
      {pasteOpen ? (
        <Suspense fallback={null}>
          <PasteError onClose={() => setPasteOpen(false)} />
        </Suspense>
      ) : (
        <PasteErrorOpener onOpen={() => setPasteOpen(true)} onIntent={() => void loadPasteError().catch(() => undefined)} />
      )}
      {status?.notice && (
        <MessageBar intent="warning">
          <MessageBarBody>{status.notice}</MessageBarBody>
        </MessageBar>
      )}
      {status && !status.secretsPersist && (
        <MessageBar intent="info">
          <MessageBarBody>This computer offers no encrypted storage: client secrets you enter are kept only until the app closes.</MessageBarBody>
        </MessageBar>
      )}
      {deleted && (
        <MessageBar intent={deleted.error ? 'warning' : deleted.remains.length ? 'info' : 'success'} layout="multiline" data-testid="deleted-remains">
          <MessageBarBody>
            <MessageBarTitle>{deleted.error ? `“${deleted.name}” is not deleted` : deleted.remains.length ? `Deleted “${deleted.name}” from this computer; this remains` : `Deleted “${deleted.name}”; nothing of it remains`}</MessageBarTitle>
            {deleted.error}
            {deleted.removed.length > 0 && <Text block>Removed from Microsoft Entra, read back: {deleted.removed.join(' and ')}.</Text>}
            {deleted.remains.length > 0 && (
              <ul className={styles.needs}>
                {deleted.remains.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      {profiles && profiles.length > 0 && (
        <section aria-labelledby="saved-title" className={styles.stack}>
          <Text as="h3" id="saved-title" weight="semibold" size={500}>
            Your saved connections
          </Text>
          {profiles.length > 3 && (
            <Suspense fallback={null}>
              <FindAndSort query={query} onQuery={setQuery} sort={sort} onSort={setSort} shown={shown.length} total={profiles.length} />
            </Suspense>
          )}
          <ul className={styles.list}>
            {shown.map((s) => {
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
      )}
      {profiles && profiles.length === 0 && (
        <Card>
          <Text weight="semibold" as="h3" block>
            What you will need
          </Text>
          <ul className={styles.needs}>
            <li>The web address of your system (for example https://erp.example.com), if it has one.</li>
            <li>The mailbox it should send and read as.</li>
            <li>Who else you need depends on your system (an administrator to approve permissions, sometimes an Exchange administrator): the assistant tells you as soon as you pick it.</li>
            <li>About 15 minutes. Your progress is saved as you go.</li>
          </ul>
        </Card>
      )}
      {props.onStartWith && (
        <section aria-labelledby="start-new-title" className={styles.stack} data-testid="start-tiles">
          <Text as="h3" id="start-new-title" weight="semibold" size={500}>
            Start a new connection
          </Text>
          <Text size={200} block>
            Pick your system: you go straight to its details. Not sure which? “{profiles?.length ? 'New connection' : 'Get started'}” below describes each one.
          </Text>
          <ul className={styles.tiles}>
            {Object.entries(TARGET_NAMES).map(([id, name]) => (
              <li key={id}>
                <Button data-start-target={id} onClick={() => props.onStartWith?.(id, name)}>
                  {name}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className={styles.footer}>
        <Button appearance={profiles?.length ? 'secondary' : 'primary'} size="large" icon={profiles?.length ? <Add20Regular /> : <ArrowRight20Regular />} iconPosition={profiles?.length ? 'before' : 'after'} onClick={props.onNew}>
          {profiles?.length ? 'New connection' : 'Get started'}
        </Button>
        <Text size={200} className={styles.version} data-testid="app-version">
          {info ? `Version ${info.version}` : infoError ? `Version unknown: ${infoError}` : 'Loading version…'}
        </Text>
      </div>
    </section>
  );
}
