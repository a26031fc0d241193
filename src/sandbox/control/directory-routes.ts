import { Router } from 'express';
import type { MailboxPermissionKind } from '../model.js';
import type { SeedSpec, UserSeed } from '../seed-spec.js';
import type { EmulatorControl } from './client.js';
import { body, handle, param } from './handler.js';

/** Seeding and directory changes: tenants, users, aliases, grants, apps, consent. */
export function directoryControlRoutes(control: EmulatorControl): Router {
  const router = Router();
  router.post(
    '/seed',
    handle((req) => control.seed(body(req) as SeedSpec)),
  );
  router.post(
    '/reset',
    handle(() => control.reset()),
  );
  router.get(
    '/tenants',
    handle(() => control.tenants()),
  );
  router.get(
    '/users',
    handle((req) =>
      control.users(typeof req.query.tenantId === 'string' ? req.query.tenantId : undefined),
    ),
  );
  router.get(
    '/users/:user',
    handle((req) => control.user(param(req, 'user'))),
  );
  router.post(
    '/tenants/:tenantId/users',
    handle((req) => control.addUser(param(req, 'tenantId'), body(req) as unknown as UserSeed)),
  );
  router.post(
    '/tenants/:tenantId/shared-mailboxes',
    handle((req) =>
      control.addSharedMailbox(param(req, 'tenantId'), body(req) as unknown as UserSeed),
    ),
  );
  router.put(
    '/tenants/:tenantId/consent-policy',
    handle((req) =>
      control.setUserConsentAllowed(param(req, 'tenantId'), body(req).userConsentAllowed === true),
    ),
  );
  router.post(
    '/tenants/:tenantId/admin-consents',
    handle((req) => {
      const b = body(req);
      control.grantAdminConsent(
        param(req, 'tenantId'),
        String(b.clientId),
        stringList(b.roles),
        stringList(b.scopes),
      );
    }),
  );
  router.delete(
    '/tenants/:tenantId/admin-consents/:clientId',
    handle((req) => control.revokeAdminConsent(param(req, 'tenantId'), param(req, 'clientId'))),
  );
  router.post(
    '/apps/:clientId/redirect-uris',
    handle((req) => control.addRedirectUri(param(req, 'clientId'), String(body(req).uri))),
  );
  router.post(
    '/users/:user/aliases',
    handle((req) => control.addAlias(param(req, 'user'), String(body(req).proxyAddress))),
  );
  router.delete(
    '/users/:user/aliases/:address',
    handle((req) => control.removeAlias(param(req, 'user'), param(req, 'address'))),
  );
  router.put(
    '/users/:user/mail',
    handle((req) =>
      control.setMail(
        param(req, 'user'),
        typeof body(req).mail === 'string' ? String(body(req).mail) : null,
      ),
    ),
  );
  router.delete(
    '/users/:user',
    handle((req) => control.removeUser(param(req, 'user'))),
  );
  router.put(
    '/users/:user/account-enabled',
    handle((req) =>
      control.setAccountEnabled(param(req, 'user'), body(req).accountEnabled !== false),
    ),
  );
  router.post(
    '/users/:user/revoke-sessions',
    handle((req) => ({ revoked: control.revokeRefreshTokens(param(req, 'user')) })),
  );
  router.post(
    '/mailbox-permissions',
    handle((req) => {
      const b = body(req);
      control.grantSendAs(String(b.trustee), String(b.mailbox), permissionKind(b.kind));
    }),
  );
  router.delete(
    '/mailbox-permissions',
    handle((req) => {
      const b = body(req);
      control.revokeSendAs(String(b.trustee), String(b.mailbox), permissionKind(b.kind));
    }),
  );
  router.post(
    '/clock/advance',
    handle((req) => control.advanceClock(Number(body(req).ms))),
  );
  return router;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

function permissionKind(value: unknown): MailboxPermissionKind {
  return value === 'sendOnBehalf' ? 'sendOnBehalf' : 'sendAs';
}
