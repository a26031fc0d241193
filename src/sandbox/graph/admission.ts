import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext } from '../context.js';
import { sendGraphError } from '../http/graph-error.js';
import { outlookMailboxOf } from './paths.js';
import { graphRuntime } from './runtime.js';

/**
 * Admission control for Outlook requests. Mounted before fault injection so that a request
 * held by an injected latency still occupies its mailbox slot, as a slow request does in
 * Exchange. Requests it cannot attribute (bad token, unknown user) pass on to the Graph router,
 * which answers them.
 */
export function graphThrottle(ctx: EmulatorContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const target = req.path.startsWith('/v1.0/') ? outlookMailboxOf(req.path) : null;
    if (!target) return next();
    const runtime = graphRuntime(ctx);
    const verified = runtime.verifier.verify(bearer(req));
    if (!verified.ok) return next();
    const { principal } = verified;
    const mailboxId =
      target.kind === 'me' ? principal.userId : findUserId(ctx, principal.tenantId, target.idOrUpn);
    if (!mailboxId) return next();
    const admission = runtime.throttle.admit(principal.clientId, mailboxId);
    if (!admission.ok) {
      const headers = { 'Retry-After': String(admission.retryAfterSeconds) };
      return sendGraphError(res, 429, 'ApplicationThrottled', admission.message, headers);
    }
    res.on('close', admission.release);
    res.on('finish', admission.release);
    next();
  };
}

function bearer(req: Request): string | null {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

function findUserId(ctx: EmulatorContext, tenantId: string, idOrUpn: string): string | null {
  const user =
    ctx.store.directory.getUser(idOrUpn) ?? ctx.store.directory.findUserByAddress(idOrUpn);
  return user && user.tenantId === tenantId ? user.id : null;
}
