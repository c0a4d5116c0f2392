import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type HandlerMap } from '../../../../electron/ipc/dispatch';
import { createHandlers } from '../../../../electron/ipc/handlers';
import { SECRET_PLACEHOLDER } from '../../../../shared/catalogue/context';
import { createTestDeps, type TestDeps } from '../../../e2e/host/appDeps';

// Findings 2 and 11 (issue 13): the client secret never crosses to the renderer. Exports that carry it
// are written by main (file or clipboard) after a native confirmation; copying goes through main.
const SECRET = 'Erp~Secret.Value_0123456789abcdefGHIJ';
const ID = 'fabrikam-odoo-0001';

async function setUp(answer = true): Promise<{ deps: TestDeps; map: HandlerMap; call: (channel: string, request?: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> }> {
  const deps = createTestDeps();
  const asked: unknown[] = [];
  Object.assign(deps, { confirm: async (q: unknown) => (asked.push(q), answer), asked });
  const map = createHandlers(deps);
  const call = (channel: string, request?: unknown) => dispatch(map, channel, request) as Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
  await call('profiles:save', {
    id: ID,
    profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01', clientId: '11111111-2222-4333-8444-000000000001', mailbox: 'reception@fabrikam.com' },
    wizard: { step: 'done', ticks: [] },
  });
  await call('secrets:set', { profileId: ID, value: SECRET });
  return { deps, map, call };
}

afterEach(() => vi.useRealTimers());

describe('the secret stays in main', () => {
  it('export:make with includeSecret answers the placeholder, never the value', async () => {
    const { call } = await setUp();
    const r = await call('export:make', { profileId: ID, format: 'paste-card', includeSecret: true });
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect((r.value as { content: string }).content).toContain(SECRET_PLACEHOLDER);
  });

  it('export:copy with the secret asks natively first, then main writes the clipboard and clears it after a minute', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { deps, call } = await setUp(true);
    const r = await call('export:copy', { profileId: ID, format: 'paste-card', includeSecret: true });
    expect(r).toMatchObject({ ok: true, value: { copied: true, secretIncluded: true } });
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect((deps as unknown as { asked: unknown[] }).asked).toHaveLength(1);
    expect(await deps.clipboard.readText()).toContain(SECRET);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await deps.clipboard.readText()).toBe('');
  });

  it('export:copy declined at the native confirmation copies nothing', async () => {
    const { deps, call } = await setUp(false);
    await deps.clipboard.writeText('what was there before');
    const r = await call('export:copy', { profileId: ID, format: 'paste-card', includeSecret: true });
    expect(r).toMatchObject({ ok: true, value: { copied: false } });
    expect(await deps.clipboard.readText()).toBe('what was there before');
  });

  it('export:save with the secret asks natively first; the file has it, the answer does not', async () => {
    const { deps, call } = await setUp(true);
    const r = await call('export:save', { profileId: ID, format: 'env', includeSecret: true });
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect((deps as unknown as { asked: unknown[] }).asked).toHaveLength(1);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(deps.savedFiles[0]!, 'utf8')).toContain(SECRET);
  });

  it('clipboard:write copies plain values through main (the renderer has no clipboard permission)', async () => {
    const { deps, call } = await setUp();
    await expect(call('clipboard:write', { text: 'https://erp.fabrikam.com/microsoft_outlook/confirm' })).resolves.toMatchObject({ ok: true, value: { copied: true } });
    expect(await deps.clipboard.readText()).toBe('https://erp.fabrikam.com/microsoft_outlook/confirm');
  });
});
