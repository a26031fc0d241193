/** The parts of a Graph SDK error our rules look at (status, Graph error code, Retry-After). */
export interface GraphFailure {
  status: number;
  code: string;
  retryAfterSec?: number;
  requestId?: string;
}

interface GraphErrorLike {
  statusCode?: unknown;
  code?: unknown;
  requestId?: unknown;
  headers?: { get?(name: string): string | null };
}

export function graphFailureOf(error: unknown): GraphFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as GraphErrorLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  const retryAfter = e.headers?.get?.('retry-after') ?? null;
  return {
    status: status < 0 ? 0 : status,
    code: typeof e.code === 'string' ? e.code : status ? 'unknown' : 'network_error',
    retryAfterSec: retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined,
    requestId: typeof e.requestId === 'string' ? e.requestId : undefined,
  };
}
