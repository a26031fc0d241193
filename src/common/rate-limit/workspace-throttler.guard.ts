import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { ACTOR_KEY } from '../auth/current-actor.decorator.js';
import { IS_PUBLIC } from '../http/public.decorator.js';
import { RateLimitedError } from './rate-limit.errors.js';

/**
 * Counts requests per workspace (not per IP or user: every user of a workspace shares its
 * budget). Registered after WorkspaceAuthGuard so the actor is already on the request;
 * @Public() routes (webhooks, OAuth hops and callbacks, health) are not counted.
 */
@Injectable()
export class WorkspaceThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    return this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = req[ACTOR_KEY] as Actor | undefined;
    // Fail loudly: a protected route without an actor means the guards run in the wrong order,
    // and limiting by anything else would silently limit nobody or everybody.
    if (!actor) throw new Error('WorkspaceThrottlerGuard ran before WorkspaceAuthGuard');
    return actor.workspaceId;
  }

  /** One budget per workspace across all routes (the default key is per route). */
  protected override generateKey(_: ExecutionContext, workspaceId: string, name: string): string {
    return `${name}:${workspaceId}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new RateLimitedError(seconds);
  }
}
