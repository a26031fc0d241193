import 'reflect-metadata';
import { bootstrap } from './bootstrap.js';

bootstrap().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
