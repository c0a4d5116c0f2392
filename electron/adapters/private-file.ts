import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file only its owner can read (0600), also when it replaces an existing file of another
 * mode: the content goes to a new temporary file beside it (created 0600) which is then renamed
 * over the target, so no moment exists where the secret sits in a readable file.
 */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { mode: 0o600, flag: 'wx' });
    await chmod(tmp, 0o600); // the umask cannot widen 0600, but a filesystem default ACL might
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => {});
    throw error;
  }
}
