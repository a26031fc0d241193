import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  cruiseFixtures,
  depcruiseExitCode,
  layers,
  removeFixture,
  type Violation,
  writeFixture,
} from './depcruise.js';
import { CLEAN, everyModuleImportsEveryOther } from './fixtures.js';

const MODULES = layers.flat();
const layerOf = (name: string) => layers.findIndex((layer) => layer.includes(name));
const moduleOf = (path: string) => /^src\/modules\/([^/]+)\//.exec(path)![1];

describe('dependency rules (.dependency-cruiser.cjs) on the target layout', () => {
  const dirs: Record<'clean' | 'broken' | 'matrix', string> = { clean: '', broken: '', matrix: '' };
  let violations: Map<string, Violation[]>;
  let exitCodes: { clean: number; broken: number };

  beforeAll(async () => {
    dirs.clean = writeFixture(CLEAN);
    dirs.broken = writeFixture({
      ...CLEAN,
      'src/modules/mailbox/mailbox.listener.ts': "import '../outbound/outbound.service.js';",
    });
    dirs.matrix = writeFixture(everyModuleImportsEveryOther(MODULES));
    const [found, clean, broken] = await Promise.all([
      cruiseFixtures([dirs.clean, dirs.matrix]),
      depcruiseExitCode(dirs.clean),
      depcruiseExitCode(dirs.broken),
    ]);
    violations = found;
    exitCodes = { clean, broken };
  });
  afterAll(() => Object.values(dirs).forEach(removeFixture));

  it('passes a clean tree that uses every allowed kind of import', () => {
    expect(violations.get(dirs.clean)).toEqual([]);
  });

  it('makes the CI command exit 0 on the clean tree and non-zero on a violation', () => {
    expect(exitCodes.clean).toBe(0);
    expect(exitCodes.broken).toBeGreaterThan(0);
  });

  it('lets a module import exactly the modules of lower layers', () => {
    const flagged = violations
      .get(dirs.matrix)!
      .filter((v) => v.rule === 'layer-order')
      .map((v) => `${moduleOf(v.from)} → ${moduleOf(v.to)}`)
      .sort();
    const expected = MODULES.flatMap((from) =>
      MODULES.filter((to) => to !== from && layerOf(to) >= layerOf(from)).map(
        (to) => `${from} → ${to}`,
      ),
    ).sort();
    expect(flagged).toEqual(expected);
  });
});
