import type { AppInfo } from '../../shared/ipc/contract';
import { isAllowedExternalUrl } from '../security';
import { AppError, type HandlerMap } from './dispatch';

/** What the handlers need from the outside world. main.ts passes Electron adapters; tests pass fakes. */
export interface HandlerDeps {
  appInfo(): AppInfo;
  openExternal(url: string): Promise<void>;
}

/** The one handler map: main registers it over ipcMain, the e2e test host calls it directly. */
export function createHandlers(deps: HandlerDeps): HandlerMap {
  return {
    'app:getInfo': () => deps.appInfo(),
    'app:openExternal': async ({ url }) => {
      if (!isAllowedExternalUrl(url)) {
        throw new AppError('link-not-allowed', 'The app only opens Microsoft and documentation pages over https.');
      }
      await deps.openExternal(url);
      return { opened: true };
    },
  };
}
