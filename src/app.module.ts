import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './common/config/app-config.js';
import { ConfigModule } from './common/config/config.module.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { DatabaseModule } from './common/database/database.module.js';
import { EventsModule } from './common/events/events.module.js';
import { HealthModule } from './common/health/health.module.js';
import { loggerParams } from './common/http/logging.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        ScheduleModule.forRoot(),
        EventEmitterModule.forRoot({ wildcard: false }),
        DatabaseModule,
        CryptoModule,
        EventsModule,
        HealthModule,
        ...extraModules,
      ],
    };
  }
}
