import { describe, expect, it } from 'vitest';
import { redact } from '../../../../shared/diagnosis/redact';

// Finding 8 (issue 13): a secret must not slip through redaction because it was encoded on its way
// into a log line or an error text.
const SECRET = 'Erp~Secret.Value_0123456789abcdefGHIJ';
const WITH_QUOTE = 'Qx7"back\\slash/and~tilde_0123456789';

describe('redaction of encoded secrets', () => {
  it('form-encoded (application/x-www-form-urlencoded turns ~ into %7E)', () => {
    const body = new URLSearchParams({ client_id: 'abc', client_secret_x: SECRET }).toString();
    expect(body).toContain('%7E');
    expect(redact(`POST /token ${body}`, [SECRET])).not.toContain('Secret.Value_0123456789');
  });
  it('percent-encoded with lower-case hex, and with every character encoded', () => {
    const lower = encodeURIComponent(SECRET).replace(/~/g, '%7e');
    expect(redact(`x=${lower}`, [SECRET])).not.toContain('Secret.Value_0123456789');
    const all = [...SECRET].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');
    expect(redact(`x=${all}`, [SECRET])).not.toContain(all.slice(0, 30));
  });
  it('JSON-escaped inside a body that was itself stringified', () => {
    const json = JSON.stringify({ note: `value ${WITH_QUOTE}` });
    const twice = JSON.stringify(json);
    expect(redact(json, [WITH_QUOTE])).not.toContain('back');
    expect(redact(twice, [WITH_QUOTE])).not.toContain('back');
  });
  it('truncated: a long prefix of the secret, as a log line cut it', () => {
    const cut = SECRET.slice(0, 20);
    expect(redact(`invalid client secret "${cut}..."`, [SECRET])).not.toContain(cut);
    expect(redact(`...${SECRET.slice(8)}`, [SECRET])).not.toContain(SECRET.slice(8));
  });
  it('case-changed (a server upper-cased or lower-cased it in its error text)', () => {
    expect(redact(`bad secret ${SECRET.toUpperCase()}`, [SECRET])).not.toContain(SECRET.toUpperCase());
    expect(redact(`bad secret ${SECRET.toLowerCase()}`, [SECRET])).not.toContain(SECRET.toLowerCase());
  });
  it('base64url as well as base64', () => {
    const b64url = Buffer.from(`user=a\u0001auth=Bearer ${SECRET}`).toString('base64url');
    expect(redact(`AUTH ${b64url}`, [SECRET])).not.toContain(b64url.slice(10, 40));
    const plain = Buffer.from(SECRET).toString('base64url');
    expect(redact(`v=${plain}`, [SECRET])).not.toContain(plain);
  });
  it('opaque consumer (Microsoft account) access tokens, which are not JWTs', () => {
    const msa = 'EwBwA+l3BAAUWm1xSeJRIJK6txKjBez4GzapzqMAAWHXaD/ZmZ3Ae4iBeN4jaP5RDAj1ACzEpUIfHOpmm0s8ukMMzsZeEGvNtyHk4V0J+ML3i0jqV48sbTwYxWOplbbRKZpa5Lq0jDrMbBDkhMtUvKQgJmRERvwDE5P5CJXHPH3ofqTAIv5Y7Xl7ZY=';
    const out = redact(`Authorization failed for token ${msa} (consumers)`);
    expect(out).not.toMatch(/EwBwA|Zm0s8u|7ZY=/);
    expect(out).toContain('(consumers)');
  });
  it('keeps ordinary text, GUIDs and host names readable', () => {
    const text = 'AADSTS7000215: Invalid client secret provided. Trace ID: 0b4e2c1a-7d3f-4e59-9a61-2b7c5d8e9f01 at login.microsoftonline.com';
    expect(redact(text, [SECRET])).toBe(text);
  });
});
