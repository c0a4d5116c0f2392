import Conf from 'conf';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfileStore, STORE_SCHEMA_VERSION, storeMigrations } from '../../../../electron/adapters/profile-store';

// conf is the engine under electron-store: same file format, same migrations, runs in plain Node.
function confFactory(cwd: string) {
  return () =>
    new Conf<Record<string, unknown>>({
      cwd,
      configName: 'profiles',
      projectVersion: STORE_SCHEMA_VERSION,
      migrations: storeMigrations,
      clearInvalidConfig: false,
    });
}

const record = (id: string, name: string) => ({
  id,
  profile: { name, target: 'odoo', mailbox: 'reception@fabrikam.com', targetInputs: { baseUrl: 'https://erp.fabrikam.com' } },
  wizard: { step: 'register' as const, ticks: ['register-app'] },
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('profile store', () => {
  it('saves, lists newest first, reads back and deletes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moa-store-'));
    let t = 0;
    const { store, notice } = openProfileStore(path.join(dir, 'profiles.json'), confFactory(dir), () => new Date(Date.UTC(2026, 0, 1, 0, 0, t++)));
    expect(notice).toBeUndefined();
    store.save(record('fabrikam-odoo', 'Fabrikam Odoo'));
    store.save(record('contoso-frappe', 'Contoso Frappe'));
    expect(store.list().map((p) => p.id)).toEqual(['contoso-frappe', 'fabrikam-odoo']);
    expect(store.get('fabrikam-odoo')?.wizard.ticks).toEqual(['register-app']);
    // A second store on the same file sees the same data (it is really on disk).
    const again = openProfileStore(path.join(dir, 'profiles.json'), confFactory(dir)).store;
    expect(again.get('contoso-frappe')?.profile.name).toBe('Contoso Frappe');
    expect(store.delete('fabrikam-odoo')).toBe(true);
    expect(store.delete('fabrikam-odoo')).toBe(false);
    expect(store.list()).toHaveLength(1);
  });

  it('backs up a corrupted file, starts clean and says so', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moa-store-'));
    const file = path.join(dir, 'profiles.json');
    writeFileSync(file, '{"profiles": {"half-writ');
    const { store, notice } = openProfileStore(file, confFactory(dir));
    expect(notice).toMatch(/could not be read.*kept as/);
    expect(store.list()).toEqual([]);
    const backups = readdirSync(dir).filter((f) => f.startsWith('profiles.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(dir, backups[0]!), 'utf8')).toBe('{"profiles": {"half-writ');
    store.save(record('after-crash', 'After'));
    expect(existsSync(file)).toBe(true);
  });

  it('skips records that no longer match the schema instead of failing the whole list', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moa-store-'));
    const file = path.join(dir, 'profiles.json');
    writeFileSync(file, JSON.stringify({ __internal__: { migrations: { version: STORE_SCHEMA_VERSION } }, profiles: { bad: { id: 'NOT VALID' }, good: { ...record('good-one', 'Good'), id: 'good-one' } } }));
    const { store } = openProfileStore(file, confFactory(dir));
    expect(store.list().map((p) => p.id)).toEqual(['good-one']);
  });
});
