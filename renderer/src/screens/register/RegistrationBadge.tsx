import { Badge } from '@fluentui/react-components';
import type { SavedProfile } from '../../../../shared/saved-profile';

const METHOD = { created: 'Registration created by the assistant', checked: 'Registration checked by the assistant', manual: 'Registration made in the portal' } as const;

/** Start screen, per saved connection: how its registration was made and what its last check said. */
export function RegistrationBadge(props: { record: SavedProfile }) {
  const r = props.record.registration;
  const waiting = props.record.handoff;
  if (waiting && !r)
    return (
      <Badge appearance="filled" color="informative" data-testid="registration-badge" data-method="handoff" title={`The script was made on ${waiting.at.slice(0, 10)}; when the administrator sends back ${waiting.fileName}, open it on “Register in Microsoft Entra”.`}>
        Waiting for your administrator since {waiting.at.slice(0, 10)}
      </Badge>
    );
  if (!r) return null;
  if (r.state !== 'complete')
    return (
      <Badge appearance="filled" color="warning" data-testid="registration-badge" data-method={r.method} data-lint={r.lintStatus ?? 'unknown'}>
        Registration not finished
      </Badge>
    );
  const lint =
    r.lintStatus === 'clean'
      ? { color: 'success' as const, text: 'no problems' }
      : r.lintStatus === 'warnings'
        ? { color: 'warning' as const, text: 'warnings' }
        : r.lintStatus === 'errors'
          ? { color: 'danger' as const, text: 'problems to fix' }
          : r.lintStatus === 'not-found'
            ? { color: 'danger' as const, text: 'not found in the tenant' }
            : { color: 'informative' as const, text: 'not checked' };
  return (
    <Badge appearance="outline" color={lint.color} data-testid="registration-badge" data-method={r.method} data-lint={r.lintStatus ?? 'unknown'}>
      {METHOD[r.method]} · {lint.text}
    </Badge>
  );
}
