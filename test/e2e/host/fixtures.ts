import { test as base, type TestInfo } from '@playwright/test';
import { startEmulator, type Emulator, type Scenario, type ScenarioInput } from '../../emulator/index';
import { serveRenderer } from './testHost';

export { expect } from '@playwright/test';

/** The built renderer served on 127.0.0.1 (stateless: one per worker serves every spec). */
export interface RendererServer {
  url: string;
}

/** What a spec's helpers take from its test: the worker's emulator and renderer server. */
export interface Hosts {
  emu: Emulator;
  server: RendererServer;
}

interface WorkerFixtures {
  renderer: RendererServer;
  workerEmulator: Emulator;
}

interface TestFixtures {
  /** The scenario a spec's emulator starts from (`test.use({ scenario })`); the demo scenario when unset. */
  scenario: Scenario | ScenarioInput | undefined;
  /** The worker's emulator, reset to `scenario` before the first test of each spec file that uses it. */
  emu: Emulator;
  /** The worker's renderer server. */
  server: RendererServer;
}

/** The spec file whose state the worker's emulator holds (module state: one per worker process). */
let emulatorFile: string | undefined;

/**
 * The worker's emulator for the running spec file: reset to `scenario` when the file is not the one it
 * last served. The `emu` fixture uses it; a spec's beforeAll that starts stand-ins on the emulator
 * (push-journeys) calls it with its worker's `workerEmulator`.
 */
export async function emulatorForSpec(emu: Emulator, testInfo: Pick<TestInfo, 'file'>, scenario?: Scenario | ScenarioInput): Promise<Emulator> {
  if (emulatorFile !== testInfo.file) {
    await emu.reset(scenario);
    emulatorFile = testInfo.file;
  }
  return emu;
}

/**
 * Issue 23: one emulator (HTTPS, Dovecot, SMTP, POP3) and one renderer server per Playwright worker
 * instead of one of each per spec file. Every spec file still meets an emulator as a fresh one would be:
 * `emu.reset()` (test/emulator/index.ts, checked by test/emulator/reset.test.ts) restores the scenario,
 * faults, mailboxes, tokens, sessions and the clock before the file's first test. The tests of one file
 * run in order in one worker (fullyParallel: false) and share its state, as they did with their own
 * emulator. Both are started on first use, so a worker that only runs screen-only specs starts neither.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  renderer: [
    async ({}, use) => {
      const server = await serveRenderer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  workerEmulator: [
    async ({}, use) => {
      const emu = await startEmulator();
      await use(emu);
      await emu.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  scenario: [undefined, { option: true }],
  emu: async ({ workerEmulator, scenario }, use, testInfo) => {
    await use(await emulatorForSpec(workerEmulator, testInfo, scenario));
  },
  server: async ({ renderer }, use) => {
    await use(renderer);
  },
});
