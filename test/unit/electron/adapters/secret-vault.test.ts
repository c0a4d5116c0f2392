import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretVault, type Encryptor } from '../../../../electron/adapters/secret-vault';

// A reversible stand-in for safeStorage (XOR with a key): enough to prove that only ciphertext is written.
const fakeOsEncryptor = (available: boolean): Encryptor => ({
  isAvailable: () => available,
  encrypt: (plain) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ 0x5a)),
  decrypt: (cipher) => Buffer.from([...cipher].map((b) => b ^ 0x5a)).toString('utf8'),
});

const SECRET = 'Abc8Q~Zz9.secret-value_that-is-long';

describe('secret vault', () => {
  it('keeps secrets encrypted at rest when the OS can encrypt', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moa-vault-'));
    const file = path.join(dir, 'secrets.json');
    const vault = createSecretVault(file, fakeOsEncryptor(true));
    expect(vault.persistent).toBe(true);
    await vault.set('profile:fabrikam:clientSecret', SECRET);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    const reopened = createSecretVault(file, fakeOsEncryptor(true));
    await expect(reopened.get('profile:fabrikam:clientSecret')).resolves.toBe(SECRET);
    await reopened.delete('profile:fabrikam:clientSecret');
    await expect(createSecretVault(file, fakeOsEncryptor(true)).get('profile:fabrikam:clientSecret')).resolves.toBeUndefined();
  });

  it('keeps secrets for the session only, never on disk, without OS encryption', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moa-vault-'));
    const file = path.join(dir, 'secrets.json');
    const vault = createSecretVault(file, fakeOsEncryptor(false));
    expect(vault.persistent).toBe(false);
    await vault.set('k', SECRET);
    await expect(vault.get('k')).resolves.toBe(SECRET);
    expect(existsSync(file)).toBe(false);
    await expect(createSecretVault(file, fakeOsEncryptor(false)).get('k')).resolves.toBeUndefined();
  });
});
