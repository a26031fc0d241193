// Runs one identity re-scan sweep of the built service (dist/) as a separate process: the
// process the kill test SIGKILLs mid-sweep. Uses the service's config.
import 'reflect-metadata';

const { loadConfig } = await import('../../dist/common/config/load-config.js');
const { createApp } = await import('../../dist/app.factory.js');
const { IdentityScanJob } = await import('../../dist/modules/identity/identity-scan.job.js');

const app = await createApp(loadConfig());
await app.init();
const result = await app.get(IdentityScanJob).sweep();
process.stdout.write(`${JSON.stringify(result)}\n`);
await app.close();
process.exit(0);
