import type { EmulatorContext } from '../context.js';
import { aadErrorBody, AadError } from '../identity/aad-error.js';
import type { FaultRule } from '../store/faults.js';

const TOKEN_PATH = '/*/oauth2/v2.0/token';

/**
 * A fault rule making the token endpoint answer 503 `temporarily_unavailable` (Entra ID-shaped,
 * AADSTS90006), with `Retry-After` when given, for `forMs` or until removed.
 */
export function addTokenOutage(
  ctx: EmulatorContext,
  retryAfterSeconds?: number,
  forMs?: number,
): FaultRule {
  const err = new AadError(
    'temporarily_unavailable',
    90006,
    'The service is temporarily unavailable. Please try again.',
    503,
  );
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) };
  const body = aadErrorBody(err, ctx.baseUrl, ctx.store.clock.now());
  return ctx.store.faults.add({
    method: 'POST',
    path: TOKEN_PATH,
    response: { status: 503, body, headers },
    forMs,
  });
}
