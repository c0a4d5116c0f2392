import { Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled, PersonKey20Regular, SignOut20Regular } from '@fluentui/react-icons';
import type { TargetEntry } from '../../../../shared/catalogue/types';
import type { AdminPurpose, AdminSession } from '../../../../shared/ipc/registration';
import type { SignInApp } from './useRegistration';

const useStyles = makeStyles({
  head: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  icon: { color: tokens.colorBrandForeground1, flexShrink: 0, marginTop: '2px' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  small: { color: tokens.colorNeutralForeground2 },
  signedIn: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  ok: { color: tokens.colorPaletteGreenForeground1 },
});

/** The Entra role an administrator needs to create this target's registration (REGISTRATION-FACTS.md 2.9). */
export function roleNeeded(target: TargetEntry): string {
  return target.flow === 'app-only'
    ? 'Privileged Role Administrator or Global Administrator (it grants application permissions)'
    : 'Application Administrator or Cloud Application Administrator (or Global Administrator)';
}

/**
 * Says which account should sign in now: an administrator, not the mailbox; which application the
 * administrator signs in to and why; and, once signed in, as whom. The same words head the sign-in window.
 */
export function AdminHeader(props: { target: TargetEntry; mailbox: string; purpose: AdminPurpose; admin: AdminSession | null; signInApp: SignInApp | null; onSignOut?: () => void }) {
  const styles = useStyles();
  const { admin } = props;
  return (
    <Card appearance="filled-alternative" data-testid="admin-header">
      <div className={styles.head}>
        <PersonKey20Regular className={styles.icon} aria-hidden />
        <div className={styles.body}>
          <Text as="h3" weight="semibold" size={400}>
            {props.purpose === 'write' ? 'Who signs in now: an administrator, not the mailbox' : 'Who signs in now: someone who can read your directory, not the mailbox'}
          </Text>
          <Text block>
            {props.purpose === 'write'
              ? `A Microsoft sign-in window opens. Sign in with an administrator account of your organisation with the ${roleNeeded(props.target)} role`
              : 'A Microsoft sign-in window opens. Sign in with an administrator account (or any account that can read app registrations); nothing is changed'}
            {props.mailbox ? `, not as the mailbox ${props.mailbox}.` : '.'}
          </Text>
          {props.signInApp && (
            <Text size={200} className={styles.small} block>
              You sign in to “{props.signInApp.name}” ({props.signInApp.clientId}), the application Microsoft&apos;s own Graph PowerShell uses. It asks only for what this needs
              {props.purpose === 'write' ? ' (create app registrations, grant consent)' : ' (read app registrations)'}; the sign-in is kept in memory only, and nothing is installed in your tenant but the registration itself. An organisation that prefers its own sign-in application can set it (MAIL_OAUTH_ADMIN_CLIENT_ID, see the README).
            </Text>
          )}
          {admin && (
            <div className={styles.signedIn} data-testid="admin-signed-in">
              <CheckmarkCircle20Filled className={styles.ok} aria-hidden />
              <Text>
                Signed in as <strong>{admin.account}</strong>
                {admin.tenantName ? ` (${admin.tenantName})` : ''}
                {admin.canWrite ? '' : ', read-only'}
              </Text>
              {props.onSignOut && (
                <Button size="small" appearance="subtle" icon={<SignOut20Regular />} onClick={props.onSignOut}>
                  Sign out the administrator
                </Button>
              )}
            </div>
          )}
        </div>
      </div>
    </Card>
  );
}
