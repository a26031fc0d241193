import { DomainError } from '../../common/errors/domain-error.js';

export class OrganizationNotFoundError extends DomainError {
  constructor() {
    super('organization_not_found', 404, 'The organization does not exist.');
  }
}

/** A sync found the organization removed meanwhile: nothing more is written for it. */
export class OrganizationRemovedError extends DomainError {
  constructor() {
    super('organization_not_found', 404, 'The organization was removed.');
  }
}

export class InvalidConsentReturnToError extends DomainError {
  constructor() {
    super('invalid_return_to', 400, 'returnTo must be a URL of the ScendCore frontend.', [
      { field: 'returnTo', message: 'not an allowed frontend URL' },
    ]);
  }
}
