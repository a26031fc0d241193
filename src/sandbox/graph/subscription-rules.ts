import type { EmulatorContext } from '../context.js';
import type { SubscriptionTarget } from '../mail-model.js';
import { findTenantUser, hasAny, type GraphPrincipal } from './access.js';
import { GraphError } from './errors.js';
import { normalizeGraphPath, safeDecode } from './paths.js';

const CHANGE_TYPES = ['created', 'updated', 'deleted'];
const READ_SCOPES = ['Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite'];
const READ_ROLES = ['Mail.ReadBasic', 'Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'];

/** Outlook's subscription errors wrap the mailbox's answer: `Operation: Create; Exception: […]`. */
export function extensionError(operation: string, status: number, reason: string): GraphError {
  const name = { 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound' }[status] ?? 'BadRequest';
  return new GraphError(
    status,
    'ExtensionError',
    `Operation: ${operation}; Exception: [Status Code: ${name}; Reason: ${reason}]`,
  );
}

/** `created,updated` → checked list; unknown or empty → 400. */
export function parseChangeType(raw: unknown): string {
  const types = String(raw ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (types.length === 0 || types.some((t) => !CHANGE_TYPES.includes(t))) {
    throw new GraphError(
      400,
      'InvalidRequest',
      `Invalid 'changeType' value '${String(raw ?? '')}'. Supported values are created, updated, deleted.`,
    );
  }
  return types.join(',');
}

/**
 * The mailbox and folder a message resource names: `me/messages`,
 * `me/mailFolders('inbox')/messages`, `/users/{id|upn}/mailFolders/{id}/messages`.
 * Delegated tokens may only watch the signed-in user's own mailbox.
 */
export function resolveTarget(
  ctx: EmulatorContext,
  caller: GraphPrincipal,
  resource: string,
): SubscriptionTarget {
  const parts = normalizeGraphPath(`/${resource.replace(/^\/+/, '')}`)
    .split('/')
    .filter(Boolean)
    .map(safeDecode);
  const [head, ...rest] = parts[0]?.toLowerCase() === 'v1.0' ? parts.slice(1) : parts;
  const isMe = head?.toLowerCase() === 'me';
  const owner = isMe ? null : rest.shift();
  const folderId = folderOf(rest, resource);
  if (!isMe && (head?.toLowerCase() !== 'users' || !owner)) throw unsupported(resource);
  if (isMe && caller.kind === 'app')
    throw extensionError('Create', 400, 'Resource me is not valid for application permissions.');
  requireReadPermission(caller);
  const user = isMe
    ? ctx.store.directory.getUser(caller.userId ?? '')
    : findTenantUser(ctx, caller.tenantId, owner ?? '');
  if (!user || !user.hasMailbox || !ctx.store.mail.hasMailbox(user.id))
    throw extensionError('Create', 404, 'The mailbox was not found or is not enabled for REST.');
  const blocked =
    caller.kind === 'app' && ctx.store.policies.blocksApp(user.tenantId, caller.clientId, user.id);
  if (blocked || (caller.kind === 'user' && user.id !== caller.userId))
    throw extensionError('Create', 403, 'Access is denied. Check credentials and try again.');
  const folder = folderId === null ? null : ctx.store.mail.findFolder(user.id, folderId);
  if (folderId !== null && !folder)
    throw extensionError('Create', 404, 'The specified folder could not be found in the store.');
  return { mailboxUserId: user.id, folderId: folder?.id ?? null };
}

function folderOf(rest: string[], resource: string): string | null {
  const lower = rest.map((r) => r.toLowerCase());
  if (lower.length === 1 && lower[0] === 'messages') return null;
  if (lower.length === 3 && lower[0] === 'mailfolders' && lower[2] === 'messages') return rest[1];
  throw unsupported(resource);
}

function requireReadPermission(caller: GraphPrincipal): void {
  const ok =
    caller.kind === 'app'
      ? hasAny(caller.roles, READ_ROLES)
      : hasAny(caller.scopes, [...READ_SCOPES, 'Mail.Read.Shared', 'Mail.ReadWrite.Shared']);
  if (!ok)
    throw extensionError('Create', 403, 'Access is denied. Check credentials and try again.');
}

function unsupported(resource: string): GraphError {
  return new GraphError(
    400,
    'InvalidRequest',
    `Resource '${resource}' is not supported. Use /me/messages, /users/{id}/messages or /users/{id}/mailFolders('{id}')/messages.`,
  );
}

/** Parses and bounds `expirationDateTime` (future, at most the Outlook maximum). */
export function checkExpiration(
  raw: unknown,
  nowMs: number,
  maxMinutes: number,
  operation: string,
): string {
  const at = typeof raw === 'string' ? Date.parse(raw) : NaN;
  if (Number.isNaN(at))
    throw new GraphError(
      400,
      'InvalidRequest',
      `Invalid 'expirationDateTime' value '${String(raw ?? '')}'.`,
    );
  if (at <= nowMs)
    throw extensionError(operation, 400, 'Subscription expiration must be in the future.');
  if (at > nowMs + maxMinutes * 60_000) {
    throw new GraphError(
      400,
      'ExtensionError',
      `Subscription expiration can only be ${maxMinutes} minutes in the future.`,
    );
  }
  return new Date(at).toISOString();
}
