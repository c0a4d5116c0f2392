/**
 * An error whose code and message are meant for the person (no secrets in the message). The IPC
 * dispatcher (electron/ipc/dispatch.ts) turns it into `{ ok: false, error: { code, message } }`; the app
 * layer throws it too, so the CLI can use the app layer without the IPC contract.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
