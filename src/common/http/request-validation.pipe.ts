import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-error.js';
import { findHostileInput } from './hostile-input.js';
import { freeTextFields } from './text.decorators.js';
import { validationExceptionFactory } from './validation.js';

/**
 * The one global pipe for request input. First, whatever the DTO: no string of the body, query
 * or path may carry control characters or unpaired surrogates (so nothing reaches a validator,
 * PostgreSQL or a mail header with them, and new DTOs are covered by default). Then the DTO's
 * class-validator rules, unknown properties refused.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') assertNoHostileInput(value, metadata);
    return super.transform(value, metadata);
  }
}

function assertNoHostileInput(value: unknown, metadata: ArgumentMetadata): void {
  const freeText = metadata.type === 'body' ? freeTextFields(metadata.metatype) : undefined;
  const details = findHostileInput(value, metadata.data ?? '', freeText);
  if (details.length) throw new ValidationFailedError(details);
}
