import type { Request } from 'express';
import passport from 'passport';
import { AZURE_AD, type MicrosoftSignIn } from './azure-ad.strategy.js';

/**
 * passport-azure-ad keeps the OIDC state and nonce "in the session". We give it a session that
 * is a plain object loaded from and saved to the sign-in attempt's row, so they stay server
 * side: no cookie carries them (the library's cookie mode encrypts with a fixed IV).
 */
export type OidcSession = Record<string, unknown>;

export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; signIn: MicrosoftSignIn }
  | { kind: 'failure'; reason: string };

interface StrategyActions {
  redirect(url: string): void;
  success(user: MicrosoftSignIn): void;
  fail(challenge?: unknown): void;
  error(error: unknown): void;
  pass(): void;
  authenticate(req: Request, options: Record<string, unknown>): void;
}

/**
 * Runs the strategy once, as passport's middleware would, but hands back what it decided
 * instead of writing the response: the caller saves the session first, then answers.
 */
export function runStrategy(
  req: Request,
  session: OidcSession,
  options: Record<string, unknown>,
): Promise<StrategyOutcome> {
  const registered = (
    passport as unknown as { _strategy(name: string): StrategyActions | undefined }
  )._strategy(AZURE_AD);
  if (!registered) return Promise.resolve({ kind: 'failure', reason: 'strategy not registered' });
  (req as Request & { session: OidcSession }).session = session;
  return new Promise((resolve) => {
    const strategy = Object.create(registered) as StrategyActions;
    strategy.redirect = (url) => resolve({ kind: 'redirect', url });
    strategy.success = (user) => resolve({ kind: 'success', signIn: user });
    strategy.fail = (challenge) => resolve({ kind: 'failure', reason: reasonOf(challenge) });
    strategy.error = (error) => resolve({ kind: 'failure', reason: reasonOf(error) });
    strategy.pass = () => resolve({ kind: 'failure', reason: 'sign-in failed' });
    try {
      strategy.authenticate(req, { session: false, ...options });
    } catch (error) {
      resolve({ kind: 'failure', reason: reasonOf(error) });
    }
  });
}

function reasonOf(info: unknown): string {
  if (typeof info === 'string') return info;
  if (info instanceof Error) return info.message;
  if (info && typeof info === 'object' && 'message' in info) return String(info.message);
  return 'sign-in failed';
}
