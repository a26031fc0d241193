import { writeFileSync } from 'node:fs';
import type { AppConfig } from '../../src/common/config/app-config.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { SANDBOX_APP } from '../../src/sandbox/seed.js';

/**
 * The environment of a built service started in a child process (the kill -9 tests) on the test
 * database and the in-process emulator, jobs off; the emulator's CA is written to DATA_DIR.
 */
export function childServiceEnv(
  databaseUrl: string,
  config: AppConfig,
  emulator: M365Emulator,
  extra: Record<string, string> = {},
): Record<string, string> {
  const caFile = config.dataPath('emulator-ca.pem');
  writeFileSync(caFile, emulator.caCertPem);
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    DATABASE_URL: databaseUrl,
    DATA_DIR: config.dataDir,
    MICROSOFT_CLIENT_ID: SANDBOX_APP.clientId,
    MICROSOFT_CLIENT_SECRET: SANDBOX_APP.clientSecret,
    MICROSOFT_AUTHORITY_HOST: emulator.authorityHost,
    MICROSOFT_GRAPH_BASE_URL: emulator.graphBaseUrl,
    MICROSOFT_EXTRA_CA_FILE: caFile,
    ...extra,
  };
}
