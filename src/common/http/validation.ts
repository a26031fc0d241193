import type { ValidationError } from '@nestjs/common';
import { type ErrorDetail, ValidationFailedError } from '../errors/domain-error.js';

/** ValidationPipe errors → 400 `validation_failed` with one detail per failed constraint. */
export function validationExceptionFactory(errors: ValidationError[]): ValidationFailedError {
  return new ValidationFailedError(flatten(errors, ''));
}

function flatten(errors: ValidationError[], prefix: string): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
