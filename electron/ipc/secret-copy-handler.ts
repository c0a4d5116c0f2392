import type { SavedProfile } from '../../shared/saved-profile';
import type { Handler } from './dispatch';
import { SECRET_CLIPBOARD_MS, type ClipboardPort, type Confirm } from './hardening-handlers';
import type { SecretStore } from './handlers';
import { quote } from '../app/confirmations';

/**
 * `secret:copy` (issue 14 item 13): the Done screen's Copy secret. Main reads the client secret from
 * the vault and writes it to the clipboard after a native confirmation, then clears the clipboard a
 * minute later if it still holds the secret. The answer never carries the value.
 */
export interface SecretCopyContext {
  load(id: string): SavedProfile;
  secretKey(id: string): string;
  secrets: SecretStore;
  confirm: Confirm;
  clipboard: ClipboardPort;
  /** Injected for tests; defaults to the global timers. */
  setTimer?: (run: () => void, ms: number) => { unref?: () => void };
  clearTimer?: (timer: { unref?: () => void }) => void;
  /** What is copied, in the confirmation's words (default "the client secret"). */
  what?: string;
}

export function createSecretCopyHandler(ctx: SecretCopyContext): Handler<'secret:copy'> {
  const setTimer = ctx.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = ctx.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  let pending: { unref?: () => void } | undefined;
  return async ({ profileId }) => {
    const saved = ctx.load(profileId);
    const secret = await ctx.secrets.get(ctx.secretKey(profileId));
    if (secret === undefined) return { copied: false, reason: 'no-secret' as const, clearsAfterMs: 0 };
    const name = quote(saved.profile.name || saved.id);
    const yes = await ctx.confirm({
      title: `Copy ${ctx.what ?? 'the client secret'}?`,
      message: `Copy ${ctx.what ?? 'the client secret'} of ${name} to the clipboard?`,
      detail: "Anyone who sees it can read and send this mailbox's mail. Paste it straight into the system; the clipboard is cleared in one minute.",
      confirmLabel: 'Copy the secret',
    });
    if (!yes) return { copied: false, reason: 'declined' as const, clearsAfterMs: 0 };
    await ctx.clipboard.writeText(secret);
    if (pending) clearTimer(pending);
    // Cleared only if it still holds the secret: the person may have copied something else since.
    pending = setTimer(() => {
      pending = undefined;
      void Promise.resolve(ctx.clipboard.readText())
        .then((now) => (now === secret ? ctx.clipboard.clear() : undefined))
        .catch(() => {});
    }, SECRET_CLIPBOARD_MS);
    pending.unref?.();
    return { copied: true, clearsAfterMs: SECRET_CLIPBOARD_MS };
  };
}
