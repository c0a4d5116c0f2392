import { describe, expect, it, vi } from 'vitest';
import { AppError, dispatch, type HandlerMap } from '../../../../electron/ipc/dispatch';
import { createHandlers } from '../../../../electron/ipc/handlers';

function handlers(overrides: Partial<HandlerMap> = {}): HandlerMap {
  return {
    ...createHandlers({
      appInfo: () => ({ name: 'Mail OAuth Assistant', version: '1.2.3', electron: null, chrome: null, node: '20', platform: 'linux' }),
      openExternal: async () => {},
    }),
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
    const map = createHandlers({ appInfo: () => ({ name: '', version: '', electron: null, chrome: null, node: '', platform: '' }), openExternal: async (u) => void opened.push(u) });
    await expect(dispatch(map, 'app:openExternal', { url: 'https://evil.example.com/' })).resolves.toMatchObject({ ok: false, error: { code: 'link-not-allowed' } });
    await expect(dispatch(map, 'app:openExternal', { url: 'https://entra.microsoft.com/#view/x' })).resolves.toMatchObject({ ok: true });
    expect(opened).toEqual(['https://entra.microsoft.com/#view/x']);
  });
});
