import { DomainError } from '../../common/errors/domain-error.js';

export class MailboxNotFoundError extends DomainError {
  constructor() {
    super('mailbox_not_found', 404, 'The mailbox does not exist.');
  }
}

export class MailboxNeedsReauthError extends DomainError {
  constructor() {
    super(
      'mailbox_needs_reauth',
      409,
      'The mailbox must be reconnected: its Microsoft sign-in is no longer valid.',
    );
  }
}

/** No valid token can be had now; `retryAt` is when the next refresh will be tried. */
export class MailboxTokenUnavailableError extends DomainError {
  constructor(
    readonly retryAt: Date,
    reason: string,
  ) {
    super(
      'mailbox_token_unavailable',
      503,
      `Microsoft did not issue a token for the mailbox (${reason}); the next attempt is at ${retryAt.toISOString()}.`,
    );
  }
}

/** Organization mailboxes have no token of their own (the tenant's app-only token serves them). */
export class MailboxNotDelegatedError extends DomainError {
  constructor() {
    super(
      'mailbox_not_delegated',
      409,
      'The mailbox is reached with its organization’s app-only token and has no token to refresh.',
    );
  }
}
