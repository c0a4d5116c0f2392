/*
 * One Chromium for the whole vitest run (globalSetup of the integration project, vitest.config.ts):
 * every file that signs in through the emulator's pages connects to it instead of launching its own
 * (a launch and close cost about 2 s of CPU on this 2-CPU machine, ~25 files did it). Each sign-in
 * still gets a fresh browser context, as before, so no cookie or session crosses tests or files.
 */
import { chromium, type BrowserServer, type LaunchOptions } from '@playwright/test';
import type { TestProject } from 'vitest/node';

export const CHROMIUM: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Playwright's endpoint of the shared Chromium ('' when none was started). */
    chromiumWsEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: BrowserServer | undefined;
  try {
    server = await chromium.launchServer(CHROMIUM);
  } catch {
    server = undefined; // no Chromium here: each file launches (and reports) its own failure
  }
  project.provide('chromiumWsEndpoint', server?.wsEndpoint() ?? '');
  return async () => {
    await server?.close();
  };
}
