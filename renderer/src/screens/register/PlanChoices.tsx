import { Checkbox, makeStyles, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import type { MailAccess, PlanView } from '../../../../shared/ipc/registration';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  wide: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorPaletteRedForeground1 },
});

/**
 * Which mailboxes the app reaches, in plain words (issue 19, safe by default): "every mailbox in your
 * organisation" wherever the access is not scoped; for app-only Graph mail, the choice between the mailbox
 * only (Exchange RBAC for Applications, the default) and the whole organisation, and who does the scoping.
 */
export function PlanReach(props: { plan: PlanView; mailbox: string; onMailAccess?: (access: MailAccess) => void; busy?: boolean }) {
  const styles = useStyles();
  const { plan } = props;
  if (!plan.reach.length && !plan.mailAccess) return null;
  const who = props.mailbox || 'the mailbox';
  return (
    <section className={styles.stack} aria-labelledby="plan-reach-title" data-testid="plan-reach">
      <Text as="h4" id="plan-reach-title" weight="semibold">
        Which mailboxes the app can reach
      </Text>
      {plan.mailAccess && props.onMailAccess && (
        <RadioGroup value={plan.mailAccess.chosen} disabled={props.busy} onChange={(_, d) => props.onMailAccess?.(d.value as MailAccess)} aria-labelledby="plan-reach-title">
          <Radio value="mailbox" label={`Only ${who} (recommended): scoped by Exchange, no organisation-wide consent`} />
          <Radio value="organisation" label="Every mailbox in your organisation: admin consent for the whole organisation" />
        </RadioGroup>
      )}
      <ul className={styles.list} aria-label="Reach of each permission">
        {plan.reach.map((r, i) => (
          <li key={i} data-limited={r.limited ? 'true' : 'false'}>
            <Text>
              {r.grant}: <span className={r.limited ? undefined : styles.wide}>{r.reach}</span>
            </Text>
          </li>
        ))}
      </ul>
      {plan.mailAccess?.scopeStep && (
        <Text block data-testid="plan-scope-step">
          Then, not by the assistant: {plan.mailAccess.scopeStep.who} runs “{plan.mailAccess.scopeStep.title}”. Microsoft Graph cannot set Exchange RBAC, so the
          assistant hands it over as commands with the new ids filled in, right after creating. Until it has run, the app reaches no mailbox and the checks of {who} fail.
        </Text>
      )}
    </section>
  );
}

/** The separate "Require assignment" opt-in of a fix plan, with who would be locked out (read from the directory). */
export function AssignmentOptIn(props: { plan: PlanView; onChange: (on: boolean) => void; busy?: boolean }) {
  const styles = useStyles();
  const a = props.plan.assignment;
  if (!a?.offered) return null;
  const people = (n: number) => (n === 1 ? '1 person' : `${n} people`);
  const lockout =
    a.lockedOut === 0
      ? 'No one the directory shows using this app today would be locked out.'
      : `${people(a.lockedOut)} the directory shows using this app today ${a.lockedOut === 1 ? 'is' : 'are'} not assigned and would be locked out; ${a.chosen ? 'the plan assigns them too' : 'turning this on assigns them too'}.`;
  return (
    <div data-testid="assignment-opt-in" data-locked-out={a.lockedOut}>
      <Checkbox
        checked={a.chosen}
        disabled={props.busy}
        onChange={(_, d) => props.onChange(d.checked === true)}
        label="Require assignment (only assigned users can sign in)"
      />
      <Text block size={200}>
        Off unless you tick it: “Assignment required?” is No today, so everyone in the organisation may sign in to this app. {a.signingIn ? `${people(a.signingIn)} use it today, as the directory shows. ` : ''}
        {lockout}
        {a.othersUnknown ? ' With organisation-wide consent others may sign in too; only the sign-in logs list them, and they would be locked out.' : ''}
      </Text>
      {a.people.length > 0 && (
        <ul className={styles.list} aria-label="Who signs in to this app today" data-testid="assignment-people">
          {a.people.map((p) => (
            <li key={p.id} data-locked-out={p.lockedOut ? 'true' : 'false'}>
              <Text size={200}>
                {p.displayName && p.userPrincipalName ? (
                  <>
                    <strong>{p.displayName}</strong> ({p.userPrincipalName})
                  </>
                ) : (
                  `A user the directory does not name (object ID ${p.id})`
                )}
                {': '}
                {p.mailbox ? 'the mailbox, ' : ''}
                {p.assigned ? 'assigned' : p.lockedOut ? (a.chosen ? 'not assigned, the plan assigns them' : 'not assigned, would be locked out') : 'not assigned'}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
