import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { IdentityModule } from '../identity/identity.module.js';
import { MailboxModule } from '../mailbox/mailbox.module.js';
import { AzureAdStrategy } from './azure-ad.strategy.js';
import { ConnectController } from './connect.controller.js';
import { ConnectService } from './connect.service.js';
import { OAuthAttemptCleanupCron } from './oauth-attempt.cron.js';
import { OAuthAttemptRepository } from './oauth-attempt.repository.js';

/** The Microsoft sign-in (Connect) flow: passport-azure-ad, one-time attempts, the callback. */
@Module({
  imports: [MailboxModule, IdentityModule, PassportModule.register({ session: false })],
  controllers: [ConnectController],
  providers: [AzureAdStrategy, ConnectService, OAuthAttemptRepository, OAuthAttemptCleanupCron],
})
export class AuthModule {}
