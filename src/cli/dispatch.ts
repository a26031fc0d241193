// `node dist/cli/dispatch.js [--max-rounds N]`: drains the send queue once from the command
// line (an operator tool, and the process the kill tests SIGKILL). Uses the service's config.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createApp } from '../app.factory.js';
import { loadConfig } from '../common/config/load-config.js';
import { DispatchService } from '../modules/outbound/dispatch.service.js';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.database.url) {
    process.stderr.write('DATABASE_URL is required.\n');
    return 2;
  }
  const { values } = parseArgs({ options: { 'max-rounds': { type: 'string', default: '100' } } });
  const app = await createApp(config);
  await app.init();
  let sent = 0;
  for (let round = 0; round < Number(values['max-rounds']); round += 1) {
    const result = await app.get(DispatchService).dispatchOnce();
    sent += result.sent + result.recovered;
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.claimed === 0) break;
  }
  await app.close();
  process.stdout.write(`${JSON.stringify({ done: true, sent })}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
