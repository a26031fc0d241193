import { DomainError } from '../../common/errors/domain-error.js';

export class IdentityNotFoundError extends DomainError {
  constructor() {
    super('identity_not_found', 404, 'The identity does not exist.');
  }
}

export class IdentityExistsError extends DomainError {
  constructor() {
    super('identity_exists', 409, 'The mailbox already has this address.');
  }
}

export class IdentityNotRemovableError extends DomainError {
  constructor() {
    super(
      'identity_not_removable',
      409,
      'Only Send As addresses added by hand can be removed; discovered addresses follow Microsoft 365.',
    );
  }
}

export class MailboxNotActiveError extends DomainError {
  constructor(status: string) {
    super('mailbox_not_active', 422, `The mailbox is ${status}; reconnect it first.`);
  }
}

export class SendAsDeniedError extends DomainError {
  constructor() {
    super(
      'send_as_denied',
      422,
      'Microsoft 365 refused to send as this address. An Exchange admin must grant this mailbox Send As permission on it, then verify again.',
    );
  }
}

export class DiscoveryFailedError extends DomainError {
  constructor(reason: string) {
    super(
      'discovery_failed',
      502,
      `Microsoft 365 did not return the mailbox's addresses (${reason}); try Refresh again.`,
    );
  }
}

export class VerificationFailedError extends DomainError {
  constructor(code: string) {
    super(
      'verification_failed',
      502,
      `Microsoft 365 did not send the test message (${code}); try again.`,
    );
  }
}
