import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { generate } from 'selfsigned';

/** The tenant-independent signing key, published in every tenant's JWKS (as Entra ID does). */
export interface SigningKeys {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwks: { keys: Jwk[] };
}

export interface Jwk {
  kty: string;
  use: string;
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
  cloud_instance_name: string;
  issuer: string;
}

export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = await generate([{ name: 'commonName', value: 'accounts.sandbox.emulator' }], {
    algorithm: 'sha256',
    keyPair: {
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
  });
  const der = Buffer.from(cert.cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  // Entra ID's v2 keys use the certificate thumbprint as both kid and x5t.
  const kid = createHash('sha1').update(der).digest('base64url');
  const { n, e } = publicKey.export({ format: 'jwk' });
  const jwk: Jwk = {
    kty: 'RSA',
    use: 'sig',
    kid,
    x5t: kid,
    n: n ?? '',
    e: e ?? '',
    x5c: [der.toString('base64')],
    cloud_instance_name: 'microsoftonline.com',
    issuer: '',
  };
  return { kid, privateKey, publicKey, jwks: { keys: [jwk] } };
}
