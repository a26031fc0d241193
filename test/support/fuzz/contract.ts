import type { Reply } from '../sandbox-app.js';

const CODE = /^[a-z][a-z0-9_]*$/;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why a response breaks the contract (design §4), or undefined: never 5xx, and every error is
 * `{"error":{"code","message","details?"},"requestId"}` and nothing else.
 */
export function contractProblem(res: Reply): string | undefined {
  if (res.status >= 500) return `status ${res.status}`;
  if (res.status < 400) return undefined;
  try {
    return errorBodyProblem(JSON.parse(res.body));
  } catch {
    return 'error body is not JSON';
  }
}

function errorBodyProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'error body is not an object';
  const keys = Object.keys(body).sort().join(',');
  if (keys !== 'error,requestId') return `error body has keys ${keys}`;
  if (typeof body.requestId !== 'string' || body.requestId === '') return 'no requestId';
  return errorProblem(body.error);
}

function errorProblem(error: unknown): string | undefined {
  if (!isObject(error)) return 'error is not an object';
  const extra = Object.keys(error).filter((k) => !['code', 'message', 'details'].includes(k));
  if (extra.length) return `error has keys ${extra.join(',')}`;
  if (typeof error.code !== 'string' || !CODE.test(error.code)) return 'code is not snake_case';
  if (typeof error.message !== 'string' || error.message === '') return 'no message';
  if (error.details === undefined) return undefined;
  if (!Array.isArray(error.details)) return 'details is not an array';
  return error.details.every(isDetail) ? undefined : 'a detail is not {field?, message}';
}

function isDetail(detail: unknown): boolean {
  return (
    isObject(detail) &&
    typeof detail.message === 'string' &&
    (detail.field === undefined || typeof detail.field === 'string')
  );
}

/** Counts of responses by status code, printed at the end of a run. */
export class Histogram {
  private readonly counts = new Map<number, number>();

  add(status: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
  }

  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  get serverErrors(): number {
    return [...this.counts].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
  }

  toString(): string {
    return [...this.counts]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ');
  }
}
