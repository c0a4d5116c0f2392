import { contract, type Channel, type ParsedRequestOf, type ResponseOf } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/ipc/result';
import { AppError } from '../app/app-error';

/** A handler gets the validated request; it returns the value or throws an {@link AppError}. */
export type Handler<C extends Channel> = (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
export type HandlerMap = { [C in Channel]: Handler<C> };

/** An error whose code and message are meant for the user (no secrets in the message): electron/app/app-error.ts. */
export { AppError };

export interface DispatchLog {
  warn(message: string): void;
}

/**
 * Validates a request against the contract, runs its handler and turns every outcome into a Result.
 * Shared by the Electron ipcMain wrapper and the e2e test host, so both run exactly the same path.
 * Only field paths and issue codes are logged for bad payloads, never the values (they may be secrets).
 */
export async function dispatch(
  handlers: HandlerMap,
  channel: string,
  payload: unknown,
  log: DispatchLog = { warn: () => {} },
): Promise<Result<unknown>> {
  if (!Object.hasOwn(contract, channel)) {
    log.warn(`ipc: unknown channel`);
    return fail('unknown-channel', 'This request is not part of the app.');
  }
  const c = channel as Channel;
  const parsed = contract[c].request.safeParse(payload);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.code}`).join('; ');
    log.warn(`ipc: invalid request on ${c}: ${where}`);
    return fail('invalid-request', `The request for ${c} was not valid (${where}).`);
  }
  try {
    const handler = handlers[c] as (request: unknown) => Promise<unknown> | unknown;
    return ok(await handler(parsed.data));
  } catch (error) {
    if (error instanceof AppError) return fail(error.code, error.message);
    log.warn(`ipc: handler for ${c} failed: ${error instanceof Error ? error.name : typeof error}`);
    return fail('internal', 'Something went wrong inside the app. Nothing was changed; please try again.');
  }
}
