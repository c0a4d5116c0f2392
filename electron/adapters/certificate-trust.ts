import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The sign-in window's decision on a server certificate when the user configured extra CAs (a
 * TLS-inspecting proxy, the Microsoft 365 emulator). Pure Node (no Electron) so it is tested with
 * real forged chains. Chromium's verdict stands unless it is exactly "unknown issuer"; then the chain
 * the server sent must, in Node's own X.509 code:
 *  - name the host being visited (SAN / CN, or the IP address),
 *  - be within its validity dates at every link,
 *  - be signed link by link (checkIssued + verify(publicKey)), every issuer a CA,
 *  - end in one of the configured CAs, by signature (a server-sent copy of the CA proves nothing).
 * Revocation: Chromium's revocation verdicts (ERR_CERT_REVOKED, ...) are never overridden; a private
 * CA's CRL/OCSP is not fetched here, so a revoked leaf of a configured CA that Chromium itself cannot
 * judge is only refused when the CA stops signing it (see README, shell tier notes).
 *
 * Verdicts are Electron's: 0 accept, -2 refuse, -3 use Chromium's own verdict.
 */
export const ACCEPT = 0;
export const REFUSE = -2;
export const CHROMIUM_VERDICT = -3;
export type CertificateVerdict = typeof ACCEPT | typeof REFUSE | typeof CHROMIUM_VERDICT;

/** The part of Electron's Certificate the decision reads: the PEM and the next certificate the server sent. */
export interface PresentedCertificate {
  data: string;
  issuerCert?: PresentedCertificate;
}

export interface VerifyRequest {
  hostname: string;
  certificate: PresentedCertificate;
  verificationResult: string;
}

const UNKNOWN_ISSUER = 'net::ERR_CERT_AUTHORITY_INVALID';
const MAX_CHAIN = 8;

function parse(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function withinDates(cert: X509Certificate, now: Date): boolean {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return Number.isFinite(from) && Number.isFinite(to) && from <= now.getTime() && now.getTime() <= to;
}

const signedBy = (child: X509Certificate, issuer: X509Certificate) => issuer.ca && child.checkIssued(issuer) && child.verify(issuer.publicKey);

/** Why a chain is refused, or null when it verifies to one of the trusted CAs (exported for tests and logs). */
export function chainProblem(request: Pick<VerifyRequest, 'hostname' | 'certificate'>, trustedCaPem: readonly string[], now: Date): string | null {
  const trusted = trustedCaPem.map(parse).filter((c): c is X509Certificate => c !== undefined && c.ca);
  if (!trusted.length) return 'no usable CA configured';
  const chain: X509Certificate[] = [];
  for (let link: PresentedCertificate | undefined = request.certificate; link && chain.length < MAX_CHAIN; link = link.issuerCert) {
    const cert = parse(link.data);
    if (!cert) return 'a certificate in the chain cannot be read';
    if (chain.length && chain.at(-1)!.fingerprint256 === cert.fingerprint256) break; // self-issued end of the chain
    chain.push(cert);
  }
  const leaf = chain[0];
  if (!leaf) return 'no certificate';
  const host = request.hostname.replace(/^\[|\]$/g, '');
  const named = isIP(host) ? leaf.checkIP(host) !== undefined : leaf.checkHost(host, { subject: 'default', wildcards: true, partialWildcards: false }) !== undefined;
  if (!named) return `the certificate is not for ${host}`;
  for (const cert of chain) if (!withinDates(cert, now)) return `a certificate in the chain is outside its validity dates (${cert.validFrom} - ${cert.validTo})`;
  for (const trustedCa of trusted) if (!withinDates(trustedCa, now)) return 'the configured CA is outside its validity dates';
  // Walk up: each link must be signed by the next one the server sent, until a configured CA signs it.
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!;
    const anchor = trusted.find((ca) => signedBy(cert, ca) && withinDates(ca, now));
    if (anchor) return null;
    const next = chain[i + 1];
    if (!next) return 'the chain does not lead to a configured CA';
    if (!signedBy(cert, next)) return 'a certificate in the chain is not signed by the next one';
  }
  return 'the chain does not lead to a configured CA';
}

export function decideCertificate(request: VerifyRequest, trustedCaPem: readonly string[], now: Date = new Date()): CertificateVerdict {
  if (request.verificationResult !== UNKNOWN_ISSUER || !trustedCaPem.length) return CHROMIUM_VERDICT;
  return chainProblem(request, trustedCaPem, now) === null ? ACCEPT : REFUSE;
}
