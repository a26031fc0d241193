import express, { Router } from 'express';
import type { EmulatorControl } from './client.js';
import { directoryControlRoutes } from './directory-routes.js';
import { faultControlRoutes } from './fault-routes.js';
import { graphControlRoutes } from './graph-routes.js';
import { logControlRoutes } from './log-routes.js';
import { organizationControlRoutes } from './organization-routes.js';

export {
  EmulatorControl,
  type ApplicationAccessPolicySpec,
  type FailNextSpec,
  type TokenLifetimeSpec,
} from './client.js';
export type { GraphControl, InboundMailSpec, SentMailQuery } from './graph-control.js';

/**
 * The HTTP control API under `/_emulator`. Each area is one file of routes; the Graph module
 * adds its own (inject inbound mail, read sent mail, remove a subscription, drop
 * notifications) as `control/<area>-routes.ts` and mounts it here.
 */
export function createControlRouter(control: EmulatorControl, extra: Router[] = []): Router {
  const router = Router();
  router.use(express.json({ limit: '5mb' }));
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.use(directoryControlRoutes(control));
  router.use(faultControlRoutes(control));
  router.use(logControlRoutes(control));
  router.use(organizationControlRoutes(control));
  router.use(graphControlRoutes(control.graph));
  for (const area of extra) router.use(area);
  return router;
}
