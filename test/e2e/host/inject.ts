// Bundled by the test host and injected before the renderer loads: the same buildApi the preload
// uses, but its transport is Playwright's exposed function that calls the real handler map in Node.
import { API_KEY, buildApi } from '../../../shared/ipc/api';
import type { EventName } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';

declare global {
  interface Window {
    __mailOAuthInvoke(channel: string, request: unknown): Promise<Result<unknown>>;
    __mailOAuthEmit(event: string, payload: unknown): void;
  }
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();
window.__mailOAuthEmit = (event, payload) => {
  for (const listener of listeners.get(event) ?? []) listener(payload);
};

const api = buildApi(
  // Structured clone across the bridge, as contextBridge does: a round trip through JSON.
  (channel, request) => window.__mailOAuthInvoke(channel, request === undefined ? undefined : JSON.parse(JSON.stringify(request))),
  (event: EventName, listener) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  },
);
Object.defineProperty(window, API_KEY, { value: Object.freeze(api), writable: false });
