import { Badge, Card, Checkbox, makeStyles, ProgressBar, Text, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import type { Step, StepPlace, TargetEntry } from '../../../shared/catalogue/types';
import { checklist, profileOf } from '../catalogue';
import { useAnnounce } from '../components/Announcer';
import { CopyValue } from '../components/Copy';
import { illustrationUrl } from '../components/illustrations';
import { Markdown } from '../components/Markdown';
import { PortalLink } from '../components/PortalLink';
import { Screen } from '../components/Screen';
import type { Draft } from '../state/useWizard';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  head: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  body: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: tokens.spacingVerticalM },
  withArt: { gridTemplateColumns: 'minmax(0, 1fr) 240px' },
  art: { width: '100%', height: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground1 },
  copies: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  done: { opacity: 0.85 },
  progress: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

const PLACES: Record<StepPlace, string> = {
  entra: 'Microsoft Entra admin center',
  'm365-admin': 'Microsoft 365 admin center',
  'exchange-powershell': 'Exchange Online PowerShell',
  target: 'In your system',
  assistant: 'In this assistant',
};

function ChecklistStep(props: { step: Step; index: number; total: number; done: boolean; onTick: (done: boolean) => void }) {
  const styles = useStyles();
  const { step } = props;
  const art = illustrationUrl(step.illustration);
  const titleId = `step-${step.id}-title`;
  return (
    <li>
      <Card aria-labelledby={titleId} data-step={step.id}>
        <div className={styles.head}>
          <Text as="h3" id={titleId} weight="semibold" size={400}>
            Step {props.index + 1} of {props.total} — {step.title}
          </Text>
          <Badge appearance="tint" color="brand">
            {PLACES[step.where]}
          </Badge>
          {step.optional && (
            <Badge appearance="outline" color="informative">
              If it applies
            </Badge>
          )}
        </div>
        <div className={`${styles.body} ${art ? styles.withArt : ''}`}>
          <div>
            <Markdown source={step.body} />
          </div>
          {art && <img className={styles.art} src={art} alt={`What this looks like in the portal: ${step.title}`} />}
        </div>
        {step.copy.length > 0 && (
          <div className={styles.copies}>
            {step.copy.map((c, i) => (
              <CopyValue key={`${c.label}-${i}`} label={c.label} value={c.value} />
            ))}
          </div>
        )}
        <div className={styles.actions}>
          {step.link && <PortalLink label={step.link.label} url={step.link.url} />}
          <Checkbox checked={props.done} onChange={(_, d) => props.onTick(d.checked === true)} label={`Done: ${step.title}`} />
        </div>
      </Card>
    </li>
  );
}

export function Register(props: { draft: Draft; target: TargetEntry; setTicks: (ticks: string[]) => void; onBack: () => void; onNext: () => void }) {
  const styles = useStyles();
  const announce = useAnnounce();
  const steps = useMemo(() => checklist(props.target, profileOf(props.draft, props.target)), [props.draft, props.target]);
  const ticks = props.draft.wizard.ticks;
  const done = steps.filter((s) => ticks.includes(s.id)).length;

  const tick = (id: string, on: boolean) => {
    const next = on ? [...new Set([...ticks, id])] : ticks.filter((t) => t !== id);
    props.setTicks(next);
    const count = steps.filter((s) => next.includes(s.id)).length;
    announce(`${on ? 'Marked done' : 'Marked not done'}. ${count} of ${steps.length} steps done, saved.`);
  };

  return (
    <Screen
      id="register"
      title="Register the app in Microsoft Entra"
      lead={`Follow these steps in the portal; every value is worked out for your ${props.target.displayName}, so copy and paste instead of typing.`}
      onBack={props.onBack}
      onNext={props.onNext}
      footer={
        <Text size={200}>
          {done} of {steps.length} done · saved as you tick
        </Text>
      }
    >
      <div className={styles.progress}>
        <ProgressBar value={steps.length ? done / steps.length : 0} thickness="large" aria-label={`${done} of ${steps.length} steps done`} />
      </div>
      <ol className={styles.list} aria-label="Checklist">
        {steps.map((step, index) => (
          <ChecklistStep key={step.id} step={step} index={index} total={steps.length} done={ticks.includes(step.id)} onTick={(on) => tick(step.id, on)} />
        ))}
      </ol>
    </Screen>
  );
}
