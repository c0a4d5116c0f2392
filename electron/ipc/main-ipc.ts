import { ipcMain, type WebContents } from 'electron';
import { channels, type EventName, type EventPayload } from '../../shared/ipc/contract';
import { fail } from '../../shared/ipc/result';
import { dispatch, type DispatchLog, type HandlerMap } from './dispatch';

/** The frame a request came from, as far as the sender check needs it. */
export interface SenderFrame {
  url: string;
  /** true only for the window's top frame (an iframe never speaks for the app). */
  isMainFrame: boolean;
}

/**
 * The only place that touches ipcMain. Every channel of the contract gets exactly one handler that
 * (a) refuses senders that are not our own window's main frame on the app origin, (b) validates the
 * payload and (c) answers a Result instead of throwing (see dispatch).
 */
export function registerIpcHandlers(handlers: HandlerMap, isOwnSender: (sender: WebContents, frame: SenderFrame | undefined) => boolean, log: DispatchLog): void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      const frame = event.senderFrame;
      const info = frame ? { url: frame.url, isMainFrame: frame.parent === null } : undefined;
      if (!isOwnSender(event.sender, info)) {
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
