import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { AZURE_AD, type MicrosoftSignIn } from './azure-ad.strategy.js';

export type PassportOutcome = { ok: true; signIn: MicrosoftSignIn } | { ok: false; reason: string };

/** Starts the sign-in: passport answers with a redirect to Microsoft (state + nonce cookie). */
export function redirectToMicrosoft(
  req: Request,
  res: Response,
  next: NextFunction,
  attemptId: string,
): void {
  passport.authenticate(AZURE_AD, {
    session: false,
    customState: attemptId,
    prompt: 'select_account',
  } as passport.AuthenticateOptions)(req, res, next);
}

/** Finishes the sign-in at the callback: state cookie, code redemption, id_token checks. */
export function finishSignIn(req: Request, res: Response): Promise<PassportOutcome> {
  return new Promise((resolve) => {
    const done = (error: unknown, user: MicrosoftSignIn | false, info: unknown) => {
      if (error)
        return resolve({
          ok: false,
          reason: error instanceof Error ? error.message : String(error),
        });
      if (!user) return resolve({ ok: false, reason: reasonOf(info) });
      resolve({ ok: true, signIn: user });
    };
    passport.authenticate(AZURE_AD, { session: false }, done)(req, res, (error: unknown) =>
      resolve({ ok: false, reason: error instanceof Error ? error.message : 'sign-in failed' }),
    );
  });
}

function reasonOf(info: unknown): string {
  if (typeof info === 'string') return info;
  if (info && typeof info === 'object' && 'message' in info) return String(info.message);
  return 'sign-in failed';
}
