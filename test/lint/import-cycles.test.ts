import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Issue 18: no new import cycle. The import graph of electron/, shared/ and renderer/src is read with
// TypeScript's own parser and module resolver (the same resolution the build uses); only imports that
// exist at run time count (`import type` / `export type` are erased). A cycle found is a strongly
// connected component of two or more files; the components that exist today in other helpers' areas
// are listed in KNOWN (to be broken by their owners) and may only shrink. Any other cycle fails.
const root = path.resolve(import.meta.dirname, '../..');
const DIRS = ['electron', 'shared', 'renderer/src'];

const KNOWN: string[][] = [
  // filled from the first run of this test; each entry is one component, sorted
];

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Value imports of a file (type-only imports and exports are erased by the compiler). */
function runtimeSpecifiers(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const c = st.importClause;
      if (c?.isTypeOnly) continue;
      // `import { type A, type B } from` is erased too.
      if (c && !c.name && c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)) continue;
      out.push(st.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      if (st.isTypeOnly) continue;
      if (st.exportClause && ts.isNamedExports(st.exportClause) && st.exportClause.elements.length > 0 && st.exportClause.elements.every((e) => e.isTypeOnly)) continue;
      out.push(st.moduleSpecifier.text);
    }
  }
  return out;
}

export function importGraph(): Map<string, string[]> {
  const options: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true, jsx: ts.JsxEmit.ReactJSX };
  const host = ts.sys;
  const all = DIRS.flatMap((d) => files(path.join(root, d)));
  const inside = new Set(all);
  const graph = new Map<string, string[]>();
  for (const file of all) {
    const edges: string[] = [];
    for (const spec of runtimeSpecifiers(file)) {
      if (!spec.startsWith('.')) continue;
      const resolved = ts.resolveModuleName(spec, file, options, host).resolvedModule?.resolvedFileName;
      if (resolved && inside.has(path.resolve(resolved))) edges.push(path.resolve(resolved));
    }
    graph.set(file, edges);
  }
  return graph;
}

/** Tarjan's strongly connected components of two or more files, as sorted repository paths. */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(path.relative(root, w).split(path.sep).join('/'));
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe('import cycles', () => {
  it('finds a cycle when there is one (the detector itself)', () => {
    const g = new Map([
      ['/a', ['/b']],
      ['/b', ['/c']],
      ['/c', ['/a']],
      ['/d', ['/a']],
    ]);
    expect(cyclesOf(g).map((c) => c.length)).toEqual([3]);
  });

  it('no new cycle in electron/, shared/ and renderer/src (known ones may only shrink)', () => {
    const found = cyclesOf(importGraph());
    const allowed = (comp: string[]) => KNOWN.some((k) => comp.every((f) => k.includes(f)));
    const fresh = found.filter((c) => !allowed(c));
    expect(fresh, `new import cycle(s):\n${fresh.map((c) => c.join(' <-> ')).join('\n')}`).toEqual([]);
  });

  it('the IPC handlers, the app layer and shared/ have no cycle at all', () => {
    const mine = cyclesOf(importGraph()).filter((c) => c.some((f) => f.startsWith('electron/ipc/') || f.startsWith('electron/app/') || f.startsWith('shared/')));
    expect(mine).toEqual([]);
  });
});
