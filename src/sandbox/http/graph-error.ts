import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

/** Sends a Graph-shaped error: `{ error: { code, message, innerError: { date, request-id, … } } }`. */
export function sendGraphError(
  res: Response,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const requestId = randomUUID();
  const clientRequestId = res.req.get('client-request-id') ?? requestId;
  res
    .status(status)
    .set({ 'request-id': requestId, 'client-request-id': clientRequestId, ...headers })
    .json({
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': clientRequestId,
        },
      },
    });
}
