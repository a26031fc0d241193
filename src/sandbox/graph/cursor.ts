import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Signs paging and delta state so clients cannot forge or edit it (it stays opaque to them). */
const SECRET = randomBytes(32);

export function encodeCursor(state: object): string {
  const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

/** The state inside a cursor, or null when it is malformed or was not issued here. */
export function decodeCursor<T>(cursor: string): T | null {
  const [payload, signature] = cursor.split('.');
  if (!payload || !signature) return null;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as T;
  } catch {
    return null;
  }
}

function sign(payload: string): string {
  return createHmac('sha256', SECRET).update(payload).digest('base64url').slice(0, 22);
}
