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
import { GroupCommit } from '../../common/jobs/group-commit.js';
import { Settling } from '../../common/jobs/sweep.js';
import {
  MailboxRepository,
  type RefreshCandidate,
  type RefreshedRow,
} from './mailbox.repository.js';
import { refreshScopes } from './mailbox.rules.js';
import { openSecret, REFRESH_TOKEN_PURPOSE, sealTokens } from './mailbox.secrets.js';

export type RefreshOutcome = 'refreshed' | 'retry' | 'reauth' | 'skipped';

const CONFIGURATION_RETRY_S = 15 * 60;

/**
 * One refresh of a leased credential, shared by the cron and on-demand callers: stores the
 * rotated tokens with their next scheduled refresh, or records the failure (retry time and the
 * mailbox's token_refresh_failing reason, or needs_reauth for a dead grant).
 */
@Injectable()
export class MailboxRefreshService {
  private readonly logger = new Logger(MailboxRefreshService.name);
  /** Stored tokens of refreshes that finish together go in one statement (group commit). */
  private readonly refreshed = new GroupCommit<RefreshedRow>((rows) =>
    this.mailboxes.recordRefreshedMany(rows),
  );

  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly identity: IdentityPlatformClient,
    private readonly vault: TokenVault,
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  /** Refreshes a mailbox whose credential this worker has leased; always releases the lease. */
  async refreshClaimed(mailboxId: string): Promise<RefreshOutcome> {
    const [candidate] = await this.mailboxes.findRefreshCandidates([mailboxId]);
    return candidate ? this.refreshCandidate(candidate) : 'skipped';
  }

  /** As refreshClaimed, with the leased rows already loaded (the cron loads a batch at once). */
  async refreshCandidate(cred: RefreshCandidate): Promise<RefreshOutcome> {
    const outcome = await this.refreshLeased(cred);
    return outcome instanceof Settling ? outcome.outcome : outcome;
  }

  /**
   * As refreshCandidate, for the sweep: returns once Microsoft has answered; a refreshed
   * credential's tokens are then still being group-committed (`Settling`, resolved once they are
   * stored; until then the lease keeps other callers waiting for them).
   */
  async refreshLeased(cred: RefreshCandidate): Promise<RefreshOutcome | Settling<RefreshOutcome>> {
    const { mailbox } = cred;
    if (mailbox.disconnectedAt || mailbox.status !== 'active' || !cred.refreshToken) {
      await this.mailboxes.releaseClaim(mailbox.id);
      return 'skipped';
    }
    let tokens: TokenSet;
    try {
      const refreshToken = openSecret(
        this.vault,
        mailbox.id,
        cred.refreshToken,
        REFRESH_TOKEN_PURPOSE,
      );
      tokens = await this.identity.refresh(
        mailbox.tenantId,
        refreshToken,
        refreshScopes(cred.scopes),
      );
    } catch (error) {
      if (!(error instanceof TokenGrantError)) {
        await this.mailboxes.releaseClaim(mailbox.id);
        throw error;
      }
      return this.handleFailure(cred, error);
    }
    const sealed = sealTokens(this.vault, mailbox.id, tokens, new Date());
    // Microsoft returns a new refresh token on every use; keep the old one if it did not.
    const refreshToken = sealed.refreshToken ?? cred.refreshToken;
    const stored = this.refreshed.add({
      mailboxId: mailbox.id,
      tokens: { ...sealed, refreshToken },
      now: new Date(),
    });
    return new Settling(stored.then(() => 'refreshed' as const));
  }

  private async handleFailure(
    cred: RefreshCandidate,
    error: TokenGrantError,
  ): Promise<RefreshOutcome> {
    const { mailbox } = cred;
    const attempts = cred.refreshAttempts + 1;
    const kind = classifyTokenFailure(error.status, error.error);
    const log = failureLog(mailbox.id, attempts, error);
    if (kind === 'reauth') {
      await this.markNeedsReauth(mailbox.id, mailbox.workspaceId, error.error);
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
    const retryAt = new Date(Date.now() + delayS * 1000);
    const failure = { attempts, retryAt, error: error.error };
    await this.mailboxes.recordRefreshFailure(mailbox.id, failure, new Date());
    return 'retry';
  }

  private async markNeedsReauth(
    mailboxId: string,
    workspaceId: string,
    reason: string,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.mailboxes.markNeedsReauth(tx, mailboxId, reason, new Date());
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
}

function failureLog(mailboxId: string, attempts: number, error: TokenGrantError) {
  return {
    mailboxId,
    attempts,
    status: error.status,
    error: error.error,
    errorCodes: error.errorCodes,
    correlationId: error.correlationId,
  };
}
