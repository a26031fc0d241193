import { Injectable } from '@nestjs/common';
import { AppTokenService } from '../../common/microsoft/app-token.service.js';
import { graphFailureOf } from '../../common/microsoft/graph-error.js';
import {
  classifyAppTokenFailure,
  retryDelaySec,
} from '../../common/microsoft/token-error.rules.js';
import { TokenGrantError } from '../../common/microsoft/token-grant.error.js';
import { MailboxTokenUnavailableError } from './mailbox.errors.js';
import {
  MailboxAccessDeniedError,
  OrganizationConsentMissingError,
} from './organization-mailbox.errors.js';
import { OrganizationMailboxService } from './organization-mailbox.service.js';

interface OrganizationMailbox {
  id: string;
  tenantId: string;
}

/**
 * App-only access of organization mailboxes, with what Microsoft's refusals mean for them:
 * the token endpoint saying the app has no service principal (consent gone) or Graph 403s.
 * Refusals become domain errors, so callers treat them like a mailbox that cannot be used now.
 */
@Injectable()
export class OrganizationGraphAccess {
  constructor(
    private readonly appTokens: AppTokenService,
    private readonly organizations: OrganizationMailboxService,
  ) {}

  /** The tenant's app-only token (`renew`: not the cached one). */
  async token(mailbox: OrganizationMailbox, renew = false): Promise<string> {
    if (renew) this.appTokens.forget(mailbox.tenantId);
    try {
      return await this.appTokens.token(mailbox.tenantId);
    } catch (error) {
      throw await this.tokenFailure(mailbox, error);
    }
  }

  /**
   * Graph answered 403. `ErrorAccessDenied`: an access policy hides this mailbox (marked, and
   * thrown as MailboxAccessDeniedError). `Authorization_RequestDenied`: the app's rights may be
   * gone with the cached token: a fresh token to try once more is returned (its absence throws
   * OrganizationConsentMissingError). Anything else is the caller's.
   */
  async afterForbidden(mailbox: OrganizationMailbox, error: unknown): Promise<string> {
    const { code } = graphFailureOf(error);
    if (code === 'ErrorAccessDenied') {
      await this.organizations.reportRefused(mailbox.id, 'access_denied');
      throw new MailboxAccessDeniedError();
    }
    if (code !== 'Authorization_RequestDenied') throw error;
    return this.token(mailbox, true);
  }

  /** The retry after a refusal: refused again for the app's rights → consent is gone. */
  async retried<T>(mailbox: OrganizationMailbox, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const failure = graphFailureOf(error);
      if (failure.status !== 403 || failure.code !== 'Authorization_RequestDenied') throw error;
      await this.organizations.reportRefused(mailbox.id, 'consent_missing');
      throw new OrganizationConsentMissingError();
    }
  }

  private async tokenFailure(mailbox: OrganizationMailbox, error: unknown): Promise<unknown> {
    if (!(error instanceof TokenGrantError)) return error;
    if (classifyAppTokenFailure(error.status, error.error) === 'consent_missing') {
      await this.organizations.reportRefused(mailbox.id, 'consent_missing');
      return new OrganizationConsentMissingError();
    }
    const retryAt = new Date(Date.now() + retryDelaySec(1, error.retryAfterSec) * 1000);
    return new MailboxTokenUnavailableError(retryAt, `app-only token: ${error.error}`);
  }
}
