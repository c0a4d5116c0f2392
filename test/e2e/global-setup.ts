import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Once per Playwright run (issue 19): the screenshot folder starts empty, so every picture in
 * test/artifacts/screenshots shows a screen as it is today (a stale one showed a screen that no longer exists).
 */
export default function globalSetup(): void {
  rmSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../artifacts/screenshots'), { recursive: true, force: true });
}
