import express, { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import { AadError, missingParameter, sendAadError } from './aad-error.js';
import { authenticateClient } from './client-auth.js';
import { redeemAuthorizationCode } from './grants/authorization-code.js';
import { clientCredentials } from './grants/client-credentials.js';
import type { GrantInput, GrantResult } from './grants/grant.js';
import { redeemRefreshToken } from './grants/refresh-token.js';
import { formParams } from './params.js';
import { resolveTenantSegment } from './tenant-segment.js';

const GRANTS: Record<string, (input: GrantInput) => GrantResult> = {
  authorization_code: redeemAuthorizationCode,
  refresh_token: redeemRefreshToken,
  client_credentials: clientCredentials,
};

/** `POST /{tenant}/oauth2/v2.0/token` (form-encoded), with every outcome in the token log. */
export function tokenRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false }), (req, res) =>
    token(ctx, req, res),
  );
  router.get('/:tenant/oauth2/v2.0/token', (_req, res) => {
    const err = new AadError(
      'invalid_request',
      900561,
      'The endpoint only accepts POST, OPTIONS requests. Received a GET request.',
    );
    sendAadError(res, err, ctx.baseUrl, ctx.store.clock.now());
  });
  return router;
}

function token(ctx: EmulatorContext, req: Request, res: Response): void {
  const params = formParams(req);
  const grantType = params.grant_type ?? '';
  let clientId: string | null = params.client_id ?? null;
  try {
    if (!grantType) throw missingParameter('grant_type');
    const segment = String(req.params.tenant);
    const authority = resolveTenantSegment(ctx.store, segment);
    const grant = GRANTS[grantType];
    if (!grant)
      throw new AadError(
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
    const app = authenticateClient(ctx.store, req, params, segment);
    clientId = app.clientId;
    const result = grant({ ctx, app, params, authority, tenantSegment: segment });
    res.locals.emulator = { tenantId: result.tenantId, userId: result.userId, clientId };
    log(ctx, { grantType, clientId, userId: result.userId, tenantId: result.tenantId, err: null });
    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache').json(result.body);
  } catch (err) {
    if (!(err instanceof AadError)) throw err;
    log(ctx, { grantType, clientId, userId: null, tenantId: null, err });
    sendAadError(res, err, ctx.baseUrl, ctx.store.clock.now());
  }
}

interface LogInput {
  grantType: string;
  clientId: string | null;
  userId: string | null;
  tenantId: string | null;
  err: AadError | null;
}

function log(ctx: EmulatorContext, entry: LogInput): void {
  ctx.store.logs.recordToken({
    grantType: entry.grantType,
    clientId: entry.clientId,
    userId: entry.userId,
    tenantId: entry.tenantId,
    outcome: entry.err ? 'error' : 'issued',
    error: entry.err?.error ?? null,
    errorCode: entry.err?.code ?? null,
    at: ctx.store.clock.now(),
  });
}
