// Lint that enforces where code runs (see STYLE.md): shared/ is pure, renderer/ never reaches
// Node or Electron, and raw ipcMain/ipcRenderer live only in the two IPC wrapper files.
import { builtinModules } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodePatterns = ['node:*'];

const noElectron = { name: 'electron', message: 'Only electron/main.ts, electron/preload.ts and electron/adapters may import electron.' };
// Issue 18: shared/ is imported by both sides, so it imports neither side's code; the renderer is a browser page.
const noAppCode = [
  { regex: '(^|/)electron/', message: 'shared/ imports nothing from electron/ (the Node side): move the code to shared/ or take it as a parameter.' },
  { regex: '(^|/)renderer/', message: 'shared/ imports nothing from renderer/.' },
];
const NODE_ONLY_PACKAGES = ['imapflow', 'nodemailer', '@azure/msal-node', 'electron-store', 'conf', 'undici', 'esbuild', 'node-forge'];
const rendererNoNodeCode = [
  { regex: '(^|/)electron/', message: 'renderer/ reaches the Node side only through window.mailOAuth (shared/ipc), never by importing electron/.' },
  ...NODE_ONLY_PACKAGES.map((name) => ({ regex: `^${name.replace('/', '\\/')}(/|$)`, message: `${name} is a Node-only package; the renderer is a sandboxed browser page.` })),
];
// Issue 18, resolve once: a saved connection becomes an engine profile in electron/app/resolve-connection.ts
// only; handlers, facades, adapters and main take the ResolvedConnection it builds.
const ONE_CONVERSION = 'A saved connection becomes an engine profile only in electron/app/resolve-connection.ts (issue 18): take the ResolvedConnection it builds instead.';
const oneConversion = [
  { regex: '(^|/)shared/profile$', importNames: ['ProfileSchema'], message: ONE_CONVERSION },
  { regex: '(^|/)shared/catalogue$', importNames: ['resolveTarget'], message: ONE_CONVERSION },
];
const nodeBuiltinPaths = nodeBuiltins.filter((m) => !m.startsWith('node:')).map((name) => ({ name, message: `${name} is a Node built-in; this code must not run Node.` }));

export const placementRules = [
  {
    // shared/: pure TypeScript for both sides. No Electron, no Node built-ins, no DOM globals.
    files: ['shared/**/*.ts', 'test/lint/fixtures/shared/**/*.ts'],
    languageOptions: { globals: { ...globals.es2024 } },
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...nodeBuiltinPaths], patterns: [{ group: nodePatterns, message: 'shared/ must not import Node built-ins.' }, ...noAppCode] }],
      'no-restricted-globals': ['error', ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'process', 'Buffer', '__dirname', 'require'].map((name) => ({ name, message: `shared/ runs in both processes: ${name} is not available everywhere.` }))],
    },
  },
  {
    // renderer/: the browser. Never Electron, never Node.
    files: ['renderer/src/**/*.{ts,tsx}', 'test/lint/fixtures/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...nodeBuiltinPaths], patterns: [{ group: nodePatterns, message: 'renderer/ must not import Node built-ins.' }, ...rendererNoNodeCode] }],
      'no-restricted-globals': ['error', ...['process', 'Buffer', '__dirname', 'require'].map((name) => ({ name, message: `${name} does not exist in the sandboxed renderer.` }))],
    },
  },
  {
    // Node side: ipcMain / ipcRenderer only through the two wrappers.
    files: ['electron/**/*.ts', 'test/lint/fixtures/electron/**/*.ts'],
    ignores: ['electron/ipc/main-ipc.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Use electron/ipc/main-ipc.ts (main) or electron/preload.ts: the only files that touch raw IPC.' }] }],
    },
  },
  {
    // IPC handlers reach dialogs, the clipboard and every other Electron API only through ports (electron/adapters).
    files: ['electron/ipc/**/*.ts', 'test/lint/fixtures/electron/ipc/**/*.ts'],
    ignores: ['electron/ipc/main-ipc.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'IPC handlers take ports (a Confirm, a ClipboardPort...): main.ts plugs in the Electron adapter from electron/adapters.' }], patterns: oneConversion }],
    },
  },
  {
    // The app layer, the adapters and main: no second conversion of a saved connection (the raw-IPC rule kept).
    files: ['electron/app/**/*.ts', 'electron/adapters/**/*.ts', 'electron/main.ts', 'test/lint/fixtures/electron/app/**/*.ts'],
    ignores: ['electron/app/resolve-connection.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Use electron/ipc/main-ipc.ts (main) or electron/preload.ts: the only files that touch raw IPC.' }], patterns: oneConversion }],
    },
  },
  {
    // The engine and the CLI run in plain Node: no Electron at all.
    files: ['electron/engine/**/*.ts', 'electron/cli/**/*.ts', 'electron/ipc/dispatch.ts', 'electron/ipc/handlers.ts', 'electron/security.ts', 'test/lint/fixtures/electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The engine runs in plain Node: take a port (see ARCHITECTURE.md), let main.ts plug in the Electron adapter.' }] }],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test/artifacts/**', '.tsbuild/**', 'test/lint/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['renderer/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  { files: ['scripts/**/*.mjs', 'eslint.config.js', 'test/**/*.ts', 'bench/**/*.{ts,mjs}'], languageOptions: { globals: { ...globals.node } } },
  ...placementRules,
);
