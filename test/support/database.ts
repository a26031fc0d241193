import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { loadConfig } from '../../src/common/config/load-config.js';
import { PrismaService } from '../../src/common/database/prisma.service.js';
import { databaseUrl, RUN_ID_ENV, SERVER_URL_ENV, TEMPLATE_ENV, withAdmin } from './test-server.js';

export interface TestDatabase {
  url: string;
  config: AppConfig;
  prisma: PrismaService;
  drop(): Promise<void>;
}

/** Environment every test starts from; tests override what they exercise. */
export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JOBS_ENABLED: 'false',
    MIGRATE_ON_START: 'false',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'm365-test-')),
    FRONTEND_URL: 'http://frontend.test',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    // Suites hammer one workspace; the limiter stays in the path (rate-limit.e2e-spec sets low limits).
    RATE_LIMIT_PER_SECOND: '5000',
    RATE_LIMIT_PER_MINUTE: '50000',
    ...overrides,
  };
}

/**
 * A private database for one test file, cloned from the migrated template (fast: a file copy
 * inside PostgreSQL), so suites run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(env: Record<string, string> = {}): Promise<TestDatabase> {
  const serverUrl = required(SERVER_URL_ENV);
  const name = `m365_t_${required(RUN_ID_ENV)}_${randomBytes(4).toString('hex')}`;
  await cloneTemplate(serverUrl, name, required(TEMPLATE_ENV));
  const url = databaseUrl(serverUrl, name);
  const config = loadConfig(testEnv({ DATABASE_URL: url, ...env }));
  const prisma = new PrismaService(config);
  return {
    url,
    config,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await withAdmin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function cloneTemplate(serverUrl: string, name: string, template: string): Promise<void> {
  // Concurrent clones of one template can collide ("source database is being accessed").
  for (let attempt = 1; ; attempt += 1) {
    try {
      await withAdmin(serverUrl, (c) =>
        c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`),
      );
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests through jest (global setup)`);
  return value;
}
