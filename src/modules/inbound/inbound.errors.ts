import { DomainError } from '../../common/errors/domain-error.js';

export class ReplyNotFoundError extends DomainError {
  constructor() {
    super('reply_not_found', 404, 'No AI reply with this id in this workspace.');
  }
}

/** Approve or discard of a reply that is not (any more) a draft awaiting review. */
export class ReplyNotAwaitingReviewError extends DomainError {
  constructor(status: string) {
    super(
      'reply_not_awaiting_review',
      409,
      `The reply is ${status}, not awaiting review: it can no longer be approved or discarded.`,
      [{ field: 'status', message: status }],
    );
  }
}

/** Cancel of a reply that is not (any more) waiting in its undo window. */
export class ReplyNotScheduledError extends DomainError {
  constructor(status: string) {
    super(
      'reply_not_scheduled',
      409,
      `The reply is ${status}, not scheduled: it can no longer be cancelled.`,
      [{ field: 'status', message: status }],
    );
  }
}
