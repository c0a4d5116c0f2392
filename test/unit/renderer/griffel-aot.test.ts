import { createDOMRenderer, makeStyles, __styles } from '@griffel/core';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { griffelAot } from '../../../renderer/vite.config';

// Issue 23: our makeStyles calls are compiled at build time (renderer/vite.config.ts). The compiled call must
// give the same class names and CSS rules as Griffel's runtime makeStyles, and a style object the build
// cannot evaluate on its own must be left to the runtime.
const source = `import { makeStyles, tokens, typographyStyles, shorthands } from '@fluentui/react-components';
const W = 640;
export const useA = makeStyles({
  title: { ...typographyStyles.title2, margin: 0, outline: 'none' },
  card: { padding: '12px', borderRadius: tokens.borderRadiusMedium, boxShadow: tokens.shadow4, marginLeft: '4px', ...shorthands.gap('8px'),
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover }, '::after': { content: '""', border: \`\${tokens.strokeWidthThin} solid \${tokens.colorTransparentStroke}\` } },
});
export const useB = makeStyles({ thumb: { maxWidth: \`\${W}px\` } });
`;

function transform(code: string, id: string) {
  const warnings: string[] = [];
  const hook = griffelAot().transform as (this: unknown, code: string, id: string) => { code: string } | undefined;
  const out = hook.call({ parse: (c: string) => parseAst(c), warn: (m: string) => warnings.push(m) }, code, id);
  return { out: out?.code, warnings };
}

describe('griffel-aot', () => {
  it('compiles a makeStyles call to __styles with the classes and rules the runtime computes; leaves one reading a local constant', async () => {
    const { out, warnings } = transform(source, '/x/renderer/src/screens/Example.tsx');
    expect(out).toBeDefined();
    expect(out!.match(/__griffelStyles\(/g)).toHaveLength(1);
    expect(out).toContain('makeStyles({ thumb:');
    expect(warnings).toEqual([expect.stringMatching(/stays a runtime call \(its styles read W;/)]);

    // The compiled arguments, against Griffel's runtime makeStyles of the same object (with Fluent's real tokens).
    // JSON.stringify writes no spaces, so "}, {" is only the place between the two arguments.
    const args = out!.match(/__griffelStyles\((\{.*\}), (\{.*\})\);?$/m)!;
    const { tokens, typographyStyles } = await import('@fluentui/react-theme');
    const { shorthands } = await import('@griffel/core');
    const styles = {
      title: { ...typographyStyles.title2, margin: 0, outline: 'none' },
      card: { padding: '12px', borderRadius: tokens.borderRadiusMedium, boxShadow: tokens.shadow4, marginLeft: '4px', ...shorthands.gap('8px'),
        ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover }, '::after': { content: '""', border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}` } },
    };
    const inserted = (sink: string[]) => () => (_r: unknown, rules: Record<string, unknown[]>) => void sink.push(JSON.stringify(rules));
    const runtimeRules: string[] = [];
    const compiledRules: string[] = [];
    for (const dir of ['ltr', 'rtl'] as const) {
      const renderer = createDOMRenderer(undefined);
      const runtime = makeStyles(styles as Parameters<typeof makeStyles>[0], inserted(runtimeRules))({ dir, renderer });
      const compiled = __styles(JSON.parse(args[1]!), JSON.parse(args[2]!), inserted(compiledRules))({ dir, renderer });
      expect(compiled).toEqual(runtime);
      expect(runtime.card).toMatch(/^___\w+ /); // real class names, not empty
    }
    expect(compiledRules).toEqual(runtimeRules);
    expect(runtimeRules[0]).toMatch(/margin-left:4px/);
    expect(runtimeRules[0]).toMatch(/margin-right:4px/); // the RTL flip is in the rules
  });

  it('leaves files outside renderer/src and files without makeStyles alone', () => {
    expect(transform(source, '/x/node_modules/pkg/index.js').out).toBeUndefined();
    expect(transform('export const x = 1;', '/x/renderer/src/a.ts').out).toBeUndefined();
  });
});
