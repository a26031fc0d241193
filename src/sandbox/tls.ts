import { generate } from 'selfsigned';

export interface TlsMaterial {
  /** PEM of the CA that clients trust (pass it to their https agent / undici dispatcher). */
  caCertPem: string;
  /** Server certificate for 127.0.0.1 and localhost, issued by the CA. */
  certPem: string;
  keyPem: string;
}

const DAY_MS = 86_400_000;

/**
 * A throwaway CA and a server certificate signed by it, made at run time so no key material is
 * committed. Clients trust `caCertPem` explicitly, never by disabling verification.
 */
export async function createTlsMaterial(): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const notAfterDate = new Date(Date.now() + 365 * DAY_MS);
  const ca = await generate([{ name: 'commonName', value: 'M365 Emulator Sandbox CA' }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { caCertPem: ca.cert, certPem: server.cert, keyPem: server.private };
}
