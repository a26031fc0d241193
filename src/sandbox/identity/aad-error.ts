import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

/** An Entra ID (AADSTS) error, rendered as a token-endpoint body, a redirect or a page. */
export class AadError extends Error {
  constructor(
    readonly error: string,
    readonly code: number,
    readonly description: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`AADSTS${code}: ${description}`);
  }
}

export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  [extra: string]: unknown;
}

/** Entra ID's `2016-01-09 02:02:12Z` timestamp format. */
export function aadTimestamp(at: Date): string {
  return at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** The body Entra ID returns, with trace and correlation ids inside the description too. */
export function aadErrorBody(
  err: AadError,
  baseUrl: string,
  at: Date,
  correlationId?: string,
): AadErrorBody {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = aadTimestamp(at);
  return {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.description} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `${baseUrl}/error?code=${err.code}`,
    ...err.extra,
  };
}

export function sendAadError(res: Response, err: AadError, baseUrl: string, at: Date): void {
  const correlationId = res.req.get('client-request-id') ?? undefined;
  res
    .status(err.status)
    .set('Cache-Control', 'no-store')
    .json(aadErrorBody(err, baseUrl, at, correlationId));
}

/** `AADSTS900144`: a required parameter is missing. */
export function missingParameter(name: string): AadError {
  return new AadError(
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );
}
