import { Router } from 'express';
import type { EmulatorControl } from './client.js';
import { body, handle, optionalString, param } from './handler.js';

/** Organizations: token lifetimes, service principals, access policies, bulk tenants. */
export function organizationControlRoutes(control: EmulatorControl): Router {
  const router = Router();
  router.put(
    '/token-lifetime',
    handle((req) => {
      const b = body(req);
      const seconds = b.accessTokenSec === null ? null : Number(b.accessTokenSec);
      control.setTokenLifetime({ accessTokenSec: seconds, tenantId: optionalString(b.tenantId) });
    }),
  );
  router.delete(
    '/tenants/:tenantId/service-principals/:clientId',
    handle((req) => ({
      revokedRefreshTokens: control.removeServicePrincipal(
        param(req, 'tenantId'),
        param(req, 'clientId'),
      ),
    })),
  );
  return router;
}
