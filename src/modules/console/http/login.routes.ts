import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { AppConfig } from '../../../common/config/app-config.js';
import type { SessionService } from '../staff/session.service.js';
import type { SignInResult, StaffAuthService } from '../staff/staff-auth.service.js';
import {
  clearSessionCookies,
  cookieOf,
  cookieOptions,
  LOGIN_COOKIE,
  SESSION_COOKIE,
  XSRF_COOKIE,
} from './cookies.js';
import { csrfTokenFor, fromOwnOrigin, sameToken } from './csrf.js';
import { type LoginView, loginPage, logoutPage } from './pages.js';

interface LoginDeps {
  config: AppConfig;
  auth: StaffAuthService;
  sessions: SessionService;
  /** Starts loading AdminJS while the person types their password. */
  prewarm: () => void;
}

const NEXT = /^\/admin(?:[/?][^\s\\]*)?$/;

/** Sign-in and sign-out pages (plain HTML forms with CSRF tokens). */
export function loginRoutes(deps: LoginDeps): express.Router {
  const secure = deps.config.console.secureCookies;
  const router = express.Router();

  router.get('/login', async (req, res) => {
    if (await deps.sessions.resume(cookieOf(req, SESSION_COOKIE)))
      return res.redirect(303, '/admin');
    res.once('finish', deps.prewarm);
    const message =
      req.query.signedOut === '1'
        ? ({ kind: 'info', text: 'You are signed out.' } as const)
        : undefined;
    showLogin(req, res, 200, { next: nextOf(req.query.next), message }, secure);
  });

  router.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email : '';
    const next = nextOf(body.next);
    const bound = sameToken(body._csrf, cookieOf(req, LOGIN_COOKIE) ?? '');
    if (!bound || !fromOwnOrigin(req, deps.config.publicUrl)) {
      const text = 'The sign-in form expired; please sign in again.';
      return showLogin(req, res, 403, { email, next, message: { kind: 'error', text } }, secure);
    }
    const password = typeof body.password === 'string' ? body.password : '';
    const result = await deps.auth.signIn(email, password, req.ip);
    if (!result.ok) {
      const [status, text] = refusal(result);
      return showLogin(req, res, status, { email, next, message: { kind: 'error', text } }, secure);
    }
    const { token } = await deps.sessions.start(result.staff.id);
    res.clearCookie(LOGIN_COOKIE, cookieOptions(secure, { sameSite: 'strict' }));
    res.cookie(SESSION_COOKIE, token, cookieOptions(secure));
    res.cookie(
      XSRF_COOKIE,
      csrfTokenFor(token),
      cookieOptions(secure, { httpOnly: false, sameSite: 'strict' }),
    );
    res.redirect(303, next ?? '/admin');
  });

  router.get('/logout', async (req, res) => {
    const token = cookieOf(req, SESSION_COOKIE);
    const session = await deps.sessions.resume(token);
    if (!session || !token) return res.redirect(303, '/admin/login');
    res
      .type('html')
      .send(logoutPage(csrfTokenFor(token), session.staff.email, res.locals.cspNonce as string));
  });

  router.post('/logout', async (req, res) => {
    const token = cookieOf(req, SESSION_COOKIE);
    const session = await deps.sessions.resume(token);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (session && token && sameToken(body._csrf, csrfTokenFor(token))) {
      await deps.sessions.end(token, session.staff.id);
      clearSessionCookies(res, secure);
    }
    res.redirect(303, session ? '/admin/login?signedOut=1' : '/admin/login');
  });

  return router;
}

function showLogin(
  req: Request,
  res: Response,
  status: number,
  view: Omit<LoginView, 'csrf'>,
  secure: boolean,
): void {
  // One token per browser, kept while the form is reloaded, so two tabs do not clash.
  const csrf = cookieOf(req, LOGIN_COOKIE) ?? randomBytes(24).toString('base64url');
  res.cookie(LOGIN_COOKIE, csrf, cookieOptions(secure, { sameSite: 'strict' }));
  res
    .status(status)
    .type('html')
    .send(loginPage({ ...view, csrf }, res.locals.cspNonce as string));
}

function refusal(result: Exclude<SignInResult, { ok: true }>): [number, string] {
  if (result.reason === 'locked') {
    const until = result.lockedUntil.toISOString().slice(11, 16);
    return [
      423,
      `Too many failed sign-ins: this account is locked until ${until} UTC. An admin can unlock it sooner.`,
    ];
  }
  if (result.reason === 'disabled') return [403, 'This account is disabled. Ask a console admin.'];
  return [401, 'The email or password is not right.'];
}

/** Where to go after signing in: a console page only (no open redirect). */
function nextOf(value: unknown): string | undefined {
  return typeof value === 'string' && NEXT.test(value) && !value.includes('//') ? value : undefined;
}
