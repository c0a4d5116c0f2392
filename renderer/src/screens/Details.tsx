import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Badge, Button, Card, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Select, Spinner, Text, tokens } from '@fluentui/react-components';
import { PersonKey20Regular } from '@fluentui/react-icons/svg/person-key';
import { Fragment, useMemo, useState } from 'react';
import type { Diagnosis } from '../../../shared/diagnosis/types';
import { getApi } from '../api';
import { DiagnosisCard } from '../components/DiagnosisCard';
import type { TargetEntry, TargetInput } from '../../../shared/catalogue/types';
import { CLOUDS, type Cloud } from '../../../shared/profile';
import { validateProfile } from '../../../shared/validation/validate';
import { ACCOUNT_TYPES, AUDIENCES, normalizeBaseUrl, type Audience } from '../../../shared/catalogue';
import { accountTypeLabel, orgName } from '../illustration-data';
import { completeRedirectUris, hintsFor, inputProblems, profileOf } from '../catalogue';
import { useAnnounce } from '../components/Announcer';
import { CustomEndpointsSwitch } from '../components/CustomEndpointsSwitch';
import { CaCertsSetting } from '../components/CaCertsSetting';
import { ValueBox } from '../components/ValueBox';
import { fieldFindings } from '../components/findings';
import { Screen } from '../components/Screen';
import { whoYoullNeed } from '../who';
import type { Draft, ProfilePatch } from '../state/useWizard';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  who: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-start' },
  whoIcon: { color: tokens.colorBrandForeground1, flexShrink: 0, marginTop: '2px' },
  option: { display: 'flex', flexDirection: 'column', gap: '2px' },
  smallPrint: { color: tokens.colorNeutralForeground3 },
  needs: { margin: `${tokens.spacingVerticalXS} 0 0 0`, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

const CLOUD_LABELS: Record<Cloud, string> = {
  global: 'Microsoft 365 worldwide (almost everyone)',
  'gcc-high': 'US Government GCC High',
  dod: 'US Government DoD',
  china: 'Microsoft 365 operated by 21Vianet (China)',
};

type EndpointKey = 'signInHost' | 'imap' | 'smtp' | 'graphUrl';
const ENDPOINT_FIELDS: { key: EndpointKey; label: string; hint: string; placeholder: string }[] = [
  { key: 'signInHost', label: 'Sign-in server', hint: 'Host name, with a port if needed.', placeholder: 'login.microsoftonline.com' },
  { key: 'imap', label: 'IMAP server', hint: 'host:port', placeholder: 'outlook.office365.com:993' },
  { key: 'smtp', label: 'SMTP server', hint: 'host:port', placeholder: 'smtp.office365.com:587' },
  { key: 'graphUrl', label: 'Microsoft Graph address', hint: 'An https address.', placeholder: 'https://graph.microsoft.com' },
];

const CONSEQUENCE: Record<Audience, (system: string, org: string) => string> = {
  single: (system, org) => `Only accounts of ${org} can sign in; ${system} must then be given your tenant (the assistant shows where).`,
  multi: () => 'Work or school accounts of any organization; personal Outlook.com accounts cannot sign in.',
  'multi-personal': () => 'Any work or school account, and personal Microsoft accounts such as Outlook.com.',
  personal: () => 'Only personal Microsoft accounts (Outlook.com); no work or school account.',
};

/** Supported account types (item 7): the recommended one preselected and badged with the reason, the others with their consequence, the portal's label as small print, in the portal's order, with the organisation's name. */
function AudienceField(props: { input: TargetInput; target: TargetEntry; value: string; org: string; message: ReturnType<typeof fieldFindings>; onChange: (v: string) => void }) {
  const styles = useStyles();
  const { target } = props;
  const options = AUDIENCES.filter((a) => target.audience.allowed.includes(a));
  return (
    <Field label={props.input.label} hint={props.input.help} required={props.input.required} {...props.message}>
      <RadioGroup value={props.value || target.audience.recommended} onChange={(_, d) => props.onChange(d.value)}>
        {options.map((a) => {
          const recommended = a === target.audience.recommended;
          return (
            <Radio
              key={a}
              value={a}
              data-audience={a}
              label={
                <span className={styles.option}>
                  <span>
                    {ACCOUNT_TYPES[a].short}
                    {recommended && (
                      <>
                        {' '}
                        <Badge appearance="tint" color="brand" size="small">
                          Recommended for {target.displayName}
                        </Badge>
                      </>
                    )}
                  </span>
                  <Text size={200} block>
                    {recommended ? target.audience.why : CONSEQUENCE[a](target.displayName, props.org)}
                  </Text>
                  <Text size={200} block className={styles.smallPrint}>
                    In the portal: “{accountTypeLabel(a, props.org)}”
                  </Text>
                </span>
              }
            />
          );
        })}
      </RadioGroup>
    </Field>
  );
}

/** Frappe's site and Connected App name, read from the Redirect URI Frappe shows (item 12): the way its own guide starts. */
export function parseFrappeRedirect(uri: string): { site: string; name: string } | undefined {
  const m = /^(https?:\/\/[^/\s?#]+)\/api\/method\/frappe\.integrations\.doctype\.connected_app\.connected_app\.callback\/([^/\s?#%]+)\/?$/.exec(uri.trim());
  return m ? { site: m[1]!, name: decodeURIComponent(m[2]!) } : undefined;
}

/**
 * Frappe's Connected App (issue 19). Its guide has the person make it by hand first (open Connected App, New, a
 * Provider Name, Save, copy its Redirect URI): the assistant can make it instead through Frappe's REST API,
 * signed in as Administrator, after main's native question names the one write and what the site will receive.
 * Frappe names it (a hash) and shows its Redirect URI; both are read back and fill the site and the name. One
 * made by hand still works: its Redirect URI is pasted below, as before.
 */
function FrappeConnectedApp(props: { profileId: string; inputs: Record<string, string>; siteOk: boolean; onParsed: (site: string, name: string) => void }) {
  const api = getApi();
  const announce = useAnnounce();
  const [value, setValue] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<{ name: string; redirectUri: string; created: boolean } | null>(null);
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const parsed = value.trim() ? parseFrappeRedirect(value) : undefined;
  /** Where Frappe's API answers: the site address unless changed (as on the push card). */
  const [apiUrl, setApiUrl] = useState<string | null>(null);
  const site = apiUrl ?? props.inputs.baseUrl ?? '';
  const provider = props.inputs.providerName || 'Microsoft 365';
  const create = async () => {
    setBusy(true);
    setDiagnosis(null);
    const r = await api.target.createConnectedApp({ profileId: props.profileId, url: site, credentials: { kind: 'frappe', password }, providerName: provider });
    setBusy(false);
    if (!r.ok) {
      setDiagnosis({ code: 'unrecognised', title: r.error.message, cause: '', fix: [], evidence: { source: 'internal', text: '' }, transient: false });
      return announce(r.error.message);
    }
    if (!r.value.ok) {
      setDiagnosis(r.value.diagnosis);
      return announce(r.value.diagnosis.title);
    }
    setPassword('');
    setMade(r.value.value);
    props.onParsed(r.value.value.site, r.value.value.name);
    announce(`Connected App ${r.value.value.name} ${r.value.value.created ? 'created' : 'found'} in Frappe`);
  };
  return (
    <Card appearance="filled-alternative" data-testid="frappe-redirect">
      <Text weight="semibold" as="h3" block>
        The Connected App in Frappe
      </Text>
      <Text block>
        Frappe signs in to Microsoft through a <strong>Connected App</strong>. The assistant can create it: it signs in to your site as <strong>Administrator</strong> and creates one Connected App with Provider Name <strong>{provider}</strong>. Frappe names it; its Redirect URI goes into the registration. Nothing else is written until you see the plan of “Put it into Frappe”.
      </Text>
      <Field label="Frappe address" hint="The site address above; change it only if Frappe's API is reached elsewhere.">
        <Input type="url" value={site} onChange={(_, d) => setApiUrl(d.value)} autoComplete="off" data-input="frappeApiUrl" />
      </Field>
      <Field label="Frappe Administrator password" hint="Kept encrypted on this computer for “Put it into Frappe”, never shown again. With two-factor sign-in on, make the Connected App yourself (below).">
        <Input type="password" value={password} onChange={(_, d) => setPassword(d.value)} autoComplete="off" data-input="frappePassword" />
      </Field>
      <div>
        <Button appearance="primary" disabled={busy || !password || (apiUrl === null ? !props.siteOk : !apiUrl.trim())} onClick={() => void create()} data-testid="frappe-create-app">
          {busy ? <Spinner size="tiny" label="Creating the Connected App in Frappe…" /> : 'Create the Connected App in Frappe'}
        </Button>
        {!props.siteOk && apiUrl === null && <Text block>Type your Frappe site address above first.</Text>}
      </div>
      {made && (
        <MessageBar intent="success" data-testid="frappe-app-created" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              Connected App “{made.name}” {made.created ? 'created in Frappe' : 'is already in Frappe'}, read back
            </MessageBarTitle>
            Its Redirect URI {made.redirectUri} goes into the registration.
          </MessageBarBody>
        </MessageBar>
      )}
      {diagnosis && <DiagnosisCard diagnosis={diagnosis} />}
      <Field
        label="Or: the Redirect URI of a Connected App you made in Frappe"
        hint="In Frappe: Connected App, New, a Provider Name, Save; copy its Redirect URI (it ends in …connected_app.callback/<name>). The assistant reads your site address and the Connected App's name from it."
        {...(value.trim() && !parsed ? { validationState: 'error' as const, validationMessage: 'This is not a Frappe Connected App Redirect URI: it should look like https://erp.example.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/1a2b3c4d5e' } : {})}
        {...(parsed ? { validationState: 'success' as const, validationMessage: `Site ${parsed.site}, Connected App “${parsed.name}”` } : {})}
      >
        <Input
          value={value}
          spellCheck={false}
          data-input="frappeRedirect"
          placeholder="https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/…"
          onChange={(_, d) => {
            setValue(d.value);
            const p = parseFrappeRedirect(d.value);
            if (p && (p.site !== props.inputs.baseUrl || p.name !== props.inputs.connectedAppName)) props.onParsed(p.site, p.name);
          }}
        />
      </Field>
    </Card>
  );
}

function TargetField(props: { input: TargetInput; value: string; message: ReturnType<typeof fieldFindings>; onChange: (v: string) => void; onBlur: () => void }) {
  const { input } = props;
  if (input.kind === 'choice') {
    return (
      <Field label={input.label} hint={input.help} required={input.required} {...props.message}>
        <RadioGroup value={props.value || input.default || ''} onChange={(_, d) => props.onChange(d.value)}>
          {input.options?.map((o) => <Radio key={o.value} value={o.value} label={o.help && o.help !== o.label ? `${o.label} — ${o.help}` : o.label} />)}
        </RadioGroup>
      </Field>
    );
  }
  return (
    <Field label={input.label} hint={input.help} required={input.required} {...props.message}>
      <Input
        value={props.value}
        placeholder={input.placeholder}
        type={input.kind === 'url' ? 'url' : 'text'}
        spellCheck={false}
        onChange={(_, d) => props.onChange(d.value)}
        onBlur={props.onBlur}
        data-input={input.id}
      />
    </Field>
  );
}

export function Details(props: { draft: Draft; target: TargetEntry; update: (patch: ProfilePatch) => void; onBack: () => void; onNext: () => void }) {
  const styles = useStyles();
  const announce = useAnnounce();
  const { draft, target } = props;
  const p = draft.profile;
  const inputs = p.targetInputs ?? {};
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [tried, setTried] = useState(false);
  const touch = (field: string) => setTouched((t) => new Set(t).add(field));
  const shown = (field: string) => tried || touched.has(field);

  const profile = useMemo(() => profileOf(draft, target), [draft, target]);
  const validation = useMemo(() => validateProfile(profile, { now: new Date(), target: hintsFor(target, profile) }), [profile, target]);
  const findings = validation.findings;
  // A page address pasted as the web address is cut back to the site on leaving the field; the note
  // saying what was removed stays under the field until it is edited again.
  const [cutNotes, setCutNotes] = useState<Record<string, string>>({});
  const redirects = completeRedirectUris(target, profile);
  const own = inputProblems(target, inputs);

  const problems = target.inputs.map((i) => ({ id: i.id, field: `targetInputs.${i.id}`, own: own[i.id] }));
  const blocking = [
    ...problems.filter((x) => x.own || findings.some((f) => f.field === x.field && f.severity === 'error')).map((x) => x.field),
    ...(findings.some((f) => f.field === 'mailbox' && f.severity === 'error') ? ['mailbox'] : []),
  ];

  const setEndpoint = (key: EndpointKey, value: string) => {
    const next: Partial<Record<EndpointKey, string>> = { ...(p.endpoints ?? {}) };
    if (value.trim()) next[key] = value.trim();
    else delete next[key];
    props.update({ endpoints: Object.keys(next).length ? next : undefined });
  };
  const setInput = (id: string, value: string) => props.update({ targetInputs: { ...inputs, [id]: value } });

  const next = () => {
    if (blocking.length) {
      setTried(true);
      announce(`${blocking.length} field${blocking.length === 1 ? ' needs' : 's need'} attention before you continue`);
      const first = blocking[0]!;
      const el = first === 'mailbox' ? document.getElementById('details-mailbox') : document.querySelector<HTMLElement>(`[data-input="${first.replace('targetInputs.', '')}"]`);
      el?.focus();
      return;
    }
    props.onNext();
  };

  const needs = useMemo(() => {
    try {
      return whoYoullNeed(target, profile);
    } catch {
      return [];
    }
  }, [target, profile]);
  return (
    <Screen
      id="details"
      title={`Tell us about your ${target.displayName}`}
      lead={`These values decide the addresses and names you will register in Microsoft Entra; nothing is sent anywhere yet${target.id === 'frappe' ? ' unless you ask the assistant to create the Connected App in Frappe' : ''}.`}
      onBack={props.onBack}
      onNext={next}
    >
      <div className={styles.form}>
        {target.inputs.map((input) => {
          const field = `targetInputs.${input.id}`;
          if (input.id === 'audience')
            return <AudienceField key={input.id} input={input} target={target} value={inputs[input.id] ?? ''} org={orgName(p)} message={fieldFindings(findings, field, shown(field), shown(field) ? own[input.id] : undefined)} onChange={(v) => setInput(input.id, v)} />;
          const element = (
            <TargetField
              key={input.id}
              input={input}
              value={inputs[input.id] ?? ''}
              message={cutNotes[input.id] ? { validationState: 'warning', validationMessage: cutNotes[input.id] } : fieldFindings(findings, field, shown(field), shown(field) ? own[input.id] : undefined)}
              onChange={(v) => {
                setInput(input.id, v);
                if (cutNotes[input.id]) setCutNotes(({ [input.id]: _gone, ...rest }) => rest);
              }}
              onBlur={() => {
                touch(field);
                const v = inputs[input.id] ?? '';
                const cut = input.id === 'baseUrl' ? findings.find((f) => f.field === field && (f.code === 'base-url-query' || f.code === 'base-url-stray-path')) : undefined;
                const site = validation.cleaned.targetInputs?.baseUrl;
                if (cut && site) {
                  setInput(input.id, site);
                  // Shown as the field's message (role="alert"), which screen readers announce.
                  setCutNotes((n) => ({ ...n, [input.id]: cut.message }));
                } else if (input.kind === 'url' && v !== normalizeBaseUrl(v)) setInput(input.id, normalizeBaseUrl(v));
              }}
            />
          );
          // Frappe: its Connected App right under the site address it is made at (issue 19).
          if (target.id !== 'frappe' || input.id !== 'baseUrl') return element;
          return (
            <Fragment key={input.id}>
              {element}
              <FrappeConnectedApp
                profileId={draft.id}
                inputs={inputs}
                siteOk={!!inputs.baseUrl?.trim() && !own.baseUrl && !findings.some((f) => f.field === field && f.severity === 'error')}
                onParsed={(site, name) => props.update({ targetInputs: { ...inputs, baseUrl: site, connectedAppName: name } })}
              />
            </Fragment>
          );
        })}
        {redirects.map((u) => (
          <ValueBox key={u} label="Redirect URI you will register (computed)" value={u} testId="redirect-preview" />
        ))}
        <Field label="The mailbox it sends and reads as" hint="Its full e-mail address, for example reception@fabrikam.com." required {...fieldFindings(findings, 'mailbox', shown('mailbox'))}>
          <Input id="details-mailbox" type="email" value={p.mailbox ?? ''} placeholder="reception@fabrikam.com" spellCheck={false} onChange={(_, d) => props.update({ mailbox: d.value })} onBlur={() => touch('mailbox')} />
        </Field>
        <Field label="Where the mailbox lives" hint="Only US government and China tenants choose something else." {...fieldFindings(findings, 'cloud', true)}>
          <Select value={p.cloud ?? 'global'} onChange={(_, d) => props.update({ cloud: d.value as Cloud })}>
            {CLOUDS.map((c) => (
              <option key={c} value={c}>
                {CLOUD_LABELS[c]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="A name for this connection" hint="Shown on the start screen and in the hand-over report.">
          <Input value={p.name ?? ''} placeholder={`${target.displayName} – ${p.mailbox || 'mailbox'}`} onChange={(_, d) => props.update({ name: d.value })} />
        </Field>
        <Card appearance="filled-alternative" data-testid="who-youll-need">
          <div className={styles.who}>
            <PersonKey20Regular className={styles.whoIcon} aria-hidden />
            <div>
              <Text weight="semibold" block as="h3">
                Who you&apos;ll need for {target.displayName}
              </Text>
              <ul className={styles.needs}>
                {needs.map((n) => (
                  <li key={n.who}>
                    <Text weight="semibold">{n.who}</Text>
                    <Text block size={200}>
                      {n.why}
                    </Text>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </Card>
        <Accordion collapsible defaultOpenItems={p.endpoints && Object.keys(p.endpoints).length ? ['advanced'] : []}>
          <AccordionItem value="advanced">
            <AccordionHeader>Advanced: other servers (national clouds, a TLS-inspecting proxy, a test system)</AccordionHeader>
            <AccordionPanel>
              <div className={styles.form}>
                <Text size={200} block>
                  Leave these empty to use Microsoft&apos;s own servers for the cloud chosen above.
                </Text>
                <CustomEndpointsSwitch />
                <CaCertsSetting />
                {ENDPOINT_FIELDS.map((f) => (
                  <Field key={f.key} label={f.label} hint={f.hint} {...fieldFindings(findings, `endpoints.${f.key}`, true)}>
                    <Input value={p.endpoints?.[f.key] ?? ''} placeholder={f.placeholder} spellCheck={false} data-endpoint={f.key} onChange={(_, d) => setEndpoint(f.key, d.value)} />
                  </Field>
                ))}
              </div>
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      </div>
    </Screen>
  );
}
