import { Button, makeStyles, Text, tokens, typographyStyles } from '@fluentui/react-components';
import { ArrowLeft20Regular } from '@fluentui/react-icons/svg/arrow-left';
import { ArrowRight20Regular } from '@fluentui/react-icons/svg/arrow-right';
import { useEffect, useRef, type ReactNode } from 'react';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  title: { ...typographyStyles.title2, margin: 0, outline: 'none' },
  lead: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  footer: {
    display: 'flex',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalL,
    marginTop: tokens.spacingVerticalS,
  },
  spacer: { flex: 1 },
});

export interface ScreenProps {
  id: string;
  title: string;
  /** The one sentence that says why this screen exists. */
  lead: ReactNode;
  children: ReactNode;
  onBack?: () => void;
  onNext?: () => void;
  nextLabel?: string;
  nextDisabled?: boolean;
  /** Secondary when the screen's main action is something else (Run again after a failure). */
  nextAppearance?: 'primary' | 'secondary';
  /** Extra footer content (between Back and Next). */
  footer?: ReactNode;
}

/** One screen of the wizard: a heading that takes focus when the screen opens, the reason, and Back / Next. */
export function Screen(props: ScreenProps) {
  const styles = useStyles();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [props.id]);
  return (
    <section className={styles.stack} aria-labelledby={`${props.id}-title`} data-screen={props.id}>
      <h2 id={`${props.id}-title`} ref={heading} tabIndex={-1} className={styles.title}>
        {props.title}
      </h2>
      <Text as="p" block className={styles.lead}>
        {props.lead}
      </Text>
      {props.children}
      {(props.onBack || props.onNext || props.footer) && (
        <div className={styles.footer}>
          {props.onBack && (
            <Button icon={<ArrowLeft20Regular />} onClick={props.onBack}>
              Back
            </Button>
          )}
          <div className={styles.spacer}>{props.footer}</div>
          {props.onNext && (
            <Button appearance={props.nextAppearance ?? 'primary'} icon={<ArrowRight20Regular />} iconPosition="after" disabled={props.nextDisabled} onClick={props.onNext}>
              {props.nextLabel ?? 'Next'}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}
