import { contextBridge, ipcRenderer } from 'electron';
import { API_KEY, buildApi } from '../shared/ipc/api';
import { EVENT_NAMES } from '../shared/ipc/channels';
import type { Channel, EventName } from '../shared/ipc/contract';
import type { Result } from '../shared/ipc/result';

// The only place that touches ipcRenderer: exactly the contract's channels, one method each.
const api = buildApi(
  (channel: Channel, request: unknown) => ipcRenderer.invoke(channel, request) as Promise<Result<unknown>>,
  (event: EventName, listener: (payload: unknown) => void) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event)) return () => {};
    const wrapped = (_e: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
);

contextBridge.exposeInMainWorld(API_KEY, api);
