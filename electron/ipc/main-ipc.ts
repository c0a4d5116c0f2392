import { ipcMain, type WebContents } from 'electron';
import { channels, type EventName, type EventPayload } from '../../shared/ipc/contract';
import { fail } from '../../shared/ipc/result';
import { dispatch, type DispatchLog, type HandlerMap } from './dispatch';

/**
 * The only place that touches ipcMain. Every channel of the contract gets one handler that
 * (a) refuses senders that are not one of our own windows, (b) validates the payload and
 * (c) answers a Result instead of throwing (see dispatch).
 */
export function registerIpcHandlers(handlers: HandlerMap, isOwnSender: (sender: WebContents, frameUrl: string | undefined) => boolean, log: DispatchLog): void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isOwnSender(event.sender, event.senderFrame?.url)) {
        log.warn(`ipc: refused ${channel} from a foreign sender`);
        return fail('forbidden-sender', 'This request did not come from the app window.');
      }
      return dispatch(handlers, channel, payload, log);
    });
  }
}

export function sendEvent<E extends EventName>(target: WebContents, event: E, payload: EventPayload<E>): void {
  if (!target.isDestroyed()) target.send(event, payload);
}
