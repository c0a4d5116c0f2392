import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Launches the real app where the Electron binary exists. The binary is never downloaded by the tests:
// on machines without it the test is reported as skipped (never as passed).
const root = path.resolve(import.meta.dirname, '../..');

function electronBinary(): string | null {
  const pkgDir = path.join(root, 'node_modules/electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
    return existsSync(candidate) ? candidate : null;
  }
  if (!existsSync(pathFile)) return null;
  const binary = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

test('the real app opens hardened and walks the welcome page', async () => {
  const binary = electronBinary();
  test.skip(binary === null, 'skipped: Electron binary not available');

  const app = await electron.launch({ executablePath: binary!, args: [root, '--no-sandbox'] });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Connect your system to Microsoft 365 mail' })).toBeVisible();
    await expect(window.getByTestId('app-version')).toHaveText(/^Version \d+\.\d+\.\d+/);
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0]!.webContents;
      return (wc as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
    });
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    // Served from the app's own privileged scheme, never from file: (issue 13, finding 4).
    expect(window.url()).toMatch(/^app:\/\/mail-oauth\//);
    // Copy goes through main: the renderer is refused the clipboard permission.
    expect(await window.evaluate(() => navigator.clipboard.writeText('x').then(() => 'written', (e: Error) => e.name))).not.toBe('written');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await window.screenshot({ path: path.join(root, 'test/artifacts/screenshots/electron-welcome.png') });
  } finally {
    await app.close();
  }
});
