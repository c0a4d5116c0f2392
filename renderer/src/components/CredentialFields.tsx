/**
 * The paste fields for the registration's values (client ID, tenant, secret Value, Secret ID, expiry),
 * with the validation of screen 5. Used by screen 5 AND inside the checklist steps where the portal
 * shows the values (issue 14 item 2): one state (the draft and the vault), one set of rules.
 */
import { Button, Field, Input, makeStyles, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { Eye20Regular } from '@fluentui/react-icons/svg/eye';
import { EyeOff20Regular } from '@fluentui/react-icons/svg/eye-off';
import { LockClosed16Regular } from '@fluentui/react-icons/svg/lock-closed';
import { useEffect, useMemo, useState } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import { validateProfile, type Finding } from '../../../shared/validation/validate';
import { getApi } from '../api';
import { hintsFor, profileOf, wantsSecretId } from '../catalogue';
import type { Draft, ProfilePatch } from '../state/useWizard';
import { useAnnounce } from './Announcer';
import { fieldFindings } from './findings';
import { formatDay } from './format';

const useStyles = makeStyles({
  mono: { fontFamily: tokens.fontFamilyMonospace },
  storage: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center', color: tokens.colorNeutralForeground2 },
  months: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

export type GuidField = 'clientId' | 'tenant' | 'secretId';

/** Validation of the credential fields, exactly as screen 5 runs it. `secret` is the typed, not yet stored, Value. */
export function useCredentialFindings(draft: Draft, target: TargetEntry, hasSecret: boolean, secret: string) {
  const profile = useMemo(() => profileOf(draft, target), [draft, target]);
  const secretValue = secret ? secret : hasSecret ? undefined : '';
  const result = useMemo(
    () =>
      validateProfile(hasSecret && !secret ? { ...profile, clientSecret: { source: 'vault', key: 'clientSecret' } } : profile, {
        now: new Date(),
        target: hintsFor(target, profile),
        ...(secretValue !== undefined ? { secretValue } : {}),
      }),
    [profile, target, secretValue, hasSecret, secret],
  );
  return { profile, findings: result.findings, cleaned: result.cleaned, showSecretId: wantsSecretId(target, profile) };
}

/** Whether this computer keeps secrets encrypted (one truth for every text about the secret's storage, item 9). */
export function useSecretsPersist(): boolean | undefined {
  const [persist, setPersist] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void getApi()
      .app.getStatus()
      .then((r) => live && r.ok && setPersist(r.value.secretsPersist));
    return () => {
      live = false;
    };
  }, []);
  return persist;
}

/** The one sentence on where the secret is kept, from the vault's own flag. */
export function secretStorageText(persist: boolean | undefined, stored: boolean): string {
  if (persist === undefined) return stored ? 'Saved.' : '';
  if (persist) return stored ? 'Saved, encrypted on this computer (never in a file or a log).' : 'It will be saved encrypted on this computer (never in a file or a log).';
  return stored
    ? 'Kept for this session only: this computer offers no encrypted storage, so you will paste it again after the app closes.'
    : 'This computer offers no encrypted storage: the secret is kept only until the app closes.';
}

export function SecretStorageNote(props: { stored: boolean }) {
  const styles = useStyles();
  const persist = useSecretsPersist();
  const text = secretStorageText(persist, props.stored);
  if (!text) return null;
  return (
    <Text size={200} className={styles.storage} data-testid="secret-storage">
      <LockClosed16Regular aria-hidden /> {text}
    </Text>
  );
}

interface GuidProps {
  draft: Draft;
  findings: readonly Finding[];
  cleaned: Record<string, unknown>;
  update: (patch: ProfilePatch) => void;
  show: boolean;
  idPrefix: string;
  onTouch?: () => void;
}

function GuidInput(props: GuidProps & { field: GuidField; label: string; hint: string; required?: boolean }) {
  const styles = useStyles();
  const p = props.draft.profile;
  const value = (p[props.field] as string | undefined) ?? '';
  const [touched, setTouched] = useState(false);
  return (
    <Field label={props.label} hint={props.hint} required={props.required} {...fieldFindings(props.findings, props.field, props.show || touched || !!value.trim())}>
      <Input
        id={`${props.idPrefix}-${props.field}`}
        className={styles.mono}
        value={value}
        placeholder="00000000-0000-0000-0000-000000000000"
        spellCheck={false}
        onChange={(_, d) => props.update({ [props.field]: d.value })}
        onBlur={() => {
          setTouched(true);
          props.onTouch?.();
          const cleaned = props.cleaned[props.field];
          if (typeof cleaned === 'string' && cleaned !== value) props.update({ [props.field]: cleaned });
        }}
      />
    </Field>
  );
}

export function ClientIdField(props: GuidProps) {
  return <GuidInput {...props} field="clientId" label="Application (client) ID" hint="On the app's Overview page in Entra." required />;
}

export function TenantField(props: GuidProps) {
  return <GuidInput {...props} field="tenant" label="Directory (tenant) ID" hint="Also on the Overview page; your organisation's domain (fabrikam.onmicrosoft.com) works too." required />;
}

export function SecretIdField(props: GuidProps & { system: string }) {
  return <GuidInput {...props} field="secretId" label="Secret ID" hint={`${props.system} asks for it too: the GUID next to the Value under Certificates & secrets. It is not the secret.`} />;
}

export function SecretValueField(props: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  onBlur?: () => void;
  hasSecret: boolean;
  findings: readonly Finding[];
  show: boolean;
}) {
  const styles = useStyles();
  const [reveal, setReveal] = useState(false);
  return (
    <Field
      label="Client secret Value"
      hint={props.hasSecret ? 'A secret is saved for this connection. Paste a new Value only to replace it.' : 'Certificates & secrets > Client secrets: the Value column, shown only right after you create it. Not the Secret ID.'}
      required={!props.hasSecret}
      {...fieldFindings(props.findings, 'clientSecret', props.show)}
    >
      <Input
        id={props.id}
        className={styles.mono}
        type={reveal ? 'text' : 'password'}
        value={props.value}
        autoComplete="off"
        spellCheck={false}
        placeholder={props.hasSecret ? '•••••••• (saved)' : ''}
        onChange={(_, d) => props.onChange(d.value)}
        onBlur={props.onBlur}
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
  );
}

/** Today plus n months, as yyyy-mm-dd (the portal counts a 6-month secret as 180 days; the date it shows is what matters). */
export function monthsFromNow(months: number, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() + months, now.getDate());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const MONTH_CHOICES = [
  { months: 6, label: '6 months' },
  { months: 12, label: '12 months (recommended: Microsoft advises under 12, and mail stops the day it runs out)' },
  { months: 24, label: '24 months (the longest the portal allows)' },
] as const;

/** Expiry: one recommendation and a 6/12/24-month picker that fills the date; the date stays editable (item 16). */
export function ExpiryField(props: { id: string; draft: Draft; findings: readonly Finding[]; show: boolean; update: (patch: ProfilePatch) => void }) {
  const styles = useStyles();
  const value = props.draft.profile.secretExpires ?? '';
  const chosen = MONTH_CHOICES.find((c) => monthsFromNow(c.months) === value)?.months;
  return (
    <div className={styles.months}>
      <Field label="How long the secret lasts (choose the same under Expires in the portal)">
        <RadioGroup
          layout="vertical"
          value={chosen ? String(chosen) : ''}
          onChange={(_, d) => props.update({ secretExpires: monthsFromNow(Number(d.value)) })}
          data-testid={`${props.id}-months`}
        >
          {MONTH_CHOICES.map((c) => (
            <Radio key={c.months} value={String(c.months)} label={c.label} />
          ))}
        </RadioGroup>
      </Field>
      <Field
        label="Secret expires on"
        hint={value ? `${formatDay(value)}. Check it against the Expires column; the assistant offers a reminder before it runs out.` : 'The Expires column under Certificates & secrets; the assistant offers a reminder before it runs out.'}
        {...fieldFindings(props.findings, 'secretExpires', props.show || !!value)}
      >
        <Input id={props.id} type="date" value={value} onChange={(_, d) => props.update(d.value ? { secretExpires: d.value } : { secretExpires: undefined })} />
      </Field>
    </div>
  );
}

/** Stores a typed secret Value in the vault (never in the draft); returns whether it worked. */
export function useStoreSecret(draft: Draft, saveNow: () => Promise<void>, update: (patch: ProfilePatch) => void, onSecretStored: () => void) {
  const announce = useAnnounce();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const store = async (value: string): Promise<boolean> => {
    setBusy(true);
    await saveNow();
    const r = await getApi().secrets.set({ profileId: draft.id, value: value.trim() });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      return false;
    }
    setError(null);
    update({ clientSecret: { source: 'vault', key: 'clientSecret' } });
    onSecretStored();
    announce(r.value.persistent ? 'Secret saved, encrypted on this computer' : 'Secret kept for this session only');
    return true;
  };
  return { store, error, busy };
}
