import type { SystemBrowser } from '../engine/ports';

/**
 * The SystemBrowser port in Electron: the authorize URL opens in the person's default browser through
 * shell.openExternal (passed in, so this file needs no Electron). Only an https authorize URL with no
 * user name or password in it is opened: the redirect back comes to the engine's loopback listener
 * (electron/engine/loopback.ts), never through this port.
 */
export function createSystemBrowser(openExternal: (url: string) => Promise<void>): SystemBrowser {
  return {
    async open(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new Error('The sign-in address is not a valid URL; the browser was not opened.');
      }
      if (parsed.protocol !== 'https:' || parsed.username || parsed.password) throw new Error('The sign-in page must be served over https; the browser was not opened.');
      await openExternal(parsed.toString());
    },
  };
}
