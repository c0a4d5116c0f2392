import { z } from 'zod';

/**
 * Channels added by the hardening work (issue 13): copying through main (the renderer has no
 * clipboard permission), exports that carry the secret written by main after a native confirmation,
 * and the app settings that decide where a connection may send its secret.
 */
const profileId = z.string().regex(/^[a-z0-9-]{6,64}$/);
const returns = <T>() => undefined as unknown as T;

export interface AppSettingsView {
  /** Hosts other than Microsoft's (the emulator, a proxy, extra CAs) are allowed: turned on after a native confirmation. */
  customEndpoints: boolean;
  /** CA certificates the app trusts for every connection and the sign-in window (configured in the app). */
  caCertCount: number;
  /** The organisation's own application administrators sign in to, when set in the app (else the default). */
  adminClientId: string | null;
}

export const hardeningContract = {
  /** Copies plain text (never a secret: the renderer has none) to the clipboard through main. */
  'clipboard:write': { request: z.object({ text: z.string().max(200_000) }).strict(), response: returns<{ copied: boolean }>() },
  /** Makes an export and copies it in main; with the secret only after a native confirmation, cleared after a minute. */
  'export:copy': {
    request: z.object({ profileId, format: z.string().min(1).max(64), includeSecret: z.boolean().default(false) }).strict(),
    response: returns<{ copied: boolean; secretIncluded: boolean; warnings: string[] }>(),
  },
  'settings:get': { request: z.undefined(), response: returns<AppSettingsView>() },
  /** Turning custom endpoints on asks a native confirmation; turning them off never does. */
  'settings:setCustomEndpoints': { request: z.object({ enabled: z.boolean() }).strict(), response: returns<AppSettingsView>() },
  /** Replaces the app-wide extra CA certificates (PEM text only, size and count limited), after a native confirmation. */
  'settings:setCaCerts': { request: z.object({ pem: z.array(z.string().max(16 * 1024)).max(8) }).strict(), response: returns<AppSettingsView>() },
  /** The application administrators sign in to (null: back to the default), after a native confirmation; a signed-in administrator is signed out. */
  'settings:setAdminClientId': {
    request: z.object({ clientId: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/).nullable() }).strict(),
    response: returns<AppSettingsView>(),
  },
} as const;
