// `npm run token`: prints a sandbox bearer token for the demo user and workspace (or those given
// as `--user <id> --workspace <id>`), signed with the same key the service uses.
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../common/config/load-config.js';
import { AppJwtSecret, DEV_JWT_SECRET_FILE } from '../common/auth/app-jwt-secret.js';
import { issueSandboxToken } from '../common/auth/sandbox-token.js';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.devMode) {
    process.stderr.write(
      'npm run token works in sandbox mode only (MICROSOFT_SANDBOX; the default outside production without a Microsoft app).\n',
    );
    return 2;
  }
  const { values } = parseArgs({
    options: { user: { type: 'string' }, workspace: { type: 'string' } },
  });
  // Never make a key of our own: a token signed with it would be refused by the service.
  const secretFile = config.dataPath(DEV_JWT_SECRET_FILE);
  if (!config.appJwt.secret && !existsSync(secretFile)) {
    process.stderr.write(
      `No bearer-token key at ${secretFile}: the service writes it there at its first start. ` +
        'Start the service first (npm start) and run npm run token with the same DATA_DIR, ' +
        'or set APP_JWT_SECRET for both.\n',
    );
    return 2;
  }
  const key = new AppJwtSecret(config).key();
  const issued = await issueSandboxToken(config, key, {
    userId: values.user,
    workspaceId: values.workspace,
  });
  process.stdout.write(`${issued.token}\n`);
  process.stderr.write(
    `user ${issued.userId}, workspace ${issued.workspaceId}, expires ${issued.expiresAt}; ` +
      `signed with ${config.appJwt.secret ? 'APP_JWT_SECRET' : secretFile}\n`,
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
