import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory.js';
import type { AppConfig } from '../../src/common/config/app-config.js';
import type { Clock } from '../../src/common/time/clock.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { startSandboxForService } from '../../src/sandbox/service-wiring.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface Instances {
  db: TestDatabase;
  emulator: M365Emulator;
  config: AppConfig;
  /** N service instances (no HTTP listener, jobs off) on one database, like N replicas. */
  apps: INestApplication[];
  close(): Promise<void>;
}

/** `clock`: one clock shared by every instance (a TestClock moves them all at once). */
export async function startInstances(
  count: number,
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<Instances> {
  const db = await createTestDatabase(env);
  const { emulator, config } = await startSandboxForService(db.config);
  const apps = await Promise.all(
    Array.from({ length: count }, () => createApp(config, { clock: options.clock })),
  );
  await Promise.all(apps.map((app) => app.init()));
  return {
    db,
    emulator,
    config,
    apps,
    close: async () => {
      await Promise.all(apps.map((app) => app.close()));
      await emulator.close();
      await db.drop();
    },
  };
}
