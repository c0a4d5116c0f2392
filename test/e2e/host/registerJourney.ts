import type { Browser, Page } from '@playwright/test';
import { createHandlers } from '../../../electron/ipc/handlers';
import type { HandlerMap } from '../../../electron/ipc/dispatch';
import type { Emulator } from '../../emulator/index';
import { createTestDeps, type TestDeps } from './appDeps';
import type { ConfirmQuestion } from '../../../electron/app/confirmations';
import { e2eAuthWindow, type E2eAuthWindow } from './authWindow';
import type { E2eSystemBrowser } from './systemBrowser';
import { DEMO, useEmulatorServers } from './journey';
import { openApp, type HostedApp } from './testHost';
import { collectErrors, expectScreen, next } from './wizard';

export interface RegisterHost {
  deps: TestDeps;
  auth: E2eAuthWindow;
  app: HostedApp;
  handlers: HandlerMap;
  errors: string[];
  /** Every IPC answer and event the renderer received, as JSON (scanned for secrets). */
  seen: string[];
}

/** The test host for the registration journeys: the real handlers, events connected to the page, every answer recorded. */
export async function hostRegistration(
  page: Page,
  browser: Browser,
  emu: Emulator,
  baseUrl: string,
  options: { confirm?: boolean | ((question: ConfirmQuestion) => boolean); systemBrowser?: E2eSystemBrowser } = {},
): Promise<RegisterHost> {
  const auth = e2eAuthWindow(browser);
  const deps = createTestDeps({ authWindow: auth.port, extraCaPem: [emu.caPem], clock: emu.clock, ...(options.confirm !== undefined ? { confirm: options.confirm } : {}), ...(options.systemBrowser ? { systemBrowser: options.systemBrowser.port } : {}) });
  const errors = collectErrors(page);
  const seen: string[] = [];
  const handlers = createHandlers(deps);
  const recorded = Object.fromEntries(
    Object.entries(handlers).map(([channel, handler]) => [
      channel,
      async (request: unknown) => {
        const value = await (handler as (r: unknown) => unknown)(request);
        seen.push(JSON.stringify(value ?? null));
        return value;
      },
    ]),
  ) as unknown as HandlerMap;
  const app = await openApp(page, baseUrl, recorded);
  deps.connectEmit((event, payload) => {
    seen.push(JSON.stringify(payload));
    void app.emit(event, payload).catch(() => {});
  });
  return { deps, auth, app, handlers: recorded, errors, seen };
}

/** Screens 1-3 for a target, pointed at the emulator, ending on screen 4. */
export async function toRegister(page: Page, emu: Emulator, target: string, inputs: Record<string, string>, mailbox: string = DEMO.reception.upn): Promise<void> {
  await page.getByRole('button', { name: /^(Get started|New connection)$/ }).click();
  await expectScreen(page, 'system');
  await page.locator(`[data-target="${target}"]`).click();
  await next(page);
  await expectScreen(page, 'details');
  for (const [id, value] of Object.entries(inputs)) await page.locator(`[data-input="${id}"]`).fill(value);
  await page.getByLabel('The mailbox it sends and reads as').fill(mailbox);
  await useEmulatorServers(page, emu);
  await next(page);
  await expectScreen(page, 'register');
}
