import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * Issue 23: Playwright runs with two workers, and each journey merges its counts into
 * test/artifacts/human-actions.json. Several processes writing at once must lose no one's counts.
 */
const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const actions = path.resolve(here, '../../e2e/host/actions.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'human-actions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WRITERS = 4;
const EACH = 25;

describe('recordHumanActions with parallel writers', () => {
  it(`${WRITERS} processes x ${EACH} merges into one file: every key kept, the file always whole JSON, no lock left`, async () => {
    const file = path.join(dir, 'human-actions.json');
    const script = (w: number) =>
      `const { recordHumanActions } = await import(${JSON.stringify(actions)}); for (let i = 0; i < ${EACH}; i++) recordHumanActions({ ['w${w}-' + i]: i }, ${JSON.stringify(file)});`;
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(w)], { timeout: 60_000 })));
    const merged = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
    expect(Object.keys(merged)).toHaveLength(WRITERS * EACH);
    for (let w = 0; w < WRITERS; w++) for (let i = 0; i < EACH; i++) expect(merged[`w${w}-${i}`]).toBe(i);
    expect(existsSync(`${file}.lock`)).toBe(false);
  }, 90_000);
});
