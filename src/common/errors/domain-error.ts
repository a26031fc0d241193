export interface ErrorDetail {
  field?: string;
  message: string;
}

/**
 * Base of every error a service throws on purpose. Carries a stable snake_case code and the
 * HTTP status the global filter renders; crons and listeners just log it.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationFailedError extends DomainError {
  constructor(details: ErrorDetail[]) {
    super('validation_failed', 400, 'The request is not valid.', details);
  }
}

export class NotFoundError extends DomainError {
  constructor(what = 'resource') {
    super('not_found', 404, `The ${what} does not exist.`);
  }
}
