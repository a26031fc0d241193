import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import { newGuid } from '../ids.js';
import type { Subscription } from '../mail-model.js';
import { principal, type GraphPrincipal } from './access.js';
import { errors, GraphError } from './errors.js';
import { graphRuntime } from './runtime.js';
import { checkExpiration, parseChangeType, resolveTarget } from './subscription-rules.js';
import { checkNotificationUrl, validateNotificationUrl } from './validation.js';

/** `/v1.0/subscriptions`: create (with the validation handshake), list, get, renew, delete. */
export function subscriptionRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/v1.0/subscriptions', (req, res) => create(ctx, req, res));
  router.get('/v1.0/subscriptions', (req, res) => list(ctx, res));
  router.get('/v1.0/subscriptions/:id', (req, res) => {
    res.json({
      '@odata.context': context(ctx, true),
      ...toJson(owned(ctx, res, String(req.params.id))),
    });
  });
  router.patch('/v1.0/subscriptions/:id', (req, res) => renew(ctx, req, res));
  router.post('/v1.0/subscriptions/:id/reauthorize', (req, res) => {
    owned(ctx, res, String(req.params.id));
    res.status(204).end();
  });
  router.delete('/v1.0/subscriptions/:id', (req, res) => {
    ctx.store.subscriptions.remove(owned(ctx, res, String(req.params.id)).id);
    res.status(204).end();
  });
  return router;
}

async function create(ctx: EmulatorContext, req: Request, res: Response): Promise<void> {
  const caller = principal(res);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const settings = graphRuntime(ctx).settings.notifications;
  for (const name of ['changeType', 'notificationUrl', 'resource', 'expirationDateTime']) {
    if (typeof body[name] !== 'string' || body[name] === '')
      throw errors.badRequest(`Required property '${name}' is missing.`);
  }
  const changeType = parseChangeType(body.changeType);
  const clientState = typeof body.clientState === 'string' ? body.clientState : null;
  if (clientState !== null && clientState.length > 128)
    throw errors.badRequest("'clientState' must be at most 128 characters long.");
  const target = resolveTarget(ctx, caller, String(body.resource));
  const expirationDateTime = checkExpiration(
    body.expirationDateTime,
    ctx.store.clock.nowMs(),
    settings.maxMessageSubscriptionMinutes,
    'Create',
  );
  const urls = [checkNotificationUrl(String(body.notificationUrl), settings, 'notificationUrl')];
  const lifecycle =
    typeof body.lifecycleNotificationUrl === 'string' ? body.lifecycleNotificationUrl : null;
  if (lifecycle) urls.push(checkNotificationUrl(lifecycle, settings, 'lifecycleNotificationUrl'));
  for (const url of new Set(urls.map(String)))
    await validateNotificationUrl(new URL(url), settings.validationTimeoutMs);
  const sub = ctx.store.subscriptions.add({
    id: newGuid(),
    resource: String(body.resource),
    changeType,
    notificationUrl: String(body.notificationUrl),
    lifecycleNotificationUrl: lifecycle,
    clientState,
    expirationDateTime,
    applicationId: caller.clientId,
    creatorId:
      caller.kind === 'user' ? caller.userId : caller.claims.oid ? String(caller.claims.oid) : null,
    tenantId: caller.tenantId,
    createdAt: ctx.store.clock.now().toISOString(),
    target,
  });
  res.status(201).json({ '@odata.context': context(ctx, true), ...toJson(sub) });
}

function list(ctx: EmulatorContext, res: Response): void {
  const caller = principal(res);
  purgeExpired(ctx);
  const value = ctx.store.subscriptions
    .list({ applicationId: caller.clientId, tenantId: caller.tenantId })
    .filter((s) => caller.kind === 'app' || s.creatorId === caller.userId)
    .map(toJson);
  res.json({ '@odata.context': context(ctx, false), value });
}

function renew(ctx: EmulatorContext, req: Request, res: Response): void {
  const sub = owned(ctx, res, String(req.params.id));
  const body = (req.body ?? {}) as Record<string, unknown>;
  const max = graphRuntime(ctx).settings.notifications.maxMessageSubscriptionMinutes;
  const changes: Partial<Subscription> = {};
  if (body.expirationDateTime !== undefined) {
    changes.expirationDateTime = checkExpiration(
      body.expirationDateTime,
      ctx.store.clock.nowMs(),
      max,
      'Update',
    );
  }
  const updated = ctx.store.subscriptions.update(sub.id, changes) ?? sub;
  res.json({ '@odata.context': context(ctx, true), ...toJson(updated) });
}

/** A live subscription of the caller's app (and user, for delegated tokens), or 404. */
function owned(ctx: EmulatorContext, res: Response, id: string): Subscription {
  const caller: GraphPrincipal = principal(res);
  purgeExpired(ctx);
  const sub = ctx.store.subscriptions.get(id);
  const mine = sub && sub.applicationId === caller.clientId && sub.tenantId === caller.tenantId;
  if (!sub || !mine || (caller.kind === 'user' && sub.creatorId !== caller.userId)) {
    throw new GraphError(404, 'ResourceNotFound', `The object was not found.`);
  }
  return sub;
}

/** Graph deletes subscriptions once they expire. */
function purgeExpired(ctx: EmulatorContext): void {
  const now = ctx.store.clock.nowMs();
  for (const sub of ctx.store.subscriptions.list()) {
    if (Date.parse(sub.expirationDateTime) <= now) ctx.store.subscriptions.remove(sub.id);
  }
}

function context(ctx: EmulatorContext, entity: boolean): string {
  return `${ctx.baseUrl}/v1.0/$metadata#subscriptions${entity ? '/$entity' : ''}`;
}

export function toJson(sub: Subscription): Record<string, unknown> {
  return {
    id: sub.id,
    resource: sub.resource,
    applicationId: sub.applicationId,
    changeType: sub.changeType,
    clientState: sub.clientState,
    notificationUrl: sub.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
    expirationDateTime: sub.expirationDateTime,
    creatorId: sub.creatorId,
    includeResourceData: null,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}
