import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRelayHandlers } from '../../../../electron/ipc/relay-handlers';
import { loadRelayConfig } from '../../../../electron/engine/relay/config';
import { PROFILES } from '../../shared/catalogue/fixtures';
import type { SavedProfile } from '../../../../shared/saved-profile';

// relay:setup (issue 22, item 5) with the entry's "Does it also read mail?" choice: POP through the relay's
// POP proxy is written only when chosen, the same choice that adds POP.AccessAsApp to the registration.
async function setup(reading: string | undefined) {
  const base = PROFILES['relay-device']!;
  const saved = { id: `relay-${reading ?? 'default'}`, profile: { ...base, targetInputs: { ...base.targetInputs, ...(reading ? { reading } : {}) } } } as unknown as SavedProfile;
  const relayDir = mkdtempSync(path.join(tmpdir(), 'relay-setup-'));
  const h = createRelayHandlers({ load: () => saved, relayDir, profileJson: async () => JSON.stringify({ name: 'copier' }), hostname: () => 'relay-host' });
  const view = await h['relay:setup']({ profileId: saved.id } as never);
  return { view, config: loadRelayConfig(view.configFile) };
}

describe('relay:setup and POP reading', () => {
  it('send only (the default): no POP proxy, the device may not read, the card has no POP settings', async () => {
    const { view, config } = await setup(undefined);
    expect(config.pop).toBeUndefined();
    expect(config.devices[0]!.pop).toBe(false);
    expect(view.card.fields.map((f) => f.label)).not.toContain('POP server');
  });

  it('reading over POP: the POP proxy on 1110 / 1995, the device may read its mailbox, and the card says how', async () => {
    const { view, config } = await setup('pop');
    expect(config.pop).toEqual({ port: 1110, implicitTlsPort: 1995 });
    expect(config.devices[0]).toMatchObject({ name: 'copier-2nd-floor', pop: true, senders: ['info@fabrikam.com'] });
    const fields = Object.fromEntries(view.card.fields.map((f) => [f.label, f.value]));
    expect(fields['POP server']).toBe('relay-host');
    expect(fields['POP port']).toBe('1110');
  });
});
