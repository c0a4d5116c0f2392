import { describe, expect, it } from 'vitest';
import { buildApi } from '../../../../shared/ipc/api';
import { channels, contract, eventNames, events } from '../../../../shared/ipc/contract';

describe('contract and derived API', () => {
  it('names every channel domain:verb and lists exactly the contract', () => {
    expect([...channels].sort()).toEqual(Object.keys(contract).sort());
    expect([...eventNames].sort()).toEqual(Object.keys(events).sort());
    for (const channel of channels) expect(channel).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  it('builds one method per channel that invokes that channel', async () => {
    const calls: [string, unknown][] = [];
    const api = buildApi(
      async (channel, request) => {
        calls.push([channel, request]);
        return { ok: true, value: null };
      },
      () => () => {},
    );
    for (const channel of channels) {
      const [domain, verb] = channel.split(':') as [string, string];
      const method = (api as unknown as Record<string, Record<string, (r: unknown) => Promise<unknown>>>)[domain]?.[verb];
      expect(typeof method, channel).toBe('function');
      await method!({ probe: channel });
    }
    expect(calls.map(([c]) => c)).toEqual([...channels]);
  });
});
