import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext } from '../context.js';
import { principalOf } from '../http/bearer.js';
import { hasAppOnlyConsent } from '../identity/grants/service-principal.js';
import { errors } from './errors.js';

/**
 * App-only tokens stop working once the tenant revoked the app's admin consent or removed its
 * service principal, even before they expire: every Graph call then answers 403
 * `Authorization_RequestDenied`.
 */
export function requireStandingAppConsent(ctx: EmulatorContext) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const caller = principalOf(res);
    if (caller.kind === 'app' && !hasAppOnlyConsent(ctx.store, caller.clientId, caller.tenantId))
      return next(errors.directoryDenied());
    next();
  };
}
