import { generate } from 'selfsigned';

export interface CertSet {
  caPem: string;
  leafCert: string;
  leafKey: string;
}

const SAN = {
  name: 'subjectAltName' as const,
  altNames: [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
  ],
};

/** A CA and a leaf certificate (SAN localhost, 127.0.0.1) signed by it. EC keys: fast to generate. */
export async function makeCertSet(caName: string): Promise<CertSet> {
  const notBeforeDate = new Date(Date.now() - 3600_000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600_000);
  const ca = await generate([{ name: 'commonName', value: caName }, { name: 'organizationName', value: 'Mail OAuth Assistant test emulator' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      SAN,
    ],
  });
  return { caPem: ca.cert, leafCert: leaf.cert, leafKey: leaf.private };
}
