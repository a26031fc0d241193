import { DomainError } from '../errors/domain-error.js';

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid ScendCore bearer token is required.') {
    super('unauthenticated', 401, message);
  }
}

export class WorkspaceInactiveError extends DomainError {
  constructor() {
    super('workspace_inactive', 403, 'This workspace is suspended.');
  }
}
