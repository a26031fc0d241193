import type { Request, Response } from 'express';

/** Named after Entra ID's session cookie; it only remembers who signed in on this browser. */
const COOKIE = 'ESTSAUTH';

export function readSessionId(req: Request): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

export function writeSessionCookie(res: Response, sessionId: string): void {
  res.cookie(COOKIE, sessionId, { httpOnly: true, secure: true, sameSite: 'none', path: '/' });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(COOKIE, { httpOnly: true, secure: true, sameSite: 'none', path: '/' });
}
