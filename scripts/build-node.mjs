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

// A runtime dependency the code loads with `await import('pkg')` (engine modules that are not needed by
// every command: imapflow, nodemailer, smtp-server, @peculiar/x509, pkijs...) is loaded with require()
// when first used, not at start and not through Node's ESM loader: esbuild keeps an external import()
// as it is, and import() of a package inside app.asar depends on Electron's ESM-in-asar support.
// The import() resolves to a small CommonJS module that requires the package; esbuild runs it lazily.
const lazyRequire = (externals) => ({
  name: 'lazy-require',
  setup(b) {
    const names = new Set(externals);
    b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' && names.has(args.path) ? { path: args.path, namespace: 'lazy-require' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
});

const entries = [
  { entryPoints: ['electron/main.ts'], outfile: 'dist/main/main.cjs', external: runtimeExternals, plugins: [lazyRequire(runtimeExternals)] },
  { entryPoints: ['electron/preload.ts'], outfile: 'dist/preload/preload.cjs', external: ['electron'] },
];
const cli = 'electron/cli/mail-oauth.ts';
import { existsSync } from 'node:fs';
if (existsSync(cli)) {
  entries.push({ entryPoints: [cli], outfile: 'dist/cli/mail-oauth.cjs', external: runtimeExternals, plugins: [lazyRequire(runtimeExternals)], banner: { js: '#!/usr/bin/env node' } });
}

await Promise.all(entries.map((entry) => build({ ...common, ...entry })));
