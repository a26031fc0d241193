import type { ErrorDetail } from './domain-error.js';

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
  requestId: string;
}

export interface RenderedError {
  status: number;
  body: Omit<ErrorBody, 'requestId'>;
}

/** Maps HTTP statuses to codes for errors that do not come from our services. */
export const STATUS_CODES: Record<number, [string, string]> = {
  400: ['bad_request', 'The request is not valid.'],
  401: ['unauthenticated', 'Authentication is required.'],
  403: ['forbidden', 'You may not do this.'],
  404: ['not_found', 'The resource does not exist.'],
  405: ['method_not_allowed', 'The method is not allowed here.'],
  409: ['conflict', 'The request conflicts with the current state.'],
  413: ['payload_too_large', 'The request body is too large.'],
  415: ['unsupported_media_type', 'The content type is not supported.'],
  422: ['unprocessable', 'The request cannot be processed.'],
  429: ['rate_limited', 'Too many requests.'],
  503: ['unavailable', 'The service is unavailable.'],
};

export function genericError(status: number): RenderedError {
  const [code, message] = STATUS_CODES[status] ?? ['internal_error', 'Something went wrong.'];
  return { status, body: { error: { code, message, details: [] } } };
}
