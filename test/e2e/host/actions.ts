import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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

/**
 * Merges counts into test/artifacts/human-actions.json ({ "<system>": n, "<system>/manual": m }).
 * Safe for parallel Playwright workers (issue 23): the read-merge-write holds an exclusive lock file
 * (`open(..., 'wx')`), and the new content is written to a temporary file then renamed over the old one,
 * so a reader never sees half a file and no worker's counts overwrite another's.
 */
export function recordHumanActions(counts: Record<string, number>, file = humanActionsFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  const deadline = Date.now() + 15_000;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        // A lock left by a worker killed mid-write (older than a write could take) is taken over.
        if (Date.now() - statSync(lock).mtimeMs > 10_000) unlinkSync(lock);
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`${lock} stayed locked for 15 s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  try {
    let current: Record<string, number> = {};
    try {
      current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
    } catch {
      current = {};
    }
    const merged = { ...current, ...counts };
    const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]!]));
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
    renameSync(tmp, file);
  } finally {
    closeSync(fd);
    unlinkSync(lock);
  }
}
