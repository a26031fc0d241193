#!/usr/bin/env node
// Cruises several fixture trees in one process (TypeScript and dependency-cruiser load once)
// the way `depcruise src --config <config>` does in each of them: the same configuration
// loader, the tsconfig.json it names, resolved from the fixture's root.
// Usage: node test/arch/cruise-fixtures.mjs <config> <dir>... → JSON { [dir]: violations }
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const [config, ...dirs] = process.argv.slice(2);
const results = {};
for (const dir of dirs) {
  process.chdir(dir);
  const options = await extractDepcruiseOptions(config);
  const tsConfig = extractTSConfig(options.tsConfig.fileName);
  const { output } = await cruise(['src'], { ...options, outputType: 'json' }, {}, { tsConfig });
  results[dir] = JSON.parse(output).summary.violations.map(({ rule, from, to }) => ({
    rule: rule.name,
    from,
    to,
  }));
}
process.stdout.write(JSON.stringify(results));
