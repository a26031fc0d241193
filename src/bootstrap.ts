import type { INestApplication } from '@nestjs/common';
import { pino } from 'pino';
import { createApp } from './app.factory.js';
import type { AppConfig } from './common/config/app-config.js';
import type { SandboxInfo } from './common/config/email-setup-page-settings.js';
import { loadConfig } from './common/config/load-config.js';
import {
  type EmbeddedDatabase,
  embeddedPasswordFile,
  startEmbeddedPostgres,
} from './common/database/embedded-postgres.js';
import { applyMigrations } from './common/database/migrate.js';

const EMBEDDED_DATABASE = 'scendcore';

/**
 * Starts the service: validated config, the database (embedded PostgreSQL under DATA_DIR when
 * DATABASE_URL is unset), migrations, then HTTP. Stops in reverse order on SIGINT/SIGTERM.
 */
export async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, base: { context: 'bootstrap' } });
  const stoppers: (() => Promise<void>)[] = [];
  installSignalHandlers(log, stoppers);

  const database = config.database.url ? undefined : await startEmbedded(config, log);
  if (database) stoppers.unshift(() => database.stop());
  let ready = config.withDatabaseUrl(database?.url ?? (config.database.url as string));
  if (ready.sandbox) {
    // Loaded only in sandbox mode: a production start never loads the emulator's code.
    const { sandboxSummary, startSandboxForService } = await import('./sandbox/service-wiring.js');
    const sandbox = await startSandboxForService(ready, { port: ready.sandboxPort });
    stoppers.unshift(() => sandbox.emulator.close());
    const summary = sandboxSummary(sandbox.emulator);
    // The Email Setup page's sandbox banner lists the emulator's accounts.
    ready = sandbox.config.withSandboxInfo(sandboxInfoOf(summary));
    log.warn(
      summary,
      'sandbox mode (MICROSOFT_SANDBOX, the default outside production without a Microsoft app): Microsoft 365 is the built-in emulator; its HTTPS certificate is self-signed',
    );
  }
  if (ready.database.migrateOnStart) {
    const started = Date.now();
    await applyMigrations(ready.database.url as string);
    log.info({ ms: Date.now() - started }, 'database migrations applied');
  }
  const app = await createApp(ready);
  stoppers.unshift(() => app.close());
  await app.listen(ready.port, '0.0.0.0');
  log.info(
    { url: await appUrl(app), sandbox: ready.sandbox },
    'ScendCore Microsoft 365 connector is serving',
  );
}

function sandboxInfoOf(summary: Record<string, unknown>): SandboxInfo {
  const accounts = Object.entries((summary.accounts ?? {}) as Record<string, unknown>);
  return {
    emulatorUrl: String(summary.emulator),
    controlApiUrl: String(summary.controlApi),
    accounts: accounts.map(([address, description]) => ({
      address,
      description: String(description),
    })),
  };
}

async function startEmbedded(config: AppConfig, log: pino.Logger): Promise<EmbeddedDatabase> {
  const dir = config.dataPath('postgres');
  const port = config.database.embeddedPort;
  log.info({ dir, port }, 'DATABASE_URL is unset: starting embedded PostgreSQL');
  if (config.env === 'production') {
    log.warn(
      { dir },
      'PRODUCTION WITHOUT DATABASE_URL: the embedded PostgreSQL runs inside this service with data under DATA_DIR; set DATABASE_URL to a managed PostgreSQL (backups, upgrades, failover)',
    );
  }
  const database = await startEmbeddedPostgres({
    dir,
    port,
    database: EMBEDDED_DATABASE,
    log: (line) => log.debug({ postgres: line }),
    notice: (message) => log.warn({ dir }, message),
  });
  log.info({ port, passwordFile: embeddedPasswordFile(dir) }, 'embedded PostgreSQL is running');
  return database;
}

function installSignalHandlers(log: pino.Logger, stoppers: (() => Promise<void>)[]): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    for (const stopper of stoppers) {
      await stopper().catch((error: unknown) => log.error({ err: error }, 'error while stopping'));
    }
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', (s) => void stop(s));
  process.once('SIGTERM', (s) => void stop(s));
}

async function appUrl(app: INestApplication): Promise<string> {
  return (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
}
