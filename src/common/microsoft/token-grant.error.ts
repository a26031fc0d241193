/** A failed call to the identity platform's token endpoint, as Microsoft described it. */
export class TokenGrantError extends Error {
  constructor(
    /** HTTP status, or 0 when the request never got an answer (network, timeout). */
    readonly status: number,
    /** OAuth `error` (invalid_grant, interaction_required, …) or `network_error`. */
    readonly error: string,
    readonly errorCodes: number[],
    /** Seconds from Retry-After, when Microsoft sent it. */
    readonly retryAfterSec: number | undefined,
    readonly correlationId: string | undefined,
    readonly traceId: string | undefined,
  ) {
    super(`token endpoint answered ${status || 'nothing'}: ${error}${codes(errorCodes)}`);
    this.name = 'TokenGrantError';
  }
}

function codes(errorCodes: number[]): string {
  return errorCodes.length ? ` (AADSTS${errorCodes.join(', AADSTS')})` : '';
}
