import { randomUUID } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import { requireGraphToken } from '../http/bearer.js';
import { requireStandingAppConsent } from './app-consent.js';
import { batchRoutes } from './batch.js';
import { deltaRoutes } from './delta.js';
import { GraphError, graphErrorHandler } from './errors.js';
import { mailboxSettingsRoutes } from './mailbox-settings.js';
import { messageWriteRoutes } from './message-writes.js';
import { messageReadRoutes } from './messages.js';
import { normalizeKeySyntax } from './paths.js';
import { graphRuntime } from './runtime.js';
import { sendRoutes } from './send.js';
import { subscriptionRoutes } from './subscriptions.js';
import { userRoutes } from './users.js';

export { graphThrottle } from './admission.js';
export { closeGraphRuntime, graphRuntime, type GraphRuntime } from './runtime.js';
export type { GraphOptions, GraphSettings } from './settings.js';

/**
 * The Graph v1.0 surface: users, mail (messages, folders, delta, sendMail, replies, drafts),
 * mailboxSettings, subscriptions with real notification delivery, and `$batch`. Every route
 * needs a bearer token issued by the emulator; errors have Graph's shape. Mount `graphThrottle(ctx)` before fault
 * injection so per-mailbox throttling sees injected latency.
 */
export function createGraphRouter(ctx: EmulatorContext): Router {
  const runtime = graphRuntime(ctx);
  const router = Router();
  router.use(
    '/v1.0',
    requestIds,
    normalizeKeySyntax,
    express.json({ limit: '4mb' }),
    requireGraphToken(runtime.verifier),
    requireStandingAppConsent(ctx),
  );
  router.use(userRoutes(ctx));
  router.use(subscriptionRoutes(ctx));
  router.use(batchRoutes(ctx));
  router.use(['/v1.0/me', '/v1.0/users/:user'], mailboxRoutes(ctx));
  router.use('/v1.0', (req: Request) => {
    throw new GraphError(
      400,
      'BadRequest',
      `Resource not found for the segment '${lastSegment(req.path)}'.`,
    );
  });
  router.use(graphErrorHandler);
  return router;
}

function mailboxRoutes(ctx: EmulatorContext): Router {
  const router = Router({ mergeParams: true });
  router.use(deltaRoutes(ctx));
  router.use(messageReadRoutes(ctx));
  router.use(messageWriteRoutes(ctx));
  router.use(sendRoutes(ctx));
  router.use(mailboxSettingsRoutes(ctx));
  return router;
}

/** Graph answers every request with `request-id` and echoes `client-request-id`. */
function requestIds(req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID();
  res.set({
    'request-id': requestId,
    'client-request-id': req.get('client-request-id') ?? requestId,
  });
  next();
}

function lastSegment(path: string): string {
  return path.split('/').filter(Boolean).pop() ?? '';
}
