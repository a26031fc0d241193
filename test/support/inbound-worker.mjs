// Runs the inbound pipeline of the built service (dist/) until nothing is due, as a separate
// process: the process the kill tests SIGKILL (INBOUND_TEST_CRASH). Uses the service's config.
import 'reflect-metadata';

const { loadConfig } = await import('../../dist/common/config/load-config.js');
const { createApp } = await import('../../dist/app.factory.js');
const { PipelineService } = await import('../../dist/modules/inbound/pipeline.service.js');

const app = await createApp(loadConfig());
await app.init();
for (let round = 0; round < 50; round += 1) {
  const result = await app.get(PipelineService).runOnce();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.claimed === 0) break;
}
await app.close();
process.exit(0);
