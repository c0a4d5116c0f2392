/** What every IPC call answers: a value, or a stable error code with a message safe to show. */
export type IpcError = { code: string; message: string };
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });
