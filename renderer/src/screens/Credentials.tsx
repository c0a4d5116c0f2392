import { makeStyles, MessageBar, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import { useAnnounce } from '../components/Announcer';
import { ClientIdField, ExpiryField, SecretIdField, SecretStorageNote, SecretValueField, TenantField, useCredentialFindings, useStoreSecret } from '../components/CredentialFields';
import { Screen } from '../components/Screen';
import { CredentialsLint } from './register/CredentialsLint';
import type { Draft, ProfilePatch } from '../state/useWizard';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/** Screen 5: the IDs and the secret, checked as typed. When the checklist already took them, it confirms them. */
export function Credentials(props: {
  draft: Draft;
  target: TargetEntry;
  hasSecret: boolean;
  onSecretStored: () => void;
  update: (patch: ProfilePatch) => void;
  saveNow: () => Promise<void>;
  onBack: () => void;
  onNext: () => void;
}) {
  const styles = useStyles();
  const announce = useAnnounce();
  const { draft, target } = props;
  const p = draft.profile;
  const [secret, setSecret] = useState('');
  const [tried, setTried] = useState(false);
  const [touchedSecret, setTouchedSecret] = useState(false);
  const { findings, cleaned, showSecretId } = useCredentialFindings(draft, target, props.hasSecret, secret);
  const { store, error: storeError, busy } = useStoreSecret(draft, props.saveNow, props.update, props.onSecretStored);
  const fields = ['clientId', 'tenant', 'clientSecret', 'secretExpires', ...(showSecretId ? ['secretId'] : [])];
  const errors = findings.filter((f) => f.severity === 'error' && fields.includes(f.field));
  const allIn = !!p.clientId?.trim() && !!p.tenant?.trim() && props.hasSecret && errors.length === 0 && draft.registration?.method !== 'created';

  const next = async () => {
    if (errors.length) {
      setTried(true);
      announce(`${errors.length} problem${errors.length === 1 ? '' : 's'} to fix: ${errors[0]!.message}`);
      document.getElementById(`cred-${errors[0]!.field}`)?.focus();
      return;
    }
    if (secret && !(await store(secret))) return;
    setSecret('');
    props.onNext();
  };

  const common = { draft, findings, cleaned: cleaned as Record<string, unknown>, update: props.update, show: tried, idPrefix: 'cred' };
  return (
    <Screen
      id="credentials"
      title="Check the app's IDs and secret"
      lead="These come from the app registration; the assistant checks each one as you paste, before anything signs in."
      onBack={props.onBack}
      onNext={() => void next()}
      nextDisabled={busy}
    >
      <div className={styles.form}>
        <CredentialsLint draft={draft} secret={secret} />
        {allIn && (
          <MessageBar intent="success" data-testid="credentials-confirmed">
            <MessageBarBody>
              <MessageBarTitle>All three are in</MessageBarTitle>
              You pasted them in the checklist; they passed the checks. Change one only if it is wrong.
            </MessageBarBody>
          </MessageBar>
        )}
        <ClientIdField {...common} />
        <TenantField {...common} />
        <SecretValueField
          id="cred-clientSecret"
          value={secret}
          onChange={setSecret}
          onBlur={() => setTouchedSecret(true)}
          hasSecret={props.hasSecret}
          findings={findings}
          show={tried || touchedSecret || !!secret}
        />
        <SecretStorageNote stored={props.hasSecret} />
        {showSecretId && <SecretIdField {...common} system={target.displayName} />}
        <ExpiryField id="cred-secretExpires" draft={draft} findings={findings} show={tried} update={props.update} />
        {storeError && (
          <MessageBar intent="error">
            <MessageBarBody>The secret could not be saved: {storeError}</MessageBarBody>
          </MessageBar>
        )}
      </div>
    </Screen>
  );
}
