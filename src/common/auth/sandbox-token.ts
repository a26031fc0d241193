import { SignJWT } from 'jose';
import type { AppConfig } from '../config/app-config.js';

export const DEMO_USER_ID = 'demo-user';
export const DEMO_WORKSPACE_ID = 'demo-workspace';
const LIFETIME_S = 12 * 60 * 60;

export interface IssuedToken {
  token: string;
  userId: string;
  workspaceId: string;
  expiresAt: string;
}

/** Signs a ScendCore-shaped bearer token for the sandbox demo user (sandbox mode only). */
export async function issueSandboxToken(
  config: AppConfig,
  key: Uint8Array,
  subject: { userId?: string; workspaceId?: string } = {},
): Promise<IssuedToken> {
  const userId = subject.userId ?? DEMO_USER_ID;
  const workspaceId = subject.workspaceId ?? DEMO_WORKSPACE_ID;
  const expires = Math.floor(Date.now() / 1000) + LIFETIME_S;
  let jwt = new SignJWT({ [config.appJwt.workspaceClaim]: workspaceId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(expires);
  if (config.appJwt.issuer) jwt = jwt.setIssuer(config.appJwt.issuer);
  if (config.appJwt.audience) jwt = jwt.setAudience(config.appJwt.audience);
  const token = await jwt.sign(key);
  return { token, userId, workspaceId, expiresAt: new Date(expires * 1000).toISOString() };
}
