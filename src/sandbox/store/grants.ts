import type { Clock } from '../clock.js';
import { opaqueToken } from '../ids.js';
import type { AuthorizationCode, PendingInteraction, RefreshTokenGrant } from '../model.js';

/** Authorization codes, refresh tokens, user consents and pending sign-in interactions. */
export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, RefreshTokenGrant>();
  private readonly userConsents = new Map<string, Set<string>>();
  private readonly interactions = new Map<string, PendingInteraction>();
  /** Browser sign-in sessions (the SSO cookie): session id → user id. */
  private readonly sessions = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  issueAuthorizationCode(grant: Omit<AuthorizationCode, 'code' | 'redeemed'>): AuthorizationCode {
    const code: AuthorizationCode = { ...grant, code: opaqueToken(64), redeemed: false };
    this.codes.set(code.code, code);
    return code;
  }

  findAuthorizationCode(code: string): AuthorizationCode | undefined {
    return this.codes.get(code);
  }

  markCodeRedeemed(code: string): void {
    const found = this.codes.get(code);
    if (found) found.redeemed = true;
  }

  issueRefreshToken(
    grant: Omit<RefreshTokenGrant, 'token' | 'issuedAt' | 'revoked'>,
  ): RefreshTokenGrant {
    const stored: RefreshTokenGrant = {
      ...grant,
      token: `1.${opaqueToken(96)}`,
      issuedAt: this.clock.now(),
      revoked: false,
    };
    this.refreshTokens.set(stored.token, stored);
    return stored;
  }

  findRefreshToken(token: string): RefreshTokenGrant | undefined {
    return this.refreshTokens.get(token);
  }

  /** Revokes every refresh token of a user ("revoke sessions"); returns how many. */
  revokeRefreshTokensOfUser(userId: string): number {
    let count = 0;
    for (const grant of this.refreshTokens.values()) {
      if (grant.userId !== userId || grant.revoked) continue;
      grant.revoked = true;
      count++;
    }
    return count;
  }

  revokeRefreshToken(token: string): boolean {
    const grant = this.refreshTokens.get(token);
    if (!grant) return false;
    grant.revoked = true;
    return true;
  }

  listRefreshTokens(userId?: string): RefreshTokenGrant[] {
    const all = [...this.refreshTokens.values()];
    return userId ? all.filter((g) => g.userId === userId) : all;
  }

  recordUserConsent(userId: string, clientId: string, scopes: string[]): void {
    const key = `${userId}|${clientId}`;
    const set = this.userConsents.get(key) ?? new Set<string>();
    scopes.forEach((s) => set.add(s));
    this.userConsents.set(key, set);
  }

  userConsentedScopes(userId: string, clientId: string): string[] {
    return [...(this.userConsents.get(`${userId}|${clientId}`) ?? [])];
  }

  revokeUserConsent(userId: string, clientId: string): void {
    this.userConsents.delete(`${userId}|${clientId}`);
  }

  saveInteraction(interaction: PendingInteraction): void {
    this.interactions.set(interaction.id, interaction);
  }

  /** A pending interaction that has not expired. */
  findInteraction(id: string): PendingInteraction | undefined {
    const found = this.interactions.get(id);
    if (!found || found.expiresAt.getTime() < this.clock.nowMs()) return undefined;
    return found;
  }

  endInteraction(id: string): void {
    this.interactions.delete(id);
  }

  startSession(userId: string): string {
    const id = opaqueToken(24);
    this.sessions.set(id, userId);
    return id;
  }

  findSessionUser(sessionId: string): string | undefined {
    return this.sessions.get(sessionId);
  }

  endSession(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  clear(): void {
    this.sessions.clear();
    this.codes.clear();
    this.refreshTokens.clear();
    this.userConsents.clear();
    this.interactions.clear();
  }
}
