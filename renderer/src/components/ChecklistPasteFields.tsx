/**
 * The paste fields inside the checklist steps where the portal shows the values (issue 14 item 2):
 * the client ID and tenant on the Overview step, the secret Value (stored at once, in the vault),
 * its Secret ID and expiry on the secret step. Same validation as screen 5; screen 5 then confirms.
 */
import { Card, makeStyles, MessageBar, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { Step } from '../../../shared/catalogue/types';
import { useWizardContext, type WizardContextValue } from '../state/WizardContext';
import { ClientIdField, ExpiryField, SecretIdField, SecretStorageNote, SecretValueField, TenantField, useCredentialFindings, useStoreSecret } from './CredentialFields';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, borderLeft: `4px solid ${tokens.colorBrandStroke1}` },
});

function Ids(props: { w: WizardContextValue }) {
  const { w } = props;
  const styles = useStyles();
  const { findings, cleaned } = useCredentialFindings(w.draft, w.target, w.hasSecret, '');
  const common = { draft: w.draft, findings, cleaned: cleaned as Record<string, unknown>, update: w.update, show: false, idPrefix: 'chk' };
  return (
    <Card appearance="filled-alternative" className={styles.card} data-testid="paste-ids">
      <Text weight="semibold">Paste them here (the assistant checks each one as you paste)</Text>
      <ClientIdField {...common} />
      <TenantField {...common} />
    </Card>
  );
}

function Secret(props: { w: WizardContextValue }) {
  const { w } = props;
  const styles = useStyles();
  const [secret, setSecret] = useState('');
  const [touched, setTouched] = useState(false);
  const { findings, cleaned, showSecretId } = useCredentialFindings(w.draft, w.target, w.hasSecret, secret);
  const { store, error } = useStoreSecret(w.draft, w.saveNow, w.update, w.onSecretStored);
  const secretErrors = findings.filter((f) => f.field === 'clientSecret' && f.severity === 'error');
  const save = async () => {
    setTouched(true);
    if (!secret.trim() || secretErrors.length) return;
    if (await store(secret)) setSecret('');
  };
  const common = { draft: w.draft, findings, cleaned: cleaned as Record<string, unknown>, update: w.update, show: false, idPrefix: 'chk' };
  return (
    <Card appearance="filled-alternative" className={styles.card} data-testid="paste-secret">
      <Text weight="semibold">Paste the Value here now: the portal shows it only once</Text>
      <SecretValueField id="chk-clientSecret" value={secret} onChange={setSecret} onBlur={() => void save()} hasSecret={w.hasSecret} findings={findings} show={touched || !!secret} />
      <SecretStorageNote stored={w.hasSecret} />
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>The secret could not be saved: {error}</MessageBarBody>
        </MessageBar>
      )}
      {showSecretId && <SecretIdField {...common} system={w.target.displayName} />}
      <ExpiryField id="chk-secretExpires" draft={w.draft} findings={findings} show={false} update={w.update} />
    </Card>
  );
}

export function ChecklistPasteFields(props: { step: Step }) {
  const w = useWizardContext();
  if (!w) return null;
  if (props.step.id === 'copy-ids') return <Ids w={w} />;
  if (props.step.id === 'client-secret') return <Secret w={w} />;
  return null;
}
