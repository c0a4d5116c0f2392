import { describe, expect, it } from 'vitest';
import { redact, redactDeep } from '../../../../shared/diagnosis/redact';

// The JSON outputs of push, rotate, certificate, lint and register go through redact(JSON.stringify(doc)).
const json = (v: unknown) => redact(JSON.stringify(v, null, 2), ['s3cr3t~Value.0123456789']);

describe('redact keeps diagnosis and error codes, still blanks authorization codes', () => {
  it.each(['target-bad-credentials', 'target-unreachable', 'rotation-none-open', 'NotFound', 'ECONNREFUSED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'AADSTS7000215', 'invalid_grant'.toUpperCase()])('"code": "%s" survives', (code) => {
    expect(JSON.parse(json({ diagnosis: { code, title: 't' } })).diagnosis.code).toBe(code);
  });

  it('an OAuth authorization code in a JSON "code" field, a URL, a form body is redacted', () => {
    const authCode = '0.AXoAfhJ8T3uNWU6aYSt8XY6fAREh7zkGFFtMjW0AAAAAAAAAAAB6AAA.AgABBAIAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P8';
    const short = 'Mx9q2Lp7Zr4T';
    expect(json({ code: authCode })).not.toContain(authCode);
    expect(json({ code: short })).not.toContain(short);
    expect(redact(`https://app.fabrikam.com/oauth?code=${short}&state=abc`)).not.toContain(short);
    expect(redact(`grant_type=authorization_code&code=${short}&redirect_uri=x`)).not.toContain(short);
    expect(redactDeep({ evidence: { text: `{"code":"${short}"}` } }).evidence.text).not.toContain(short);
  });

  it('secrets in the same document are still redacted', () => {
    const out = json({ diagnosis: { code: 'target-validation', evidence: { text: 'clientSecret s3cr3t~Value.0123456789 refused' } }, client_secret: 'x-y-z', accessToken: 'abc' });
    expect(out).not.toContain('s3cr3t~Value.0123456789');
    expect(out).toContain('"code": "target-validation"');
    expect(JSON.parse(out).client_secret).toBe('[redacted]');
    expect(JSON.parse(out).accessToken).toBe('[redacted]');
  });
});
