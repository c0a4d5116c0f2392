/**
 * The paste fields inside the checklist steps where the portal shows the values (issue 14 item 2):
 * the client ID and tenant on the Overview step, the secret Value (stored at once, in the vault),
 * its Secret ID and expiry on the secret step. Same validation as screen 5; screen 5 then confirms.
 */
import { Card, Field, Input, makeStyles, MessageBar, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { servicePrincipalInput } from '../../../shared/catalogue/inputs';
import { ID_PLACEHOLDERS } from '../../../shared/registration/derive';
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

/**
 * The Exchange step's missing id (issue 19: the scoped path is the default): the enterprise application's
 * Object ID, pasted here fills the step's commands (the same input generic targets ask for on Details).
 */
function ServicePrincipalId(props: { w: WizardContextValue }) {
  const { w } = props;
  const styles = useStyles();
  const inputs = w.draft.profile.targetInputs ?? {};
  const value = inputs[servicePrincipalInput.id] ?? '';
  const pattern = new RegExp(servicePrincipalInput.validation!.pattern!);
  const bad = value.trim() !== '' && !pattern.test(value.trim());
  return (
    <Card appearance="filled-alternative" className={styles.card} data-testid="paste-sp-id">
      <Text weight="semibold">Paste the Object ID here: the commands above fill it in</Text>
      <Field label={servicePrincipalInput.label} hint={servicePrincipalInput.help} validationState={bad ? 'error' : 'none'} validationMessage={bad ? servicePrincipalInput.validation!.message : undefined}>
        <Input id="chk-servicePrincipalObjectId" value={value} placeholder={servicePrincipalInput.placeholder} onChange={(_e, d) => w.update({ targetInputs: { ...inputs, [servicePrincipalInput.id]: d.value.trim() } })} />
      </Field>
    </Card>
  );
}

export function ChecklistPasteFields(props: { step: Step }) {
  const w = useWizardContext();
  if (!w) return null;
  if (props.step.id === 'copy-ids') return <Ids w={w} />;
  // Shown while the Exchange step waits for the enterprise app's Object ID, or once one was pasted (to correct it).
  if (props.step.id === 'limit-mailbox' && (props.step.body.includes(ID_PLACEHOLDERS.servicePrincipalId) || (w.draft.profile.targetInputs ?? {})[servicePrincipalInput.id])) return <ServicePrincipalId w={w} />;
  if (props.step.id === 'client-secret') return <Secret w={w} />;
  return null;
}
