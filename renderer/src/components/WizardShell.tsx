import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled } from '@fluentui/react-icons/svg/checkmark-circle';
import { Circle20Regular } from '@fluentui/react-icons/svg/circle';
import { MailShield20Regular } from '@fluentui/react-icons/svg/mail-shield';
import type { ReactNode } from 'react';
import { WIZARD_STEPS, type StepId } from '../steps';

const useStyles = makeStyles({
  shell: { display: 'grid', gridTemplateRows: 'auto 1fr', height: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  titleBar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  body: { display: 'grid', gridTemplateColumns: '260px 1fr', minHeight: 0 },
  nav: {
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    padding: `${tokens.spacingVerticalL} 0`,
    overflowY: 'auto',
  },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    color: tokens.colorNeutralForeground2,
  },
  current: {
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorNeutralForeground1,
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    paddingLeft: `calc(${tokens.spacingHorizontalL} - 3px)`,
  },
  done: { color: tokens.colorPaletteGreenForeground1 },
  main: { overflowY: 'auto', padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXXL}` },
  content: { maxWidth: '820px' },
});

export function WizardShell(props: { current: StepId; completed?: ReadonlySet<StepId>; children: ReactNode; footer?: ReactNode; hints?: Partial<Record<StepId, string>> }) {
  const styles = useStyles();
  return (
    <div className={styles.shell} data-shell>
      <header className={styles.titleBar}>
        <MailShield20Regular aria-hidden />
        <Text as="h1" weight="semibold" size={400}>
          Mail OAuth Assistant
        </Text>
      </header>
      <div className={styles.body}>
        <nav className={styles.nav} aria-label="Wizard steps">
          <ol className={styles.list}>
            {WIZARD_STEPS.map((step, index) => {
              const isCurrent = step.id === props.current;
              const isDone = props.completed?.has(step.id) ?? false;
              return (
                <li
                  key={step.id}
                  className={mergeClasses(styles.item, isCurrent && styles.current)}
                  aria-current={isCurrent ? 'step' : undefined}
                >
                  {isDone ? <CheckmarkCircle20Filled className={styles.done} aria-label="done" /> : <Circle20Regular aria-hidden />}
                  <div>
                    <Text weight={isCurrent ? 'semibold' : 'regular'} block>
                      {index + 1}. {step.title}
                    </Text>
                    <Text size={200} block>
                      {props.hints?.[step.id] ?? step.hint}
                    </Text>
                  </div>
                </li>
              );
            })}
          </ol>
        </nav>
        <main className={styles.main} data-main>
          <div className={styles.content}>{props.children}</div>
        </main>
      </div>
    </div>
  );
}
