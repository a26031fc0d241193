import express, { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { PendingInteraction, User } from '../model.js';
import { AadError } from './aad-error.js';
import {
  acceptAdminConsent,
  adminConsentAfterSignIn,
  declineAdminConsent,
  parseAdminConsentRequest,
} from './admin-consent.js';
import {
  acceptConsent,
  afterSignIn,
  beginAuthorize,
  declineConsent,
  redirectError,
} from './authorize-flow.js';
import { saveInteraction } from './interaction.js';
import { AuthorizeFailure, parseAuthorizeRequest } from './authorize-request.js';
import { requestParams } from './params.js';
import { renderPageError, renderSignIn } from './render.js';
import { clearSessionCookie, readSessionId, writeSessionCookie } from './sso-session.js';

const form = express.urlencoded({ extended: false });

/** The interactive endpoints: authorize, admin consent, the account picker and the consent form. */
export function authorizeRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.all('/:tenant/oauth2/v2.0/authorize', form, (req, res) => authorize(ctx, req, res));
  router.get('/:tenant/v2.0/adminconsent', (req, res) => adminConsent(ctx, req, res));
  router.post('/:tenant/login', form, (req, res) => pickAccount(ctx, req, res));
  router.post('/:tenant/consent/set', form, (req, res) => consentDecision(ctx, req, res));
  router.all('/:tenant/oauth2/v2.0/logout', (req, res) => logout(ctx, req, res));
  return router;
}

function authorize(ctx: EmulatorContext, req: Request, res: Response): void {
  const params = requestParams(req);
  try {
    const request = parseAuthorizeRequest(ctx.store, tenantParam(req), params);
    res.locals.emulator = {
      tenantId: request.authority.tenant?.id ?? null,
      userId: null,
      clientId: request.app.clientId,
    };
    beginAuthorize(ctx, req, res, request, params);
  } catch (err) {
    if (!(err instanceof AuthorizeFailure)) throw err;
    if (!err.redirect) return renderPageError(ctx, res, err.error);
    redirectError(res, { ...err.redirect, state: err.state }, err.error);
  }
}

function adminConsent(ctx: EmulatorContext, req: Request, res: Response): void {
  const params = requestParams(req);
  try {
    const request = parseAdminConsentRequest(ctx, tenantParam(req), params);
    const interaction = saveInteraction(ctx, request, params, 'adminconsent');
    renderSignIn(ctx, res, interaction, request.app.displayName, params.login_hint ?? null);
  } catch (err) {
    if (!(err instanceof AadError)) throw err;
    renderPageError(ctx, res, err);
  }
}

function pickAccount(ctx: EmulatorContext, req: Request, res: Response): void {
  const interaction = findInteraction(ctx, req, res);
  if (!interaction) return;
  const params = requestParams(req);
  const user = params.user_id
    ? ctx.store.directory.getUser(params.user_id)
    : ctx.store.directory.findUserByAddress(params.login ?? '');
  if (!user || user.kind !== 'user') {
    const message =
      "We couldn't find an account with that username. Try another, or get a new Microsoft account.";
    return renderSignIn(
      ctx,
      res,
      interaction,
      appName(ctx, interaction),
      params.login ?? null,
      message,
    );
  }
  writeSessionCookie(res, ctx.store.grants.startSession(user.id));
  continueInteraction(ctx, res, interaction, user);
}

function continueInteraction(
  ctx: EmulatorContext,
  res: Response,
  interaction: PendingInteraction,
  user: User,
): void {
  try {
    if (interaction.kind === 'adminconsent') {
      const request = parseAdminConsentRequest(ctx, interaction.tenantSegment, interaction.params);
      return adminConsentAfterSignIn(ctx, res, request, interaction, user);
    }
    const request = parseAuthorizeRequest(ctx.store, interaction.tenantSegment, interaction.params);
    afterSignIn(ctx, res, request, interaction, user);
  } catch (err) {
    if (err instanceof AuthorizeFailure) return renderPageError(ctx, res, err.error);
    if (err instanceof AadError) return renderPageError(ctx, res, err);
    throw err;
  }
}

function consentDecision(ctx: EmulatorContext, req: Request, res: Response): void {
  const interaction = findInteraction(ctx, req, res);
  if (!interaction) return;
  const user = interaction.userId ? ctx.store.directory.getUser(interaction.userId) : undefined;
  if (!user) return renderPageError(ctx, res, flowExpired());
  const params = requestParams(req);
  const accepted = params.decision === 'accept';
  ctx.store.grants.endInteraction(interaction.id);
  res.locals.emulator = {
    tenantId: user.tenantId,
    userId: user.id,
    clientId: interaction.clientId,
  };
  if (interaction.kind === 'adminconsent') {
    const request = parseAdminConsentRequest(ctx, interaction.tenantSegment, interaction.params);
    return accepted
      ? acceptAdminConsent(ctx, res, request, user)
      : declineAdminConsent(res, request);
  }
  const request = parseAuthorizeRequest(ctx.store, interaction.tenantSegment, interaction.params);
  if (!accepted) return declineConsent(res, request);
  acceptConsent(ctx, res, request, user, params.consent_on_behalf_of_org === 'true');
}

function logout(ctx: EmulatorContext, req: Request, res: Response): void {
  const sessionId = readSessionId(req);
  if (sessionId) ctx.store.grants.endSession(sessionId);
  clearSessionCookie(res);
  const target = requestParams(req).post_logout_redirect_uri;
  if (target) return res.redirect(302, target);
  res
    .type('html')
    .send('<!DOCTYPE html><title>Signed out</title><p>You signed out of your account.</p>');
}

function findInteraction(
  ctx: EmulatorContext,
  req: Request,
  res: Response,
): PendingInteraction | null {
  const id = requestParams(req).interaction;
  const interaction = id ? ctx.store.grants.findInteraction(id) : undefined;
  if (interaction) return interaction;
  renderPageError(ctx, res, flowExpired());
  return null;
}

function flowExpired(): AadError {
  return new AadError(
    'invalid_request',
    50089,
    'Authentication failed due to flow token expired. Please sign in again.',
  );
}

function appName(ctx: EmulatorContext, interaction: PendingInteraction): string {
  return ctx.store.directory.getApp(interaction.clientId)?.displayName ?? interaction.clientId;
}

function tenantParam(req: Request): string {
  const value = req.params.tenant;
  return Array.isArray(value) ? value[0] : String(value);
}
