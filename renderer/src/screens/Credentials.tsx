import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, tokens } from '@fluentui/react-components';
import { Eye20Regular, EyeOff20Regular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import { validateProfile } from '../../../shared/validation/validate';
import { getApi } from '../api';
import { hintsFor, profileOf, wantsSecretId } from '../catalogue';
import { useAnnounce } from '../components/Announcer';
import { fieldFindings } from '../components/findings';
import { Screen } from '../components/Screen';
import type { Draft, ProfilePatch } from '../state/useWizard';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

type GuidField = 'clientId' | 'tenant' | 'secretId';

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
  const [reveal, setReveal] = useState(false);
  const [tried, setTried] = useState(false);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [storeError, setStoreError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const profile = useMemo(() => profileOf(draft, target), [draft, target]);
  const secretValue = secret ? secret : props.hasSecret ? undefined : '';
  const result = useMemo(
    () => validateProfile(props.hasSecret && !secret ? { ...profile, clientSecret: { source: 'vault', key: 'clientSecret' } } : profile, { now: new Date(), target: hintsFor(target, profile), ...(secretValue !== undefined ? { secretValue } : {}) }),
    [profile, target, secretValue, props.hasSecret, secret],
  );
  const findings = result.findings;
  const showSecretId = wantsSecretId(target, profile);
  const fields = ['clientId', 'tenant', 'clientSecret', 'secretExpires', ...(showSecretId ? ['secretId'] : [])];
  const show = (field: string, value: string | undefined) => tried || touched.has(field) || !!value?.trim();
  const touch = (field: string) => setTouched((t) => new Set(t).add(field));

  const tidy = (field: GuidField) => {
    touch(field);
    const cleaned = result.cleaned[field];
    if (typeof cleaned === 'string' && cleaned !== p[field]) props.update({ [field]: cleaned });
  };

  const next = async () => {
    const errors = findings.filter((f) => f.severity === 'error' && fields.includes(f.field));
    if (errors.length) {
      setTried(true);
      announce(`${errors.length} problem${errors.length === 1 ? '' : 's'} to fix: ${errors[0]!.message}`);
      document.getElementById(`cred-${errors[0]!.field}`)?.focus();
      return;
    }
    if (secret) {
      setBusy(true);
      await props.saveNow();
      const r = await getApi().secrets.set({ profileId: draft.id, value: secret.trim() });
      setBusy(false);
      if (!r.ok) {
        setStoreError(r.error.message);
        return;
      }
      props.update({ clientSecret: { source: 'vault', key: 'clientSecret' } });
      props.onSecretStored();
      setSecret('');
      announce(r.value.persistent ? 'Secret saved, encrypted on this computer' : 'Secret kept for this session only');
    }
    props.onNext();
  };

  return (
    <Screen
      id="credentials"
      title="Paste the app's IDs and secret"
      lead="These come from the app registration you just created; the assistant checks each one as you paste, before anything signs in."
      onBack={props.onBack}
      onNext={() => void next()}
      nextDisabled={busy}
    >
      <div className={styles.form}>
        <Field label="Application (client) ID" hint="On the app's Overview page in Entra." required {...fieldFindings(findings, 'clientId', show('clientId', p.clientId))}>
          <Input id="cred-clientId" className={styles.mono} value={p.clientId ?? ''} placeholder="00000000-0000-0000-0000-000000000000" spellCheck={false} onChange={(_, d) => props.update({ clientId: d.value })} onBlur={() => tidy('clientId')} />
        </Field>
        <Field label="Directory (tenant) ID" hint="Also on the Overview page; your organisation's domain (fabrikam.onmicrosoft.com) works too." required {...fieldFindings(findings, 'tenant', show('tenant', p.tenant))}>
          <Input id="cred-tenant" className={styles.mono} value={p.tenant ?? ''} placeholder="00000000-0000-0000-0000-000000000000" spellCheck={false} onChange={(_, d) => props.update({ tenant: d.value })} onBlur={() => tidy('tenant')} />
        </Field>
        <Field
          label="Client secret Value"
          hint={props.hasSecret ? 'A secret is saved for this connection. Paste a new Value only to replace it.' : 'Certificates & secrets > Client secrets: the Value column, shown only right after you create it. Not the Secret ID.'}
          required={!props.hasSecret}
          {...fieldFindings(findings, 'clientSecret', show('clientSecret', secret))}
        >
          <Input
            id="cred-clientSecret"
            className={styles.mono}
            type={reveal ? 'text' : 'password'}
            value={secret}
            autoComplete="off"
            spellCheck={false}
            placeholder={props.hasSecret ? '•••••••• (saved)' : ''}
            onChange={(_, d) => setSecret(d.value)}
            onBlur={() => touch('clientSecret')}
            contentAfter={
              <Button
                appearance="transparent"
                size="small"
                icon={reveal ? <EyeOff20Regular /> : <Eye20Regular />}
                aria-label={reveal ? 'Hide the secret' : 'Show the secret'}
                aria-pressed={reveal}
                onClick={() => setReveal((r) => !r)}
              />
            }
          />
        </Field>
        {showSecretId && (
          <Field label="Secret ID" hint={`${target.displayName} asks for it too: the GUID next to the Value under Certificates & secrets. It is not the secret.`} {...fieldFindings(findings, 'secretId', show('secretId', p.secretId))}>
            <Input id="cred-secretId" className={styles.mono} value={p.secretId ?? ''} spellCheck={false} onChange={(_, d) => props.update({ secretId: d.value })} onBlur={() => tidy('secretId')} />
          </Field>
        )}
        <Field label="Secret expires on" hint="The Expires column under Certificates & secrets; the assistant reminds you before it runs out." {...fieldFindings(findings, 'secretExpires', show('secretExpires', p.secretExpires))}>
          <Input id="cred-secretExpires" type="date" value={p.secretExpires ?? ''} onChange={(_, d) => props.update(d.value ? { secretExpires: d.value } : { secretExpires: undefined })} onBlur={() => touch('secretExpires')} />
        </Field>
        {storeError && (
          <MessageBar intent="error">
            <MessageBarBody>The secret could not be saved: {storeError}</MessageBarBody>
          </MessageBar>
        )}
      </div>
    </Screen>
  );
}
