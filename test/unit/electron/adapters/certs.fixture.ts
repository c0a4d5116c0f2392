import { generate } from 'selfsigned';

/**
 * Certificate chains for the sign-in window's trust decision, built the way an attacker or a broken
 * server would present them. A chain is modelled as Electron hands it to setCertificateVerifyProc:
 * `{ data: PEM, issuerCert?: <the next certificate the server sent> }`.
 */
export interface ChainCert {
  data: string;
  issuerCert?: ChainCert;
}

const CA_NAME = [
  { name: 'commonName', value: 'Fabrikam TLS Inspection CA' },
  { name: 'organizationName', value: 'Fabrikam' },
];
const hour = 3600_000;

async function makeCa(notBeforeDate = new Date(Date.now() - hour), notAfterDate = new Date(Date.now() + 30 * 24 * hour)) {
  return generate(CA_NAME, {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
}

async function makeLeaf(ca: { private: string; cert: string }, host: string, notBeforeDate = new Date(Date.now() - hour), notAfterDate = new Date(Date.now() + 30 * 24 * hour)) {
  return generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
    ],
  });
}

export interface Chains {
  /** The CA the user configured (a TLS-inspecting proxy's). */
  trustedCaPem: string;
  host: string;
  /** leaf for `host` signed by the trusted CA, sent with the CA. */
  good: ChainCert;
  /** leaf signed by the attacker's own key under the trusted CA's name, sent with a copy of the trusted CA. */
  forged: ChainCert;
  /** a genuine leaf of the trusted CA, but for another host. */
  wrongHost: ChainCert;
  /** a genuine leaf of the trusted CA whose validity ended yesterday. */
  expired: ChainCert;
  /** a genuine leaf of the trusted CA that is not valid yet. */
  notYetValid: ChainCert;
}

export async function makeChains(host = 'login.microsoftonline.com'): Promise<Chains> {
  const ca = await makeCa();
  const attacker = await makeCa(); // same subject name, different key
  const caCopy: ChainCert = { data: ca.cert };
  const chain = (leaf: { cert: string }): ChainCert => ({ data: leaf.cert, issuerCert: caCopy });
  return {
    trustedCaPem: ca.cert,
    host,
    good: chain(await makeLeaf(ca, host)),
    forged: chain(await makeLeaf(attacker, host)),
    wrongHost: chain(await makeLeaf(ca, 'evil.example.net')),
    expired: chain(await makeLeaf(ca, host, new Date(Date.now() - 40 * 24 * hour), new Date(Date.now() - 24 * hour))),
    notYetValid: chain(await makeLeaf(ca, host, new Date(Date.now() + 24 * hour), new Date(Date.now() + 40 * 24 * hour))),
  };
}
