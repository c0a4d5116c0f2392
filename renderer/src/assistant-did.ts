import { FRAPPE_CONNECTED_APP_STEP } from '../../shared/catalogue/targets/frappe';
import type { TargetPlanView } from '../../shared/ipc/target';
import type { SavedProfile } from '../../shared/saved-profile';

/**
 * What the assistant has done in the target, derived from what main saved (never from a flag of the page):
 * `all` when the last push configured it and no plan read since shows changes still to make (after "Not now",
 * or a target changed since, the manual steps are the true state again); `steps`, the manual steps it did before
 * any push (Frappe's Connected App, made or read back on Details, while that is still the connection's app).
 */
export function assistantDid(record: Pick<SavedProfile, 'profile' | 'targetConnection'>, plan: Pick<TargetPlanView, 'upToDate'> | null): { all: boolean; steps: string[] } {
  const conn = record.targetConnection;
  const all = conn?.lastPush?.status === 'configured' && !(plan && !plan.upToDate);
  const app = conn?.kind === 'frappe' ? conn.connectedApp : undefined;
  const steps = app && app.name === record.profile.targetInputs?.connectedAppName ? [FRAPPE_CONNECTED_APP_STEP] : [];
  return { all, steps };
}
