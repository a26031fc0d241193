import type { Request, Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { PendingInteraction, User } from '../model.js';
import { AadError } from './aad-error.js';
import { recordAdminConsent, renderAdminConsentPage } from './admin-consent.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { respondToClient, type ClientRedirect } from './client-redirect.js';
import { mayConsent, missingScopes } from './consent-rules.js';
import { hintMatches, saveInteraction, sessionUserOf } from './interaction.js';
import { issueCode } from './issue-code.js';
import { renderConsent, renderPageError, renderSignIn } from './render.js';
import { adminConsentRequired, signInDenial } from './sign-in-rules.js';

/** A valid `/authorize` request: silent answer, SSO, or the sign-in page. */
export function beginAuthorize(
  ctx: EmulatorContext,
  req: Request,
  res: Response,
  request: AuthorizeRequest,
  params: Record<string, string>,
): void {
  const sessionUser = sessionUserOf(ctx, req);
  if (request.prompt === 'none') return silentAuthorize(ctx, res, request, sessionUser);
  const ssoUser =
    request.prompt === null && sessionUser && hintMatches(request, sessionUser)
      ? sessionUser
      : null;
  const interaction = saveInteraction(ctx, request, params, 'authorize');
  if (ssoUser) return afterSignIn(ctx, res, request, interaction, ssoUser);
  renderSignIn(ctx, res, interaction, request.app.displayName, request.loginHint);
}

/** The user is known: check tenant and app, then consent or straight to the code. */
export function afterSignIn(
  ctx: EmulatorContext,
  res: Response,
  request: AuthorizeRequest,
  interaction: PendingInteraction,
  user: User,
): void {
  const denied = signInDenial(ctx, request, user);
  if (denied) return renderPageError(ctx, res, denied);
  interaction.userId = user.id;
  res.locals.emulator = {
    tenantId: user.tenantId,
    userId: user.id,
    clientId: request.app.clientId,
  };
  if (request.prompt === 'admin_consent') return adminPrompt(ctx, res, request, interaction, user);
  const missing = missingScopes(ctx.store, user, request.app.clientId, request.scopes);
  if (missing.length === 0 && request.prompt !== 'consent') {
    ctx.store.grants.endInteraction(interaction.id);
    return issueCode(ctx, res, request, user);
  }
  const tenant = ctx.store.directory.getTenant(user.tenantId);
  if (tenant && !mayConsent(tenant, user)) {
    ctx.store.grants.endInteraction(interaction.id);
    return redirectError(res, request, adminConsentRequired(request));
  }
  renderConsent(ctx, res, interaction, request, user);
}

/**
 * `prompt=admin_consent`: only an administrator sees the admin consent page. Entra ID shows a
 * non-admin "Need admin approval" (AADSTS90094); its "Return to the application without
 * granting consent" ends in `error=access_denied`, which is what the emulator answers at once.
 */
function adminPrompt(
  ctx: EmulatorContext,
  res: Response,
  request: AuthorizeRequest,
  interaction: PendingInteraction,
  user: User,
): void {
  if (user.isAdmin) return renderAdminConsentPage(res, interaction, request.app, user);
  ctx.store.grants.endInteraction(interaction.id);
  const approval = adminConsentRequired(request);
  redirectError(res, request, new AadError('access_denied', approval.code, approval.description));
}

/** Accept: record consent (user, or tenant-wide when an admin ticked the box) and issue a code. */
export function acceptConsent(
  ctx: EmulatorContext,
  res: Response,
  request: AuthorizeRequest,
  user: User,
  forOrganization: boolean,
): void {
  if (request.prompt === 'admin_consent' && user.isAdmin) {
    recordAdminConsent(ctx, request.app, user);
    return issueCode(ctx, res, request, user);
  }
  const scopes = [...request.scopes.oidc, ...request.scopes.graph];
  if (forOrganization && user.isAdmin)
    ctx.store.directory.grantAdminConsent(user.tenantId, request.app.clientId, [], scopes);
  else ctx.store.grants.recordUserConsent(user.id, request.app.clientId, scopes);
  issueCode(ctx, res, request, user);
}

export function declineConsent(res: Response, request: AuthorizeRequest): void {
  redirectError(
    res,
    request,
    new AadError('access_denied', 65004, 'User declined to consent to access the app.', 400, {
      error_subcode: 'cancel',
    }),
  );
}

export function redirectError(
  res: Response,
  request: ClientRedirect & { state: string | null },
  err: AadError,
): void {
  respondToClient(res, request, {
    error: err.error,
    error_subcode:
      typeof err.extra.error_subcode === 'string' ? err.extra.error_subcode : undefined,
    error_description: `AADSTS${err.code}: ${err.description}`,
    error_codes: String(err.code),
    state: request.state,
  });
}

function silentAuthorize(
  ctx: EmulatorContext,
  res: Response,
  request: AuthorizeRequest,
  user: User | null,
): void {
  if (!user)
    return redirectError(
      res,
      request,
      new AadError(
        'login_required',
        50058,
        'A silent sign-in request was sent but no user is signed in.',
      ),
    );
  if (!hintMatches(request, user)) {
    return redirectError(
      res,
      request,
      new AadError(
        'interaction_required',
        16000,
        `The signed-in account does not match the login_hint '${request.loginHint}'. An interactive request is needed.`,
      ),
    );
  }
  const denied = signInDenial(ctx, request, user);
  if (denied)
    return redirectError(
      res,
      request,
      new AadError('interaction_required', denied.code, denied.description),
    );
  if (missingScopes(ctx.store, user, request.app.clientId, request.scopes).length > 0) {
    return redirectError(
      res,
      request,
      new AadError(
        'consent_required',
        65001,
        `The user or administrator has not consented to use the application with ID '${request.app.clientId}' named '${request.app.displayName}'. Send an interactive authorization request for this user and resource.`,
      ),
    );
  }
  issueCode(ctx, res, request, user);
}
