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
  isFresh,
  onDemandAction,
  type TokenAction,
} from './mailbox.rules.js';
import { ACCESS_TOKEN_PURPOSE, openSecret, sealTokens } from './mailbox.secrets.js';
import { MailboxRefreshService } from './mailbox-refresh.service.js';

const LEASE_MS = 60_000;
const WAIT_FOR_OTHER_MS = 15_000;
const POLL_MS = 200;
/** A credential read ahead is used without a fresh read only this soon after the read. */
const PREFETCH_MAX_AGE_MS = 30_000;

type Decide = (state: CredentialState, now: Date, stored: () => string) => TokenAction;

/**
 * A delegated credential read together with a sweep's batch (`MailboxTokenService.prefetch`),
 * to hand back to `accessToken` / `MailboxGraphService.call`. Opaque to callers: its token is
 * still sealed and is opened only by the token service.
 */
export class PrefetchedCredential {
  constructor(
    readonly row: CredentialRow,
    readonly readAt: number,
  ) {}
}

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
  accessToken(mailboxId: string, prefetched?: PrefetchedCredential): Promise<string> {
    const ready = prefetched && this.openPrefetched(mailboxId, prefetched);
    return ready ? Promise.resolve(ready) : this.obtain(mailboxId, onDemandAction);
  }

  /**
   * The usable credentials of many mailboxes in one statement, for a sweep that then calls
   * Graph for each: a mailbox missing from the map is read again (and judged) at its call.
   */
  async prefetch(mailboxIds: string[]): Promise<Map<string, PrefetchedCredential>> {
    if (mailboxIds.length === 0) return new Map();
    const readAt = Date.now();
    const rows = await this.mailboxes.findUsableCredentials(mailboxIds);
    return new Map(rows.map((row) => [row.mailboxId, new PrefetchedCredential(row, readAt)]));
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

  /**
   * A prefetched access token, only when it was read moments ago and still has its full
   * margin of life left (the case that needs nothing but the stored token). Anything else
   * (stale, expiring, backing off, missing) goes through obtain(): a fresh read, and a refresh
   * under the lease if needed, so an expiring token is never sent.
   */
  private openPrefetched(mailboxId: string, { row, readAt }: PrefetchedCredential): string | null {
    if (row.mailboxId !== mailboxId || Date.now() - readAt > PREFETCH_MAX_AGE_MS) return null;
    const state = credentialState(row);
    if (!state.hasAccessToken || !isFresh(state, new Date())) return null;
    return this.open(mailboxId, row);
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
