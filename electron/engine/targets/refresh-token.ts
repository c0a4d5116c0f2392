import { cacheKey } from '../auth';
import type { Profile } from '../../../shared/profile';
import type { SecretVault } from '../ports';

interface CachedRefreshToken {
  secret?: string;
  client_id?: string;
  home_account_id?: string;
  environment?: string;
}
interface CachedAccount {
  home_account_id?: string;
  username?: string;
}

/**
 * The refresh token of the profile's proving sign-in, read from the msal token cache the engine keeps
 * in the SecretVault (never a file of our own). Only the mailbox's account for this client id counts:
 * a refresh token of another user would configure the target to send as someone else.
 */
export async function refreshTokenFromVault(profile: Pick<Profile, 'clientId' | 'tenant' | 'name' | 'mailbox'>, vault: SecretVault): Promise<string | undefined> {
  const raw = await vault.get(cacheKey(profile));
  if (!raw) return undefined;
  let cache: { Account?: Record<string, CachedAccount>; RefreshToken?: Record<string, CachedRefreshToken> };
  try {
    cache = JSON.parse(raw) as typeof cache;
  } catch {
    return undefined;
  }
  const mailbox = profile.mailbox.trim().toLowerCase();
  const homes = new Set(Object.values(cache.Account ?? {}).filter((a) => a.username?.toLowerCase() === mailbox).map((a) => a.home_account_id));
  const tokens = Object.values(cache.RefreshToken ?? {}).filter((t) => t.secret && t.client_id === profile.clientId && homes.has(t.home_account_id));
  return tokens[0]?.secret;
}
