import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from './common/config/app-config.js';
import { ConfigModule } from './common/config/config.module.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { DatabaseModule } from './common/database/database.module.js';
import { EventsModule } from './common/events/events.module.js';
import { HealthModule } from './common/health/health.module.js';
import { AuditModule } from './common/audit/audit.module.js';
import { MicrosoftModule } from './common/microsoft/microsoft.module.js';
import { WorkspaceAuthModule } from './common/auth/workspace-auth.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { AdminConsentModule } from './modules/admin-consent/admin-consent.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { ConsoleModule } from './modules/console/console.module.js';
import { EmailSetupModule } from './modules/email-setup/email-setup.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { InboundModule } from './modules/inbound/inbound.module.js';
import { MailboxModule } from './modules/mailbox/mailbox.module.js';
import { OutboundModule } from './modules/outbound/outbound.module.js';
import { SenderProfileModule } from './modules/sender-profile/sender-profile.module.js';
import { loggerParams } from './common/http/logging.js';
import { type Clock, ClockModule } from './common/time/clock.js';

/** What tests may add to the production wiring; never replaces any of it. */
export interface AppOptions {
  extraModules?: Type[];
  /** Where logs go (default: stdout). */
  logDestination?: DestinationStream;
  /** The clock the app decides by (default: real time); tests pass a shared TestClock. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, options.logDestination)),
        ScheduleModule.forRoot(),
        EventEmitterModule.forRoot({ wildcard: false }),
        ClockModule.forRoot(options.clock),
        DatabaseModule,
        CryptoModule,
        EventsModule,
        HealthModule,
        AuditModule,
        MicrosoftModule,
        WorkspaceAuthModule.forRoot(config),
        // After WorkspaceAuthModule: its guard must run first so limits are keyed by workspace.
        RateLimitModule.forRoot(config),
        AuthModule,
        MailboxModule,
        IdentityModule,
        EmailSetupModule,
        SenderProfileModule,
        OutboundModule,
        InboundModule,
        AdminConsentModule,
        ConsoleModule,
        ...(options.extraModules ?? []),
      ],
    };
  }
}
