import { existsSync, renameSync } from 'node:fs';
import { SavedProfileSchema, type SavedProfile } from '../../shared/saved-profile';

/**
 * The app's ProfileStore: non-secret profiles and wizard progress, in electron-store (conf) with a
 * versioned layout and migrations. A store file that cannot be read is backed up beside itself and
 * the app starts with an empty store and a notice; nothing else is lost.
 */
export interface KeyValueStore {
  readonly path: string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export interface ProfileStore {
  list(): SavedProfile[];
  get(id: string): SavedProfile | undefined;
  save(record: SavedProfile): SavedProfile;
  delete(id: string): boolean;
}

/** The app version that introduced the current layout; electron-store runs migrations by app version. */
export const STORE_SCHEMA_VERSION = '0.1.0';

/** electron-store / conf migrations, keyed by the version they migrate to. */
export const storeMigrations: Record<string, (store: { get(k: string): unknown; set(k: string, v: unknown): void }) => void> = {
  '0.1.0': (store) => {
    if (store.get('profiles') === undefined) store.set('profiles', {});
  },
};

export function openProfileStore(
  filePath: string,
  factory: () => KeyValueStore,
  now: () => Date = () => new Date(),
): { store: ProfileStore; notice?: string } {
  let kv: KeyValueStore;
  let notice: string | undefined;
  try {
    kv = factory();
  } catch {
    const backup = `${filePath}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
    if (existsSync(filePath)) renameSync(filePath, backup);
    kv = factory();
    notice = `Your saved connections could not be read, so the app started with an empty list. The old file was kept as ${backup}.`;
  }

  const read = (): Record<string, SavedProfile> => {
    const raw = kv.get('profiles');
    const out: Record<string, SavedProfile> = {};
    if (raw && typeof raw === 'object') {
      for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
        const parsed = SavedProfileSchema.safeParse(value);
        if (parsed.success) out[id] = parsed.data;
      }
    }
    return out;
  };

  const store: ProfileStore = {
    list: () => Object.values(read()).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    get: (id) => read()[id],
    save: (record) => {
      const saved = SavedProfileSchema.parse({ ...record, updatedAt: now().toISOString() });
      kv.set('profiles', { ...read(), [saved.id]: saved });
      return saved;
    },
    delete: (id) => {
      const all = read();
      if (!(id in all)) return false;
      delete all[id];
      kv.set('profiles', all);
      return true;
    },
  };
  return notice ? { store, notice } : { store };
}
