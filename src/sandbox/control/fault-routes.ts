import { Router } from 'express';
import type { FaultRuleSpec } from '../store/faults.js';
import type { EmulatorControl, FailNextSpec } from './client.js';
import { body, handle, optionalString, param } from './handler.js';

/** Fault injection: fail next N, drops, timed faults, latency, token endpoint outage. */
export function faultControlRoutes(control: EmulatorControl): Router {
  const router = Router();
  router.get(
    '/faults',
    handle(() => control.faults()),
  );
  router.post(
    '/faults',
    handle((req) => control.addFault(body(req) as unknown as FaultRuleSpec)),
  );
  router.post(
    '/faults/fail-next',
    handle((req) => control.failNext(body(req) as unknown as FailNextSpec)),
  );
  router.delete(
    '/faults/:id',
    handle((req) => ({ removed: control.removeFault(param(req, 'id')) })),
  );
  router.delete(
    '/faults',
    handle(() => control.clearFaults()),
  );
  router.put(
    '/latency',
    handle((req) => {
      const b = body(req);
      const path = optionalString(b.path);
      const route = path
        ? {
            path,
            method: optionalString(b.method),
            times: typeof b.times === 'number' ? b.times : undefined,
          }
        : undefined;
      return control.addLatency(Number(b.ms ?? 0), route) ?? { globalLatencyMs: Number(b.ms ?? 0) };
    }),
  );
  router.put(
    '/token-endpoint',
    handle((req) => {
      const b = body(req);
      const retryAfter = typeof b.retryAfterSeconds === 'number' ? b.retryAfterSeconds : undefined;
      const forMs = typeof b.forMs === 'number' ? b.forMs : undefined;
      control.setTokenEndpointAvailable(b.available !== false, retryAfter, forMs);
    }),
  );
  return router;
}
