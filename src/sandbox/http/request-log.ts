import type { NextFunction, Request, Response } from 'express';
import type { EmulatorStore } from '../store.js';

/** Who a request was about; handlers fill `res.locals.emulator` for the request log. */
export interface RequestLogContext {
  tenantId: string | null;
  userId: string | null;
  clientId: string | null;
}

/** Records every routed request once its response is finished. */
export function requestLog(store: EmulatorStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const at = store.clock.now();
    res.on('finish', () => {
      const context = res.locals.emulator as RequestLogContext | undefined;
      store.logs.recordRequest({
        method: req.method,
        path: req.path,
        host: req.headers.host ?? '',
        tenantId: context?.tenantId ?? null,
        userId: context?.userId ?? null,
        clientId: context?.clientId ?? null,
        status: res.statusCode,
        at,
      });
    });
    next();
  };
}
