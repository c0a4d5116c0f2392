import { resolveEndpoints } from '../../shared/endpoints';
import type { Profile } from '../../shared/profile';
import { loadCaCerts } from './net';
import type { ResolvedNet } from './ports';

/**
 * Where a profile's traffic goes and how: its endpoints, its extra CA certificates (loaded) and its
 * proxy. The engine's one place for it (issue 18): a host that resolved the connection already
 * (electron/app/resolve-connection.ts) passes the answer down as `EngineDeps.net` and this is not
 * called again; without it, an engine operation calls it once and hands the answer to its parts.
 */
export function resolveNet(profile: Pick<Profile, 'cloud' | 'tenant' | 'mailbox' | 'endpoints' | 'caCerts' | 'proxy'>): ResolvedNet {
  const ca = loadCaCerts(profile);
  return { endpoints: resolveEndpoints(profile), ...(ca ? { ca } : {}), ...(profile.proxy ? { proxy: profile.proxy } : {}) };
}

/** The network options (extra CAs, proxy) of a resolved connection. */
export function netOptions(net: ResolvedNet): { ca?: string[]; proxy?: string } {
  return { ...(net.ca ? { ca: net.ca } : {}), ...(net.proxy ? { proxy: net.proxy } : {}) };
}
