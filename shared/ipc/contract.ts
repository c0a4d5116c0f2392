import { z } from 'zod';
import { CHANNELS, EVENT_NAMES } from './channels';

/**
 * The one IPC contract between the renderer and the Node side.
 *
 * Every request/response channel is named `domain:verb` and carries a zod schema for its request
 * (validated in main before the handler runs) and the TypeScript type of its response. The preload
 * exposes exactly these channels, one method each; the renderer's `window.mailOAuth` type is derived
 * from this file; main registers a handler for every entry through one wrapper.
 */

/** Marks the response type of a channel without a runtime schema (main is trusted). */
const returns = <T>() => undefined as unknown as T;

export interface AppInfo {
  name: string;
  version: string;
  electron: string | null;
  chrome: string | null;
  node: string;
  platform: string;
}

export const contract = {
  'app:getInfo': { request: z.undefined(), response: returns<AppInfo>() },
  'app:openExternal': {
    request: z.object({ url: z.string().max(2048) }).strict(),
    response: returns<{ opened: boolean }>(),
  },
} as const;

/** Streams from main to the renderer (progress of slow work). */
export const events = {
  'app:notice': z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = Contract[C]['response'];

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time proof that channels.ts lists exactly the contract's channels and events. */
export const namesMatchContract: [Same<(typeof CHANNELS)[number], Channel>, Same<(typeof EVENT_NAMES)[number], EventName>] = [true, true];

export const channels: readonly Channel[] = CHANNELS;
export const eventNames: readonly EventName[] = EVENT_NAMES;
