import { createCSSRuleFromTheme } from '@fluentui/react-provider';
import { tokens, typographyStyles, webLightTheme } from '@fluentui/react-theme';
import { resolveStyleRulesForSlots, shorthands } from '@griffel/core';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The app's one theme (Fluent's web light theme) as a CSS file, written at build time (issue 23): its
 * ~460 tokens as custom properties on :root, by Fluent's own createCSSRuleFromTheme. Without it the
 * first chunk carried the theme's palettes (@fluentui/tokens, ~50 KB minified) to build the theme object
 * at start-up, and FluentProvider turned that object into the same rule while rendering the first screen.
 * main.tsx imports `virtual:fluent-theme.css` and gives FluentProvider no theme (a FluentProvider without
 * one writes an empty rule; every element, portals included, inherits the variables from :root).
 */
function fluentThemeCss(): Plugin {
  const id = 'virtual:fluent-theme.css';
  return {
    name: 'fluent-theme-css',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load: (resolved) => (resolved === `\0${id}` ? createCSSRuleFromTheme(':root', webLightTheme) : undefined),
  };
}

/** The names a style object may use besides literals (imported from @fluentui/react-components in our code). */
const STYLE_SCOPE: Record<string, unknown> = { tokens, typographyStyles, shorthands };
interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** Calls `fn` on every node under `node`; `fn` returns false to skip a node's children. */
function walk(node: unknown, fn: (n: AstNode, parent?: AstNode) => boolean | void, parent?: AstNode): void {
  if (Array.isArray(node)) return node.forEach((x) => walk(x, fn, parent));
  if (!node || typeof node !== 'object' || typeof (node as AstNode).type !== 'string') return;
  const n = node as AstNode;
  if (fn(n, parent) === false) return;
  for (const [k, v] of Object.entries(n)) if (v && typeof v === 'object' && k !== 'loc' && k !== 'range') walk(v, fn, n);
}

/** The names an expression reads (identifiers other than property keys and `a.b` property names). */
function namesRead(expr: AstNode): Set<string> {
  const names = new Set<string>();
  walk(expr, (n, parent) => {
    if (n.type !== 'Identifier') return;
    const isKey = parent?.type === 'Property' && parent.key === n && !parent.computed;
    const isMember = parent?.type === 'MemberExpression' && parent.property === n && !parent.computed;
    if (!isKey && !isMember) names.add(n.name as string);
  });
  return names;
}

/**
 * Our own makeStyles() calls compiled at build time (issue 23), as Fluent's components already ship theirs:
 * `makeStyles({...})` becomes `__styles(classes, cssRules)`, the two values Griffel's makeStyles computes
 * on first use in the browser (resolveStyleRulesForSlots: stylis parse, RTL flip, hashing), computed here by
 * the same function, so the class names and rules are the same. The first screen then runs none of that,
 * and its chunk no longer carries stylis and rtl-css-js. A style object that reads any name but the imported
 * tokens, typographyStyles and shorthands (a local constant, a global) is left alone: a runtime makeStyles.
 */
export function griffelAot(): Plugin {
  return {
    name: 'griffel-aot',
    transform(code, id) {
      if (!/[\\/]renderer[\\/]src[\\/].*\.tsx?$/.test(id) || !code.includes('makeStyles(')) return undefined;
      const ast = this.parse(code) as unknown as AstNode;
      const imported = new Set<string>();
      const calls: AstNode[] = [];
      walk(ast, (n) => {
        if (n.type === 'ImportDeclaration' && (n.source as { value: string }).value === '@fluentui/react-components')
          for (const spec of n.specifiers as { type: string; imported?: { name: string }; local: { name: string } }[])
            if (spec.type === 'ImportSpecifier' && spec.imported?.name === spec.local.name) imported.add(spec.local.name);
        const callee = n.callee as AstNode | undefined;
        const args = n.arguments as AstNode[] | undefined;
        if (n.type === 'CallExpression' && callee?.type === 'Identifier' && callee.name === 'makeStyles' && args?.length === 1 && args[0]!.type === 'ObjectExpression') calls.push(n);
      });
      if (!imported.has('makeStyles') || !calls.length) return undefined;
      const names = Object.keys(STYLE_SCOPE).filter((k) => imported.has(k));
      let out = code;
      let compiled = 0;
      for (const call of calls.sort((a, b) => b.start - a.start)) {
        const arg = (call.arguments as AstNode[])[0]!;
        const others = [...namesRead(arg)].filter((k) => !names.includes(k));
        if (others.length) {
          this.warn(`${path.relative(root, id)}: a makeStyles call stays a runtime call (its styles read ${others.join(', ')}; only literals, tokens, typographyStyles and shorthands are compiled)`);
          continue;
        }
        const styles = new Function(...names, `return (${code.slice(arg.start, arg.end)});`)(...names.map((k) => STYLE_SCOPE[k])) as Parameters<typeof resolveStyleRulesForSlots>[0];
        const [classes, cssRules] = resolveStyleRulesForSlots(styles, '');
        out = `${out.slice(0, call.start)}__griffelStyles(${JSON.stringify(classes)}, ${JSON.stringify(cssRules)})${out.slice(call.end)}`;
        compiled++;
      }
      if (!compiled) return undefined;
      return { code: `import { __styles as __griffelStyles } from '@fluentui/react-components';\n${out}`, map: null };
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), fluentThemeCss(), griffelAot()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // The first screen in few files (issue 23): without groups the modules Start needs were spread over 11
        // shared chunks (11 requests before anything runs). Now: React with React DOM (changes only with
        // React), react-root (see react-root.ts), and everything else the entry imports statically in the
        // entry chunk. `includeDependenciesRecursively: false` and the tabster exclusion keep out what only
        // later screens use (tabster's modalizer, mover and restorer are reachable through tabster's index
        // but only dialogs and lists use them), so the first screen's modules are the same as before.
        codeSplitting: {
          groups: [
            { name: 'react-root', test: /renderer[\\/]src[\\/]react-root\.ts$/, priority: 3, includeDependenciesRecursively: false },
            { name: 'react-dom', test: /node_modules[\\/](react-dom|scheduler)[\\/]/, priority: 2 },
            {
              name: 'first',
              tags: ['$initial'],
              test: (id: string) => !/tabster[\\/]dist[\\/]esm[\\/](get[\\/]get)?(Modalizer|Mover|Restorer)\.js$/i.test(id),
              priority: 1,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
});
