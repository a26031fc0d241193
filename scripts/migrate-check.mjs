#!/usr/bin/env node
/**
 * CI smoke check of the migrations (`npm run migrate:check`): applies prisma/migrations to a
 * fresh database, checks that the result matches the Prisma schema and that `migrate status` is
 * clean, then drops the database again.
 *
 *   TEST_DATABASE_URL or DATABASE_URL   server to use (its database is only used to create and
 *                                       drop the scratch one); default postgresql://postgres@127.0.0.1:5432/postgres
 *   --schema <file>                     schema to compare with (default prisma/schema.prisma)
 *
 * Exit code: 0 no drift, 1 a command failed, 2 the migrations do not produce the schema.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRISMA_CLI = path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js');
const DEFAULT_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const EXIT_FAILURE = 1;
const EXIT_DRIFT = 2;

function say(line) {
  console.log(`migrate-check: ${line}`);
}

function seconds(since) {
  return `${((performance.now() - since) / 1000).toFixed(1)}s`;
}

function databaseUrl(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function onServer(serverUrl, sql) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs the project's Prisma CLI (and so prisma.config.ts and the schema-engine stand-in). */
function prisma(args, url) {
  // The stand-in's shebang runs `node` from PATH: make that the Node running this script.
  const PATH = [path.dirname(process.execPath), process.env.PATH]
    .filter(Boolean)
    .join(path.delimiter);
  const options = {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PATH },
    maxBuffer: 16 * 1024 * 1024,
  };
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [PRISMA_CLI, ...args], options, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : EXIT_FAILURE) : 0;
      const output = `${stdout}${stderr}`.trim() || (error?.message ?? '');
      resolve({ exitCode, stdout: stdout.trim(), output, took: seconds(started) });
    });
  });
}

function fail(step, result) {
  say(`${step} FAILED (exit ${result.exitCode}):`);
  console.log(result.output);
  return EXIT_FAILURE;
}

async function deploy(url) {
  const result = await prisma(['migrate', 'deploy'], url);
  if (result.exitCode !== 0) return fail('migrate deploy', result);
  const applied = [...result.stdout.matchAll(/└─ (\S+)\//g)].map((match) => match[1]);
  say(
    `migrate deploy applied ${applied.length} migration(s) in ${result.took}: ${applied.join(', ')}`,
  );
  return 0;
}

async function diff(url, schema) {
  const args = [
    'migrate',
    'diff',
    '--from-config-datasource',
    '--to-schema',
    schema,
    '--script',
    '--exit-code',
  ];
  const result = await prisma(args, url);
  const shown = path.relative(ROOT, schema);
  if (result.exitCode === 0) {
    say(`no drift: the migrated database matches ${shown} (${result.took})`);
    return 0;
  }
  if (result.exitCode !== EXIT_DRIFT) return fail('migrate diff', result);
  say(`DRIFT: the migrations do not produce ${shown}; SQL still missing from prisma/migrations:`);
  console.log(result.stdout);
  return EXIT_DRIFT;
}

async function status(url) {
  const result = await prisma(['migrate', 'status'], url);
  if (result.exitCode !== 0) return fail('migrate status', result);
  const summary = result.stdout.split('\n').at(-1);
  say(`migrate status: ${summary} (${result.took})`);
  return 0;
}

async function check(url, schema) {
  const deployed = await deploy(url);
  if (deployed !== 0) return deployed;
  const drift = await diff(url, schema);
  const clean = await status(url);
  return drift || clean;
}

async function main() {
  const { values } = parseArgs({
    options: { schema: { type: 'string', default: 'prisma/schema.prisma' } },
  });
  const schema = path.resolve(values.schema);
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || DEFAULT_SERVER_URL;
  const server = new URL(serverUrl).host;
  const database = `migrate_check_${Date.now()}_${randomBytes(3).toString('hex')}`;

  await onServer(serverUrl, `CREATE DATABASE "${database}"`);
  say(`created database ${database} on ${server}`);
  try {
    return await check(databaseUrl(serverUrl, database), schema);
  } finally {
    // FORCE (PostgreSQL 13+): a backend of the CLI may not have finished closing yet.
    await onServer(serverUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    say(`dropped database ${database}`);
  }
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error) => {
    say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_FAILURE;
  },
);
