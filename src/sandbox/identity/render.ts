import type { Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { PendingInteraction, User } from '../model.js';
import type { AadError } from './aad-error.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { consentPage } from './pages/consent.js';
import { errorPage } from './pages/error-page.js';
import { signInPage } from './pages/sign-in.js';
import { delegatedDescription } from './scopes.js';
import { resolveTenantSegment } from './tenant-segment.js';

/** Renders the account picker for an interaction (users of the tenant, or all for generic authorities). */
export function renderSignIn(
  ctx: EmulatorContext,
  res: Response,
  interaction: PendingInteraction,
  appName: string,
  loginHint: string | null,
  error: string | null = null,
): void {
  const authority = resolveTenantSegment(ctx.store, interaction.tenantSegment);
  const users = ctx.store.directory
    .listUsers(authority.tenant?.id)
    .filter((u) => u.kind === 'user' && authority.kind !== 'consumers');
  const preselected = loginHint ? (ctx.store.directory.findUserByAddress(loginHint) ?? null) : null;
  sendPage(
    res,
    200,
    signInPage({
      action: `/${encodeURIComponent(interaction.tenantSegment)}/login`,
      interactionId: interaction.id,
      appName,
      users,
      preselected: preselected && users.some((u) => u.id === preselected.id) ? preselected : null,
      error,
    }),
  );
}

export function renderConsent(
  ctx: EmulatorContext,
  res: Response,
  interaction: PendingInteraction,
  request: AuthorizeRequest,
  user: User,
): void {
  const scopes = [...request.scopes.graph, ...request.scopes.oidc];
  sendPage(
    res,
    200,
    consentPage({
      action: `/${encodeURIComponent(interaction.tenantSegment)}/consent/set`,
      interactionId: interaction.id,
      appName: request.app.displayName,
      user,
      permissions: [...new Set(scopes.map(delegatedDescription))],
      forOrganization: false,
      offerOrganizationConsent: user.isAdmin,
    }),
  );
}

export function renderPageError(ctx: EmulatorContext, res: Response, err: AadError): void {
  sendPage(res, err.status >= 400 ? err.status : 400, errorPage(err, ctx.store.clock.now()));
}

export function sendPage(res: Response, status: number, html: string): void {
  res.status(status).set('Cache-Control', 'no-store').type('html').send(html);
}
