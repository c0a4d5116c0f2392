import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePrivateFile } from '../../../../electron/adapters/private-file';

// Finding 9 (issue 13): an export saved over an existing 0644 file must end up 0600, never readable by others.
const dir = mkdtempSync(path.join(tmpdir(), 'moa-private-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writePrivateFile', () => {
  it('creates a new file 0600', async () => {
    const file = path.join(dir, 'new.env');
    await writePrivateFile(file, 'A=1\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('A=1\n');
  });
  it('replaces an existing 0644 file with a 0600 one and leaves no temporary file behind', async () => {
    const file = path.join(dir, 'old.env');
    writeFileSync(file, 'old', { mode: 0o644 });
    expect(statSync(file).mode & 0o777).toBe(0o644);
    await writePrivateFile(file, 'SECRET=x\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('SECRET=x\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
