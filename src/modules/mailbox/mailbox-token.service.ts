import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../common/audit/audit.service.js';
import { TokenVault } from '../../common/crypto/vault.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import { OutboxService } from '../../common/events/outbox.service.js';
import {
  IdentityPlatformClient,
  type TokenSet,
} from '../../common/microsoft/identity-platform.client.js';
import { TokenGrantError } from '../../common/microsoft/token-grant.error.js';
import { classifyTokenFailure, retryDelaySec } from '../../common/microsoft/token-error.rules.js';
import {
  MailboxNeedsReauthError,
  MailboxNotFoundError,
  MailboxTokenUnavailableError,
} from './mailbox.errors.js';
import {
  MailboxRepository,
  type RefreshCandidate,
  type SealedTokens,
} from './mailbox.repository.js';
import { isFresh, refreshScopes } from './mailbox.rules.js';
import {
  ACCESS_TOKEN_PURPOSE,
  CREDENTIAL_TABLE,
  REFRESH_TOKEN_PURPOSE,
} from './mailbox.secrets.js';

export type RefreshOutcome = 'refreshed' | 'retry' | 'reauth' | 'skipped';

const LEASE_MS = 60_000;
const WAIT_FOR_OTHER_MS = 15_000;
const CONFIGURATION_RETRY_S = 15 * 60;

/**
 * The one place Graph callers get a valid delegated token, and the refresh logic the cron and
 * on-demand callers share. A refresh runs only under a lease on the credential row, so one
 * mailbox is never refreshed twice at once by any number of instances.
 */
@Injectable()
export class MailboxTokenService {
  private readonly logger = new Logger(MailboxTokenService.name);

  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly identity: IdentityPlatformClient,
    private readonly vault: TokenVault,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  seal(mailboxId: string, tokens: TokenSet): SealedTokens {
    const ctx = (purpose: string) => ({ table: CREDENTIAL_TABLE, rowId: mailboxId, purpose });
    return {
      accessToken: this.vault.encrypt(tokens.accessToken, ctx(ACCESS_TOKEN_PURPOSE)),
      refreshToken: tokens.refreshToken
        ? this.vault.encrypt(tokens.refreshToken, ctx(REFRESH_TOKEN_PURPOSE))
        : null,
      accessTokenExpiresAt: tokens.expiresAt,
      scopes: tokens.scope,
    };
  }

  /** A delegated access token with at least five minutes to live, refreshing if needed. */
  async accessToken(mailboxId: string): Promise<string> {
    const deadline = Date.now() + WAIT_FOR_OTHER_MS;
    for (;;) {
      const mailbox = await this.mailboxes.findActiveWithCredential(mailboxId);
      if (!mailbox) throw new MailboxNotFoundError();
      if (mailbox.status === 'needs_reauth') throw new MailboxNeedsReauthError();
      const cred = mailbox.credential;
      if (!cred?.refreshToken && !cred?.accessToken) throw new MailboxNeedsReauthError();
      if (cred.accessToken && isFresh(cred.accessTokenExpiresAt, new Date())) {
        return this.open(mailboxId, cred.accessToken, ACCESS_TOKEN_PURPOSE);
      }
      if (await this.mailboxes.claimOne(mailboxId, LEASE_MS)) {
        const outcome = await this.refreshClaimed(mailboxId);
        if (outcome === 'reauth') throw new MailboxNeedsReauthError();
        if (outcome !== 'refreshed') throw new MailboxTokenUnavailableError(outcome);
        continue;
      }
      if (Date.now() > deadline) throw new MailboxTokenUnavailableError('refresh in progress');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Refreshes a mailbox whose credential this worker has leased; always releases the lease. */
  async refreshClaimed(mailboxId: string): Promise<RefreshOutcome> {
    const [candidate] = await this.mailboxes.findRefreshCandidates([mailboxId]);
    return candidate ? this.refreshCandidate(candidate) : 'skipped';
  }

  /** As refreshClaimed, with the leased rows already loaded (the cron loads a batch at once). */
  async refreshCandidate(cred: RefreshCandidate): Promise<RefreshOutcome> {
    const { mailbox } = cred;
    if (mailbox.disconnectedAt || mailbox.status !== 'active' || !cred.refreshToken) {
      await this.mailboxes.releaseClaim(mailbox.id);
      return 'skipped';
    }
    const refreshToken = this.open(mailbox.id, cred.refreshToken, REFRESH_TOKEN_PURPOSE);
    try {
      const tokens = await this.identity.refresh(
        mailbox.tenantId,
        refreshToken,
        refreshScopes(cred.scopes),
      );
      // Microsoft returns a new refresh token on every use; keep the old one if it did not.
      const sealed = this.seal(mailbox.id, tokens);
      await this.mailboxes.recordRefreshed(
        mailbox.id,
        { ...sealed, refreshToken: sealed.refreshToken ?? cred.refreshToken },
        new Date(),
      );
      return 'refreshed';
    } catch (error) {
      if (!(error instanceof TokenGrantError)) {
        await this.mailboxes.releaseClaim(mailbox.id);
        throw error;
      }
      return this.handleFailure(mailbox.id, mailbox.workspaceId, cred.refreshAttempts + 1, error);
    }
  }

  private async handleFailure(
    mailboxId: string,
    workspaceId: string,
    attempts: number,
    error: TokenGrantError,
  ): Promise<RefreshOutcome> {
    const kind = classifyTokenFailure(error.status, error.error);
    const log = {
      mailboxId,
      attempts,
      status: error.status,
      error: error.error,
      errorCodes: error.errorCodes,
      correlationId: error.correlationId,
    };
    if (kind === 'reauth') {
      await this.markNeedsReauth(mailboxId, workspaceId, error.error);
      this.logger.warn(log, 'refresh grant rejected: mailbox needs re-authentication');
      return 'reauth';
    }
    const delayS =
      kind === 'configuration'
        ? CONFIGURATION_RETRY_S
        : retryDelaySec(attempts, error.retryAfterSec);
    if (kind === 'configuration') {
      this.logger.error(
        log,
        'token refresh refused our app credentials: check MICROSOFT_CLIENT_ID/SECRET',
      );
    } else {
      this.logger.warn({ ...log, retryInS: delayS }, 'token refresh failed; will retry');
    }
    await this.mailboxes.recordRefreshFailure(
      mailboxId,
      attempts,
      new Date(Date.now() + delayS * 1000),
      error.error,
    );
    return 'retry';
  }

  private async markNeedsReauth(
    mailboxId: string,
    workspaceId: string,
    reason: string,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.mailboxes.markNeedsReauth(tx, mailboxId, reason);
      await this.outbox.record(tx, 'mailbox.reauth-required', { mailboxId, workspaceId, reason });
      await this.audit.record(tx, {
        workspaceId,
        actor: { type: 'system' },
        action: 'mailbox.reauth_required',
        target: { type: 'mailbox', id: mailboxId },
        metadata: { reason },
      });
    });
  }

  private open(mailboxId: string, ciphertext: string, purpose: string): string {
    return this.vault.decrypt(ciphertext, { table: CREDENTIAL_TABLE, rowId: mailboxId, purpose });
  }
}
