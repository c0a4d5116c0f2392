import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './testHost';

/**
 * Counts what a person does on a journey (issue 10): a click that makes a choice, a field typed, a
 * sign-in are COUNTED; a plain Next / Continue is LISTED but not counted; what only the test does
 * (pointing the connection at the emulator, standing in for the Entra portal) is listed as SETUP.
 */
export type ActionKind = 'counted' | 'plain' | 'setup';

export class HumanActions {
  readonly log: { kind: ActionKind; what: string; n: number }[] = [];
  constructor(readonly journey: string) {}
  /** A decision: a choice clicked, a field typed, a sign-in (the window and what is typed in it count once). `n` > 1: several on one line. */
  act(what: string, n = 1): void {
    this.log.push({ kind: 'counted', what, n });
  }
  plain(what: string): void {
    this.log.push({ kind: 'plain', what, n: 0 });
  }
  setup(what: string): void {
    this.log.push({ kind: 'setup', what, n: 0 });
  }
  get count(): number {
    return this.log.reduce((sum, a) => sum + (a.kind === 'counted' ? a.n : 0), 0);
  }
  report(): string {
    const lines = this.log.map((a, i) => `  ${String(i + 1).padStart(2)}. ${a.kind === 'counted' ? `[counted${a.n > 1 ? ` x${a.n}` : ''}]` : a.kind === 'plain' ? '[plain]  ' : '[setup]  '} ${a.what}`);
    return [`Human actions, ${this.journey}: ${this.count} counted (${this.log.filter((a) => a.kind === 'plain').length} plain steps listed, ${this.log.filter((a) => a.kind === 'setup').length} test-setup steps)`, ...lines].join('\n');
  }
}

export const humanActionsFile = path.join(repoRoot, 'test/artifacts/human-actions.json');

/** Merges counts into test/artifacts/human-actions.json ({ "<system>": n, "<system>/manual": m }). */
export function recordHumanActions(counts: Record<string, number>): void {
  mkdirSync(path.dirname(humanActionsFile), { recursive: true });
  let current: Record<string, number> = {};
  try {
    current = JSON.parse(readFileSync(humanActionsFile, 'utf8')) as Record<string, number>;
  } catch {
    current = {};
  }
  const merged = { ...current, ...counts };
  const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]!]));
  writeFileSync(humanActionsFile, `${JSON.stringify(sorted, null, 2)}\n`);
}
