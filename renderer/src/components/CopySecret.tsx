import { Button, Text, tokens } from '@fluentui/react-components';
import { Checkmark16Regular } from '@fluentui/react-icons/svg/checkmark';
import { Key16Regular } from '@fluentui/react-icons/svg/key';
import { useState } from 'react';
import { getApi } from '../api';
import { useAnnounce } from './Announcer';

/**
 * Copy secret (issue 14 item 13), separate from "Include the client secret in copies and exports":
 * main copies the secret from the vault after its own confirmation and clears the clipboard after a
 * minute. The renderer never receives the value; it only learns whether it was copied.
 */
export function CopySecret(props: { profileId: string; hasSecret: boolean }) {
  const announce = useAnnounce();
  const [state, setState] = useState<'idle' | 'copied' | 'declined' | 'failed'>('idle');
  if (!props.hasSecret) return null;
  const note =
    state === 'copied'
      ? 'Copied. Paste it now: the clipboard is cleared in one minute.'
      : state === 'failed'
        ? 'The secret could not be copied. Paste it from where you saved it, or create a new one.'
        : 'Copies only the secret Value; the clipboard is cleared after a minute.';
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', marginTop: tokens.spacingVerticalXS }}>
      <Button
        size="small"
        icon={state === 'copied' ? <Checkmark16Regular /> : <Key16Regular />}
        data-testid="copy-secret"
        onClick={async () => {
          const r = await getApi()
            .secret.copy({ profileId: props.profileId })
            .catch(() => undefined);
          const next = !r?.ok ? 'failed' : r.value.copied ? 'copied' : r.value.reason === 'declined' ? 'declined' : 'failed';
          setState(next);
          announce(next === 'copied' ? 'Client secret copied; the clipboard is cleared in one minute' : next === 'declined' ? 'The client secret was not copied' : 'Could not copy the client secret');
        }}
      >
        {state === 'copied' ? 'Secret copied' : 'Copy secret'}
      </Button>
      <Text size={200} style={{ color: tokens.colorNeutralForeground2 }}>
        {note}
      </Text>
    </div>
  );
}
