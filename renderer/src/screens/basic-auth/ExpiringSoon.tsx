/**
 * The Start screen's notice of connections whose secret expires within 30 days (or has expired), issue 12.
 * Loaded with the saved connections' list (start/SavedList), only when there are saved connections.
 */
import { Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ProfileSummary } from '../../../../shared/ipc/contract';
import { targetName } from '../../../../shared/catalogue/names';
import { daysUntil } from '../../components/format';
import { daysPhrase, EXPIRY_WINDOW_DAYS } from '../../../../shared/expiry';

export { EXPIRY_WINDOW_DAYS };

/** The saved connections inside the window, soonest first (expired ones included). */
export function expiringSoon(profiles: ProfileSummary[], now = new Date()): { summary: ProfileSummary; days: number }[] {
  return profiles
    .map((summary) => ({ summary, days: daysUntil(summary.record.profile.secretExpires, now) }))
    .filter((x): x is { summary: ProfileSummary; days: number } => x.days !== undefined && x.days <= EXPIRY_WINDOW_DAYS)
    .sort((a, b) => a.days - b.days);
}

export function ExpiringSoon(props: { profiles: ProfileSummary[] | null; onOpen: (summary: ProfileSummary) => void }) {
  const soon = expiringSoon(props.profiles ?? []);
  if (!soon.length) return null;
  return (
    <MessageBar intent={soon.some((s) => s.days <= 0) ? 'error' : 'warning'} layout="multiline" data-testid="expiring-soon">
      <MessageBarBody>
        <MessageBarTitle>{soon.length === 1 ? 'A connection needs a new secret soon' : `${soon.length} connections need a new secret soon`}</MessageBarTitle>
        <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
          {soon.map(({ summary, days }) => {
            const name = summary.record.profile.name || targetName(summary.record.profile.target) || 'Unnamed connection';
            return (
              <li key={summary.record.id} data-testid="expiring-connection">
                <Link onClick={() => props.onOpen(summary)}>{name}</Link>
                {/* A bare end date is the start of that day: at 0 days it has expired, as `mail-oauth status` and the notification say. */}
                {days <= 0 ? `: the secret expired ${daysPhrase(days)}` : `: the secret expires ${daysPhrase(days)}`}
              </li>
            );
          })}
        </ul>
        Open it and press <strong>Renew secret</strong> on its last screen: the new secret is proved before the old one is removed.
      </MessageBarBody>
    </MessageBar>
  );
}

