import type { ResolvedEndpoints } from '../../shared/endpoints';
import type { Profile } from '../../shared/profile';

/**
 * The seams between the engine and its hosts (ARCHITECTURE.md). Electron plugs in a BrowserWindow,
 * safeStorage and electron-store; the CLI plugs in Node adapters; tests plug in fakes and the emulator.
 */

/** Opens an authorize URL and resolves with the first navigation to the redirect URI, never loaded. */
export interface AuthWindow {
  /** `title`/`header`: which account should sign in now (the administrator, not the mailbox), shown on the window. */
  open(authorizeUrl: string, redirectUri: string, opts: { signal?: AbortSignal; timeoutMs: number; title?: string; header?: string }): Promise<URL>;
}

/**
 * The person's own browser (Electron: shell.openExternal). A sign-in there carries the browser's
 * Microsoft session (pick the account instead of typing it and the password) and the device's identity
 * for Conditional Access; the redirect comes back to a loopback listener (engine/loopback.ts, RFC 8252).
 */
export interface SystemBrowser {
  open(url: string): Promise<void>;
}

/** Secrets and token caches, encrypted at rest by the host. Keys are engine-chosen strings. */
export interface SecretVault {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** False when the host refuses to persist (CLI without a keychain): values live for the process only. */
  readonly persistent: boolean;
}

/** Non-secret settings and profiles. */
export interface ProfileStore {
  list(): Promise<Profile[]>;
  get(name: string): Promise<Profile | undefined>;
  save(profile: Profile): Promise<void>;
  delete(name: string): Promise<void>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      // The listener goes with the timer: a long operation sleeping many times on one signal adds none.
      const onAbort = () => (clearTimeout(t), reject(signal!.reason));
      const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Everything an engine operation may need from its host. */
export interface EngineDeps {
  vault: SecretVault;
  /** The client secret Value, resolved by the host from the profile's SecretRef. Never logged. */
  clientSecret?: string;
  /** Certificate credential (client assertion) instead of a secret: private key PEM from the vault. Never logged. */
  clientCertificate?: { thumbprintSha256: string; privateKey: string; x5c?: string };
  authWindow?: AuthWindow;
  clock?: Clock;
  /** Device code sign-in: where to show "open … and enter code …" (CLI: stderr). */
  onDeviceCode?: (message: string) => void;
  /**
   * Endpoints, extra CAs and proxy, resolved once by the host for this operation
   * (electron/app/resolve-connection.ts); absent, the engine resolves them from the profile, once per call.
   */
  net?: ResolvedNet;
}

/** Where a connection goes and how (issue 18: resolved once per operation, then passed down). */
export interface ResolvedNet {
  endpoints: ResolvedEndpoints;
  /** Extra CA certificates (PEM texts) trusted on top of the system's. */
  ca?: string[];
  /** http(s)://host:port proxy for HTTPS traffic. */
  proxy?: string;
}

/** A vault that keeps values in memory only: used by the CLI (which refuses to persist) and tests. */
export class MemoryVault implements SecretVault {
  readonly persistent = false;
  private readonly map = new Map<string, string>();
  async get(key: string) {
    return this.map.get(key);
  }
  async set(key: string, value: string) {
    this.map.set(key, value);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
}
