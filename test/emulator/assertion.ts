/**
 * Client assertions (certificate credentials) at the token endpoint: client_assertion_type
 * urn:ietf:params:oauth:client-assertion-type:jwt-bearer + a JWT signed with the private key of a
 * certificate in the app's keyCredentials. Rules: learn.microsoft.com/entra/identity-platform/certificate-credentials
 * (header alg RS256 or PS256 with x5t or x5t#S256; claims aud = token endpoint, iss = sub = client id,
 * exp, nbf, jti). Error texts: see README "Client assertions" (each with the thread it comes from).
 */
import { X509Certificate, constants, createHash, verify as cryptoVerify } from 'node:crypto';
import type { App, Certificate } from './scenario.js';

export interface AssertionError {
  status: number;
  error: string;
  code: number;
  message: string;
}

const DOCS = 'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';

/** Parse a keyCredentials key (base64 DER or PEM) into a certificate, or null. */
export function parseCertificate(key: string): X509Certificate | null {
  try {
    const k = key.trim();
    return new X509Certificate(k.startsWith('-----BEGIN') ? k : Buffer.from(k, 'base64'));
  } catch {
    return null;
  }
}

/** SHA-1 and SHA-256 thumbprints of the certificate as base64url (x5t, x5t#S256) and upper hex. */
export function thumbprints(cert: X509Certificate) {
  const sha1 = createHash('sha1').update(cert.raw).digest();
  const sha256 = createHash('sha256').update(cert.raw).digest();
  return { x5t: sha1.toString('base64url'), x5tS256: sha256.toString('base64url'), sha1Hex: sha1.toString('hex').toUpperCase(), sha256Hex: sha256.toString('hex').toUpperCase() };
}

/** Validity of a key credential: its start/end, else the certificate's. */
export function certWindow(c: Certificate, cert: X509Certificate): { start: Date; end: Date } {
  return { start: new Date(c.startDateTime ?? cert.validFrom), end: new Date(c.endDateTime ?? cert.validTo) };
}

const p2 = (n: number) => String(n).padStart(2, '0');
/** Entra's "Found key 'Start=02/07/2021 17:00:39, End=02/06/2026 17:00:39'" format (UTC). */
const entraDate = (d: Date) => `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
const ticks = (sec: number) => new Date(sec * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

function seeKeys(appId: string): string {
  return `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${appId}'`;
}

/** null = valid; else Entra's error. `tokenEndpoint` = the URL the client posted to (the assertion's aud). */
export function verifyClientAssertion(jwt: string, app: App, tokenEndpoint: string): AssertionError | null {
  const bad = (code: number, message: string, status = 401): AssertionError => ({ status, error: 'invalid_client', code, message });
  const parts = jwt.split('.');
  if (parts.length !== 3) return bad(50027, 'JWT token is invalid or malformed.', 400);
  const [h, p, sig] = parts as [string, string, string];
  let header: { alg?: string; x5t?: string; 'x5t#S256'?: string };
  let claims: { aud?: unknown; iss?: unknown; sub?: unknown; exp?: unknown; nbf?: unknown; jti?: unknown };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString()) as typeof header;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as typeof claims;
  } catch {
    return bad(50027, 'JWT token is invalid or malformed.', 400);
  }
  if (header.alg !== 'RS256' && header.alg !== 'PS256') return bad(50027, `Invalid JWT token. '${String(header.alg)}' is not a supported signature algorithm.`, 400);
  const sentS256 = header['x5t#S256'];
  const sentSha1 = header.x5t;
  if (!sentS256 && !sentSha1) return bad(50027, 'Invalid JWT token. No certificate thumbprint specified in token header.', 400);
  const sentHex = Buffer.from(String(sentS256 ?? sentSha1), 'base64url').toString('hex').toUpperCase();
  let found: { c: Certificate; cert: X509Certificate } | null = null;
  for (const c of app.certificates) {
    const cert = parseCertificate(c.key);
    if (!cert) continue;
    const t = thumbprints(cert);
    if ((sentS256 && sentS256 === t.x5tS256) || (!sentS256 && sentSha1 === t.x5t)) found = { c, cert };
  }
  if (!found)
    return bad(700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${sentHex}', ${seeKeys(app.clientId)}]`);
  const win = certWindow(found.c, found.cert);
  const foundKey = `Found key 'Start=${entraDate(win.start)}, End=${entraDate(win.end)}'`;
  if (win.end.getTime() < Date.now())
    return bad(700027, `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${sentHex}', ${foundKey}, ${seeKeys(app.clientId)}]`);
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig, 'base64url');
  const ok =
    header.alg === 'RS256'
      ? cryptoVerify('RSA-SHA256', data, found.cert.publicKey, signature)
      : cryptoVerify('sha256', data, { key: found.cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
  if (!ok)
    return bad(700027, `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${sentHex}', ${foundKey}, ${seeKeys(app.clientId)}]`);
  const now = Math.floor(Date.now() / 1000);
  const skew = 300;
  const exp = typeof claims.exp === 'number' ? claims.exp : null;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : 0;
  if (exp === null || exp + skew < now || nbf - skew > now)
    return bad(700024, `Client assertion is not within its valid time range. Current time: ${ticks(now)}, assertion valid from ${ticks(nbf)}, expiry time of assertion ${exp === null ? '(none)' : ticks(exp)}. ${DOCS}`);
  if (claims.iss !== app.clientId || claims.sub !== app.clientId)
    return bad(700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${DOCS}`);
  const aud = String(claims.aud ?? '').toLowerCase();
  const accepted = [tokenEndpoint, tokenEndpoint.replace('/oauth2/v2.0/token', '/oauth2/token')].map((x) => x.toLowerCase());
  if (!accepted.includes(aud)) return bad(50027, `Invalid JWT token. Token audience '${String(claims.aud)}' is not valid: expected '${tokenEndpoint}'.`, 400);
  if (typeof claims.jti !== 'string' || !claims.jti) return bad(50027, "Invalid JWT token. The 'jti' claim is missing.", 400);
  return null;
}
