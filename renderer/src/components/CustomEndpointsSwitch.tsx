import { Switch, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { AppSettingsView } from '../../../shared/ipc/hardening';
import { getApi } from '../api';
import { useAnnounce } from './Announcer';

/**
 * "Allow servers other than Microsoft's": the app setting that lets connections use a test system or
 * a TLS-inspecting proxy. Main turns it on only after its own confirmation dialog (the renderer asks,
 * main decides), so this switch shows what main answered, not what was clicked.
 */
/** The app settings as main holds them (null until read); set it with what a settings:* call answered. */
export function useAppSettings(): [AppSettingsView | null, (view: AppSettingsView) => void] {
  const api = getApi();
  const [view, setView] = useState<AppSettingsView | null>(null);
  useEffect(() => {
    let live = true;
    void api.settings.get().then((r) => live && r.ok && setView(r.value));
    return () => {
      live = false;
    };
  }, [api]);
  return [view, setView];
}

export function CustomEndpointsSwitch() {
  const api = getApi();
  const announce = useAnnounce();
  const [settings, setSettings] = useAppSettings();
  if (settings === null) return null;
  const allowed = settings.customEndpoints;
  return (
    <div>
      <Switch
        checked={allowed}
        data-setting="custom-endpoints"
        label="Allow servers other than Microsoft's (a test system, a TLS-inspecting proxy)"
        onChange={async (_, d) => {
          const r = await api.settings.setCustomEndpoints({ enabled: d.checked });
          if (!r.ok) return announce(`Could not change the setting: ${r.error.message}`);
          setSettings(r.value);
          announce(r.value.customEndpoints ? "Servers other than Microsoft's are allowed" : "Only Microsoft's servers are allowed");
        }}
      />
      <Text size={200} block>
        {allowed ? 'On: connections may use the servers entered below.' : "Off: connections reach only Microsoft's servers for their cloud."} A connection whose servers change forgets its saved secret.
      </Text>
    </div>
  );
}
