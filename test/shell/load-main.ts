import { extractAll } from '@electron/asar';
import Module, { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeElectron } from './fake-electron';

/**
 * Extracts the packaged app.asar and loads its main bundle in this (plain Node) process, with
 * `require('electron')` answered by the stand-in. Runtime dependencies resolve from the package's own
 * node_modules, as they would in the app.
 */
const require = createRequire(import.meta.url);
type Resolver = (request: string, parent: unknown, ...rest: unknown[]) => string;
const M = Module as unknown as { _resolveFilename: Resolver };

export function extractPackage(asarPath: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'moa-shell-app-'));
  extractAll(asarPath, dir);
  return dir;
}

let hooked = false;
const STAND_IN = path.join(tmpdir(), '__mail_oauth_electron_stand_in__.js');

export function loadMainBundle(appDir: string, fake: FakeElectron): void {
  if (!hooked) {
    const original = M._resolveFilename;
    M._resolveFilename = function (request, parent, ...rest) {
      if (request === 'electron') return STAND_IN;
      return original.call(this, request, parent, ...rest);
    };
    hooked = true;
  }
  const standIn = new Module(STAND_IN);
  standIn.filename = STAND_IN;
  standIn.loaded = true;
  standIn.exports = fake.module;
  require.cache[STAND_IN] = standIn;
  const main = path.join(appDir, 'dist/main/main.cjs');
  delete require.cache[main];
  require(main);
}
