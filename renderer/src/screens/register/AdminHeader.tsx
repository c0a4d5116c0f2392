import { Button, Card, Field, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { getApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { CheckmarkCircle20Filled } from '@fluentui/react-icons/svg/checkmark-circle';
import { PersonKey20Regular } from '@fluentui/react-icons/svg/person-key';
import { SignOut20Regular } from '@fluentui/react-icons/svg/sign-out';
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
export function roleNeeded(target: TargetEntry, grantsAppRoles?: boolean): string {
  // The plan, when known, says whether application permissions are granted (a mailbox-scoped plan grants none).
  return (grantsAppRoles ?? target.flow === 'app-only')
    ? 'Privileged Role Administrator or Global Administrator (it grants application permissions)'
    : 'Application Administrator or Cloud Application Administrator (or Global Administrator)';
}

/**
 * Says which account should sign in now: an administrator, not the mailbox; which application the
 * administrator signs in to and why; and, once signed in, as whom. The same words head the sign-in window.
 */
export function AdminHeader(props: { target: TargetEntry; mailbox: string; purpose: AdminPurpose; admin: AdminSession | null; signInApp: SignInApp | null; inBrowser?: boolean; onSignOut?: () => void; onSignInAppChanged?: () => void; grantsAppRoles?: boolean }) {
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
            {props.inBrowser ? 'Your browser opens the Microsoft sign-in (a browser already signed in only asks you to pick the account). ' : ''}
            {props.purpose === 'write'
              ? `${props.inBrowser ? '' : 'A Microsoft sign-in window opens. '}Sign in with an administrator account of your organisation with the ${roleNeeded(props.target, props.grantsAppRoles)} role`
              : `${props.inBrowser ? '' : 'A Microsoft sign-in window opens. '}Sign in with an administrator account (or any account that can read app registrations); nothing is changed`}
            {props.mailbox ? `, not as the mailbox ${props.mailbox}.` : '.'}
          </Text>
          {props.signInApp && (
            <Text size={200} className={styles.small} block>
              {props.signInApp.isDefault
                ? `You sign in to “${props.signInApp.name}” (${props.signInApp.clientId}), the application Microsoft's own Graph PowerShell uses. It asks only for what this needs`
                : `You sign in to your organisation's own sign-in application (${props.signInApp.clientId}). It is asked only for what this needs`}
              {props.purpose === 'write' ? ' (create app registrations, grant consent)' : ' (read app registrations)'}; the sign-in is kept in memory only, and nothing is installed in your tenant but the registration itself.
            </Text>
          )}
          {props.signInApp && props.onSignInAppChanged && <SignInAppSetting custom={!props.signInApp.isDefault} onChanged={props.onSignInAppChanged} />}
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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * For an organisation that blocks Microsoft Graph Command Line Tools or prefers its own application:
 * the client id administrators sign in to, an app setting main changes after its own confirmation.
 */
function SignInAppSetting(props: { custom: boolean; onChanged: () => void }) {
  const api = getApi();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { custom } = props;
  const save = async (clientId: string | null) => {
    setError(null);
    const r = await api.settings.setAdminClientId({ clientId });
    if (!r.ok) return setError(r.error.message);
    // Main keeps the id in lower case; anything else than what was asked for means the person said no.
    if ((clientId?.toLowerCase() ?? null) !== r.value.adminClientId) return announce('Not changed: you answered no');
    setOpen(false);
    setValue('');
    announce(clientId ? `Administrators now sign in to ${clientId}` : 'Administrators sign in to Microsoft Graph Command Line Tools again');
    props.onChanged();
  };
  if (!open)
    return (
      <div style={{ display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' }}>
        <Button size="small" appearance="subtle" onClick={() => setOpen(true)} data-testid="sign-in-app-change">
          {custom ? 'Change the sign-in application…' : "Use your organisation's own sign-in application…"}
        </Button>
        {custom && (
          <Button size="small" appearance="subtle" onClick={() => void save(null)}>
            Back to Microsoft Graph Command Line Tools
          </Button>
        )}
      </div>
    );
  const valid = GUID.test(value.trim());
  return (
    <div data-testid="sign-in-app-setting" style={{ display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS }}>
      <Field
        label="Application (client) ID administrators sign in to"
        hint="A public client (Mobile and desktop applications) with the redirect URI http://localhost and the delegated Microsoft Graph permissions Application.ReadWrite.All, DelegatedPermissionGrant.ReadWrite.All and AppRoleAssignment.ReadWrite.All."
        {...(error ? { validationState: 'error' as const, validationMessage: error } : value.trim() && !valid ? { validationState: 'error' as const, validationMessage: 'A client ID looks like 11111111-2222-4333-8444-000000000001.' } : {})}
      >
        <Input value={value} onChange={(_, d) => setValue(d.value)} placeholder="00000000-0000-0000-0000-000000000000" spellCheck={false} style={{ fontFamily: tokens.fontFamilyMonospace }} />
      </Field>
      <div style={{ display: 'flex', gap: tokens.spacingHorizontalS }}>
        <Button size="small" appearance="primary" disabled={!valid} onClick={() => void save(value.trim())}>
          Use this application…
        </Button>
        <Button size="small" onClick={() => (setOpen(false), setValue(''), setError(null))}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
