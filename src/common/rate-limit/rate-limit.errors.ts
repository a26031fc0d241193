import { DomainError } from '../errors/domain-error.js';

/** 429: the workspace used up its request budget; `Retry-After` carries the same seconds. */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'rate_limited',
      429,
      `Too many requests for this workspace; retry in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    );
  }
}
