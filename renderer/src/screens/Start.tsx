import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens, typographyStyles } from '@fluentui/react-components';
import { Add20Regular } from '@fluentui/react-icons/svg/add';
import { ArrowRight20Regular } from '@fluentui/react-icons/svg/arrow-right';
import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo, AppStatus, ProfileSummary } from '../../../shared/ipc/contract';
import { getApi } from '../api';
import { TARGET_NAMES, targetName } from '../../../shared/catalogue/names';
import { PasteErrorOpener } from '../components/PasteErrorOpener';
import { BasicAuthEntry } from './basic-auth/Entry';
import type { SortKey } from './start/FindAndSort';
import type { DeletedNote } from './start/SavedList';
// The saved connections' list and the expiry notice above it (badges, cards, the delete flow): one chunk of
// their own, loaded only when there are saved connections (issue 23).
const loadSaved = () => import('./start/SavedList');
const SavedList = lazy(() => loadSaved().then((m) => ({ default: m.SavedList })));
const ExpiringSoon = lazy(() => loadSaved().then((m) => ({ default: m.ExpiringSoon })));
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
  // Fluent's Card (filled, medium, vertical) as plain CSS: this card holds only text, and the Card component
  // brings tabster's focus groups (~70 KB with tabster) into the first screen's JavaScript (issue 23). The
  // transparent border is what shows as the card's edge in Windows high-contrast mode, as Card's does.
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: '12px',
    padding: '12px',
    position: 'relative',
    boxSizing: 'border-box',
    overflow: 'hidden',
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
    '::after': {
      content: '""',
      position: 'absolute',
      top: 0,
      right: 0,
      bottom: 0,
      left: 0,
      pointerEvents: 'none',
      border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
      borderRadius: tokens.borderRadiusMedium,
    },
  },
  tiles: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
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

type Api = ReturnType<typeof getApi>;
/** Main's answers the first screen shows, asked for as the app starts (askFirstScreenData). */
interface FirstScreenData {
  info: ReturnType<Api['app']['getInfo']>;
  status: ReturnType<Api['app']['getStatus']>;
  profiles: ReturnType<Api['profiles']['list']>;
}
let early: FirstScreenData | undefined;
const askNow = (api: Api): FirstScreenData => ({ info: api.app.getInfo(), status: api.app.getStatus(), profiles: api.profiles.list() });

/**
 * Asks main for what the first screen shows (version, storage status, saved connections) before React renders
 * it (main.tsx), so main answers while the screen renders, not after its first paint (issue 23). The screen
 * does not wait for the answers: it shows at once and fills in as they come. The first Start to mount takes
 * them; any later visit to Start asks again.
 */
export function askFirstScreenData(): void {
  early = askNow(getApi());
}
function ask(api: Api): FirstScreenData {
  const data = early ?? askNow(api);
  early = undefined;
  return data;
}

export function Start(props: { onNew: () => void; onOpen: (summary: ProfileSummary) => void; onChooseTarget?: (targetId: string, displayName: string) => void; onStartWith?: (targetId: string, displayName: string) => void }) {
  const styles = useStyles();
  const api = getApi();
  const heading = useRef<HTMLHeadingElement>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [profiles, setProfiles] = useState<ProfileSummary[] | null>(null);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('recent');
  const [basicAuth, setBasicAuth] = useState(false);
  const [inventory, setInventory] = useState(false);
  const [pasteOpen, setPasteOpen] = useState(false);
  /** What the last deletion left behind (main's words), and what "Remove its registration too" removed. */
  const [deleted, setDeleted] = useState<DeletedNote | null>(null);
  const shown = useMemo(() => sortAndFilter(profiles ?? [], query, sort), [profiles, query, sort]);

  const load = useCallback(async (asked?: FirstScreenData['profiles']) => {
    const result = await (asked ?? api.profiles.list());
    setProfiles(result.ok ? [...result.value].sort((a, b) => b.record.updatedAt.localeCompare(a.record.updatedAt)) : []);
  }, [api]);

  // The heading takes the focus in the commit that shows it, before the first paint, not in a task after it.
  useLayoutEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    let live = true;
    const data = ask(api);
    void data.info.then((r) => live && (r.ok ? setInfo(r.value) : setInfoError(r.error.message)));
    void data.status.then((r) => live && r.ok && setStatus(r.value));
    void load(data.profiles);
    return () => {
      live = false;
    };
  }, [api, load]);

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
      {profiles && profiles.length > 0 && (
        <Suspense fallback={null}>
          <ExpiringSoon profiles={profiles} onOpen={props.onOpen} />
        </Suspense>
      )}
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
        <Suspense fallback={null}>
          <SavedList shown={shown} total={profiles.length} query={query} onQuery={setQuery} sort={sort} onSort={setSort} onOpen={props.onOpen} onDeleted={setDeleted} reload={load} />
        </Suspense>
      )}
      {profiles && profiles.length === 0 && (
        <div role="group" className={styles.card}>
          <Text weight="semibold" as="h3" block>
            What you will need
          </Text>
          <ul className={styles.needs}>
            <li>The web address of your system (for example https://erp.example.com), if it has one.</li>
            <li>The mailbox it should send and read as.</li>
            <li>Who else you need depends on your system (an administrator to approve permissions, sometimes an Exchange administrator): the assistant tells you as soon as you pick it.</li>
            <li>About 15 minutes. Your progress is saved as you go.</li>
          </ul>
        </div>
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
