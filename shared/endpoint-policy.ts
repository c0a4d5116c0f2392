import { CLOUD_DEFAULTS, MICROSOFT_SIGN_IN_HOSTS, OUTLOOK_COM_SMTP, parseHostPort } from './endpoints';
import type { Cloud, Profile } from './profile';

/**
 * Where a saved connection may send its secret and tokens (issue 13, finding 3). By default only to
 * Microsoft's own hosts for the connection's cloud (the one table in shared/endpoints.ts). Any other
 * sign-in, IMAP, SMTP or Graph host, a proxy or extra CA certificates need the app's "custom
 * endpoints" setting, which main turns on only after a native confirmation (the emulator rehearsal,
 * a TLS-inspecting proxy). Changing where a connection goes forgets its stored secret and tokens.
 */

export type EndpointFields = Pick<Partial<Profile>, 'cloud' | 'endpoints' | 'proxy' | 'caCerts'>;

/** Limits on CA certificates crossing IPC: PEM text only (never a path: a path leaks whether a file exists, a FIFO hangs the app). */
export const CA_CERT_LIMITS = { count: 8, bytesEach: 16 * 1024 } as const;
const PEM_CERT = /^\s*(-----BEGIN CERTIFICATE-----\r?\n(?:[A-Za-z0-9+/=]{1,76}\r?\n)+-----END CERTIFICATE-----\s*)+$/;

/** Why a list of CA certificates is refused, or null. */
export function caCertsProblem(caCerts: readonly string[] | undefined): string | null {
  if (!caCerts?.length) return null;
  if (caCerts.length > CA_CERT_LIMITS.count) return `At most ${CA_CERT_LIMITS.count} extra CA certificates can be added.`;
  for (const pem of caCerts) {
    if (pem.length > CA_CERT_LIMITS.bytesEach) return `An extra CA certificate is larger than ${CA_CERT_LIMITS.bytesEach / 1024} KB: paste only the CA's certificate.`;
    if (!PEM_CERT.test(pem)) return 'Extra CA certificates must be pasted as PEM text (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----); file paths are not accepted here.';
  }
  return null;
}

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};
const bare = (hostPort: string) => parseHostPort(hostPort.replace(/^https?:\/\//i, '').replace(/\/.*$/, ''), 0).host.toLowerCase().replace(/\.$/, '');

/** Microsoft's hosts for a cloud, per role. */
export function microsoftHosts(cloud: Cloud): { signIn: string[]; imap: string[]; smtp: string[]; graph: string[] } {
  const d = CLOUD_DEFAULTS[cloud] ?? CLOUD_DEFAULTS.global;
  return {
    signIn: [...new Set([d.signInHost, ...MICROSOFT_SIGN_IN_HOSTS])],
    imap: [d.imap.host],
    smtp: cloud === 'global' ? [d.smtp.host, OUTLOOK_COM_SMTP.host] : [d.smtp.host],
    graph: [hostOf(d.graphUrl) ?? ''],
  };
}

/** The places a connection would reach that are not Microsoft's for its cloud (empty: all Microsoft's). */
export function nonMicrosoftEndpoints(profile: EndpointFields): string[] {
  const allowed = microsoftHosts(profile.cloud ?? 'global');
  const out: string[] = [];
  const o = profile.endpoints ?? {};
  if (o.signInHost && !allowed.signIn.includes(bare(o.signInHost))) out.push(`sign-in host ${o.signInHost}`);
  if (o.imap && !allowed.imap.includes(bare(o.imap))) out.push(`IMAP server ${o.imap}`);
  if (o.smtp && !allowed.smtp.includes(bare(o.smtp))) out.push(`SMTP server ${o.smtp}`);
  if (o.graphUrl && !allowed.graph.includes(hostOf(o.graphUrl) ?? o.graphUrl)) out.push(`Graph address ${o.graphUrl}`);
  if (profile.proxy) out.push(`proxy ${profile.proxy}`);
  if (profile.caCerts?.length) out.push('extra CA certificates');
  return out;
}

/** A stable text of everything that decides where the secret goes; a change forgets the secret and tokens. */
export function endpointFingerprint(profile: EndpointFields): string {
  const o = profile.endpoints ?? {};
  return JSON.stringify([profile.cloud ?? 'global', o.signInHost ?? '', o.imap ?? '', o.smtp ?? '', o.graphUrl ?? '', profile.proxy ?? '', profile.caCerts ?? []]);
}
