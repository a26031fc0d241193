// Loaded with `node --import`: appends the URL of every module the process loads to
// RECORD_MODULES_FILE, so a test can tell which code a start really loaded.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const out = process.env.RECORD_MODULES_FILE;
if (out) {
  registerHooks({
    load(url, context, nextLoad) {
      appendFileSync(out, `${url}\n`);
      return nextLoad(url, context);
    },
  });
}
