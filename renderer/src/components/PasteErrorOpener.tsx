import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ClipboardPaste20Regular } from '@fluentui/react-icons/svg/clipboard-paste';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
});

/**
 * The closed "Paste an error" row: the button that opens it. Light on purpose (issue 23): Start shows it
 * in the first screen, and PasteError itself (with the diagnosis catalogue) loads when it is opened.
 * `onIntent` fires when a pointer or the focus reaches the button, so the load can start before the click.
 */
export function PasteErrorOpener(props: { onOpen: () => void; onIntent?: () => void }) {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Button icon={<ClipboardPaste20Regular />} onClick={props.onOpen} onPointerEnter={props.onIntent} onFocus={props.onIntent} data-testid="paste-error-open">
        Paste an error…
      </Button>
      <Text size={200}>Your system showed an error? Paste it to get the cause and the fix.</Text>
    </div>
  );
}
