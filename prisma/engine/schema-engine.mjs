#!/usr/bin/env node
/**
 * Stand-in for Prisma's native `schema-engine` binary (PostgreSQL only).
 *
 * Prisma's CLI downloads that binary from a host that is not reachable here. Setting
 * PRISMA_SCHEMA_ENGINE_BINARY to this file (prisma.config.ts does) makes the CLI run this script
 * instead; it drives the WebAssembly build of the same engine (@prisma/schema-engine-wasm)
 * through the `pg` driver adapter. The CLI starts it in one of three ways:
 *
 *   schema-engine [--datamodels <file>]... [--datasource <json>]   JSON-RPC 2.0 on stdin/stdout
 *   schema-engine --datasource <json> cli <command>                one database command, then exit
 *   schema-engine --version
 *
 * stdout carries only protocol messages; diagnostics go to stderr as JSON log lines, which is
 * what the CLI parses there.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout } from 'node:timers';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const RPC_ERROR_CODE = 4466;
const PANIC_EXIT_CODE = 101;
/** Engine methods the CLI may call over JSON-RPC, mapped to the wasm engine's method names. */
const ENGINE_METHODS = new Map([
  ...[
    'applyMigrations',
    'createMigration',
    'dbExecute',
    'debugPanic',
    'devDiagnostic',
    'diagnoseMigrationHistory',
    'diff',
    'ensureConnectionValidity',
    'evaluateDataLoss',
    'introspect',
    'introspectSql',
    'markMigrationApplied',
    'markMigrationRolledBack',
    'reset',
    'schemaPush',
  ].map((name) => [name, name]),
  ['getDatabaseVersion', 'version'],
]);
const SHUTDOWN_GRACE_MS = 5000;

/** Callbacks that drop temporary shadow databases the engine has not disposed of yet. */
const pendingCleanups = new Set();
/** Set by the engine's panic hook just before the wasm instance traps. */
let panicMessage;

async function main(args) {
  if (args.version) return printVersion();
  if (args.cliCommand) {
    process.exitCode = await runCliCommand(args.cliCommand, args.datasource);
    return;
  }
  serveJsonRpc(args);
}

function parseArgs(argv) {
  const args = { datamodels: [], datasource: {}, cliCommand: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--datamodels') args.datamodels.push(argv[++i]);
    else if (arg === '--datasource') args.datasource = JSON.parse(argv[++i]);
    else if (arg === 'cli') args.cliCommand = argv[++i];
    else if (arg === '--version' || arg === '-V') args.version = true;
    // --enabled-preview-features and --extension-types: the wasm engine takes neither.
    else if (arg.startsWith('--')) i++;
  }
  return args;
}

async function printVersion() {
  const { version } = await loadWasmEngine();
  process.stdout.write(`schema-engine-wasm ${version()}\n`);
}

function log(level, message, fields = {}, target = 'schema_engine_standin') {
  const line = {
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...fields },
    target,
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Connection URLs
// ---------------------------------------------------------------------------------------------

/** Splits a postgresql:// URL into discrete `pg` settings plus the Prisma-specific `schema`. */
function parseDatabaseUrl(url) {
  if (!url) {
    // Unlike the native binary, the wasm engine connects on start-up, even to diff two schema files.
    throw new Error(
      'The datasource URL is empty: set DATABASE_URL (see prisma.config.ts); the wasm schema engine needs a database for every command.',
    );
  }
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new Error(`Only postgresql:// URLs are supported, got ${parsed.protocol}//`);
  }
  const params = parsed.searchParams;
  const schema = params.get('schema') ?? 'public';
  const config = {
    host:
      params.get('host') ??
      (decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, '$1') || 'localhost'),
    port: Number(parsed.port || params.get('port') || 5432),
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
    ssl: sslOption(params.get('sslmode')),
    connectionTimeoutMillis: Number(params.get('connect_timeout') ?? 5) * 1000,
    options: params.has('schema') ? `-c search_path=${quoteIdent(schema)}` : undefined,
  };
  return { config, schema, location: `${config.host}:${config.port}` };
}

function sslOption(mode) {
  if (mode === 'require' || mode === 'no-verify') return { rejectUnauthorized: false };
  if (mode === 'verify-ca' || mode === 'verify-full') return {};
  return false;
}

function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

function withDatabase(target, database) {
  return { ...target, config: { ...target.config, database } };
}

// ---------------------------------------------------------------------------------------------
// Plain `pg` connections (cli commands, creating and dropping databases)
// ---------------------------------------------------------------------------------------------

async function withClient(config, fn) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** CREATE/DROP DATABASE must run from another database: `postgres`, else `template1`. */
async function withMaintenanceClient(target, fn) {
  try {
    return await withClient(withDatabase(target, 'postgres').config, fn);
  } catch (error) {
    if (error.code !== '3D000') throw error;
    return withClient(withDatabase(target, 'template1').config, fn);
  }
}

/** Maps a `pg` error to the Prisma error code and message the native engine would report. */
function describeConnectionError(error, target) {
  const { database, user } = target.config;
  const at = `\`${target.location}\``;
  switch (error.code) {
    case '3D000':
      return {
        code: 'P1003',
        message: `Database \`${database}\` does not exist on the database server at ${at}.`,
      };
    case '42P04':
      return {
        code: 'P1009',
        message: `Database \`${database}\` already exists on the database server at ${at}`,
      };
    case '28P01':
    case '28000':
      return {
        code: 'P1000',
        message: `Authentication failed against database server at ${at}, the provided database credentials for \`${user}\` are not valid.`,
      };
    case '42501':
      return {
        code: 'P1010',
        message: `User \`${user}\` was denied access on the database \`${database}\``,
      };
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'EAI_AGAIN':
      return unreachable(at);
  }
  if (/timeout/i.test(error.message)) return unreachable(at);
  return undefined;
}

function unreachable(at) {
  return {
    code: 'P1001',
    message: `Can't reach database server at ${at}\n\nPlease make sure your database server is running at ${at}.`,
  };
}

const CLI_COMMANDS = {
  'can-connect-to-database': (target) => withClient(target.config, () => null),
  'create-database': (target) =>
    withMaintenanceClient(target, async (client) => {
      await client.query(`CREATE DATABASE ${quoteIdent(target.config.database)}`);
      return target.config.database;
    }),
  'drop-database': (target) =>
    withMaintenanceClient(target, async (client) => {
      await client.query(`DROP DATABASE ${quoteIdent(target.config.database)}`);
      return target.config.database;
    }),
};

/**
 * `schema-engine cli <command>`: success prints `{"result": …}` on stdout and exits 0. Failure
 * exits 1; the CLI then skips the first stderr line and parses every following line as JSON,
 * looking for an ERROR from `schema_engine::logger` with `fields.error_code` (P1003 makes it run
 * `create-database`).
 */
async function runCliCommand(name, datasource) {
  log('INFO', `Starting schema engine stand-in: cli ${name}`);
  let target;
  try {
    const command = CLI_COMMANDS[name];
    if (!command) throw new Error(`Unknown schema engine cli command: ${name}`);
    target = parseDatabaseUrl(datasource.url);
    const result = await command(target);
    process.stdout.write(`${JSON.stringify({ result })}\n`);
    return 0;
  } catch (error) {
    const known = target && describeConnectionError(error, target);
    const fields = { is_panic: false, ...(known && { error_code: known.code }) };
    log('ERROR', known?.message ?? error.message, fields, 'schema_engine::logger');
    return 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Driver adapter for the wasm engine
// ---------------------------------------------------------------------------------------------

const CATALOG_TYPE_OIDS = new Set([18 /* "char" */, 19 /* name */]);
const TEXT_OID = 25;

function relabelCatalogTypes(result) {
  for (const { fields } of [result ?? []].flat()) {
    for (const field of fields ?? []) {
      if (CATALOG_TYPE_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

/**
 * Introspection reads catalog columns of type `name` and `"char"`, which @prisma/adapter-pg
 * rejects as unsupported. `pg` already returns both as strings, so relabel them as text before
 * the adapter sees the result. Covers both the pool's callback calls and the adapter's promise
 * calls (pg.Pool builds its connections from this class via the `Client` option).
 */
class CatalogTypesAsTextClient extends pg.Client {
  query(...args) {
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last];
      args[last] = (error, result) => callback(error, relabelCatalogTypes(result));
      return super.query(...args);
    }
    const pending = super.query(...args);
    return typeof pending?.then === 'function' ? pending.then(relabelCatalogTypes) : pending;
  }
}

async function connectAdapter(target) {
  const config = { ...target.config, Client: CatalogTypesAsTextClient };
  const adapter = await new PrismaPg(config, { schema: target.schema }).connect();
  // adapter-pg splits scripts on every ';' (breaking function bodies and string literals). Send
  // the script as one simple-protocol query instead, as the native engine does: PostgreSQL then
  // runs a multi-statement migration as a single implicit transaction.
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

/**
 * adapter-pg's own connectToShadowDb drops the shadow database before closing its pool (so the
 * drop fails) and, given a connection string, ends up on the main database. Create a uniquely
 * named database next to the main one and drop it after its pool is closed.
 */
async function connectTemporaryShadowDb(main) {
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  await withClient(main.config, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const adapter = await connectAdapter(withDatabase(main, name));
  const closePool = adapter.dispose.bind(adapter);
  const cleanup = async () => {
    pendingCleanups.delete(cleanup);
    await closePool();
    await withClient(main.config, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`),
    );
  };
  pendingCleanups.add(cleanup);
  adapter.dispose = cleanup;
  return adapter;
}

/** A configured shadow database is wiped first, like the native engine does. */
async function connectConfiguredShadowDb(main, shadowUrl) {
  const shadow = parseDatabaseUrl(shadowUrl);
  const sameDatabase =
    shadow.location === main.location && shadow.config.database === main.config.database;
  if (sameDatabase) {
    throw new Error(
      'The shadow database you configured appears to be the same as the main database. Please specify another shadow database.',
    );
  }
  const adapter = await connectAdapter(shadow);
  const schema = quoteIdent(shadow.schema);
  await adapter.executeScript(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};`);
  return adapter;
}

/** The URL is parsed when the engine connects (on its first request), so a bad or missing URL
 * is reported as that request's error. */
function createAdapterFactory(datasource) {
  const main = () => parseDatabaseUrl(datasource.url);
  return bindMigrationAwareSqlAdapterFactory({
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connectAdapter(main()),
    connectToShadowDb: () =>
      datasource.shadowDatabaseUrl
        ? connectConfiguredShadowDb(main(), datasource.shadowDatabaseUrl)
        : connectTemporaryShadowDb(main()),
  });
}

// ---------------------------------------------------------------------------------------------
// The wasm engine
// ---------------------------------------------------------------------------------------------

/**
 * The package is wasm-bindgen output whose entry point imports the .wasm file as an ES module,
 * which Node 20 cannot do. Instantiate it from its bytes instead, handing the glue module in as
 * the import object under the name the .wasm file imports it by.
 */
async function loadWasmEngine() {
  const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = await import(glueUrl);
  const bytes = await readFile(new URL('schema_engine_bg.wasm', glueUrl));
  // The engine's Rust panic hook reports its message through this global (else the hook throws).
  globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => (panicMessage = message) };
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return glue;
}

async function createEngine(datamodels, adapterFactory) {
  const { SchemaEngine } = await loadWasmEngine();
  const files = await Promise.all(
    datamodels.map(async (file) => [file, await readFile(file, 'utf8')]),
  );
  // The engine logs JSON lines; the CLI reads them from stderr, as it does the native binary's.
  const forwardLog = (line) => process.stderr.write(`${line}\n`);
  return SchemaEngine.new(
    { datamodels: files.length > 0 ? files : undefined },
    forwardLog,
    adapterFactory,
  );
}

/**
 * In the wasm engine, `evaluateDataLoss` and `createMigration` get no shadow-database factory:
 * they only read the schema of the migrations directory from a cache that the shadow-database
 * replay of `diagnoseMigrationHistory` fills, keyed by the list of applied migrations. When
 * `migrate dev` has just applied pending migrations that list changed and the cache misses
 * ("PostgreSQL shadow DB must be provided through an external factory"). Replaying the same
 * migrations once more first fills it; the diagnosis itself is read-only and its result unused.
 */
const CACHE_READERS = new Set(['evaluateDataLoss', 'createMigration']);
const warmedMigrationLists = new Set();

async function warmMigrationSchemaCache(engine, { migrationsList, filters }) {
  const key = JSON.stringify(migrationsList.migrationDirectories);
  if (warmedMigrationLists.has(key)) return;
  try {
    await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: true, filters });
    warmedMigrationLists.add(key);
  } catch (error) {
    log('WARN', `Could not pre-compute the schema of the migrations directory: ${error.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC server
// ---------------------------------------------------------------------------------------------

function send(message) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
}

function isPanic(error) {
  return error instanceof WebAssembly.RuntimeError;
}

/**
 * Errors thrown by the adapter that are not DriverAdapterErrors (bad URL, TLS, timeouts) reach
 * the engine only as "External error id#N"; the bound factory's registry still holds them.
 */
function explainExternalErrors(message, errorRegistry) {
  return message.replace(/External error id#(\d+)/g, (text, id) => {
    const cause = errorRegistry.consumeError(Number(id))?.error;
    return cause instanceof Error ? cause.message : text;
  });
}

function toRpcError(error, errorRegistry) {
  if (error?.rpcCode) return { code: error.rpcCode, message: error.message };
  const raw = error instanceof Error ? error.message : String(error);
  const message = isPanic(error)
    ? (panicMessage ?? raw)
    : explainExternalErrors(raw, errorRegistry);
  return {
    code: RPC_ERROR_CODE,
    // The CLI shows this one for panics (`data.message` otherwise).
    message,
    data: {
      is_panic: isPanic(error),
      message,
      meta: error?.meta ?? null,
      // Only Prisma's own codes: Node errors carry codes such as ENOENT too.
      error_code: /^P\d{4}$/.test(error?.code) ? error.code : null,
    },
  };
}

function serveJsonRpc(args) {
  const adapterFactory = createAdapterFactory(args.datasource);
  let engine;
  let queue = Promise.resolve();
  let nextPrintId = 1;
  const printAcks = new Map();

  /** `diff` output goes to the CLI as a `print` request, answered before the diff itself. */
  const printOnCli = (content) =>
    new Promise((resolve) => {
      const id = nextPrintId++;
      printAcks.set(id, resolve);
      send({ id, method: 'print', params: { content } });
    });

  const callEngine = async (method, params) => {
    const name = ENGINE_METHODS.get(method);
    if (!name) throw Object.assign(new Error(`Method not found: ${method}`), { rpcCode: -32601 });
    engine ??= createEngine(args.datamodels, adapterFactory);
    if (CACHE_READERS.has(method)) await warmMigrationSchemaCache(await engine, params);
    const result = await (await engine)[name](params);
    if (method !== 'diff' || typeof result?.stdout !== 'string') return result ?? {};
    await printOnCli(result.stdout);
    return { ...result, stdout: null };
  };

  const answer = async ({ id, method, params }) => {
    try {
      send({ id, result: await callEngine(method, params) });
    } catch (error) {
      send({ id, error: toRpcError(error, adapterFactory.errorRegistry) });
      // A trapped wasm instance is unusable; the native binary exits with 101 after a panic.
      if (isPanic(error)) shutdown(PANIC_EXIT_CODE);
    }
  };

  const onLine = (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({ id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (message.method === undefined) {
      printAcks.get(message.id)?.();
      printAcks.delete(message.id);
      return;
    }
    queue = queue.then(() => answer(message));
  };

  createInterface({ input: process.stdin, crlfDelay: Infinity })
    .on('line', onLine)
    .on('close', () => queue.then(() => shutdown(0)));
  // The CLI ends stdin and sends SIGTERM right after; still drop temporary shadow databases.
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(130));
}

let shuttingDown;
function shutdown(code) {
  if (shuttingDown) return shuttingDown;
  // Closing a pool waits for its busy connections: do not linger if one hangs.
  setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS).unref();
  const cleanups = [...pendingCleanups].map((cleanup) => cleanup());
  shuttingDown = Promise.allSettled(cleanups).then(() =>
    process.stdout.write('', () => process.exit(code)),
  );
  return shuttingDown;
}

// Last, so that every module-level constant above is initialised before it runs.
await main(parseArgs(process.argv.slice(2)));
