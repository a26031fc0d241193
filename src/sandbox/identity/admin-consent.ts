import type { Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { AppRegistration, PendingInteraction, User } from '../model.js';
import { AadError, missingParameter } from './aad-error.js';
import { findApp } from './authorize-request.js';
import { respondToClient, type ClientRedirect } from './client-redirect.js';
import { consentPage } from './pages/consent.js';
import { isRedirectUriAllowed } from './redirect-uris.js';
import { renderPageError, sendPage } from './render.js';
import { applicationDescription, delegatedDescription } from './scopes.js';
import { authorityAdmits, resolveTenantSegment, type TenantScope } from './tenant-segment.js';

/** A validated `/{tenant}/v2.0/adminconsent` request. */
export interface AdminConsentRequest extends ClientRedirect {
  tenantSegment: string;
  authority: TenantScope;
  app: AppRegistration;
  scope: string;
  state: string | null;
}

export function parseAdminConsentRequest(
  ctx: EmulatorContext,
  tenantSegment: string,
  params: Record<string, string>,
): AdminConsentRequest {
  const authority = resolveTenantSegment(ctx.store, tenantSegment);
  if (authority.kind === 'common' || authority.kind === 'consumers') {
    throw new AadError(
      'invalid_request',
      90130,
      'The application is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.',
    );
  }
  const app = findApp(ctx.store, params.client_id, tenantSegment);
  if (!params.redirect_uri) throw missingParameter('redirect_uri');
  if (!isRedirectUriAllowed(app, params.redirect_uri)) {
    throw new AadError(
      'invalid_request',
      50011,
      `The redirect URI '${params.redirect_uri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
    );
  }
  return {
    tenantSegment,
    authority,
    app,
    redirectUri: params.redirect_uri,
    responseMode: 'query',
    scope: params.scope ?? 'https://graph.microsoft.com/.default',
    state: params.state ?? null,
  };
}

/** After sign-in: only an administrator of the (designated) tenant sees the consent page. */
export function adminConsentAfterSignIn(
  ctx: EmulatorContext,
  res: Response,
  request: AdminConsentRequest,
  interaction: PendingInteraction,
  user: User,
): void {
  if (!authorityAdmits(request.authority, user.tenantId)) {
    return renderPageError(
      ctx,
      res,
      new AadError(
        'invalid_request',
        50020,
        `User account '${user.userPrincipalName}' does not exist in tenant '${request.tenantSegment}'.`,
      ),
    );
  }
  if (!user.isAdmin) {
    return renderPageError(
      ctx,
      res,
      new AadError(
        'invalid_request',
        90094,
        `Admin consent is required. The signed-in user '${user.userPrincipalName}' is not an administrator of the tenant and cannot grant permissions for the organization.`,
      ),
    );
  }
  interaction.userId = user.id;
  res.locals.emulator = {
    tenantId: user.tenantId,
    userId: user.id,
    clientId: request.app.clientId,
  };
  renderAdminConsentPage(res, interaction, request.app, user);
}

/** Microsoft's admin consent page: the app's permissions for the whole organization. */
export function renderAdminConsentPage(
  res: Response,
  interaction: PendingInteraction,
  app: AppRegistration,
  user: User,
): void {
  sendPage(
    res,
    200,
    consentPage({
      action: `/${encodeURIComponent(interaction.tenantSegment)}/consent/set`,
      interactionId: interaction.id,
      appName: app.displayName,
      user,
      permissions: [
        ...app.applicationPermissions.map(applicationDescription),
        ...app.delegatedPermissions.map(delegatedDescription),
      ],
      forOrganization: true,
      offerOrganizationConsent: false,
    }),
  );
}

export function acceptAdminConsent(
  ctx: EmulatorContext,
  res: Response,
  request: AdminConsentRequest,
  user: User,
): void {
  recordAdminConsent(ctx, request.app, user);
  respondToClient(res, request, {
    admin_consent: 'True',
    tenant: user.tenantId,
    scope: request.scope,
    state: request.state,
  });
}

/** The tenant-wide grant: the app's application and delegated permissions. */
export function recordAdminConsent(ctx: EmulatorContext, app: AppRegistration, user: User): void {
  ctx.store.directory.grantAdminConsent(
    user.tenantId,
    app.clientId,
    app.applicationPermissions,
    app.delegatedPermissions,
  );
}

/**
 * Cancel: Entra ID redirects with `error=access_denied` (AADSTS65004) and may still add
 * `admin_consent=True`, without `tenant`; clients must look at `error` first.
 */
export function declineAdminConsent(res: Response, request: AdminConsentRequest): void {
  respondToClient(res, request, {
    admin_consent: 'True',
    error: 'access_denied',
    error_subcode: 'cancel',
    error_description: 'AADSTS65004: User declined to consent to access the app.',
    state: request.state,
  });
}
