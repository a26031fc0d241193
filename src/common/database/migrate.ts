import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCHEMA_FILE = path.join('prisma', 'schema.prisma');
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface MigrationResult {
  /** What `prisma migrate deploy` printed (stdout, then stderr), passwords redacted. */
  output: string;
}

interface CliRun {
  exitCode: number;
  output: string;
}

/**
 * The directory holding `prisma/schema.prisma`, found by walking up from this module: it runs
 * from `src/common/database` (jest) as well as from the swc build under `dist/`.
 */
export function findProjectRoot(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, SCHEMA_FILE))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`no ${SCHEMA_FILE} in ${start} or any parent directory`);
    }
  }
}

/**
 * Applies pending migrations from `prisma/migrations` with the installed Prisma CLI
 * (`prisma migrate deploy`), run through the WebAssembly schema-engine stand-in. Throws an Error
 * carrying the CLI's output when it fails.
 */
export async function applyMigrations(databaseUrl: string): Promise<MigrationResult> {
  const root = findProjectRoot();
  const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'prisma', 'engine', 'schema-engine.mjs'),
    // The stand-in's shebang runs `node` from PATH: make that the Node running this process.
    PATH: [path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter),
  };
  const run = await runNode([cli, 'migrate', 'deploy'], root, env);
  const output = redactPassword(run.output, databaseUrl);
  if (run.exitCode !== 0) {
    throw new Error(`prisma migrate deploy failed (exit code ${run.exitCode}):\n${output}`);
  }
  return { output };
}

function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env, maxBuffer: MAX_OUTPUT_BYTES },
      (error, stdout, stderr) => {
        const exitCode = !error ? 0 : typeof error.code === 'number' ? error.code : 1;
        const output = `${stdout}${stderr}`.trim() || (error?.message ?? '');
        resolve({ exitCode, output });
      },
    );
  });
}

function redactPassword(text: string, databaseUrl: string): string {
  return secretsOf(databaseUrl).reduce(
    (redacted, secret) => redacted.replaceAll(secret, '***'),
    text,
  );
}

/** The URL's password as written in the URL and decoded; none when there is none. */
function secretsOf(databaseUrl: string): string[] {
  try {
    const password = new URL(databaseUrl).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}
