import { createSign, createVerify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: { alg?: string; kid?: string; typ?: string };
  claims: JwtClaims;
}

/** Signs an RS256 JWT. node:crypto directly: small, fast, no async. */
export function signRs256(claims: JwtClaims, key: KeyObject, kid: string): string {
  const header = { typ: 'JWT', alg: 'RS256', kid, x5t: kid };
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

/** Checks the RS256 signature and returns the decoded token, or null when it is not valid. */
export function verifyRs256(token: string, key: KeyObject): DecodedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const decoded = decodeJwt(token);
  if (!decoded || decoded.header.alg !== 'RS256') return null;
  const valid = createVerify('RSA-SHA256')
    .update(`${parts[0]}.${parts[1]}`)
    .verify(key, Buffer.from(parts[2], 'base64url'));
  return valid ? decoded : null;
}

export function decodeJwt(token: string): DecodedJwt | null {
  const [header, payload] = token.split('.');
  try {
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
      claims: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')),
    };
  } catch {
    return null;
  }
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
