import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { WorkspaceService } from './workspace.service.js';
import { UnauthenticatedError, WorkspaceInactiveError } from './auth.errors.js';
import { ACTOR_KEY } from './current-actor.decorator.js';
import { IS_PUBLIC } from '../http/public.decorator.js';
import { TokenVerifier } from './token-verifier.js';

/**
 * Global guard: every route needs a ScendCore bearer token unless marked @Public(). The
 * workspace is created on first use; a suspended one gets 403 workspace_inactive.
 */
@Injectable()
export class WorkspaceAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly workspaces: WorkspaceService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context
      .switchToHttp()
      .getRequest<Record<string, unknown> & { headers: Record<string, string | undefined> }>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthenticatedError();
    const actor = await this.verifier.verify(token);
    if ((await this.workspaces.ensure(actor.workspaceId)) !== 'active') {
      throw new WorkspaceInactiveError();
    }
    req[ACTOR_KEY] = actor;
    return true;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
