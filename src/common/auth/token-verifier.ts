import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { AppConfig } from '../config/app-config.js';
import { textProblem } from '../http/text-rules.js';
import type { Actor } from './actor.js';
import { UnauthenticatedError } from './auth.errors.js';
import { AppJwtSecret } from './app-jwt-secret.js';

const CLOCK_TOLERANCE_S = 30;
/** Ids from the token become keys and rows here: short, one line, valid Unicode. */
export const MAX_CLAIM_LENGTH = 256;

/** Verifies ScendCore's bearer JWTs (HS256 secret or a JWKS URL; issuer, audience, expiry). */
@Injectable()
export class TokenVerifier {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly config: AppConfig,
    private readonly secret: AppJwtSecret,
  ) {
    if (config.appJwt.jwksUrl) this.jwks = createRemoteJWKSet(new URL(config.appJwt.jwksUrl));
  }

  async verify(token: string): Promise<Actor> {
    const payload = await this.verifySignature(token);
    const workspaceId = payload[this.config.appJwt.workspaceClaim];
    if (!isIdClaim(payload.sub)) {
      throw new UnauthenticatedError('The token has no valid subject.');
    }
    if (!isIdClaim(workspaceId)) {
      throw new UnauthenticatedError('The token names no valid workspace.');
    }
    return { userId: payload.sub, workspaceId };
  }

  private async verifySignature(token: string): Promise<JWTPayload> {
    const options = {
      issuer: this.config.appJwt.issuer,
      audience: this.config.appJwt.audience,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp'],
    };
    try {
      const result = this.jwks
        ? await jwtVerify(token, this.jwks, options)
        : await jwtVerify(token, this.secret.key(), { ...options, algorithms: ['HS256'] });
      return result.payload;
    } catch {
      throw new UnauthenticatedError('The bearer token is invalid or expired.');
    }
  }
}

function isIdClaim(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_CLAIM_LENGTH &&
    !textProblem(value, 'header')
  );
}
