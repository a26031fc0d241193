import { DomainError } from '../../common/errors/domain-error.js';

export class SenderProfileNotFoundError extends DomainError {
  constructor() {
    super('sender_profile_not_found', 404, 'The sender profile does not exist.');
  }
}
