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
/**
 * A token verified here is trusted again without re-checking its signature for this long (never
 * past its expiry): a client sends the same bearer on every call, and the signature check was
 * the largest CPU cost of a hot read. A JWKS key withdrawn from the URL stops being accepted
 * within this bound.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_CACHE_MAX = 10_000;

/** Verifies ScendCore's bearer JWTs (HS256 secret or a JWKS URL; issuer, audience, expiry). */
@Injectable()
export class TokenVerifier {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  /** Token → its actor and until when it is trusted without a signature check. */
  private readonly verified = new Map<string, { actor: Actor; until: number }>();

  constructor(
    private readonly config: AppConfig,
    private readonly secret: AppJwtSecret,
  ) {
    if (config.appJwt.jwksUrl) this.jwks = createRemoteJWKSet(new URL(config.appJwt.jwksUrl));
  }

  async verify(token: string): Promise<Actor> {
    const now = Date.now();
    const cached = this.verified.get(token);
    if (cached && cached.until > now) return cached.actor;
    if (cached) this.verified.delete(token);
    const payload = await this.verifySignature(token);
    const actor = this.actorOf(payload);
    if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
    // exp is required: trusted until it (with the same tolerance jwtVerify gave) or the TTL.
    const expiresAt = ((payload.exp as number) + CLOCK_TOLERANCE_S) * 1000;
    this.verified.set(token, { actor, until: Math.min(expiresAt, now + VERIFIED_TOKEN_TTL_MS) });
    return actor;
  }

  private actorOf(payload: JWTPayload): Actor {
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
