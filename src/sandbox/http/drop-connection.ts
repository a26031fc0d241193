import type { Socket } from 'node:net';
import type { Request, Response } from 'express';
import type { FaultDrop } from '../store/faults.js';

/**
 * Resets the connection (TCP RST): the client sees ECONNRESET and no HTTP answer. Over TLS the
 * reset goes to the TCP socket under the TLS one; where that is not reachable, a plain close.
 */
export function resetConnection(req: Request): void {
  const socket = req.socket as Socket & { _parent?: unknown };
  const raw = socket._parent;
  try {
    if (isSocket(raw)) raw.resetAndDestroy();
    else socket.resetAndDestroy();
  } catch {
    // Not a TCP handle (or already gone): closing is the next best thing.
  }
  socket.destroy();
}

/** Marks the request as dropped (the request log records it) and resets its connection now. */
export function dropBeforeHandling(req: Request, res: Response): void {
  markDropped(res, 'before');
  resetConnection(req);
}

/**
 * Lets the route handle the request fully, then resets the connection instead of sending the
 * answer: nothing the handler writes reaches the client.
 */
export function dropAfterHandling(req: Request, res: Response): void {
  markDropped(res, 'after');
  const swallow = (): boolean => true;
  res.write = swallow as Response['write'];
  res.end = ((..._args: unknown[]) => {
    resetConnection(req);
    return res;
  }) as Response['end'];
}

function markDropped(res: Response, drop: FaultDrop): void {
  res.locals.dropped = drop;
}

function isSocket(value: unknown): value is Socket {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Socket>).resetAndDestroy === 'function'
  );
}
