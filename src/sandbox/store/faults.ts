import { newGuid } from '../ids.js';

export interface FaultResponse {
  status: number;
  /** JSON-serialisable body, or a string sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FaultRuleSpec {
  /** HTTP method, or `*` for any. */
  method?: string;
  /**
   * Path pattern: `*` matches one path segment (or part of it), `**` any number of segments.
   * E.g. `/*\/oauth2/v2.0/token`, `/v1.0/me`, `/v1.0/users/**`.
   */
  path: string;
  /** How many matching requests the rule affects; omitted or null = until removed. */
  times?: number | null;
  /** Let this many matching requests through untouched before the rule applies. */
  after?: number;
  /** Only requests whose bearer token belongs to this user object id (`oid`). */
  userId?: string;
  /** Replaces the real response. */
  response?: FaultResponse;
  /** Delay added before the request is handled (or before the fault response). */
  delayMs?: number;
}

export interface FaultRule {
  id: string;
  method: string;
  path: string;
  remaining: number | null;
  /** Matching requests still to let through before the rule applies. */
  pass: number;
  userId: string | null;
  response: FaultResponse | null;
  delayMs: number;
  hits: number;
}

export interface FaultDecision {
  delayMs: number;
  response: FaultResponse | null;
}

interface CompiledRule extends FaultRule {
  regex: RegExp;
}

/** Injected failures and latency, consulted before every identity, Graph and page route. */
export class FaultStore {
  private rules: CompiledRule[] = [];
  /** Added to every routed request (the `latencyMs` start option). */
  globalLatencyMs = 0;

  add(spec: FaultRuleSpec): FaultRule {
    const rule: CompiledRule = {
      id: newGuid(),
      method: (spec.method ?? '*').toUpperCase(),
      path: spec.path,
      remaining: spec.times ?? null,
      pass: spec.after ?? 0,
      userId: spec.userId ?? null,
      response: spec.response ?? null,
      delayMs: spec.delayMs ?? 0,
      hits: 0,
      regex: compilePattern(spec.path),
    };
    this.rules.push(rule);
    return publicRule(rule);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  list(): FaultRule[] {
    return this.rules.map(publicRule);
  }

  /**
   * Decides what happens to a request, consuming one use of each matching rule. `userOf` reads
   * the caller's user id, only when a rule is scoped to a user.
   */
  decide(
    method: string,
    path: string,
    userOf: () => string | undefined = () => undefined,
  ): FaultDecision {
    if (this.rules.length === 0) return { delayMs: this.globalLatencyMs, response: null };
    let delayMs = this.globalLatencyMs;
    let response: FaultResponse | null = null;
    for (const rule of this.rules) {
      if (!matches(rule, method, path)) continue;
      if (rule.userId && rule.userId !== userOf()) continue;
      if (rule.pass > 0) {
        rule.pass--;
        continue;
      }
      if (rule.response && response) continue;
      rule.hits++;
      if (rule.remaining !== null) rule.remaining--;
      delayMs += rule.delayMs;
      response = response ?? rule.response;
    }
    this.rules = this.rules.filter((r) => r.remaining === null || r.remaining > 0);
    return { delayMs, response };
  }

  clear(): void {
    this.rules = [];
    this.globalLatencyMs = 0;
  }
}

function matches(rule: CompiledRule, method: string, path: string): boolean {
  if (rule.remaining !== null && rule.remaining <= 0) return false;
  return (rule.method === '*' || rule.method === method) && rule.regex.test(path);
}

function compilePattern(pattern: string): RegExp {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}/?$`, 'i');
}

function publicRule(rule: CompiledRule): FaultRule {
  const { regex: _regex, ...rest } = rule;
  return { ...rest };
}
