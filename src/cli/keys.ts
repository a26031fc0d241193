import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../common/config/load-config.js';
import { checkSecrets, rotateSecrets } from '../common/crypto/rotation.js';
import { registeredSecretColumns, type SecretColumnSpec } from '../common/crypto/secret-columns.js';
import { TokenVault } from '../common/crypto/vault.js';
import { PrismaService } from '../common/database/prisma.service.js';
import { registerAllSecretColumns } from './secret-registrations.js';

/**
 * `npm run keys:rotate` / `npm run keys:check`: re-encrypts every stored secret with the
 * active key, or proves every one decrypts. Prints JSON lines (counts, row ids, key ids;
 * never a secret). Exit code: 0 all good, 1 some secret failed, 2 the command did not run
 * to the end (usage, configuration, database).
 */
const USAGE = 'usage: node dist/cli/keys.js <rotate|check> [--batch-size=N]';
const NO_DATABASE =
  'DATABASE_URL is required: keys:rotate and keys:check connect to the database directly. ' +
  'The embedded PostgreSQL is started by `npm start` only; while it runs, set DATABASE_URL ' +
  'to its URL (or to your PostgreSQL server).';

class UsageError extends Error {}

type Command = 'rotate' | 'check';

async function main(argv: string[]): Promise<number> {
  const { command, batchSize } = parseArgs(argv);
  const config = loadConfig();
  if (!config.database.url) throw new UsageError(NO_DATABASE);
  const vault = new TokenVault(config);
  registerAllSecretColumns();
  const specs = registeredSecretColumns();
  if (specs.length === 0) warn('no secret columns are registered; nothing to do');
  const prisma = new PrismaService(config);
  try {
    const run = command === 'rotate' ? rotate : check;
    return await run(prisma, vault, specs, batchSize);
  } finally {
    await prisma.$disconnect();
  }
}

function parseArgs(argv: string[]): { command: Command; batchSize?: number } {
  const [command, ...flags] = argv;
  if (command !== 'rotate' && command !== 'check') throw new UsageError(USAGE);
  let batchSize: number | undefined;
  for (const flag of flags) {
    const match = /^--batch-size=(\d{1,5})$/.exec(flag);
    if (!match || Number(match[1]) < 1) throw new UsageError(USAGE);
    batchSize = Number(match[1]);
  }
  return { command, batchSize };
}

async function rotate(
  prisma: PrismaService,
  vault: TokenVault,
  specs: SecretColumnSpec[],
  batchSize?: number,
): Promise<number> {
  const tables = await rotateSecrets(prisma, vault, specs, { batchSize });
  for (const { failures, ...counts } of tables) {
    print({ command: 'rotate', ...counts });
    failures.forEach((failure) => print({ command: 'rotate', failure }));
  }
  const sum = (key: 'scanned' | 'rotated' | 'failed') => tables.reduce((n, t) => n + t[key], 0);
  const failed = sum('failed');
  print({
    command: 'rotate',
    activeKeyId: vault.activeKeyId,
    scanned: sum('scanned'),
    rotated: sum('rotated'),
    failed,
  });
  return failed > 0 ? 1 : 0;
}

async function check(
  prisma: PrismaService,
  vault: TokenVault,
  specs: SecretColumnSpec[],
  batchSize?: number,
): Promise<number> {
  const report = await checkSecrets(prisma, vault, specs, { batchSize });
  for (const [table, counts] of Object.entries(report.byTable)) {
    print({ command: 'check', table, ...counts });
  }
  report.failed.forEach((failure) => print({ command: 'check', failure }));
  const { scanned, ok, byKeyId } = report;
  const notOnActiveKey = scanned - (byKeyId[vault.activeKeyId] ?? 0);
  const summary = { scanned, ok, failed: report.failed.length, byKeyId, notOnActiveKey };
  print({ command: 'check', activeKeyId: vault.activeKeyId, ...summary });
  return report.failed.length > 0 ? 1 : 0;
}

function print(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function warn(message: string): void {
  process.stderr.write(`keys: ${message}\n`);
}

// Logs (such as the dev-key warning) go to stderr so stdout stays parseable JSON lines.
const toStderr = (message: unknown, context?: unknown) =>
  warn(context ? `[${String(context)}] ${String(message)}` : String(message));
Logger.overrideLogger({ log: toStderr, warn: toStderr, error: toStderr });

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    warn(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
