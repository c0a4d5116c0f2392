import type { KeyValueStore } from './profile-store';

/**
 * App-wide settings kept beside the profiles (electron-store in the app, conf in the test host):
 * whether hosts other than Microsoft's are allowed, and the extra CA certificates configured in the
 * app. Neither is a secret; both decide where secrets may go, so only main writes them, after a
 * native confirmation (handlers.ts).
 */
export interface AppSettings {
  customEndpoints: boolean;
  caCerts: string[];
  /** The application administrators sign in to (REGISTRATION-FACTS.md 1); absent = Microsoft Graph Command Line Tools. */
  adminClientId?: string;
}

export interface SettingsStore {
  get(): AppSettings;
  set(patch: Partial<AppSettings>): AppSettings;
}

export const DEFAULT_SETTINGS: AppSettings = { customEndpoints: false, caCerts: [] };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createSettingsStore(kv: Pick<KeyValueStore, 'get' | 'set'>): SettingsStore {
  const get = (): AppSettings => {
    const raw = kv.get('settings') as Partial<AppSettings> | undefined;
    return {
      customEndpoints: raw?.customEndpoints === true,
      caCerts: Array.isArray(raw?.caCerts) ? raw.caCerts.filter((c): c is string => typeof c === 'string') : [],
      ...(typeof raw?.adminClientId === 'string' && GUID.test(raw.adminClientId) ? { adminClientId: raw.adminClientId } : {}),
    };
  };
  return {
    get,
    set(patch) {
      const next = { ...get(), ...patch };
      if (!next.adminClientId) delete next.adminClientId;
      kv.set('settings', next);
      return next;
    },
  };
}

/** Settings held in memory (tests, and a store that cannot be opened). */
export function memorySettings(initial: Partial<AppSettings> = {}): SettingsStore {
  const map = new Map<string, unknown>([['settings', { ...DEFAULT_SETTINGS, ...initial }]]);
  return createSettingsStore({ get: (k) => map.get(k), set: (k, v) => void map.set(k, v) });
}
