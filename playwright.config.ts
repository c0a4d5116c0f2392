import { defineConfig } from '@playwright/test';

// Browser tiers. "e2e": the built renderer in Debian's Chromium, with the contract's API injected by a
// test host that runs the same handler map main registers. "electron": the real app through
// Playwright's _electron, only where the Electron binary exists (never downloaded in tests).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test',
  outputDir: 'test/artifacts/playwright',
  globalSetup: './test/e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // Three spec files at once (issue 23): each worker keeps one emulator and one renderer server on dynamic
  // ports (test/e2e/host/fixtures.ts; the emulator is reset to the spec's scenario before each spec file),
  // the human-actions file takes parallel writers (host/actions.ts) and screenshot names are distinct per
  // spec. Most e2e time is waiting (browser, emulator, child processes), so a third worker pays on 2 CPUs:
  // measured on the shared 2-CPU machine (load average 17-23), 73 tests: 3 workers 525 s and 452 s, 2
  // workers 604 s and 677 s. PW_WORKERS overrides (1 to debug).
  workers: Number(process.env.PW_WORKERS ?? 3),
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test/artifacts/playwright-results.json' }]],
  use: {
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
    viewport: { width: 1120, height: 780 },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'e2e', testDir: 'test/e2e', testMatch: /.*\.spec\.ts$/ },
    { name: 'electron', testDir: 'test/electron', testMatch: /.*\.spec\.ts$/ },
  ],
});
