import { DomainError } from '../../common/errors/domain-error.js';

export class StaffNotFoundError extends DomainError {
  constructor() {
    super('staff_not_found', 404, 'The staff user does not exist.');
  }
}

export class StaffEmailTakenError extends DomainError {
  constructor() {
    super('staff_email_taken', 409, 'A staff user with this email exists already.');
  }
}

export class LastAdminError extends DomainError {
  constructor() {
    super('last_admin', 409, 'At least one active admin must remain.');
  }
}

export class ConsoleForbiddenError extends DomainError {
  constructor() {
    super('console_forbidden', 403, 'Your console role does not allow this.');
  }
}
