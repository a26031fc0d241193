// `npm run token`: prints a sandbox bearer token for the demo user and workspace (or those given
// as `--user <id> --workspace <id>`), signed with the same key the service uses.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../common/config/load-config.js';
import { AppJwtSecret } from '../common/auth/app-jwt-secret.js';
import { issueSandboxToken } from '../common/auth/sandbox-token.js';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.devMode) {
    process.stderr.write('npm run token works in sandbox mode only (MICROSOFT_SANDBOX; the default outside production without a Microsoft app).\n');
    return 2;
  }
  const { values } = parseArgs({
    options: { user: { type: 'string' }, workspace: { type: 'string' } },
  });
  const key = new AppJwtSecret(config).key();
  const issued = await issueSandboxToken(config, key, {
    userId: values.user,
    workspaceId: values.workspace,
  });
  process.stdout.write(`${issued.token}\n`);
  process.stderr.write(
    `user ${issued.userId}, workspace ${issued.workspaceId}, expires ${issued.expiresAt}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
