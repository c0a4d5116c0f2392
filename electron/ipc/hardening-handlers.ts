import { caCertsProblem, endpointFingerprint } from '../../shared/endpoint-policy';
import type { AppSettingsView } from '../../shared/ipc/hardening';
import type { SavedProfile } from '../../shared/saved-profile';
import type { SettingsStore } from '../adapters/settings-store';
import { AppError, type Handler } from './dispatch';
import type { EngineFacade, SecretStore } from './handlers';
import { quote, type Confirm } from '../app/confirmations';
import { vaultKeys } from '../app/vault-keys';
import type { ResolvedConnection } from '../app/resolve-connection';

/**
 * The handlers and guards of issue 13 (hardening): the secret stays in main, copying goes through
 * main, and a connection sends its secret only where the user allowed it. handlers.ts wires them in.
 */

/** A native yes/no question (Electron's dialog in the app, the e2e host's answer in tests): the renderer cannot answer it. */
export type { Confirm, ConfirmQuestion } from '../app/confirmations';

/** The system clipboard as main reaches it (Electron 45's clipboard is asynchronous). */
export interface ClipboardPort {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
  clear(): Promise<void> | void;
}

export const tokenCacheKey = vaultKeys.tokenCache;
/** How long a copied secret stays on the clipboard. */
export const SECRET_CLIPBOARD_MS = 60_000;

export interface HardeningContext {
  load(id: string): SavedProfile;
  /** The connection resolved for the operation (electron/app/resolve-connection.ts). */
  resolve(id: string): ResolvedConnection;
  secretKey(id: string): string;
  secrets: SecretStore;
  engine: Pick<EngineFacade, 'makeExport'>;
  settings: SettingsStore;
  confirm: Confirm;
  clipboard: ClipboardPort;
}

export function settingsView(settings: SettingsStore): AppSettingsView {
  const s = settings.get();
  return { customEndpoints: s.customEndpoints, caCertCount: s.caCerts.length, adminClientId: s.adminClientId ?? null };
}

/** Checks a profile about to be saved; when it re-points an existing one, forgets its secret and tokens. Returns whether it did. */
export async function forgetIfRepointed(before: SavedProfile | undefined, after: Pick<SavedProfile, 'id' | 'profile'>, ctx: Pick<HardeningContext, 'secrets' | 'secretKey'>): Promise<boolean> {
  const ca = caCertsProblem(after.profile.caCerts);
  if (ca) throw new AppError('ca-certs-invalid', ca);
  if (!before || endpointFingerprint(before.profile) === endpointFingerprint(after.profile)) return false;
  await ctx.secrets.delete(ctx.secretKey(after.id));
  await ctx.secrets.delete(tokenCacheKey(after.id));
  return true;
}

/** Asks before an export with the plain secret leaves main; false when the user declines. */
export function confirmSecret(confirm: Confirm, saved: SavedProfile, where: 'clipboard' | 'file'): Promise<boolean> {
  const name = quote(saved.profile.name || saved.id);
  return confirm(
    where === 'clipboard'
      ? { title: 'Copy the client secret?', message: `Copy ${name} with its client secret in plain text?`, detail: "Anyone who sees the copied text can read and send this mailbox's mail. Paste it straight into the system; the clipboard is cleared in one minute.", confirmLabel: 'Copy with the secret' }
      : { title: 'Save the client secret in a file?', message: `Save ${name} with its client secret in plain text?`, detail: "Anyone who can read the file can read and send this mailbox's mail. Keep it out of e-mail and version control, and delete it once used.", confirmLabel: 'Save with the secret' },
  );
}

export function createHardeningHandlers(ctx: HardeningContext): {
  'clipboard:write': Handler<'clipboard:write'>;
  'export:copy': Handler<'export:copy'>;
  'settings:get': Handler<'settings:get'>;
  'settings:setCustomEndpoints': Handler<'settings:setCustomEndpoints'>;
  'settings:setCaCerts': Handler<'settings:setCaCerts'>;
  'settings:setAdminClientId': Handler<'settings:setAdminClientId'>;
} {
  let clearTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    'clipboard:write': async ({ text }) => {
      await ctx.clipboard.writeText(text);
      return { copied: true };
    },
    'export:copy': async ({ profileId, format, includeSecret }) => {
      const conn = ctx.resolve(profileId);
      const secret = includeSecret ? await ctx.secrets.get(ctx.secretKey(profileId)) : undefined;
      const file = await ctx.engine.makeExport(conn, secret, format, includeSecret && secret !== undefined);
      const secretIncluded = secret !== undefined && file.content.includes(secret);
      if (secretIncluded && !(await confirmSecret(ctx.confirm, conn.saved, 'clipboard'))) return { copied: false, secretIncluded: false, warnings: [] };
      await ctx.clipboard.writeText(file.content);
      if (secretIncluded) {
        if (clearTimer) clearTimeout(clearTimer);
        const copied = file.content;
        // Cleared only if it still holds what we put there: the person may have copied something else since.
        clearTimer = setTimeout(() => {
          void Promise.resolve(ctx.clipboard.readText())
            .then((now) => (now === copied ? ctx.clipboard.clear() : undefined))
            .catch(() => {});
        }, SECRET_CLIPBOARD_MS);
        clearTimer.unref?.();
      }
      return { copied: true, secretIncluded, warnings: file.warnings };
    },
    'settings:get': () => settingsView(ctx.settings),
    'settings:setCustomEndpoints': async ({ enabled }) => {
      if (enabled && !ctx.settings.get().customEndpoints) {
        const yes = await ctx.confirm({
          title: "Allow servers other than Microsoft's?",
          message: "Let connections use servers other than Microsoft's?",
          detail: 'Only for a test system (the Microsoft 365 emulator) or your organisation\'s TLS-inspecting proxy. A connection\'s client secret and sign-in are sent to the servers it names; a connection whose servers change forgets its stored secret.',
          confirmLabel: 'Allow other servers',
        });
        if (!yes) return settingsView(ctx.settings);
      }
      ctx.settings.set({ customEndpoints: enabled });
      return settingsView(ctx.settings);
    },
    'settings:setCaCerts': async ({ pem }) => {
      const problem = caCertsProblem(pem);
      if (problem) throw new AppError('ca-certs-invalid', problem);
      if (pem.length) {
        const yes = await ctx.confirm({
          title: 'Trust these certificates?',
          message: `Trust ${pem.length} extra CA certificate${pem.length === 1 ? '' : 's'} for every connection and the sign-in window?`,
          detail: 'Only for your organisation\'s TLS-inspecting proxy or a test system. A CA you trust can impersonate any server, Microsoft\'s included.',
          confirmLabel: 'Trust them',
        });
        if (!yes) return settingsView(ctx.settings);
      }
      ctx.settings.set({ caCerts: pem });
      return settingsView(ctx.settings);
    },
    'settings:setAdminClientId': async ({ clientId }) => {
      const id = clientId?.toLowerCase() ?? undefined;
      if (id === ctx.settings.get().adminClientId) return settingsView(ctx.settings);
      if (id) {
        const yes = await ctx.confirm({
          title: 'Sign administrators in to this application?',
          message: `Sign administrators in to the application ${id} instead of Microsoft Graph Command Line Tools?`,
          detail: 'Use your organisation\'s own application: a public client (Mobile and desktop applications) with the redirect URI http://localhost and the delegated Microsoft Graph permissions Application.ReadWrite.All, DelegatedPermissionGrant.ReadWrite.All and AppRoleAssignment.ReadWrite.All. An administrator signed in now is signed out.',
          confirmLabel: 'Use this application',
        });
        if (!yes) return settingsView(ctx.settings);
      }
      ctx.settings.set({ adminClientId: id });
      return settingsView(ctx.settings);
    },
  };
}
