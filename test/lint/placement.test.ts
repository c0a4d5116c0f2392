import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Each placement rule of eslint.config.js must fire on a bad fixture and stay quiet on a good one.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root, ignore: false });

async function messagesFor(fixture: string): Promise<string[]> {
  const [result] = await eslint.lintFiles([path.join(root, 'test/lint/fixtures', fixture)]);
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('no-restricted')).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('placement lint rules', () => {
  it.each([
    ['shared/imports-electron.ts', /no-restricted-imports.*electron/],
    ['shared/imports-node-prefixed.ts', /no-restricted-imports.*shared\/ must not import Node/],
    ['shared/imports-node-bare.ts', /no-restricted-imports.*path is a Node built-in/],
    ['shared/uses-dom.ts', /no-restricted-globals.*document/],
    ['renderer/imports-electron.tsx', /no-restricted-imports.*electron/],
    ['renderer/imports-node.ts', /no-restricted-imports.*renderer\/ must not import Node/],
    ['renderer/uses-process.ts', /no-restricted-globals.*process/],
    ['electron/raw-ipc.ts', /no-restricted-imports.*only files that touch raw IPC/],
    ['electron/engine/imports-electron.ts', /no-restricted-imports.*engine runs in plain Node/],
    ['shared/imports-electron-code.ts', /no-restricted-imports.*shared\/ imports nothing from electron\//],
    ['shared/imports-renderer-code.ts', /no-restricted-imports.*shared\/ imports nothing from renderer\//],
    ['renderer/imports-node-package.ts', /no-restricted-imports.*imapflow is a Node-only package/],
    ['renderer/imports-electron-code.ts', /no-restricted-imports.*renderer\/ reaches the Node side only through/],
    ['electron/ipc/uses-dialog.ts', /no-restricted-imports.*IPC handlers take ports/],
    ['electron/ipc/converts-profile.ts', /no-restricted-imports.*only in electron\/app\/resolve-connection\.ts/],
    ['electron/app/resolves-target.ts', /no-restricted-imports.*only in electron\/app\/resolve-connection\.ts/],
  ])('%s is refused', async (fixture, expected) => {
    const messages = await messagesFor(fixture);
    expect(messages.some((m) => expected.test(m)), messages.join('\n') || '(no message)').toBe(true);
  });

  it.each(['shared/pure.ts', 'renderer/pure.ts'])('%s passes', async (fixture) => {
    expect(await messagesFor(fixture)).toEqual([]);
  });

  it('the raw IPC wrappers themselves are allowed to import ipcMain / ipcRenderer', async () => {
    const results = await eslint.lintFiles([path.join(root, 'electron/ipc/main-ipc.ts'), path.join(root, 'electron/preload.ts')]);
    expect(results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports'))).toEqual([]);
  });
});
