import { HttpException } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import { genericError, type RenderedError } from './error-body.js';

interface BodyParserError {
  type?: unknown;
  status?: unknown;
}

/** Turns anything thrown into the status and body the client sees; never leaks internals. */
export function renderError(error: unknown): RenderedError & { unexpected: boolean } {
  if (error instanceof DomainError) {
    const body = { error: { code: error.code, message: error.message, details: error.details } };
    return { status: error.status, body, unexpected: false };
  }
  const parser = bodyParserError(error);
  if (parser) return { ...parser, unexpected: false };
  if (error instanceof HttpException) {
    return { ...genericError(error.getStatus()), unexpected: error.getStatus() >= 500 };
  }
  return { ...genericError(500), unexpected: true };
}

function bodyParserError(error: unknown): RenderedError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as BodyParserError;
  if (type === 'entity.parse.failed') {
    const message = 'The request body is not valid JSON.';
    return { status: 400, body: { error: { code: 'invalid_json', message, details: [] } } };
  }
  if (type === 'entity.too.large') return genericError(413);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return genericError(415);
  if (typeof type === 'string' && typeof status === 'number' && status < 500) {
    return genericError(status);
  }
  return undefined;
}
