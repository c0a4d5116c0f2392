import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from '../security';

/**
 * Maps an app:// request to a file of the built renderer, or null (a 404). Only GET of files inside
 * the renderer folder; no traversal, no directories, no other host. Plain Node so it is unit-tested;
 * main.ts plugs it into protocol.handle.
 */
export const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function rendererFileFor(requestUrl: string, method: string, rendererDir: string): string | null {
  if (method !== 'GET') return null;
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  // A symlink out of the folder is not ours either (asar has none; a dev tree might).
  try {
    const real = realpathSync(file);
    const realRoot = realpathSync(root);
    if (!real.startsWith(realRoot + path.sep)) return null;
  } catch {
    // inside app.asar realpath is not available for every entry: the resolved path check above stands
  }
  return file;
}

export const mediaTypeOf = (file: string) => MEDIA_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
