import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One runner for the Node-side tiers: unit (mirrors the source tree), integration (engine against the
// emulator's real servers on 127.0.0.1) and the emulator's own tests. Browser tiers run under Playwright.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/emulator/**/*.test.ts', 'test/package/**/*.test.ts', 'test/shell/**/*.test.ts', 'test/lint/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // At least two files at once: most of the time is spent waiting on the emulator's servers and
    // Chromium, not on a CPU (on a 2-CPU machine the default of one worker took 640 s, two take 380 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', 'json'],
    outputFile: { json: 'test/artifacts/vitest-results.json' },
  },
});
