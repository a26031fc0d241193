import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from './actor.js';

export const ACTOR_KEY = 'scendcoreActor';

/** The authenticated actor of the request (set by WorkspaceAuthGuard). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<Record<string, unknown>>();
  return req[ACTOR_KEY] as Actor;
});
