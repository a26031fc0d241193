import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { EmulatorContext } from './context.js';
import { createControlRouter, type EmulatorControl } from './control/index.js';
import { createGraphRouter, graphThrottle } from './graph/index.js';
import { faultInjection } from './http/faults.js';
import { requestLog } from './http/request-log.js';
import { createIdentityRouter } from './identity/index.js';

/**
 * One express app for everything: the control API first (never faulted or logged), then the
 * request log and fault injection in front of Graph and the identity platform.
 */
export function createEmulatorApp(ctx: EmulatorContext, control: EmulatorControl): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/_emulator', createControlRouter(control));
  app.use(requestLog(ctx.store));
  app.use(graphThrottle(ctx));
  app.use(faultInjection(ctx.store));
  app.use(createGraphRouter(ctx));
  app.use(createIdentityRouter(ctx));
  app.use((_req: Request, res: Response) => {
    res
      .status(404)
      .json({ error: { code: 'NotFound', message: 'Resource not found in the emulator.' } });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: { code: 'InternalServerError', message: err.message } });
  });
  return app;
}
