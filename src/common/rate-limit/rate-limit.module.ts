import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';

/**
 * Per-workspace rate limits on the authenticated REST API: a burst limit per second and a
 * sustained limit per minute, both sliding windows. Counters live in this process's memory
 * (idle workspaces are swept every minute), so N instances allow up to N times the limit.
 * Import it after WorkspaceAuthModule: global guards run in registration order.
 */
@Module({})
export class RateLimitModule {
  static async forRoot(config: AppConfig): Promise<DynamicModule> {
    const { enabled, perSecond, perMinute } = config.rateLimit;
    if (!enabled) return { module: RateLimitModule };
    // Loaded lazily: @nestjs/throttler is CommonJS and require()s the ESM-only @nestjs/common.
    // Node handles that once @nestjs/common is evaluated; Jest links CommonJS imports of a static
    // import graph before evaluating it and fails with "Cannot require() ES Module … in a cycle".
    const { ThrottlerModule } = await import('@nestjs/throttler');
    const { WorkspaceThrottlerGuard } = await import('./workspace-throttler.guard.js');
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          // blockDuration 0: refused requests do not count, and the wait is until the oldest
          // counted request leaves the window (not a fresh full-window penalty).
          throttlers: [
            { name: 'second', ttl: 1_000, limit: perSecond, blockDuration: 0 },
            { name: 'minute', ttl: 60_000, limit: perMinute, blockDuration: 0 },
          ],
          setHeaders: false,
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: WorkspaceThrottlerGuard }],
    };
  }
}
