import { Button, Card, Field, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, Textarea, tokens } from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons/svg/dismiss';
import { useState } from 'react';
import { explain, type Explanation } from '../../../shared/diagnosis/explain';
import type { Profile } from '../../../shared/profile';
import { DiagnosisCard } from './DiagnosisCard';
import { PasteErrorOpener } from './PasteErrorOpener';
import { PortalLink } from './PortalLink';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  text: { fontFamily: tokens.fontFamilyMonospace },
});

/**
 * "Paste an error" (issue 20): the error a person's own system showed them, explained with the same
 * explain() as `mail-oauth explain` (shared/diagnosis/explain.ts, pure, in this renderer). Nothing is
 * sent anywhere and nothing is stored; the profile (when there is one) only fills the fixes.
 * With `onClose`, the parent shows the closed row (Start: this component loads only once opened).
 */
export function PasteError(props: { profile?: Partial<Profile>; onClose?: () => void }) {
  const styles = useStyles();
  const [open, setOpen] = useState(!!props.onClose);
  const [text, setText] = useState('');
  const [result, setResult] = useState<Explanation | null>(null);
  if (!open) return <PasteErrorOpener onOpen={() => setOpen(true)} />;
  const close = () => (props.onClose ? props.onClose() : (setOpen(false), setText(''), setResult(null)));
  return (
    <Card className={styles.stack} data-testid="paste-error" role="region" aria-label="Explain an error">
      <Field label="The error your system showed you" hint="The whole message, log lines or JSON: it is read here only, never sent anywhere.">
        <Textarea
          className={styles.text}
          value={text}
          onChange={(_, d) => (setText(d.value), setResult(null))}
          rows={5}
          resize="vertical"
          placeholder="e.g. Connection Test Failed! Here is what we got instead: 535 5.7.139 Authentication unsuccessful, …"
          data-testid="paste-error-text"
        />
      </Field>
      <div className={styles.row}>
        <Button appearance="primary" disabled={!text.trim()} onClick={() => setResult(explain(text, props.profile ? { profile: props.profile } : {}))} data-testid="paste-error-explain">
          Explain
        </Button>
        <Button appearance="subtle" icon={<Dismiss20Regular />} onClick={close}>
          Close
        </Button>
      </div>
      {result && !result.recognised && (
        <MessageBar intent="warning" data-testid="paste-error-unrecognised">
          <MessageBarBody>
            <MessageBarTitle>Not recognised</MessageBarTitle>
            The assistant has no diagnosis for this text.{result.aadsts.length ? ' Microsoft explains each AADSTS number on its error lookup page:' : ' Run the checks on the Test screen to find which step fails.'}
            {result.aadsts.map((a) => (
              <PortalLink key={a.code} label={`Look up AADSTS${a.code}`} url={a.lookup} />
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {result?.recognised && (
        <div className={styles.stack} aria-live="polite" data-testid="paste-error-result">
          <Text weight="semibold">
            {result.diagnoses.length === 1 ? 'Found one problem' : `Found ${result.diagnoses.length} problems, the most specific first`}
          </Text>
          {result.diagnoses.map((d) => (
            <DiagnosisCard key={d.code} diagnosis={d} />
          ))}
        </div>
      )}
    </Card>
  );
}
