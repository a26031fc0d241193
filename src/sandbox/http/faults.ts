import type { NextFunction, Request, Response } from 'express';
import type { EmulatorStore } from '../store.js';
import type { FaultDecision, FaultResponse } from '../store/faults.js';
import { dropAfterHandling, dropBeforeHandling } from './drop-connection.js';

/**
 * Consulted before every identity and Graph route: adds injected latency, and answers with an
 * injected failure instead of the real handler, or drops the connection before or after the
 * handler ran, when a rule says so.
 */
export function faultInjection(store: EmulatorStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const decision = store.faults.decide(req.method, req.path, () => bearerUserId(req));
    const act = () => apply(decision, req, res, next);
    if (decision.delayMs > 0) setTimeout(act, decision.delayMs);
    else act();
  };
}

function apply(decision: FaultDecision, req: Request, res: Response, next: NextFunction): void {
  if (decision.drop === 'before') return dropBeforeHandling(req, res);
  if (decision.response) return sendFault(res, decision.response);
  if (decision.drop === 'after') dropAfterHandling(req, res);
  next();
}

function sendFault(res: Response, fault: FaultResponse): void {
  res.status(fault.status).set(fault.headers ?? {});
  if (fault.body === undefined || fault.body === null) {
    res.end();
    return;
  }
  if (typeof fault.body === 'string') res.send(fault.body);
  else res.json(fault.body);
}

/** The `oid` of the bearer token, unverified: only used to scope injected faults to a user. */
function bearerUserId(req: Request): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      oid?: unknown;
    };
    return typeof claims.oid === 'string' ? claims.oid : undefined;
  } catch {
    return undefined;
  }
}
