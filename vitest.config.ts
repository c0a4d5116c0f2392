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
    reporters: ['default', 'json'],
    outputFile: { json: 'test/artifacts/vitest-results.json' },
  },
});
