import type { NextFunction, Request, Response } from 'express';
import type { EmulatorStore } from '../store.js';
import type { FaultDrop } from '../store/faults.js';

/** Who a request was about; handlers fill `res.locals.emulator` for the request log. */
export interface RequestLogContext {
  tenantId: string | null;
  userId: string | null;
  clientId: string | null;
  /** Graph requests: whether the bearer token was delegated (`user`) or app-only (`app`). */
  tokenKind?: 'user' | 'app' | null;
}

/**
 * Records every routed request once its response is finished, and requests whose connection an
 * injected fault dropped (status 0 when dropped before handling).
 */
export function requestLog(store: EmulatorStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const at = store.clock.now();
    // Read now: routers mounted on a prefix strip it from `req.path` while they handle it.
    const path = req.path;
    const record = (dropped: FaultDrop | null) => {
      const context = res.locals.emulator as RequestLogContext | undefined;
      store.logs.recordRequest({
        method: req.method,
        path,
        host: req.headers.host ?? '',
        tenantId: context?.tenantId ?? null,
        userId: context?.userId ?? null,
        clientId: context?.clientId ?? null,
        tokenKind: context?.tokenKind ?? null,
        status: dropped === 'before' ? 0 : res.statusCode,
        dropped,
        at,
      });
    };
    res.on('finish', () => record(null));
    res.on('close', () => {
      const dropped = res.locals.dropped as FaultDrop | undefined;
      if (dropped && !res.writableFinished) record(dropped);
    });
    next();
  };
}
