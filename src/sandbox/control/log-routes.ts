import { Router, type Request } from 'express';
import type { EmulatorControl } from './client.js';
import { handle } from './handler.js';

/** Request and token logs, filterable with query parameters. */
export function logControlRoutes(control: EmulatorControl): Router {
  const router = Router();
  router.get(
    '/logs/requests',
    handle((req) => {
      const q = query(req);
      return control.requestLog({
        method: q.method,
        path: q.path,
        userId: q.userId,
        status: q.status ? Number(q.status) : undefined,
        tokenKind: q.tokenKind === 'user' || q.tokenKind === 'app' ? q.tokenKind : undefined,
        since: q.since ? new Date(q.since) : undefined,
      });
    }),
  );
  router.get(
    '/logs/tokens',
    handle((req) => {
      const q = query(req);
      const outcome = q.outcome === 'issued' || q.outcome === 'error' ? q.outcome : undefined;
      return control.tokenLog({
        grantType: q.grantType,
        clientId: q.clientId,
        userId: q.userId,
        outcome,
        since: q.since ? new Date(q.since) : undefined,
      });
    }),
  );
  router.delete(
    '/logs',
    handle(() => control.clearLogs()),
  );
  return router;
}

function query(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(req.query))
    out[key] = typeof value === 'string' ? value : undefined;
  return out;
}
