import { Button, Field, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { getApi } from '../api';
import { useAnnounce } from './Announcer';
import { useAppSettings } from './CustomEndpointsSwitch';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Extra CA certificates (issue 13, finding 3): for an organisation whose TLS-inspecting proxy re-signs
 * Microsoft's certificates. Pasted as PEM only (never a path), checked and confirmed by main with its
 * own dialog; they then apply to every connection and the sign-in window. The list is replaced as a
 * whole, so what is shown is what main holds.
 */
export function CaCertsSetting() {
  const api = getApi();
  const announce = useAnnounce();
  const [settings, setSettings] = useAppSettings();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (settings === null) return null;
  const count = settings.caCertCount;

  const send = async (pem: string[]) => {
    setBusy(true);
    setError(null);
    const r = await api.settings.setCaCerts({ pem });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      announce(`Not trusted: ${r.error.message}`);
      return;
    }
    const changed = r.value.caCertCount !== count || pem.length === 0;
    setSettings(r.value);
    if (pem.length && r.value.caCertCount === pem.length) {
      setText('');
      announce(`${pem.length} CA certificate${pem.length === 1 ? '' : 's'} trusted for every connection`);
    } else if (!pem.length) announce('No extra CA certificates are trusted any more');
    else if (!changed) announce('Not trusted: you answered no');
  };

  return (
    <div data-setting="ca-certs">
      <Field
        label="Your organisation's CA certificate, for a TLS-inspecting proxy (PEM)"
        hint="Paste the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----, one or several (at most 8). Only for a proxy or a test system: a CA you trust can impersonate any server."
        validationState={error ? 'error' : 'none'}
        validationMessage={error ?? undefined}
      >
        <Textarea value={text} onChange={(_, d) => setText(d.value)} resize="vertical" spellCheck={false} textarea={{ style: { fontFamily: 'monospace', minHeight: '5em' } }} />
      </Field>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', marginTop: 8 }}>
        <Button disabled={busy || !text.trim()} onClick={() => void send(text.match(PEM_BLOCK) ?? [text.trim()])}>
          Trust these certificates…
        </Button>
        {count > 0 && (
          <Button disabled={busy} onClick={() => void send([])}>
            Stop trusting them
          </Button>
        )}
        <Text size={200} data-testid="ca-certs-count">
          {count === 0 ? "None trusted: only the system's own certificate authorities." : `${count} extra CA certificate${count === 1 ? ' is' : 's are'} trusted for every connection and the sign-in window.`}
        </Text>
      </div>
    </div>
  );
}
