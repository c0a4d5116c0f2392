import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageBuild, root, type PackageBuild } from './build';

// Builds the Linux package offline (electronDist = a stub, since the Electron binary cannot be
// downloaded here; test/package/build.ts, shared with the shell tier) and checks that app.asar holds
// the built main, preload and renderer plus the production dependencies, and nothing else, and that
// the fuses electron-builder flipped in the packaged binary are the hardened ones.
let files: string[] = [];
let asarPath = '';
let build: PackageBuild;

beforeAll(() => {
  build = packageBuild();
  asarPath = build.asarPath;
  files = listPackage(asarPath, { isPack: false }).map((f) => f.replace(/\\/g, '/'));
}, 300_000);

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

describe('Electron fuses of the packaged binary (finding 5)', () => {
  // Read back from the packaged executable: the stub carries Electron's fuse wire, electron-builder flips it.
  it('turns off running as Node, NODE_OPTIONS and the inspect arguments; turns on asar integrity, asar-only loading and cookie encryption; no file: privileges', async () => {
    const wire = (await getCurrentFuseWire(build.executable)) as unknown as Record<number, number>;
    // @electron/fuses FuseState: ENABLE is the byte '1', DISABLE the byte '0'.
    const state = (fuse: FuseV1Options) => (wire[fuse] === 0x31 ? 'on' : wire[fuse] === 0x30 ? 'off' : `state ${wire[fuse]}`);
    expect({
      runAsNode: state(FuseV1Options.RunAsNode),
      nodeOptions: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      inspectArguments: state(FuseV1Options.EnableNodeCliInspectArguments),
      embeddedAsarIntegrity: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      onlyLoadAppFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      cookieEncryption: state(FuseV1Options.EnableCookieEncryption),
      fileProtocolExtraPrivileges: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({ runAsNode: 'off', nodeOptions: 'off', inspectArguments: 'off', embeddedAsarIntegrity: 'on', onlyLoadAppFromAsar: 'on', cookieEncryption: 'on', fileProtocolExtraPrivileges: 'off' });
  });
});

