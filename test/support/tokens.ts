import { generateKeyPair, SignJWT } from 'jose';

export const TEST_JWT = {
  secret: 'test-secret-for-scendcore-bearer-tokens-0123456789',
  issuer: 'https://auth.scendcore.test',
  audience: 'm365-connector',
};

export function authEnv(): Record<string, string> {
  return {
    APP_JWT_SECRET: TEST_JWT.secret,
    APP_JWT_ISSUER: TEST_JWT.issuer,
    APP_JWT_AUDIENCE: TEST_JWT.audience,
  };
}

export interface TokenOptions {
  sub?: string;
  wid?: string | null;
  issuer?: string;
  audience?: string;
  expiresInSec?: number;
  secret?: string;
}

/** A ScendCore bearer token as the platform would issue it (HS256). */
export async function bearer(o: TokenOptions = {}): Promise<string> {
  const claims = o.wid === null ? {} : { wid: o.wid ?? 'ws-a' };
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(o.sub ?? 'user-a')
    .setIssuer(o.issuer ?? TEST_JWT.issuer)
    .setAudience(o.audience ?? TEST_JWT.audience)
    .setIssuedAt(now - 10)
    .setExpirationTime(now + (o.expiresInSec ?? 600))
    .sign(new TextEncoder().encode(o.secret ?? TEST_JWT.secret));
}

/** A token signed with RS256 by a key nobody trusts. */
export async function foreignRs256(): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ wid: 'ws-a' })
    .setProtectedHeader({ alg: 'RS256' })
    .setSubject('user-a')
    .setIssuer(TEST_JWT.issuer)
    .setAudience(TEST_JWT.audience)
    .setExpirationTime('10m')
    .sign(privateKey);
}
