import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../common/audit/audit.service.js';
import type { Actor } from '../../common/auth/actor.js';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import { IdTokenVerifier } from '../../common/microsoft/id-token.verifier.js';
import { IdentityPlatformClient } from '../../common/microsoft/identity-platform.client.js';
import { APPLICATION_PERMISSIONS } from '../../common/microsoft/scopes.js';
import { TokenGrantError } from '../../common/microsoft/token-grant.error.js';
import { InvalidConsentReturnToError } from './admin-consent.errors.js';
import type { ReviewPage } from './admin-consent.page.js';
import {
  adminConsentUrl,
  allowedReturnTo,
  attemptIdOf,
  CONSENT_SCOPES,
  judgeCallback,
  judgeIdToken,
  linkSecret,
  nonceOf,
  withQuery,
  type AdminConsentErrorCode,
} from './admin-consent.rules.js';
import { ConsentAttemptRepository, type ConsentAttemptRow } from './consent-attempt.repository.js';
import { OrganizationService } from './organization.service.js';

export const START_PATH = '/v1/microsoft/admin-consent/start';
export const CALLBACK_PATH = '/v1/microsoft/admin-consent/callback';
/** How long the callback waits for the first sync before redirecting (the rest goes on). */
const INLINE_SYNC_MS = 8_000;

export interface StartInput {
  tenant?: string;
  returnTo?: string;
  workspaceName?: string;
  requestedBy?: string;
}

/**
 * The admin consent hand-off: a one-time link (24 h) for an IT admin, the page it opens, and the
 * callback from Microsoft's authorize endpoint with `prompt=admin_consent` (state, then error,
 * then the code, whose verified id_token names the tenant).
 */
@Injectable()
export class AdminConsentService {
  private readonly logger = new Logger(AdminConsentService.name);

  constructor(
    private readonly attempts: ConsentAttemptRepository,
    private readonly organizations: OrganizationService,
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly identityPlatform: IdentityPlatformClient,
    private readonly idTokens: IdTokenVerifier,
  ) {}

  async start(
    actor: Actor,
    input: StartInput,
  ): Promise<{ authorizationUrl: string; expiresAt: Date }> {
    const returnTo = input.returnTo ?? this.defaultReturnTo();
    if (!allowedReturnTo(returnTo, this.config.frontendUrls))
      throw new InvalidConsentReturnToError();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.organizations.consentLinkHours * 3600_000);
    await this.attempts.create({
      id: attemptIdOf(secret),
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      workspaceName: input.workspaceName ?? null,
      requestedBy: input.requestedBy ?? null,
      tenant: input.tenant && input.tenant !== 'organizations' ? input.tenant.toLowerCase() : null,
      returnTo,
      expiresAt,
    });
    await this.audit.record(this.prisma, {
      workspaceId: actor.workspaceId,
      actor: { type: 'user', id: actor.userId },
      action: 'organization.consent_link_created',
      metadata: { tenant: input.tenant ?? null, expiresAt: expiresAt.toISOString() },
    });
    this.logger.log({ workspaceId: actor.workspaceId, expiresAt }, 'admin consent link created');
    const query = new URLSearchParams({ link: secret });
    return { authorizationUrl: `${this.config.publicUrl}${START_PATH}?${query}`, expiresAt };
  }

  /** What the link's page shows: the request and the Continue URL, or why it cannot be used. */
  async review(link: unknown): Promise<ReviewPage> {
    const secret = linkSecret(link);
    const attempt = secret ? await this.attempts.find(attemptIdOf(secret)) : null;
    if (!secret || !attempt) return { kind: 'unknown' };
    if (attempt.consumedAt) return { kind: 'used' };
    if (attempt.expiresAt <= new Date()) return { kind: 'expired' };
    return {
      kind: 'ready',
      workspaceId: attempt.workspaceId,
      workspaceName: attempt.workspaceName,
      requestedBy: attempt.requestedBy,
      tenant: attempt.tenant,
      expiresAt: attempt.expiresAt,
      permissions: APPLICATION_PERMISSIONS,
      continueUrl: adminConsentUrl({
        authorityHost: this.config.microsoft.authorityHost,
        tenant: attempt.tenant,
        clientId: this.config.microsoft.clientId ?? '',
        redirectUri: `${this.config.publicUrl}${CALLBACK_PATH}`,
        state: secret,
      }),
    };
  }

  /**
   * Microsoft's redirect → where to send the browser (`?organization=` or `?error=`). The
   * organization is created for the tenant of the verified id_token, never the query's `tenant`.
   */
  async complete(query: Record<string, unknown>): Promise<string> {
    const secret = linkSecret(query.state);
    const attempt = secret ? await this.attempts.consume(attemptIdOf(secret), new Date()) : null;
    if (!secret || !attempt) {
      this.logger.warn('admin consent callback with an unknown, used or expired state');
      return withQuery(this.defaultReturnTo(), 'error', 'invalid_state');
    }
    const callback = judgeCallback(query);
    const verdict = callback.ok
      ? judgeIdToken(await this.consentingTenant(attempt, callback.code, secret), attempt.tenant)
      : callback;
    if (!verdict.ok) return this.refuse(attempt, verdict);
    const organization = await this.organizations.grantConsent({
      workspaceId: attempt.workspaceId,
      userId: attempt.userId,
      tenantId: verdict.tenantId,
    });
    await this.organizations.syncNow(organization.id, INLINE_SYNC_MS);
    return withQuery(attempt.returnTo, 'organization', organization.id);
  }

  /** Redeems the code and verifies its id_token: the tenant whose admin consented, or null. */
  private async consentingTenant(
    attempt: ConsentAttemptRow,
    code: string,
    secret: string,
  ): Promise<string | null> {
    const tokens = await this.identityPlatform
      .redeemCode(attempt.tenant ?? 'organizations', {
        code,
        redirectUri: `${this.config.publicUrl}${CALLBACK_PATH}`,
        scopes: CONSENT_SCOPES,
      })
      .catch((error: unknown) => {
        const reason = error instanceof TokenGrantError ? error.error : 'unknown';
        this.logger.warn(
          { workspaceId: attempt.workspaceId, reason },
          'admin consent code refused',
        );
        return null;
      });
    if (!tokens?.idToken) return null;
    const verified = await this.idTokens.verify(tokens.idToken, nonceOf(secret));
    return verified?.tenantId ?? null;
  }

  private async refuse(
    attempt: ConsentAttemptRow,
    verdict: { error: Exclude<AdminConsentErrorCode, 'invalid_state'>; detail: string },
  ): Promise<string> {
    this.logger.warn(
      { workspaceId: attempt.workspaceId, error: verdict.error, detail: verdict.detail },
      'admin consent not granted',
    );
    await this.audit.record(this.prisma, {
      workspaceId: attempt.workspaceId,
      actor: { type: 'user', id: attempt.userId },
      action: 'organization.consent_refused',
      metadata: { error: verdict.error, detail: verdict.detail },
    });
    return withQuery(attempt.returnTo, 'error', verdict.error);
  }

  /** Hourly: forget links that expired more than a day ago. */
  forgetExpired(): Promise<number> {
    return this.attempts.deleteExpiredBefore(new Date(Date.now() - 24 * 3600_000));
  }

  private defaultReturnTo(): string {
    return `${this.config.frontendUrls[0]}/settings/email-setup`;
  }
}
