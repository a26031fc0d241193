import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { AppConfig } from '../../../common/config/app-config.js';
import { renderError } from '../../../common/errors/render-error.js';
import { requestIdOf } from '../../../common/http/request-id.js';
import type { SessionService } from '../staff/session.service.js';
import type { StaffAuthService } from '../staff/staff-auth.service.js';
import {
  clearSessionCookies,
  cookieOf,
  cookieOptions,
  SESSION_COOKIE,
  XSRF_COOKIE,
  XSRF_HEADER,
} from './cookies.js';
import { csrfTokenFor, fromOwnOrigin, sameToken } from './csrf.js';
import { loginRoutes } from './login.routes.js';
import { multipartFields } from './multipart.js';
import { errorPage } from './pages.js';

export interface ConsoleRouterDeps {
  config: AppConfig;
  auth: StaffAuthService;
  sessions: SessionService;
  /** AdminJS, loaded on first use (importing it takes about a second). */
  loadAdmin: () => Promise<RequestHandler>;
}

const logger = new Logger('Console');

/**
 * Everything under /admin: an Express router of its own, outside Nest's controllers, so the
 * workspace bearer guard and rate limiter never see it and a bearer token opens nothing here.
 * Staff sign in with email and password; the session lives in PostgreSQL; every request to
 * AdminJS's API carries the session's CSRF token; state changes must come from our origin.
 */
export function consoleRouter(deps: ConsoleRouterDeps): express.Router {
  const secure = deps.config.console.secureCookies;
  const admin = lazy(deps.loadAdmin);
  const router = express.Router();
  router.use(securityHeaders);
  router.use(loginRoutes({ ...deps, prewarm: admin.prewarm }));
  router.use(requireSession(deps.sessions, secure));
  router.use(requireOwnOrigin(deps.config.publicUrl));
  router.use('/api', requireCsrfHeader);
  router.use(multipartFields);
  router.use(admin.handle);
  router.use(consoleErrors);
  return router;
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  const nonce = randomBytes(16).toString('base64');
  res.locals.cspNonce = nonce;
  res.set({
    'Content-Security-Policy': [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      // styled-components (AdminJS's design system) writes <style> elements at run time.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
  });
  next();
}

/** Signed-in staff only: anyone else is sent to the sign-in page (AdminJS's API too). */
function requireSession(sessions: SessionService, secure: boolean): RequestHandler {
  return async (req, res, next) => {
    const token = cookieOf(req, SESSION_COOKIE);
    const session = await sessions.resume(token);
    if (!session || !token) {
      if (token) clearSessionCookies(res, secure);
      const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/admin/login${back}`);
      return;
    }
    res.locals.staff = session.staff;
    res.locals.sessionToken = token;
    const csrf = csrfTokenFor(token);
    res.locals.csrf = csrf;
    if (cookieOf(req, XSRF_COOKIE) !== csrf) {
      res.cookie(XSRF_COOKIE, csrf, cookieOptions(secure, { httpOnly: false, sameSite: 'strict' }));
    }
    next();
  };
}

function requireOwnOrigin(publicUrl: string): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || fromOwnOrigin(req, publicUrl))
      return next();
    refuse(res, 'This request did not come from the console’s own pages.');
  };
}

/**
 * AdminJS runs actions through its API, some with GET: every API request needs the session's
 * CSRF token in X-XSRF-TOKEN (AdminJS's HTTP client copies it from the XSRF-TOKEN cookie),
 * which a page of another site can neither read nor send.
 */
function requireCsrfHeader(req: Request, res: Response, next: NextFunction): void {
  if (sameToken(req.get(XSRF_HEADER), res.locals.csrf as string)) return next();
  refuse(res, 'The console’s CSRF token is missing or wrong; reload the page.');
}

function refuse(res: Response, message: string): void {
  res.status(403).json({ error: { code: 'csrf_failed', message, details: [] } });
}

function lazy(load: () => Promise<RequestHandler>) {
  let loading: Promise<RequestHandler> | undefined;
  const get = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    handle: ((req, res, next) => {
      get().then((handler) => handler(req, res, next), next);
    }) as RequestHandler,
    prewarm: () => {
      get().catch((error: unknown) => logger.error({ err: error }, 'console failed to load'));
    },
  };
}

function consoleErrors(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const rendered = renderError(error);
  if (rendered.unexpected) {
    logger.error({ err: error, requestId: requestIdOf(req), path: req.path }, 'console error');
  }
  if (res.headersSent) return next(error);
  if (req.path.startsWith('/api/')) {
    res.status(rendered.status).json({ ...rendered.body, requestId: requestIdOf(req) });
    return;
  }
  const nonce = res.locals.cspNonce as string;
  res
    .status(rendered.status)
    .type('html')
    .send(errorPage(rendered.status, rendered.body.error.message, nonce));
}
