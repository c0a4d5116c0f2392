import { describe, expect, it, vi } from 'vitest';
import { AppError, dispatch, type HandlerMap } from '../../../../electron/ipc/dispatch';
import { createHandlers } from '../../../../electron/ipc/handlers';
import { createTestDeps } from '../../../e2e/host/appDeps';
import { CHANNELS } from '../../../../shared/ipc/channels';

function handlers(overrides: Partial<HandlerMap> = {}): HandlerMap {
  return {
    ...createHandlers(createTestDeps({ appInfo: () => ({ name: 'Mail OAuth Assistant', version: '1.2.3', electron: null, chrome: null, node: '20', platform: 'linux' }) })),
    ...overrides,
  };
}

describe('dispatch', () => {
  it('runs the handler and wraps its value', async () => {
    await expect(dispatch(handlers(), 'app:getInfo', undefined)).resolves.toMatchObject({ ok: true, value: { version: '1.2.3' } });
  });

  it('answers invalid-request for a malformed payload and logs paths, never values', async () => {
    const warn = vi.fn();
    const secret = 'Qx7~very.secret_value-that-must-not-leak';
    const result = await dispatch(handlers(), 'app:openExternal', { url: 42, clientSecret: secret }, { warn });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('url: invalid_type');
    expect(String(warn.mock.calls[0]?.[0])).not.toContain(secret);
  });

  it('every channel refuses what its schema does not name: an extra field, an array, a string, a prototype key (none reaches a handler)', async () => {
    const reached: string[] = [];
    const map = Object.fromEntries(CHANNELS.map((c) => [c, async () => (reached.push(c), null)])) as unknown as HandlerMap;
    const hostile = [{ unexpected: 'x', profileId: 'fabrikam-odoo-0001' }, ['profileId'], 'profileId', JSON.parse('{"__proto__":{"isAdmin":true},"profileId":"fabrikam-odoo-0001"}'), 42];
    for (const channel of CHANNELS) {
      for (const request of hostile) {
        const r = await dispatch(map, channel, request, { warn: () => {} });
        expect(r, `${channel} took ${JSON.stringify(request)}`).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
      }
    }
    expect(reached).toEqual([]);
    // The renewal's last step takes only an explicit yes.
    for (const confirmed of [false, 'true', 1, null]) expect((await dispatch(map, 'renew:finish', { profileId: 'fabrikam-odoo-0001', confirmed }, { warn: () => {} })).ok).toBe(false);
    expect((await dispatch(map, 'renew:finish', { profileId: 'fabrikam-odoo-0001', confirmed: true })).ok).toBe(true);
    // The sign-in application: a GUID or null, nothing else (no URL, no tenant name).
    for (const clientId of ['https://evil.example/app', 'fabrikam.onmicrosoft.com', '', '14d82eec-204b-4c2f-b7e8-296a70dab67e; rm -rf /']) expect((await dispatch(map, 'settings:setAdminClientId', { clientId }, { warn: () => {} })).ok).toBe(false);
    expect((await dispatch(map, 'settings:setAdminClientId', { clientId: null })).ok).toBe(true);
  });

  it('refuses a channel that is not in the contract', async () => {
    await expect(dispatch(handlers(), 'fs:readFile', { path: '/etc/passwd' })).resolves.toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    await expect(dispatch(handlers(), '__proto__', {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('passes an AppError code through and hides unexpected errors behind "internal"', async () => {
    const failing = handlers({
      'app:getInfo': () => {
        throw new AppError('no-info', 'No info today.');
      },
    });
    await expect(dispatch(failing, 'app:getInfo', undefined)).resolves.toEqual({ ok: false, error: { code: 'no-info', message: 'No info today.' } });
    const warn = vi.fn();
    const crashing = handlers({
      'app:getInfo': () => {
        throw new Error('token=eyJhbGciOi.secret');
      },
    });
    const result = await dispatch(crashing, 'app:getInfo', undefined, { warn });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result) + warn.mock.calls.join()).not.toContain('eyJhbGciOi');
  });

  it('app:openExternal refuses links outside the allow-list', async () => {
    const opened: string[] = [];
    const map = createHandlers({ ...createTestDeps(), openExternal: async (u) => void opened.push(u) });
    await expect(dispatch(map, 'app:openExternal', { url: 'https://evil.example.com/' })).resolves.toMatchObject({ ok: false, error: { code: 'link-not-allowed' } });
    await expect(dispatch(map, 'app:openExternal', { url: 'https://entra.microsoft.com/#view/x' })).resolves.toMatchObject({ ok: true });
    expect(opened).toEqual(['https://entra.microsoft.com/#view/x']);
  });

  it('profiles and secrets: a secret goes into the vault and never comes back over IPC', async () => {
    const deps = createTestDeps();
    const map = createHandlers(deps);
    const id = 'fabrikam-odoo-1a2b3c4d';
    const saved = await dispatch(map, 'profiles:save', { id, profile: { name: 'Fabrikam Odoo', target: 'odoo', mailbox: 'reception@fabrikam.com' }, wizard: { step: 'credentials', ticks: [] } });
    expect(saved).toMatchObject({ ok: true, value: { record: { id }, hasSecret: false } });
    const secret = 'Qx7~Abcdefghijklmnopqrstuvwxyz0123456789';
    await expect(dispatch(map, 'secrets:set', { profileId: id, value: secret })).resolves.toMatchObject({ ok: true, value: { stored: true, persistent: false } });
    const listed = await dispatch(map, 'profiles:list', undefined);
    expect(listed).toMatchObject({ ok: true, value: [{ record: { id }, hasSecret: true }] });
    expect(JSON.stringify(listed)).not.toContain(secret);
    await expect(deps.secrets.get(`profile:${id}:clientSecret`)).resolves.toBe(secret);
    await expect(dispatch(map, 'secrets:set', { profileId: 'unknown-profile', value: secret })).resolves.toMatchObject({ ok: false, error: { code: 'profile-not-found' } });
    await expect(dispatch(map, 'profiles:delete', { id })).resolves.toMatchObject({ ok: true, value: { deleted: true } });
    await expect(deps.secrets.get(`profile:${id}:clientSecret`)).resolves.toBeUndefined();
  });
});
