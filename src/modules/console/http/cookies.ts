import type { CookieOptions, Request, Response } from 'express';

export const CONSOLE_PATH = '/admin';
/** The session cookie: 32 random bytes (HttpOnly; the database keeps only their SHA-256). */
export const SESSION_COOKIE = 'scendcore_console';
/** Readable by the console's pages: AdminJS's HTTP client echoes it as X-XSRF-TOKEN. */
export const XSRF_COOKIE = 'XSRF-TOKEN';
export const XSRF_HEADER = 'x-xsrf-token';
/** Binds the sign-in form to the browser that loaded it (login CSRF). */
export const LOGIN_COOKIE = 'scendcore_console_login';

export function cookieOptions(secure: boolean, overrides: CookieOptions = {}): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: CONSOLE_PATH, ...overrides };
}

export function cookieOf(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

export function clearSessionCookies(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(secure));
  res.clearCookie(XSRF_COOKIE, cookieOptions(secure, { httpOnly: false, sameSite: 'strict' }));
}
