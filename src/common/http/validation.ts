import type { ValidationError } from '@nestjs/common';
import { type ErrorDetail, ValidationFailedError } from '../errors/domain-error.js';
import { explainConstraint } from './detailed-constraint.js';

/** ValidationPipe errors → 400 `validation_failed` with one detail per failed constraint. */
export function validationExceptionFactory(errors: ValidationError[]): ValidationFailedError {
  return new ValidationFailedError(flatten(errors, ''));
}

function flatten(errors: ValidationError[], prefix: string): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = childPath(prefix, error.property);
    return [...ownDetails(error, field), ...flatten(error.children ?? [], field)];
  });
}

function ownDetails(error: ValidationError, field: string): ErrorDetail[] {
  return Object.entries(error.constraints ?? {}).flatMap(([name, message]) => {
    const explained = explainConstraint(name, error.value);
    if (!explained?.length) return [{ field, message }];
    return explained.map((detail) => ({ ...detail, field: `${field}${detail.field ?? ''}` }));
  });
}

/** `to[0]` for array elements, `a.b` for properties. */
function childPath(prefix: string, property: string): string {
  if (!prefix) return property;
  return /^\d+$/.test(property) ? `${prefix}[${property}]` : `${prefix}.${property}`;
}
