import { DomainError } from '../../common/errors/domain-error.js';
import type { SuppressedRecipient } from './suppression.rules.js';

export class SuppressionNotFoundError extends DomainError {
  constructor() {
    super('suppression_not_found', 404, "The address is not on this workspace's suppression list.");
  }
}

export class AllRecipientsSuppressedError extends DomainError {
  constructor(dropped: SuppressedRecipient[]) {
    super(
      'all_recipients_suppressed',
      422,
      'Every recipient (or every `to` recipient) is on the suppression list; nothing was queued.',
      dropped.map((d) => ({ field: d.field, message: `${d.email} is suppressed (${d.reason})` })),
    );
  }
}
