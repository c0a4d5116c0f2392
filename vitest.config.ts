import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// One runner for the Node-side tiers: unit (mirrors the source tree), integration (engine against the
// emulator's real servers on 127.0.0.1) and the emulator's own tests. Browser tiers run under Playwright.

/**
 * Files share one module graph per worker (isolate: false): a fresh process and a fresh import of
 * shared/, electron/, zod, msal-node, imapflow, Playwright and the emulator for each file cost more than
 * most files' tests (issue 23, measured on the loaded 2-CPU machine: the unit tier 89 s of CPU isolated,
 * 48 s shared; 19 keepalive/push/inventory integration files 189-206 s wall isolated, 98 s shared, the
 * same 116 tests passing). Each integration file starts its own emulator (a fresh scenario, parsed and
 * cloned per start), and closes its browsers and servers in afterAll.
 * These stay isolated because they change process-wide state a later file would inherit: a vi.mock of
 * a module others import, fake timers, listeners on `process`, or the main bundle loaded with its
 * electron stand-in.
 */
const UNIT = ['test/unit/**/*.test.ts', 'test/lint/**/*.test.ts', 'test/shell/**/*.test.ts', 'test/package/**/*.test.ts'];
const NEEDS_ISOLATION = [
  'test/unit/electron/adapters/auth-window-certificates.test.ts', // vi.mock('electron')
  'test/unit/electron/engine/abort-listeners.test.ts', // counts process 'warning' events
  'test/unit/electron/ipc/secrets-stay-in-main.test.ts', // fake timers
  'test/shell/main-bundle.test.ts', // loads dist/main with a stand-in electron
  'test/integration/ipc/resolve-once.test.ts', // vi.mock of shared/endpoints and engine/net
  'test/integration/ipc/secret-copy.test.ts', // fake timers
];
const INTEGRATION = ['test/integration/**/*.test.ts', 'test/emulator/**/*.test.ts'];

/**
 * Longest files first so both workers stay busy to the end: a 40-60 s file that starts last leaves the
 * other worker idle for its length (the 385 s run: targets/emailengine started at 349 s). Measured
 * durations from vitest's own cache win when there is one (a rerun); a fresh clone has none, so these
 * known long files (issue 23 measurements) go first, then the rest by size (vitest's default), then the
 * few isolated files, and the unit project last, where its many short files fill the tail.
 */
const LONG_FIRST = [
  // Measured in the 541 s fresh-clone run (shared integration modules, CLI cases in-process).
  'test/integration/engine/delegated.test.ts',
  'test/integration/relay/relay.test.ts',
  'test/integration/relay/imap.test.ts',
  'test/integration/registration/cli.test.ts',
  'test/integration/registration/register.test.ts',
  'test/emulator/entra.test.ts',
  'test/integration/registration/faults.test.ts',
  'test/integration/registration/lint.test.ts',
  'test/integration/relay/pop.test.ts',
  'test/integration/targets/emailengine.test.ts',
  'test/integration/targets/frappe.test.ts',
  'test/integration/targets/odoo.test.ts',
  'test/integration/cli/cli.test.ts',
  'test/integration/targets/flexdeploy.test.ts',
  'test/integration/inventory/cli.test.ts',
  'test/integration/targets/flectra.test.ts',
];

class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const cached = (s: TestSpecification) => this.ctx.cache.getFileTestResults(`${s.project.name}:${relative(this.ctx.config.root, s.moduleId)}`);
    if (sorted.some(cached)) return sorted; // a rerun: vitest orders by the durations it measured
    const rank = (s: TestSpecification) => {
      const i = LONG_FIRST.indexOf(relative(this.ctx.config.root, s.moduleId).split('\\').join('/'));
      return i === -1 ? LONG_FIRST.length : i;
    };
    const projectOrder = (s: TestSpecification) => ['integration', 'isolated', 'unit'].indexOf(s.project.name);
    // Array.prototype.sort is stable: files outside the list keep vitest's order (larger first).
    return sorted.sort((a, b) => projectOrder(a) - projectOrder(b) || rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // At least two files at once: most of the time is spent waiting on the emulator's servers and
    // Chromium, not on a CPU (on a 2-CPU machine the default of one worker took 640 s, two take 380 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongFirstSequencer },
    reporters: ['default', 'json'],
    outputFile: { json: 'test/artifacts/vitest-results.json' },
    projects: [
      {
        extends: true,
        test: { name: 'isolated', include: NEEDS_ISOLATION },
      },
      {
        extends: true,
        test: { name: 'integration', include: INTEGRATION, exclude: [...configDefaults.exclude, ...NEEDS_ISOLATION], isolate: false },
      },
      {
        extends: true,
        test: { name: 'unit', include: UNIT, exclude: [...configDefaults.exclude, ...NEEDS_ISOLATION], isolate: false },
      },
    ],
  },
});
