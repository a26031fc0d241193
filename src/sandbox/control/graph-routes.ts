import { Router, type Request, type Response } from 'express';
import type { LifecycleEvent } from '../graph/notifier.js';
import type { GraphOptions, ThrottleSettings } from '../graph/settings.js';
import type { DeliveryFilter, DeliveryState, NotificationKind } from '../mail-model.js';
import type { GraphControl, InboundMailSpec } from './graph-control.js';
import { body, handle, optionalString, param } from './handler.js';

/**
 * Graph control over HTTP: inbound mail, sent log, messages, subscriptions and notification
 * deliveries, lifecycle events, dropping notifications, Graph settings (throttling, timings).
 */
export function graphControlRoutes(graph: GraphControl): Router {
  const router = Router();
  router.get(
    '/graph/settings',
    handle(() => graph.settings()),
  );
  router.put(
    '/graph/settings',
    handle((req) => graph.configure(body(req) as GraphOptions)),
  );
  router.put(
    '/graph/throttling',
    handle((req) => graph.setThrottling(body(req) as Partial<ThrottleSettings>)),
  );
  router.post(
    '/graph/throttling/reset',
    handle(() => graph.resetThrottling()),
  );
  router.put(
    '/mail/sent-items-delay',
    handle((req) => ({ sentItemsDelayMs: graph.setSentItemsDelayMs(Number(body(req).ms)) })),
  );
  router.post(
    '/mail/inbound',
    handle((req, res) => {
      res.status(201).json(graph.injectInbound(body(req) as unknown as InboundMailSpec));
    }),
  );
  router.post(
    '/mail/raw',
    handle((req, res) => {
      const { mailbox, raw, folder } = body(req);
      res.status(201).json(graph.injectRaw(String(mailbox), raw as string, optionalString(folder)));
    }),
  );
  router.get(
    '/mail/sent',
    handle((req) => {
      const since = text(req, 'since');
      return graph.sentMail({
        mailbox: text(req, 'mailbox'),
        from: text(req, 'from'),
        since: since ? new Date(since) : undefined,
      });
    }),
  );
  router.get(
    '/mailboxes/:user/messages',
    handle((req) => graph.messages(param(req, 'user'), text(req, 'folder'))),
  );
  router.get(
    '/mailboxes/:user/messages/:id',
    handle((req) => graph.message(param(req, 'user'), param(req, 'id'))),
  );
  router.delete(
    '/mailboxes/:user/messages/:id',
    handle((req) => ({ removed: graph.deleteMessage(param(req, 'user'), param(req, 'id')) })),
  );
  router.post(
    '/mailboxes/:user/messages/:id/move',
    handle((req) =>
      graph.moveMessage(param(req, 'user'), param(req, 'id'), String(body(req).folder)),
    ),
  );
  router.post(
    '/mailboxes/:user/full-access',
    handle((req) => graph.grantFullAccess(String(body(req).trustee), param(req, 'user'))),
  );
  router.delete(
    '/mailboxes/:user/full-access/:trustee',
    handle((req) => graph.revokeFullAccess(param(req, 'trustee'), param(req, 'user'))),
  );
  router.post(
    '/mailboxes/:user/expire-delta-tokens',
    handle((req) => graph.expireDeltaTokens(param(req, 'user'))),
  );
  router.get(
    '/subscriptions',
    handle(() => graph.subscriptions()),
  );
  router.delete(
    '/subscriptions/:id',
    handleAsync((req) => graph.removeSubscription(param(req, 'id'))),
  );
  router.post(
    '/subscriptions/:id/lifecycle',
    handleAsync((req) =>
      graph.sendLifecycleEvent(param(req, 'id'), String(body(req).event) as LifecycleEvent),
    ),
  );
  router.get(
    '/notifications',
    handle((req) => graph.notifications(deliveryFilter(req))),
  );
  router.post(
    '/notifications/drop-next',
    handle((req) =>
      graph.dropNextNotifications(
        Number(body(req).count ?? 1),
        optionalString(body(req).subscriptionId),
      ),
    ),
  );
  return router;
}

/** Like `handle`, for operations that wait on the network (lifecycle notifications). */
function handleAsync(op: (req: Request) => Promise<unknown>) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      res.json({ delivery: (await op(req)) ?? null });
    } catch (err) {
      res.status(400).json({ error: err instanceof Error ? err.message : String(err) });
    }
  };
}

function text(req: Request, name: string): string | undefined {
  return optionalString(req.query[name]);
}

function deliveryFilter(req: Request): DeliveryFilter {
  return {
    subscriptionId: text(req, 'subscriptionId'),
    kind: text(req, 'kind') as NotificationKind | undefined,
    state: text(req, 'state') as DeliveryState | undefined,
  };
}
