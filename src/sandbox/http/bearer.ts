import type { NextFunction, Request, Response } from 'express';
import type { AccessTokenVerifier, GraphPrincipal } from '../identity/access-tokens.js';
import { sendGraphError } from './graph-error.js';

const CHALLENGE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

/** Express middleware for Graph routes: 401 InvalidAuthenticationToken, else `res.locals.principal`. */
export function requireGraphToken(verifier: AccessTokenVerifier) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const result = verifier.verify(token);
    if (!result.ok) {
      sendGraphError(res, 401, 'InvalidAuthenticationToken', result.message, {
        'WWW-Authenticate': CHALLENGE,
      });
      return;
    }
    const { principal } = result;
    res.locals.principal = principal;
    res.locals.emulator = {
      tenantId: principal.tenantId,
      userId: principal.userId,
      clientId: principal.clientId,
      tokenKind: principal.kind,
    };
    next();
  };
}

export function principalOf(res: Response): GraphPrincipal {
  return res.locals.principal as GraphPrincipal;
}
