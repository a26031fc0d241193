import { DomainError } from '../../common/errors/domain-error.js';

export class InvalidReturnToError extends DomainError {
  constructor() {
    super('invalid_return_to', 400, 'returnTo must be a URL of the ScendCore frontend.', [
      { field: 'returnTo', message: 'not an allowed frontend URL' },
    ]);
  }
}
