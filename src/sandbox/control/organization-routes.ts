import { Router } from 'express';
import type { BulkTenantSpec } from '../seed-bulk.js';
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
  router.put(
    '/tenants/:tenantId/application-access-policy',
    handle((req) => {
      const b = body(req);
      if (!Array.isArray(b.mailboxes)) throw new Error('mailboxes must be a list');
      return control.setApplicationAccessPolicy({
        tenantId: param(req, 'tenantId'),
        clientId: optionalString(b.clientId),
        accessRight: b.accessRight === 'RestrictAccess' ? 'RestrictAccess' : 'DenyAccess',
        mailboxes: b.mailboxes.map(String),
      });
    }),
  );
  router.delete(
    '/tenants/:tenantId/application-access-policy',
    handle((req) => ({ removed: control.removeApplicationAccessPolicy(param(req, 'tenantId')) })),
  );
  router.post(
    '/bulk-tenants',
    handle((req, res) => {
      res.status(201).json(control.seedBulkTenant(body(req) as unknown as BulkTenantSpec));
    }),
  );
  return router;
}
