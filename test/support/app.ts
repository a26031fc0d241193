import type { INestApplication, Type } from '@nestjs/common';
import { createApp } from '../../src/app.factory.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The real application (same factory as production) on a private test database. */
export async function createTestApp(
  env: Record<string, string> = {},
  extraModules: Type[] = [],
): Promise<TestApp> {
  const db = await createTestDatabase(env);
  const app = await createApp(db.config, extraModules);
  await app.init();
  return {
    app,
    db,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
