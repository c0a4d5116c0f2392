/**
 * The Start screen's way into "My system still sends with a password" (issue 12). Its other
 * keep-it-working notice, connections whose secret expires soon, is in ./ExpiringSoon (shown only with
 * saved connections, so not in the first screen's JavaScript: issue 23).
 */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { timelineNow } from './timeline';

export function BasicAuthEntry(props: { onOpen: () => void; onInventory?: () => void }) {
  const now = timelineNow(new Date());
  return (
    <MessageBar intent={now.phase === 'before' ? 'info' : 'warning'} layout="multiline" data-testid="basic-auth-entry">
      <MessageBarBody>
        <MessageBarTitle>Does a system still send mail with a password?</MessageBarTitle>
        {now.text}
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={props.onOpen}>My system still sends with a password</Button>
        {props.onInventory && (
          <Button onClick={props.onInventory} data-testid="start-inventory">
            Who still signs in with a password?
          </Button>
        )}
      </MessageBarActions>
    </MessageBar>
  );
}
