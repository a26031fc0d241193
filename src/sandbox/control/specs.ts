/** Arguments of control operations (in process and, as JSON bodies, over HTTP). */

export interface TokenLifetimeSpec {
  /** Seconds; null removes the setting. */
  accessTokenSec: number | null;
  /** A tenant id or domain; omitted = every tenant without its own lifetime. */
  tenantId?: string;
}

export interface ApplicationAccessPolicySpec {
  /** Tenant id or domain. */
  tenantId: string;
  /** The app the policy limits; omitted = every app. */
  clientId?: string;
  /** `DenyAccess` (default): the mailboxes are blocked; `RestrictAccess`: only they are reachable. */
  accessRight?: 'DenyAccess' | 'RestrictAccess';
  /** Users by id or any address. */
  mailboxes: string[];
}

export interface FailNextSpec {
  method?: string;
  path: string;
  /** Defaults to 1. */
  times?: number;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
