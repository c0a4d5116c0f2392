import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from './contract';
import { CHANNELS as channels } from './channels';
import type { Result } from './result';

/**
 * The shape the preload exposes on `window.mailOAuth`, derived from the contract:
 * `api.app.getInfo()` for channel `app:getInfo`, and `api.on(event, listener)` for streams.
 */
type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C extends string, D extends string> = C extends `${D}:${infer V}` ? V : never;

type Method<C extends Channel> = undefined extends RequestOf<C>
  ? (request?: RequestOf<C>) => Promise<Result<ResponseOf<C>>>
  : (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>;

export type MailOAuthApi = {
  [D in DomainOf<Channel>]: { [V in VerbOf<Channel, D>]: Method<Extract<`${D}:${V}`, Channel>> };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export const API_KEY = 'mailOAuth';

/** Builds the API object from two transport functions; used by the preload and by the e2e test host. */
export function buildApi(
  invoke: (channel: Channel, request: unknown) => Promise<Result<unknown>>,
  subscribe: (event: EventName, listener: (payload: unknown) => void) => () => void,
): MailOAuthApi {
  const api: Record<string, Record<string, (request?: unknown) => Promise<Result<unknown>>>> = {};
  for (const channel of channels) {
    const [domain, verb] = channel.split(':') as [string, string];
    (api[domain] ??= {})[verb] = (request?: unknown) => invoke(channel, request);
  }
  return Object.assign(api, { on: subscribe }) as unknown as MailOAuthApi;
}
