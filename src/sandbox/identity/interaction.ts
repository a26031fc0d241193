import type { Request } from 'express';
import type { EmulatorContext } from '../context.js';
import { opaqueToken } from '../ids.js';
import type { PendingInteraction, User } from '../model.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { readSessionId } from './sso-session.js';

const INTERACTION_LIFETIME_MS = 30 * 60_000;

/** Keeps the request server-side between pages; the pages only carry its opaque id. */
export function saveInteraction(
  ctx: EmulatorContext,
  request: Pick<AuthorizeRequest, 'tenantSegment' | 'app' | 'redirectUri'>,
  params: Record<string, string>,
  kind: PendingInteraction['kind'],
): PendingInteraction {
  const interaction: PendingInteraction = {
    id: opaqueToken(24),
    kind,
    tenantSegment: request.tenantSegment,
    clientId: request.app.clientId,
    redirectUri: request.redirectUri,
    params,
    userId: null,
    expiresAt: new Date(ctx.store.clock.nowMs() + INTERACTION_LIFETIME_MS),
  };
  ctx.store.grants.saveInteraction(interaction);
  return interaction;
}

/** The user of this browser's sign-in session, if any. */
export function sessionUserOf(ctx: EmulatorContext, req: Request): User | null {
  const sessionId = readSessionId(req);
  const userId = sessionId ? ctx.store.grants.findSessionUser(sessionId) : undefined;
  return (userId && ctx.store.directory.getUser(userId)) || null;
}

export function hintMatches(request: AuthorizeRequest, user: User): boolean {
  if (!request.loginHint) return true;
  const hint = request.loginHint.toLowerCase();
  return user.userPrincipalName.toLowerCase() === hint || user.mail?.toLowerCase() === hint;
}
