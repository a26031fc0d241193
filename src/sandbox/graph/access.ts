import type { Request, Response } from 'express';
import type { EmulatorContext } from '../context.js';
import { principalOf } from '../http/bearer.js';
import type { GraphPrincipal } from '../identity/access-tokens.js';
import type { User } from '../model.js';
import { errors } from './errors.js';
import { safeDecode } from './paths.js';

export type { GraphPrincipal } from '../identity/access-tokens.js';

/** Mail access kinds; `settings` is reading mailboxSettings. */
export type MailAccess = 'read' | 'write' | 'send' | 'settings';

/** Delegated scopes / application roles that allow each kind of mail access. */
const OWN_SCOPES: Record<MailAccess, string[]> = {
  read: [
    'Mail.ReadBasic',
    'Mail.Read',
    'Mail.ReadWrite',
    'Mail.Read.Shared',
    'Mail.ReadWrite.Shared',
  ],
  write: ['Mail.ReadWrite', 'Mail.ReadWrite.Shared'],
  send: ['Mail.Send', 'Mail.Send.Shared'],
  settings: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
};
const SHARED_SCOPES: Record<MailAccess, string[]> = {
  read: ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'],
  write: ['Mail.ReadWrite.Shared'],
  send: ['Mail.Send.Shared'],
  settings: [],
};
const APP_ROLES: Record<MailAccess, string[]> = {
  read: ['Mail.ReadBasic', 'Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'],
  write: ['Mail.ReadWrite'],
  send: ['Mail.Send'],
  settings: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
};

export function principal(res: Response): GraphPrincipal {
  return principalOf(res);
}

export function hasAny(granted: string[], wanted: string[]): boolean {
  const lower = new Set(granted.map((g) => g.toLowerCase()));
  return wanted.some((w) => lower.has(w.toLowerCase()));
}

/** Finds a user of the caller's tenant by object id, UPN or SMTP address. */
export function findTenantUser(
  ctx: EmulatorContext,
  tenantId: string,
  idOrUpn: string,
): User | undefined {
  const user =
    ctx.store.directory.getUser(idOrUpn) ?? ctx.store.directory.findUserByAddress(idOrUpn);
  return user?.tenantId === tenantId ? user : undefined;
}

/**
 * The mailbox a mail request works on (`/me/…` or `/users/{id|upn}/…`), after Graph's checks in
 * its order: the token's permission, the user, the mailbox, the tenant's application access
 * policy (app-only), then rights on another mailbox.
 */
export function resolveMailbox(
  ctx: EmulatorContext,
  req: Request,
  res: Response,
  access: MailAccess,
): User {
  const caller = principal(res);
  const segment = req.params.user === undefined ? null : safeDecode(String(req.params.user));
  if (segment === null && caller.kind === 'app') throw errors.meNeedsDelegated();
  requirePermission(caller, access);
  const user =
    segment === null
      ? ctx.store.directory.getUser(caller.userId ?? '')
      : findTenantUser(ctx, caller.tenantId, segment);
  if (!user) throw errors.invalidUser(segment ?? 'me');
  if (!user.hasMailbox || !ctx.store.mail.hasMailbox(user.id)) throw errors.mailboxNotEnabled();
  if (
    caller.kind === 'app' &&
    ctx.store.policies.blocksApp(user.tenantId, caller.clientId, user.id)
  )
    throw errors.blockedByAccessPolicy();
  if (caller.kind === 'user' && user.id !== caller.userId)
    requireSharedRights(ctx, caller, user, access);
  return user;
}

function requirePermission(caller: GraphPrincipal, access: MailAccess): void {
  const ok =
    caller.kind === 'app'
      ? hasAny(caller.roles, APP_ROLES[access])
      : hasAny(caller.scopes, OWN_SCOPES[access]);
  if (!ok) throw errors.accessDenied();
}

/** Another user's mailbox with a user token: a `.Shared` scope and an Exchange right on it. */
function requireSharedRights(
  ctx: EmulatorContext,
  caller: GraphPrincipal,
  mailbox: User,
  access: MailAccess,
): void {
  if (!hasAny(caller.scopes, SHARED_SCOPES[access])) throw errors.accessDenied();
  const trustee = caller.userId ?? '';
  const fullAccess = ctx.store.mail.hasFullAccess(trustee, mailbox.id);
  const sendRight =
    ctx.store.directory.hasMailboxPermission(trustee, mailbox.id, 'sendAs') ||
    ctx.store.directory.hasMailboxPermission(trustee, mailbox.id, 'sendOnBehalf');
  if (fullAccess || (access === 'send' && sendRight)) return;
  throw errors.accessDenied();
}
