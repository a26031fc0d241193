import type { Clock } from '../clock.js';
import { EmulatorClock } from '../clock.js';
import { newGuid } from '../ids.js';
import { compilePattern } from './fault-pattern.js';

export interface FaultResponse {
  status: number;
  /** JSON-serialisable body, or a string sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Connection drops, for uncertain outcomes. `before`: the request is not handled and the socket
 * is reset without any answer. `after`: the request is handled fully (a sendMail is sent), then
 * the socket is reset instead of the answer being delivered. Clients see ECONNRESET.
 */
export type FaultDrop = 'before' | 'after';

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
  /** Drop the connection before or after handling (not together with `response`). */
  drop?: FaultDrop;
  /** The rule lasts this long (emulator clock) from now, then is removed; combines with `times`. */
  forMs?: number;
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
  drop: FaultDrop | null;
  /** When a `forMs` rule stops applying; null = no time limit. */
  expiresAt: Date | null;
  hits: number;
}

export interface FaultDecision {
  delayMs: number;
  response: FaultResponse | null;
  drop: FaultDrop | null;
}

interface CompiledRule extends FaultRule {
  regex: RegExp;
}

/** Injected failures and latency, consulted before every identity, Graph and page route. */
export class FaultStore {
  private rules: CompiledRule[] = [];
  /** Added to every routed request (the `latencyMs` start option). */
  globalLatencyMs = 0;

  constructor(private readonly clock: Clock = new EmulatorClock()) {}

  add(spec: FaultRuleSpec): FaultRule {
    checkSpec(spec);
    const rule: CompiledRule = {
      id: newGuid(),
      method: (spec.method ?? '*').toUpperCase(),
      path: spec.path,
      remaining: spec.times ?? null,
      pass: spec.after ?? 0,
      userId: spec.userId ?? null,
      response: spec.response ?? null,
      delayMs: spec.delayMs ?? 0,
      drop: spec.drop ?? null,
      expiresAt: spec.forMs === undefined ? null : new Date(this.clock.nowMs() + spec.forMs),
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
    this.prune();
    return this.rules.map(publicRule);
  }

  /**
   * Decides what happens to a request, consuming one use of each matching rule. `userOf` reads
   * the caller's user id, only when a rule is scoped to a user. A drop `before` wins over a
   * fault response, which wins over a drop `after`.
   */
  decide(
    method: string,
    path: string,
    userOf: () => string | undefined = () => undefined,
  ): FaultDecision {
    const decision: FaultDecision = { delayMs: this.globalLatencyMs, response: null, drop: null };
    if (this.rules.length === 0) return decision;
    this.prune();
    for (const rule of this.rules) {
      if (!matches(rule, method, path)) continue;
      if (rule.userId && rule.userId !== userOf()) continue;
      if (rule.pass > 0) {
        rule.pass--;
        continue;
      }
      if ((rule.response && decision.response) || (rule.drop && decision.drop)) continue;
      rule.hits++;
      if (rule.remaining !== null) rule.remaining--;
      decision.delayMs += rule.delayMs;
      decision.response = decision.response ?? rule.response;
      decision.drop = decision.drop ?? rule.drop;
    }
    this.prune();
    if (decision.drop === 'after' && decision.response) decision.drop = null;
    return decision;
  }

  clear(): void {
    this.rules = [];
    this.globalLatencyMs = 0;
  }

  /** Forgets rules that are used up or whose time is over. */
  private prune(): void {
    const now = this.clock.nowMs();
    this.rules = this.rules.filter(
      (r) =>
        (r.remaining === null || r.remaining > 0) &&
        (r.expiresAt === null || r.expiresAt.getTime() > now),
    );
  }
}

function checkSpec(spec: FaultRuleSpec): void {
  if (typeof spec.path !== 'string' || spec.path === '') throw new Error('A fault needs a path');
  if (spec.drop !== undefined && spec.drop !== 'before' && spec.drop !== 'after')
    throw new Error(`drop must be 'before' or 'after', not ${String(spec.drop)}`);
  if (spec.drop && spec.response) throw new Error('A fault either drops or answers, not both');
  if (spec.forMs !== undefined && !(Number.isFinite(spec.forMs) && spec.forMs > 0))
    throw new Error('forMs must be a positive number of milliseconds');
}

function matches(rule: CompiledRule, method: string, path: string): boolean {
  if (rule.remaining !== null && rule.remaining <= 0) return false;
  return (rule.method === '*' || rule.method === method) && rule.regex.test(path);
}

function publicRule(rule: CompiledRule): FaultRule {
  const { regex: _regex, ...rest } = rule;
  return { ...rest };
}
