// Preloaded into the service's child process (`node --import ./count-statements.mjs`): counts
// every statement the service sends to PostgreSQL by wrapping pg's Client.prototype.query (the
// Prisma pg adapter and any raw pg use go through it). Nothing in src/ changes for measurement.
// BENCH_STATEMENT_LOG=1 also keeps a count per statement text (first 160 characters), for
// finding which statements an item costs.
import pg from 'pg';

const counter = { total: 0, texts: process.env.BENCH_STATEMENT_LOG ? new Map() : null };
globalThis.__benchStatements = counter;

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, values, callback) {
  counter.total += 1;
  if (counter.texts) {
    const text = String(typeof config === 'string' ? config : (config?.text ?? ''))
      .replace(/\s+/g, ' ')
      .slice(0, 160);
    counter.texts.set(text, (counter.texts.get(text) ?? 0) + 1);
  }
  return query.call(this, config, values, callback);
};
