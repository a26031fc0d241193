import { z } from 'zod';
import type { ConfigProblem } from './problems.js';

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const MIN_STAFF_PASSWORD_LENGTH = 12;
export const MAX_STAFF_PASSWORD_LENGTH = 256;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** Environment variables of the operations console (documented in .env.example). */
export const consoleEnvShape = {
  CONSOLE_ENABLED: z
    .enum(['', 'true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v))),
  CONSOLE_BOOTSTRAP_EMAIL: optionalString,
  // Not trimmed: a password is taken as written.
  CONSOLE_BOOTSTRAP_PASSWORD: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  CONSOLE_SESSION_IDLE_MINUTES: int(60, 5, 24 * 60),
  CONSOLE_SESSION_MAX_HOURS: int(12, 1, 7 * 24),
  CONSOLE_LOGIN_MAX_FAILURES: int(5, 1, 100),
  CONSOLE_LOCKOUT_MINUTES: int(15, 1, 24 * 60),
};

type ConsoleEnv = {
  [K in keyof typeof consoleEnvShape]: z.infer<(typeof consoleEnvShape)[K]>;
} & { NODE_ENV: string; PUBLIC_URL?: string };

export interface ConsoleSettings {
  /**
   * on / off; `when_staff_exist`: production without CONSOLE_ENABLED serves the console only
   * once a staff user exists (the bootstrap admin counts).
   */
  enabled: 'on' | 'off' | 'when_staff_exist';
  /** The first admin, created at start when no staff user exists. */
  bootstrap?: { email: string; password: string };
  sessionIdleMs: number;
  sessionMaxMs: number;
  maxFailedLogins: number;
  lockoutMs: number;
  /** Cookies get `Secure` when PUBLIC_URL is https. */
  secureCookies: boolean;
}

export function consoleProblems(raw: ConsoleEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const email = raw.CONSOLE_BOOTSTRAP_EMAIL;
  const password = raw.CONSOLE_BOOTSTRAP_PASSWORD;
  if (email && !EMAIL.test(email)) {
    problems.push({ variable: 'CONSOLE_BOOTSTRAP_EMAIL', message: 'must be an email address' });
  }
  if (email && !password) {
    problems.push({
      variable: 'CONSOLE_BOOTSTRAP_PASSWORD',
      message: 'is required with CONSOLE_BOOTSTRAP_EMAIL',
    });
  }
  if (password && !email) {
    problems.push({
      variable: 'CONSOLE_BOOTSTRAP_EMAIL',
      message: 'is required with CONSOLE_BOOTSTRAP_PASSWORD',
    });
  }
  if (
    password &&
    (password.length < MIN_STAFF_PASSWORD_LENGTH || password.length > MAX_STAFF_PASSWORD_LENGTH)
  ) {
    problems.push({
      variable: 'CONSOLE_BOOTSTRAP_PASSWORD',
      message: `must be ${MIN_STAFF_PASSWORD_LENGTH} to ${MAX_STAFF_PASSWORD_LENGTH} characters`,
    });
  }
  return problems;
}

export function buildConsole(raw: ConsoleEnv): ConsoleSettings {
  const enabled =
    raw.CONSOLE_ENABLED === undefined
      ? raw.NODE_ENV === 'production'
        ? 'when_staff_exist'
        : 'on'
      : raw.CONSOLE_ENABLED
        ? 'on'
        : 'off';
  const email = raw.CONSOLE_BOOTSTRAP_EMAIL;
  const password = raw.CONSOLE_BOOTSTRAP_PASSWORD;
  return {
    enabled,
    bootstrap: email && password ? { email: email.toLowerCase(), password } : undefined,
    sessionIdleMs: raw.CONSOLE_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: raw.CONSOLE_SESSION_MAX_HOURS * 3_600_000,
    maxFailedLogins: raw.CONSOLE_LOGIN_MAX_FAILURES,
    lockoutMs: raw.CONSOLE_LOCKOUT_MINUTES * 60_000,
    secureCookies: raw.PUBLIC_URL?.startsWith('https://') ?? false,
  };
}
