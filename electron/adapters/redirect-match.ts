/**
 * Decides whether a URL the sign-in window is about to load is the registered redirect URI.
 * Entra compares scheme, host, port and path (case-sensitive path; a loopback port is ignored for
 * localhost). We catch it before it leaves the machine so the target system never sees the code.
 */
export function isRedirectTarget(candidate: string, redirectUri: string): boolean {
  let url: URL;
  let expected: URL;
  try {
    url = new URL(candidate);
    expected = new URL(redirectUri);
  } catch {
    return false;
  }
  if (url.protocol !== expected.protocol) return false;
  if (url.hostname.toLowerCase() !== expected.hostname.toLowerCase()) return false;
  const loopback = ['localhost', '127.0.0.1'].includes(expected.hostname.toLowerCase());
  if (!loopback && url.port !== expected.port) return false;
  const strip = (p: string) => (p.length > 1 ? p.replace(/\/$/, '') : p);
  return strip(url.pathname) === strip(expected.pathname);
}
