import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CASES } from './cases.js';
import {
  cruiseFixtures,
  removeFixture,
  ruleSet,
  type Violation,
  writeFixture,
} from './depcruise.js';
import { CLEAN } from './fixtures.js';

const rulesOf = (violations: Violation[]) => [...new Set(violations.map((v) => v.rule))].sort();

describe('dependency rules (.dependency-cruiser.cjs) on planted violations', () => {
  const dirs = new Map<string, string>();
  let outcomes: Map<string, Violation[]>;

  beforeAll(async () => {
    for (const { title, plant } of CASES) dirs.set(title, writeFixture({ ...CLEAN, ...plant }));
    outcomes = await cruiseFixtures([...dirs.values()]);
  });
  afterAll(() => dirs.forEach(removeFixture));

  it.each(CASES)('$title → $rules', ({ title, plant, rules }) => {
    const violations = outcomes.get(dirs.get(title)!)!;
    expect(rulesOf(violations)).toEqual([...rules].sort());
    for (const violation of violations) expect(Object.keys(plant)).toContain(violation.from);
  });

  it('has a planted violation for every rule in the configuration', () => {
    const planted = new Set(CASES.flatMap((c) => c.rules));
    const missing = ruleSet.forbidden.map((rule) => rule.name).filter((name) => !planted.has(name));
    expect(missing).toEqual([]);
  });
});
