import { beforeAll, describe, expect, it } from 'vitest';
import { ACCEPT, CHROMIUM_VERDICT, chainProblem, decideCertificate, REFUSE } from '../../../../electron/adapters/certificate-trust';
import { makeChains, type Chains } from './certs.fixture';

// The pure decision behind the sign-in window's certificate override, in plain Node (finding 1).
let c: Chains;
beforeAll(async () => {
  c = await makeChains('login.microsoftonline.com');
});
const unknownIssuer = 'net::ERR_CERT_AUTHORITY_INVALID';

describe('decideCertificate', () => {
  it('accepts only a chain Node verifies to a configured CA, for the visited host, within its dates', () => {
    expect(decideCertificate({ hostname: c.host, certificate: c.good, verificationResult: unknownIssuer }, [c.trustedCaPem])).toBe(ACCEPT);
    expect(chainProblem({ hostname: c.host, certificate: c.forged }, [c.trustedCaPem], new Date())).toMatch(/not signed|configured CA/);
    expect(chainProblem({ hostname: c.host, certificate: c.wrongHost }, [c.trustedCaPem], new Date())).toMatch(/not for login\.microsoftonline\.com/);
    expect(chainProblem({ hostname: c.host, certificate: c.expired }, [c.trustedCaPem], new Date())).toMatch(/validity/);
  });
  it('refuses when the chain is valid but the visited host differs in case-insensitive ways only by a subdomain', () => {
    expect(decideCertificate({ hostname: `evil.${c.host}`, certificate: c.good, verificationResult: unknownIssuer }, [c.trustedCaPem])).toBe(REFUSE);
    expect(decideCertificate({ hostname: c.host.toUpperCase(), certificate: c.good, verificationResult: unknownIssuer }, [c.trustedCaPem])).toBe(ACCEPT);
  });
  it('refuses a leaf presented without its CA when it was signed by another key under the same name', () => {
    expect(decideCertificate({ hostname: c.host, certificate: { data: c.forged.data }, verificationResult: unknownIssuer }, [c.trustedCaPem])).toBe(REFUSE);
    expect(decideCertificate({ hostname: c.host, certificate: { data: c.good.data }, verificationResult: unknownIssuer }, [c.trustedCaPem])).toBe(ACCEPT);
  });
  it('a CA configured but unreadable, or none at all, leaves Chromium to decide or refuses', () => {
    expect(decideCertificate({ hostname: c.host, certificate: c.good, verificationResult: unknownIssuer }, [])).toBe(CHROMIUM_VERDICT);
    expect(decideCertificate({ hostname: c.host, certificate: c.good, verificationResult: unknownIssuer }, ['not a certificate'])).toBe(REFUSE);
  });
  it('judges the dates at the time given', () => {
    const later = new Date(Date.now() + 60 * 24 * 3600_000);
    expect(decideCertificate({ hostname: c.host, certificate: c.good, verificationResult: unknownIssuer }, [c.trustedCaPem], later)).toBe(REFUSE);
  });
});
