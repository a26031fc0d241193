// Jest test order (plain ESM, loaded by Jest outside its transform).
import Sequencer from '@jest/test-sequencer';

/**
 * Files that spend minutes mostly waiting on real time (a three-minute token outage, 60 s of
 * short-lived tokens, services killed and restarted). With two workers they must start first so
 * that the rest of the suite runs beside them; placed last they would be the run's tail.
 * Jest's own order (slowest first) needs timings from a previous run, which a fresh CI clone
 * does not have: there it falls back to file size, and these files are not the largest.
 */
const LONG_WAITS = [
  'test/integration/dispatch-token-outage.int-spec.ts',
  'test/integration/token-lifetime.int-spec.ts',
  'test/integration/inbound-crash.int-spec.ts',
];

const rank = (path) => LONG_WAITS.findIndex((suffix) => path.endsWith(suffix));

export default class LongWaitsFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const first = ordered.filter((t) => rank(t.path) >= 0);
    first.sort((a, b) => rank(a.path) - rank(b.path));
    return [...first, ...ordered.filter((t) => rank(t.path) < 0)];
  }
}
