import type { EngineFacade } from './handlers';
import { AppError } from './dispatch';

/**
 * Builds the engine facade the handlers use from the engine (electron/engine) and the ports.
 * Shared by main.ts (Electron adapters) and the e2e test host (Playwright / emulator adapters).
 * TEMPORARY: the engine is being written (issue 4); until it lands these answer engine-unavailable.
 */
export interface EnginePorts {
  authWindow: { open(authorizeUrl: string, redirectUri: string, options: { signal?: AbortSignal; timeoutMs?: number }): Promise<URL> };
  vault: { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void>; delete(key: string): Promise<void> };
  now: () => Date;
  /** Extra CA certificates (PEM) trusted for every connection, e.g. the emulator's. */
  extraCaPem?: string[];
}

export function createEngineFacade(_ports: EnginePorts): EngineFacade {
  const unavailable = async (): Promise<never> => {
    throw new AppError('engine-unavailable', 'Sign-in and checks are not available in this build yet.');
  };
  return { signIn: unavailable, signOut: async () => {}, runChecks: unavailable, makeExport: unavailable };
}
