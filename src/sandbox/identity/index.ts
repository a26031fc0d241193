import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { authorizeRoutes } from './authorize-routes.js';
import { metadataRoutes } from './metadata.js';
import { tokenRoutes } from './token-routes.js';

/** The Microsoft identity platform: discovery, keys, authorize, token, admin consent. */
export function createIdentityRouter(ctx: EmulatorContext): Router {
  const router = Router();
  router.use(metadataRoutes(ctx));
  router.use(tokenRoutes(ctx));
  router.use(authorizeRoutes(ctx));
  return router;
}
