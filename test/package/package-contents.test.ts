import { listPackage, extractFile } from '@electron/asar';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Builds the Linux package offline (electronDist = a stub, since the Electron binary cannot be
// downloaded here) and checks that app.asar holds the built main, preload and renderer plus the
// production dependencies, and nothing else.
const root = path.resolve(import.meta.dirname, '../..');
const out = mkdtempSync(path.join(tmpdir(), 'moa-pkg-'));
let files: string[] = [];
let asarPath = '';

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist/main/main.cjs')) || !existsSync(path.join(root, 'dist/renderer/index.html'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  }
  const stub = path.join(out, 'electron-stub');
  execFileSync('mkdir', ['-p', stub]);
  writeFileSync(path.join(stub, 'electron'), '#!/bin/sh\nexit 0\n');
  chmodSync(path.join(stub, 'electron'), 0o755);
  execFileSync(
    path.join(root, 'node_modules/.bin/electron-builder'),
    ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${stub}`, `-c.directories.output=${path.join(out, 'release')}`],
    { cwd: root, stdio: 'pipe', env: { ...process.env, CI: 'true' } },
  );
  asarPath = path.join(out, 'release/linux-unpacked/resources/app.asar');
  files = listPackage(asarPath, { isPack: false }).map((f) => f.replace(/\\/g, '/'));
}, 180_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

function productionPackages(): Set<string> {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  const names = new Set<string>();
  for (const [key, meta] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/') || meta.dev) continue;
    names.add(key.slice('node_modules/'.length).split('/node_modules/')[0]!);
  }
  return names;
}

describe('app.asar contents', () => {
  it('holds the built main, preload and renderer', () => {
    expect(files).toContain('/dist/main/main.cjs');
    expect(files).toContain('/dist/preload/preload.cjs');
    expect(files).toContain('/dist/renderer/index.html');
    expect(files.some((f) => /^\/dist\/renderer\/assets\/.+\.js$/.test(f))).toBe(true);
    expect(files).toContain('/package.json');
  });

  it('holds nothing else at the top level', () => {
    const top = new Set(files.map((f) => f.split('/')[1]));
    expect([...top].sort()).toEqual(['dist', 'node_modules', 'package.json'].filter((t) => top.has(t)).sort());
    const distDirs = new Set(files.filter((f) => f.startsWith('/dist/')).map((f) => f.split('/')[2]));
    expect([...distDirs].sort()).toEqual(['main', 'preload', 'renderer']);
  });

  it('has no sources, tests, env files or source maps with embedded sources', () => {
    const bad = files.filter(
      (f) =>
        (!f.startsWith('/node_modules/') && /\.(tsx?|map)$/.test(f)) ||
        /\/\.env(\.|$)/.test(f) ||
        /^\/(test|electron|renderer|shared|scripts|bench|assets)\//.test(f) ||
        /\/(vitest|playwright)\.config\./.test(f),
    );
    expect(bad).toEqual([]);
    const maps = files.filter((f) => f.endsWith('.map'));
    for (const map of maps) {
      const json = JSON.parse(extractFile(asarPath, map.slice(1)).toString('utf8')) as { sourcesContent?: unknown[] };
      expect(json.sourcesContent ?? [], `${map} embeds sources`).toEqual([]);
    }
  });

  it('packages only production dependencies, never dev dependencies', () => {
    const allowed = productionPackages();
    const packaged = new Set(
      files
        .filter((f) => f.startsWith('/node_modules/'))
        .map((f) => {
          const parts = f.split('/').slice(2);
          return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : parts[0]!;
        })
        .filter((name) => name && !name.endsWith('/')),
    );
    const dev = [...packaged].filter((name) => !allowed.has(name));
    expect(dev).toEqual([]);
    for (const devOnly of ['electron', 'react', 'react-dom', '@fluentui/react-components', 'vite', 'vitest', 'typescript', 'zod']) {
      expect(packaged.has(devOnly), `${devOnly} must be bundled or absent, not packaged`).toBe(false);
    }
  });

  it('ships the bundled package.json pointing at the built main', () => {
    const pkg = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as { main: string; productName: string };
    expect(pkg.main).toBe('dist/main/main.cjs');
    expect(pkg.productName).toBe('Mail OAuth Assistant');
  });
});
