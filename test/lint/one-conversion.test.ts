import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Issue 18, "resolve once": a saved connection (shared/saved-profile) becomes an engine profile in ONE
// place, electron/app/resolve-connection.ts. A conversion needs the profile schema (ProfileSchema) or the
// catalogue's flow/API decision (resolveTarget); a module that knows the saved record and imports either
// is a second conversion. eslint.config.js refuses those imports in electron/ipc, electron/app, the
// adapters and main.ts as you type; this test reads every file of electron/ with TypeScript's parser, so a
// conversion anywhere else in electron/ (the engine, the CLI) fails too.
const root = path.resolve(import.meta.dirname, '../..');
const CONVERTERS: Record<string, string> = { ProfileSchema: 'shared/profile', resolveTarget: 'shared/catalogue' };
/** Files that parse a profile without a saved record (profile files, the CLI, exports): they may only shrink. */
const PROFILE_FILE_READERS = ['electron/app/resolve-connection.ts', 'electron/cli/commands/init.ts', 'electron/cli/main.ts', 'electron/engine/export/index.ts', 'electron/engine/profileFile.ts'];

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** What a source imports: the runtime names per module (type-only names left out), and every module named at all. */
export function importsOf(source: string, file = 'x.ts'): { values: Array<{ name: string; from: string }>; modules: string[] } {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const values: Array<{ name: string; from: string }> = [];
  const modules: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const from = st.moduleSpecifier.text;
    modules.push(from);
    const c = st.importClause;
    if (!c || c.isTypeOnly || !c.namedBindings || !ts.isNamedImports(c.namedBindings)) continue;
    for (const e of c.namedBindings.elements) if (!e.isTypeOnly) values.push({ name: (e.propertyName ?? e.name).text, from });
  }
  return { values, modules };
}

/** Whether a source converts: it imports ProfileSchema from shared/profile or resolveTarget from shared/catalogue. */
export function converts(source: string): boolean {
  return importsOf(source).values.some((v) => CONVERTERS[v.name] !== undefined && new RegExp(`(^|/)${CONVERTERS[v.name]}$`).test(v.from));
}

const knowsSavedRecord = (source: string) => importsOf(source).modules.some((m) => /(^|\/)shared\/saved-profile$/.test(m));

describe('one conversion of a saved connection', () => {
  it('the detector finds a conversion (and ignores type-only imports)', () => {
    expect(converts("import { ProfileSchema, type Profile } from '../../shared/profile';")).toBe(true);
    expect(converts("import { findTarget, resolveTarget } from '../../shared/catalogue';")).toBe(true);
    expect(converts("import { type ProfileSchema } from '../../shared/profile';")).toBe(false);
    expect(converts("import type { Profile } from '../../shared/profile';")).toBe(false);
    expect(converts("import { findTarget } from '../../shared/catalogue';")).toBe(false);
  });

  it('only electron/app/resolve-connection.ts turns a saved record into an engine profile', () => {
    const found = files(path.join(root, 'electron'))
      .map((f) => ({ rel: path.relative(root, f).split(path.sep).join('/'), text: readFileSync(f, 'utf8') }))
      .filter((f) => knowsSavedRecord(f.text) && converts(f.text))
      .map((f) => f.rel);
    expect(found).toEqual(['electron/app/resolve-connection.ts']);
  });

  it('no other electron/ file parses profiles beyond the profile-file readers (the list may only shrink)', () => {
    const found = files(path.join(root, 'electron'))
      .map((f) => ({ rel: path.relative(root, f).split(path.sep).join('/'), text: readFileSync(f, 'utf8') }))
      .filter((f) => converts(f.text))
      .map((f) => f.rel)
      .sort();
    expect(found.filter((f) => !PROFILE_FILE_READERS.includes(f))).toEqual([]);
  });
});
