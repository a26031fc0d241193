import { DomainError, type ErrorDetail } from '../../common/errors/domain-error.js';

export class MessageNotFoundError extends DomainError {
  constructor() {
    super('message_not_found', 404, 'The message does not exist.');
  }
}

export class TooManyRecipientsError extends DomainError {
  constructor(max: number, count: number) {
    super(
      'too_many_recipients',
      422,
      `A message may have at most ${max} recipients (to, cc and bcc together); this one has ${count}.`,
    );
  }
}

export class InvalidRecipientsError extends DomainError {
  constructor(details: ErrorDetail[]) {
    super('validation_failed', 400, 'The request is not valid.', details);
  }
}

export class NoSendableIdentityError extends DomainError {
  constructor(reason: string) {
    super(
      'no_sendable_identity',
      422,
      `The sender profile cannot send (${reason}): at least one identity with an Active status must be assigned to it.`,
    );
  }
}

export class IdempotencyConflictError extends DomainError {
  constructor() {
    super(
      'idempotency_key_reused',
      409,
      'This Idempotency-Key was already used for a different request.',
    );
  }
}

export class SenderProfileInUseError extends DomainError {
  constructor(queued: number) {
    super(
      'sender_profile_in_use',
      409,
      `The sender profile has ${queued} queued messages; delete with ?force=true to cancel them.`,
    );
  }
}

export class MessageNotFailedError extends DomainError {
  constructor(status: string) {
    super(
      'message_not_failed',
      409,
      `Only a failed message can be retried; this one is ${status}.`,
    );
  }
}

export class MessageNotQueuedError extends DomainError {
  constructor(status: string) {
    super(
      'message_not_queued',
      409,
      `Only a queued message can be cancelled; this one is ${status}.`,
    );
  }
}
