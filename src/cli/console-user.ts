// `npm run console:user -- <command> …`: manages staff users of the operations console.
//   add <email> --role viewer|operator|admin [--name "…"] [--generate]
//   reset <email> [--generate]      new password (unlocks, ends the user's sessions)
//   disable <email> | enable <email> | unlock <email> | list
// Passwords are read from stdin (first line) or prompted for without echo, never taken from
// the command line; --generate prints a random one once. Exit: 0 done, 1 refused, 2 usage.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AuditService } from '../common/audit/audit.service.js';
import { loadConfig } from '../common/config/load-config.js';
import { PrismaService } from '../common/database/prisma.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { SessionRepository } from '../modules/console/staff/session.repository.js';
import { StaffRepository } from '../modules/console/staff/staff.repository.js';
import { StaffService } from '../modules/console/staff/staff.service.js';

const USAGE =
  'usage: npm run console:user -- add <email> --role viewer|operator|admin [--name <name>] [--generate]\n' +
  '       npm run console:user -- reset <email> [--generate]\n' +
  '       npm run console:user -- disable|enable|unlock <email>\n' +
  '       npm run console:user -- list';
const NO_DATABASE =
  'DATABASE_URL is required: console:user connects to the database directly (with the ' +
  'embedded PostgreSQL of `npm start`, use the URL it logs and the password in DATA_DIR/postgres.password).';
const BY = { type: 'system' as const, id: 'cli' };

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      generate: { type: 'boolean', default: false },
    },
  });
  const [command, email] = positionals;
  if (!command || (command !== 'list' && !email)) throw new UsageError(USAGE);
  const config = loadConfig();
  if (!config.database.url) throw new UsageError(NO_DATABASE);
  const prisma = new PrismaService(config);
  const staff = new StaffService(
    new StaffRepository(prisma),
    new SessionRepository(prisma),
    prisma,
    new AuditService(prisma),
    config,
  );
  try {
    return await run(staff, command, email, values);
  } finally {
    await prisma.$disconnect();
  }
}

async function run(
  staff: StaffService,
  command: string,
  email: string | undefined,
  options: { role?: string; name?: string; generate?: boolean },
): Promise<number> {
  const target = email as string;
  switch (command) {
    case 'add': {
      if (!options.role) throw new UsageError(USAGE);
      const password = await newPassword(options.generate);
      const row = await staff.create(BY, {
        email: target,
        role: options.role,
        name: options.name,
        password,
      });
      return done({ added: row.email, role: row.role });
    }
    case 'reset': {
      const password = await newPassword(options.generate);
      await staff.update(BY, await staff.idOf(target), { password });
      return done({ reset: target, sessionsEnded: true });
    }
    case 'disable':
      return done({ disabled: (await staff.disable(BY, await staff.idOf(target))).email });
    case 'enable':
      return done({ enabled: (await staff.enable(BY, await staff.idOf(target))).email });
    case 'unlock':
      return done({ unlocked: (await staff.unlock(BY, await staff.idOf(target))).email });
    case 'list':
      for (const row of await staff.listing({ filters: {}, offset: 0, limit: 500 })) {
        const { email: who, role, status, lastLoginAt, lockedUntil } = row;
        print({ email: who, role, status, lastLoginAt, lockedUntil });
      }
      return 0;
    default:
      throw new UsageError(USAGE);
  }
}

async function newPassword(generate = false): Promise<string> {
  if (!generate) return readPassword('New password (12 characters at least): ');
  const password = randomBytes(18).toString('base64url');
  process.stderr.write('Generated password (shown once):\n');
  process.stdout.write(`${password}\n`);
  return password;
}

/** The first line of stdin, or typed at a terminal without echo. */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  let typed = '';
  try {
    for await (const chunk of stdin) {
      for (const char of String(chunk)) {
        if (char === '\u0003') throw new UsageError('cancelled');
        if (char === '\r' || char === '\n') return typed;
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    }
    return typed;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

function done(result: Record<string, unknown>): number {
  print(result);
  return 0;
}

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DomainError) {
      const details = error.details.map((d) => ` ${d.field ?? ''}: ${d.message}`).join(';');
      process.stderr.write(`${error.code}: ${error.message}${details}\n`);
      process.exit(1);
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
