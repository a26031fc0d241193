/** Request and token logs: what the emulator received, for tests to assert on. */

export interface RequestLogEntry {
  method: string;
  path: string;
  host: string;
  tenantId: string | null;
  userId: string | null;
  clientId: string | null;
  /** Graph requests: `app` for an app-only token, `user` for a delegated one; else null. */
  tokenKind: 'user' | 'app' | null;
  /** HTTP status; 0 when an injected fault dropped the connection before handling. */
  status: number;
  /** Set when an injected fault dropped the connection (`before` or `after` handling). */
  dropped: 'before' | 'after' | null;
  at: Date;
}

export interface TokenLogEntry {
  grantType: string;
  clientId: string | null;
  userId: string | null;
  tenantId: string | null;
  outcome: 'issued' | 'error';
  /** OAuth `error` value, e.g. `invalid_grant`. */
  error: string | null;
  /** AADSTS number, e.g. 54005. */
  errorCode: number | null;
  at: Date;
}

export interface RequestLogFilter {
  method?: string;
  /** Substring or regular expression the path must match. */
  path?: string | RegExp;
  userId?: string;
  status?: number;
  tokenKind?: 'user' | 'app';
  since?: Date;
}

export interface TokenLogFilter {
  grantType?: string;
  clientId?: string;
  userId?: string;
  outcome?: 'issued' | 'error';
  since?: Date;
}

/** Oldest entries are dropped past this many, so long benchmarks do not grow memory. */
const MAX_ENTRIES = 20_000;

export class LogStore {
  private requestLog: RequestLogEntry[] = [];
  private tokenLog: TokenLogEntry[] = [];

  recordRequest(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
    if (this.requestLog.length > MAX_ENTRIES * 2)
      this.requestLog = this.requestLog.slice(-MAX_ENTRIES);
  }

  recordToken(entry: TokenLogEntry): void {
    this.tokenLog.push(entry);
    if (this.tokenLog.length > MAX_ENTRIES * 2) this.tokenLog = this.tokenLog.slice(-MAX_ENTRIES);
  }

  requests(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.requestLog.filter(
      (e) =>
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        matchesPath(e.path, filter.path) &&
        (!filter.userId || e.userId === filter.userId) &&
        (filter.status === undefined || e.status === filter.status) &&
        (!filter.tokenKind || e.tokenKind === filter.tokenKind) &&
        (!filter.since || e.at >= filter.since),
    );
  }

  tokens(filter: TokenLogFilter = {}): TokenLogEntry[] {
    return this.tokenLog.filter(
      (e) =>
        (!filter.grantType || e.grantType === filter.grantType) &&
        (!filter.clientId || e.clientId === filter.clientId) &&
        (!filter.userId || e.userId === filter.userId) &&
        (!filter.outcome || e.outcome === filter.outcome) &&
        (!filter.since || e.at >= filter.since),
    );
  }

  clear(): void {
    this.requestLog = [];
    this.tokenLog = [];
  }
}

function matchesPath(path: string, wanted: string | RegExp | undefined): boolean {
  if (wanted === undefined) return true;
  return typeof wanted === 'string' ? path.includes(wanted) : wanted.test(path);
}
