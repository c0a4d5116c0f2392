import { Button, Card, Field, makeStyles, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons/svg/arrow-download';
import { LockClosed20Regular } from '@fluentui/react-icons/svg/lock-closed';
import { Copy20Regular } from '@fluentui/react-icons/svg/copy';
import { useEffect, useMemo, useState } from 'react';
import type { Step, TargetEntry } from '../../../../shared/catalogue/types';
import type { ScriptKind, SealedOpenView } from '../../../../shared/ipc/registration';
import type { SavedProfile } from '../../../../shared/saved-profile';
import { sealedFileName } from '../../../../shared/registration/sealed';
import { DiagnosisCard } from '../../components/DiagnosisCard';
import { getApi } from '../../api';
import { isUnresolved, portalSteps, profileOf } from '../../catalogue';
import { useAnnounce } from '../../components/Announcer';
import { copyText } from '../../components/Copy';
import type { Draft } from '../../state/useWizard';
import { roleNeeded } from './AdminHeader';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  script: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalS,
    margin: 0,
    maxHeight: '320px',
    overflow: 'auto',
    whiteSpace: 'pre',
  },
  muted: { color: tokens.colorNeutralForeground2 },
});

const KINDS: Record<ScriptKind, { label: string; help: string }> = {
  powershell: { label: 'PowerShell (Microsoft Graph PowerShell)', help: 'Connect-MgGraph; for administrators who use PowerShell.' },
  'azure-cli': { label: 'Azure CLI', help: 'az ad app …; for administrators who use the Azure CLI or Cloud Shell.' },
};

/** The portal checklist as plain text, for a hand-over (the values filled in; unknown ones said as such). */
export function checklistText(steps: readonly Step[], systemName: string): string {
  const strip = (s: string) => s.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1');
  const lines = [`Register the app in Microsoft Entra for ${systemName}`, ''];
  steps.forEach((s, i) => {
    lines.push(`Step ${i + 1} of ${steps.length}: ${s.title}`, strip(s.body));
    for (const c of s.copy) lines.push(`  ${c.label}: ${isUnresolved(c) ? '(known later)' : c.value}`);
    if (s.link) lines.push(`  ${s.link.label}: ${s.link.url}`);
    lines.push('');
  });
  lines.push(
    'When you are done, send back only the Application (client) ID and the Directory (tenant) ID (Overview page).',
    `Never send the client secret Value back, by e-mail, chat or any other message: type it into ${systemName} yourself, or paste it into the Mail OAuth Assistant at the requester's computer.`,
  );
  return lines.join('\n');
}

/** "Send the steps to my administrator": the script that creates exactly this registration, and the checklist, to copy or save. */
export function SendToAdmin(props: { draft: Draft; target: TargetEntry; adopt?: (record: SavedProfile) => Promise<void> }) {
  const styles = useStyles();
  const api = getApi();
  const announce = useAnnounce();
  const [kind, setKind] = useState<ScriptKind>('powershell');
  const [script, setScript] = useState<{ content: string; filename: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [opened, setOpened] = useState<Exclude<SealedOpenView, { status: 'cancelled' }> | null>(null);
  const [opening, setOpening] = useState(false);
  const fileName = sealedFileName(props.draft.profile.target ?? props.target.id);
  const steps = useMemo(() => portalSteps(props.target, profileOf(props.draft, props.target)), [props.draft, props.target]);

  useEffect(() => {
    let live = true;
    setScript(null);
    void api.registration.script({ profileId: props.draft.id, kind }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setScript(r.value);
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [api, props.draft.id, kind]);

  const save = async () => {
    const r = await api.registration.script({ profileId: props.draft.id, kind, save: true });
    if (!r.ok) return setError(r.error.message);
    setSaved(r.value.savedTo);
    announce(r.value.savedTo ? `Saved to ${r.value.savedTo}` : 'Not saved');
  };

  /** The person picks the file the administrator sent back; main opens it, the secret goes to the vault (never here). */
  const openSealed = async () => {
    setOpening(true);
    const r = await api.registration.openSealed({ profileId: props.draft.id });
    setOpening(false);
    if (!r.ok) return setError(r.error.message);
    if (r.value.status === 'cancelled') return announce('No file opened');
    setOpened(r.value);
    if (r.value.status === 'opened') {
      await props.adopt?.(r.value.record);
      announce('Sealed file opened: the IDs and the secret are filled in');
    } else announce(`The file was refused: ${r.value.diagnosis.title}`);
  };

  return (
    <div className={styles.stack} data-testid="send-to-admin">
      <Text block>
        Your administrator needs the {roleNeeded(props.target)} role. Send them the script: it creates exactly this registration and seals the new client secret into a file, {fileName}, that only this assistant can open. They send that file back; open it below and the IDs and the secret are filled in.
      </Text>
      <Text block data-testid="secret-stays">
        <strong>The secret never travels readable by mail or chat.</strong> The script does not show the client secret Value: it encrypts it to a key that stays on this computer (RSA-OAEP, SHA-256). Do not ask for the Value itself; the sealed file is safe to send as an attachment.
      </Text>
      <Field label="Script for">
        <RadioGroup value={kind} onChange={(_, d) => setKind(d.value as ScriptKind)}>
          {(Object.keys(KINDS) as ScriptKind[]).map((k) => (
            <Radio key={k} value={k} label={`${KINDS[k].label} — ${KINDS[k].help}`} />
          ))}
        </RadioGroup>
      </Field>
      <Card>
        <div className={styles.row}>
          <Text as="h3" weight="semibold" size={400}>
            {script ? script.filename : 'The script'}
          </Text>
          <Button icon={<Copy20Regular />} disabled={!script} onClick={async () => announce((await copyText(script?.content ?? '')) ? 'Script copied' : 'Could not copy the script')}>
            Copy the script
          </Button>
          <Button icon={<ArrowDownload20Regular />} disabled={!script} onClick={() => void save()}>
            Save the script
          </Button>
        </div>
        {script ? (
          <pre className={styles.script} data-testid="admin-script" tabIndex={0} aria-label="The script">
            {script.content}
          </pre>
        ) : (
          <Text>{error ? `The script could not be made: ${error}` : 'Making the script…'}</Text>
        )}
        {saved && (
          <Text size={200} className={styles.muted}>
            Saved to {saved}
          </Text>
        )}
        <Text size={200} className={styles.muted} block>
          The script makes the client secret and writes it only into {fileName}, sealed to this connection&apos;s key (kept in this computer&apos;s secret store). PowerShell 7 (Windows, macOS, Linux) or Windows PowerShell 5.1; the Azure CLI script needs OpenSSL.
        </Text>
      </Card>
      <Card data-testid="sealed-open">
        <div className={styles.row}>
          <Text as="h3" weight="semibold" size={400}>
            When the sealed file comes back
          </Text>
          <Button appearance="primary" icon={<LockClosed20Regular />} disabled={opening} onClick={() => void openSealed()}>
            Open the sealed file…
          </Button>
        </div>
        {opened?.status === 'opened' ? (
          <Text block data-testid="sealed-opened">
            Opened {opened.fileName}: client ID {opened.appId}, tenant {opened.tenantId}; the client secret (ID {opened.secretId}, expires {opened.secretExpires}) is kept in this computer&apos;s secret store, not shown. Press Next: the credentials are filled in.
          </Text>
        ) : (
          <Text size={200} className={styles.muted} block>
            Pick {fileName} from your administrator&apos;s e-mail or shared folder. This assistant opens it with this connection&apos;s private key; a changed file, or one sealed for another connection, is refused.
          </Text>
        )}
        {opened?.status === 'refused' && <DiagnosisCard diagnosis={opened.diagnosis} />}
      </Card>
      <Card>
        <div className={styles.row}>
          <Text as="h3" weight="semibold" size={400}>
            Or the portal checklist ({steps.length} steps)
          </Text>
          <Button icon={<Copy20Regular />} onClick={async () => announce((await copyText(checklistText(steps, props.target.displayName))) ? 'Checklist copied' : 'Could not copy the checklist')}>
            Copy the checklist
          </Button>
        </div>
        <Text size={200} className={styles.muted} block>
          The same steps as “I’ll do it in the portal”, as plain text with every value filled in.
        </Text>
      </Card>
    </div>
  );
}
