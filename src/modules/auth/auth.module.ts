import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { IdentityModule } from '../identity/identity.module.js';
import { MailboxModule } from '../mailbox/mailbox.module.js';
import { WorkspaceModule } from '../workspace/workspace.module.js';
import { AppJwtSecret } from './app-jwt-secret.js';
import { AzureAdStrategy } from './azure-ad.strategy.js';
import { ConnectController } from './connect.controller.js';
import { ConnectService } from './connect.service.js';
import { OAuthAttemptCleanupCron } from './oauth-attempt.cron.js';
import { OAuthAttemptRepository } from './oauth-attempt.repository.js';
import { SandboxTokenController } from './sandbox-token.controller.js';
import { TokenVerifier } from './token-verifier.js';
import { WorkspaceAuthGuard } from './workspace-auth.guard.js';

@Global()
@Module({
  imports: [
    WorkspaceModule,
    MailboxModule,
    IdentityModule,
    PassportModule.register({ session: false }),
  ],
  controllers: [SandboxTokenController, ConnectController],
  providers: [
    AppJwtSecret,
    TokenVerifier,
    AzureAdStrategy,
    ConnectService,
    OAuthAttemptRepository,
    OAuthAttemptCleanupCron,
    { provide: APP_GUARD, useClass: WorkspaceAuthGuard },
  ],
  exports: [AppJwtSecret],
})
export class AuthModule {}
