import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';
import { AppJwtSecret } from './app-jwt-secret.js';
import { SandboxTokenController } from './sandbox-token.controller.js';
import { TokenVerifier } from './token-verifier.js';
import { WorkspaceAuthGuard } from './workspace-auth.guard.js';
import { WorkspaceRepository } from './workspace.repository.js';
import { WorkspaceService } from './workspace.service.js';

/**
 * ScendCore bearer auth for every controller: the global guard verifies the token and puts the
 * Actor on the request; workspaces are created on first use. `POST /v1/sandbox/token` exists
 * only in sandbox mode.
 */
@Global()
@Module({})
export class WorkspaceAuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkspaceAuthModule,
      controllers: config.sandbox ? [SandboxTokenController] : [],
      providers: [
        AppJwtSecret,
        TokenVerifier,
        WorkspaceRepository,
        WorkspaceService,
        { provide: APP_GUARD, useClass: WorkspaceAuthGuard },
      ],
      exports: [AppJwtSecret, WorkspaceService],
    };
  }
}
