import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { TokenVault } from '../../common/crypto/vault.js';
import type { TokenSet } from '../../common/microsoft/identity-platform.client.js';
import {
  MailboxNeedsReauthError,
  MailboxNotFoundError,
  MailboxTokenUnavailableError,
} from './mailbox.errors.js';
import { type CredentialRow, MailboxRepository, type SealedTokens } from './mailbox.repository.js';
import {
  afterRejectionAction,
  type CredentialState,
  onDemandAction,
  type TokenAction,
} from './mailbox.rules.js';
import { ACCESS_TOKEN_PURPOSE, openSecret, sealTokens } from './mailbox.secrets.js';
import { MailboxRefreshService } from './mailbox-refresh.service.js';

const LEASE_MS = 60_000;
const WAIT_FOR_OTHER_MS = 15_000;
const POLL_MS = 200;

type Decide = (state: CredentialState, now: Date, stored: () => string) => TokenAction;

/**
 * The one place Graph callers get a valid delegated token. A refresh runs only under a lease on
 * the credential row, so one mailbox is never refreshed twice at once by any number of
 * instances; callers that find it leased wait for that refresh.
 */
@Injectable()
export class MailboxTokenService {
  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly refresher: MailboxRefreshService,
    private readonly vault: TokenVault,
  ) {}

  seal(mailboxId: string, tokens: TokenSet): SealedTokens {
    return sealTokens(this.vault, mailboxId, tokens, new Date());
  }

  /**
   * A delegated access token with enough life left (five minutes, or a quarter of a shorter
   * lifetime), refreshing first if needed. Throws MailboxNeedsReauthError, or
   * MailboxTokenUnavailableError with the time of the next refresh attempt.
   */
  accessToken(mailboxId: string): Promise<string> {
    return this.obtain(mailboxId, onDemandAction);
  }

  /**
   * For a Graph caller whose token (`refusedToken`) was refused (401) although we thought it
   * valid: one refresh under the lease, or the token a concurrent caller already renewed.
   * Throws like accessToken().
   */
  refreshNow(mailboxId: string, refusedToken: string): Promise<string> {
    return this.obtain(mailboxId, (state, now, stored) =>
      afterRejectionAction(state, state.hasAccessToken && stored() === refusedToken, now),
    );
  }

  private async obtain(mailboxId: string, decide: Decide): Promise<string> {
    const deadline = Date.now() + WAIT_FOR_OTHER_MS;
    let refreshed = false;
    for (;;) {
      const { row, state } = await this.credential(mailboxId);
      const next = decide(state, new Date(), () => this.open(mailboxId, row));
      if (next.action === 'use') return this.open(mailboxId, row);
      if (next.action === 'reauth') throw new MailboxNeedsReauthError();
      if (next.action === 'wait') throw unavailable(next.retryAt, row);
      // A token that is stale right after our own refresh must not start a refresh loop.
      if (refreshed) throw unavailable(state.nextRefreshAt ?? new Date(), row);
      if (await this.mailboxes.claimOne(mailboxId, LEASE_MS, row.updatedAt)) {
        await this.refresher.refreshClaimed(mailboxId);
        refreshed = true;
        continue;
      }
      if (Date.now() > deadline) throw unavailable(row.lockedUntil ?? new Date(), row);
      await sleep(POLL_MS);
    }
  }

  private async credential(
    mailboxId: string,
  ): Promise<{ row: CredentialRow; state: CredentialState }> {
    const row = await this.mailboxes.findUsableCredential(mailboxId);
    if (row && (row.refreshToken || row.accessToken)) return { row, state: credentialState(row) };
    // The rare path, one more read: a mailbox that is gone, or one that needs re-authentication.
    if (!(await this.mailboxes.findActiveById(mailboxId))) throw new MailboxNotFoundError();
    throw new MailboxNeedsReauthError();
  }

  private open(mailboxId: string, row: CredentialRow): string {
    return openSecret(this.vault, mailboxId, row.accessToken as string, ACCESS_TOKEN_PURPOSE);
  }
}

function credentialState(row: CredentialRow): CredentialState {
  return {
    issuedAt: row.accessTokenIssuedAt,
    expiresAt: row.accessTokenExpiresAt,
    hasAccessToken: row.accessToken !== null,
    hasRefreshToken: row.refreshToken !== null,
    refreshAttempts: row.refreshAttempts,
    nextRefreshAt: row.nextRefreshAt,
  };
}

function unavailable(retryAt: Date, row: CredentialRow): MailboxTokenUnavailableError {
  const reason =
    row.lockedUntil && row.lockedUntil > new Date()
      ? 'refresh in progress'
      : (row.lastRefreshError ?? 'refresh failed');
  return new MailboxTokenUnavailableError(retryAt, reason);
}
