import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Linux package, built once per change of its inputs and shared by the package and shell tiers
 * (so CI builds it once): `electron-builder --linux dir` offline, with a stub in place of the
 * Electron binary (it cannot be downloaded here). The stub carries Electron's fuse wire (the sentinel
 * and eight fuse bytes in the layout @electron/fuses reads and writes, set to Electron 45's defaults),
 * so electron-builder's `electronFuses` really flips fuses in it and the tests can read them back.
 */
export const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'test/artifacts/package-build');
const lockDir = `${outDir}.lock`;

/** Electron's fuse sentinel (@electron/fuses constants), then wire version 1, length 8, the fuse states. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron 45's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on, asar integrity off, only-asar off, V8 snapshot off, file: privileges on. */
export const ELECTRON_DEFAULT_FUSES = '10110001';
const stubBinary = () => Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n# fuse wire: '), Buffer.from(FUSE_SENTINEL), Buffer.from([1, 8]), Buffer.from(ELECTRON_DEFAULT_FUSES), Buffer.from('\n')]);

export interface PackageBuild {
  unpacked: string;
  asarPath: string;
  /** The packaged executable (the stub, with the fuses electron-builder flipped). */
  executable: string;
}

function inputsHash(): string {
  const h = createHash('sha256');
  for (const file of ['dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html', 'electron-builder.yml', 'package.json', 'package-lock.json']) {
    h.update(file).update(readFileSync(path.join(root, file)));
  }
  h.update(stubBinary());
  return h.digest('hex');
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function withLock<T>(fn: () => T): T {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // Another test file is building: wait for it (a lock older than 5 minutes is left over from a crash).
      if (existsSync(lockDir) && Date.now() - statSync(lockDir).mtimeMs > 300_000) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for the package build of another test file');
      sleep(500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

export function packageBuild(): PackageBuild {
  if (!existsSync(path.join(root, 'dist/main/main.cjs')) || !existsSync(path.join(root, 'dist/renderer/index.html'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  }
  mkdirSync(path.dirname(outDir), { recursive: true });
  return withLock(() => {
    const hash = inputsHash();
    const stampFile = path.join(outDir, 'inputs.sha256');
    const unpacked = path.join(outDir, 'release/linux-unpacked');
    const result: PackageBuild = { unpacked, asarPath: path.join(unpacked, 'resources/app.asar'), executable: path.join(unpacked, 'mail-oauth-assistant') };
    if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash && existsSync(result.asarPath)) return result;
    rmSync(outDir, { recursive: true, force: true });
    const stub = path.join(outDir, 'electron-stub');
    mkdirSync(stub, { recursive: true });
    writeFileSync(path.join(stub, 'electron'), stubBinary());
    chmodSync(path.join(stub, 'electron'), 0o755);
    execFileSync(
      path.join(root, 'node_modules/.bin/electron-builder'),
      ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${stub}`, `-c.directories.output=${path.join(outDir, 'release')}`],
      { cwd: root, stdio: 'pipe', env: { ...process.env, CI: 'true' } },
    );
    if (!existsSync(result.executable)) throw new Error(`electron-builder wrote no executable at ${result.executable}`);
    writeFileSync(stampFile, hash);
    return result;
  });
}
