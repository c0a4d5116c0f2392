// Bundles the Node side: main and preload for Electron (CommonJS, one file each so the sandboxed
// preload needs no require of our own files), and the mail-oauth CLI.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
  treeShaking: true,
};

// Runtime dependencies stay external (packaged under node_modules from package.json "dependencies");
// everything else (zod, electron-store, our code: see devDependencies) is bundled.
import { readFileSync } from 'node:fs';
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const runtimeExternals = ['electron', ...Object.keys(pkg.dependencies ?? {})];

const entries = [
  { entryPoints: ['electron/main.ts'], outfile: 'dist/main/main.cjs', external: runtimeExternals },
  { entryPoints: ['electron/preload.ts'], outfile: 'dist/preload/preload.cjs', external: ['electron'] },
];
const cli = 'electron/cli/mail-oauth.ts';
import { existsSync } from 'node:fs';
if (existsSync(cli)) {
  entries.push({ entryPoints: [cli], outfile: 'dist/cli/mail-oauth.cjs', external: runtimeExternals, banner: { js: '#!/usr/bin/env node' } });
}

await Promise.all(entries.map((entry) => build({ ...common, ...entry })));
