import type { NextFunction, Request, Response } from 'express';

/**
 * OData key syntax to path segments: `mailFolders('inbox')` → `mailFolders/inbox`,
 * `users('a@b.com')` → `users/a@b.com`. Graph accepts both forms.
 */
export function normalizeGraphPath(path: string): string {
  return path.replace(
    /\/([A-Za-z]+)\(\s*'((?:[^']|'')*)'\s*\)/g,
    (_m, name: string, key: string) => {
      return `/${name}/${encodeURIComponent(key.replace(/''/g, "'"))}`;
    },
  );
}

/** Middleware: rewrites the URL so Express routes see the normalized form. */
export function normalizeKeySyntax(req: Request, _res: Response, next: NextFunction): void {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const normalized = normalizeGraphPath(path);
  if (normalized !== path) req.url = normalized + (q === -1 ? '' : req.url.slice(q));
  next();
}

/** Outlook resources under a mailbox: the ones Exchange's per-mailbox limits apply to. */
const OUTLOOK_SEGMENTS = new Set([
  'messages',
  'mailfolders',
  'sendmail',
  'mailboxsettings',
  'events',
  'calendar',
  'calendars',
  'contacts',
  'contactfolders',
]);

/** The mailbox a Graph request works on: `me`, or a user id / UPN segment. */
export type MailboxSegment = { kind: 'me' } | { kind: 'user'; idOrUpn: string };

/**
 * The mailbox an Outlook request targets (`/v1.0/me/messages`, `/v1.0/users/{id}/sendMail`…),
 * or null for anything else (profile reads, subscriptions, `$batch`).
 */
export function outlookMailboxOf(path: string): MailboxSegment | null {
  const segments = normalizeGraphPath(path).split('/').filter(Boolean);
  if (segments[0]?.toLowerCase() !== 'v1.0') return null;
  const head = segments[1]?.toLowerCase();
  if (head === 'me' && isOutlook(segments[2])) return { kind: 'me' };
  if (head === 'users' && segments[2] && isOutlook(segments[3])) {
    return { kind: 'user', idOrUpn: safeDecode(segments[2]) };
  }
  return null;
}

function isOutlook(segment: string | undefined): boolean {
  return segment !== undefined && OUTLOOK_SEGMENTS.has(segment.toLowerCase());
}

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
