import type { Files } from './depcruise.js';

const pascal = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());

/** What a clean module looks like: every file of conventions.md that others may or may not use. */
export function moduleFiles(name: string, uses: string[]): Files {
  const Name = pascal(name);
  const at = `src/modules/${name}`;
  const foreign = uses.flatMap((used) => [
    `import { ${pascal(used)}Service } from '../${used}/${used}.service.js';`,
    `import type { ${pascal(used)}Response } from '../${used}/dto/${used}.response.js';`,
    `import { ${pascal(used)}Errors } from '../${used}/${used}.errors.js';`,
  ]);
  const modules = uses.map(
    (used) => `import { ${pascal(used)}Module } from '../${used}/${used}.module.js';`,
  );
  return {
    [`${at}/${name}.module.ts`]: [
      ...modules,
      `import { ${Name}Service } from './${name}.service.js';`,
      `export const ${Name}Module = { imports: [${uses.map((u) => `${pascal(u)}Module`).join(', ')}], exports: [${Name}Service] };`,
    ].join('\n'),
    [`${at}/${name}.service.ts`]: [
      ...foreign,
      "import type { Actor } from '../../common/auth/actor.js';",
      "import type { DomainEventMap } from '../../common/events/event-map.js';",
      `import { ${Name}Repository } from './${name}.repository.js';`,
      `import { decide } from './${name}.rules.js';`,
      `export class ${Name}Service { constructor(readonly repository: ${Name}Repository) {} }`,
    ].join('\n'),
    [`${at}/${name}.repository.ts`]: [
      "import type { PrismaClient } from '../../generated/prisma/client.js';",
      `export class ${Name}Repository { constructor(readonly db: PrismaClient) {} }`,
    ].join('\n'),
    [`${at}/${name}.rules.ts`]: 'export const decide = (n: number): boolean => n > 0;',
    [`${at}/${name}.errors.ts`]: `export const ${Name}Errors = { notFound: 404 };`,
    [`${at}/dto/${name}.response.ts`]: `export interface ${Name}Response { id: string }`,
  };
}

/** Modules as the target layout wires them: each uses some of the layers below it. */
const USES: Record<string, string[]> = {
  mailbox: [],
  identity: ['mailbox'],
  'sender-profile': ['identity'],
  outbound: ['sender-profile', 'identity'],
  auth: ['mailbox'],
  'admin-consent': ['identity', 'mailbox'],
  inbound: ['outbound'],
  'email-setup': ['auth', 'admin-consent', 'mailbox'],
  console: ['inbound', 'outbound', 'sender-profile'],
};

/** A tree that breaks no rule; each case plants one violation on top of it. */
export const CLEAN: Files = {
  ...Object.assign({}, ...Object.entries(USES).map(([name, uses]) => moduleFiles(name, uses))),
  'src/generated/prisma/client.ts': 'export class PrismaClient {}',
  'src/common/auth/actor.ts': 'export interface Actor { workspaceId: string }',
  'src/common/events/event-map.ts':
    'export interface DomainEventMap { "mailbox.connected": { id: string } }',
  'src/common/database/prisma.service.ts': [
    "import { PrismaClient } from '../../generated/prisma/client.js';",
    'export class PrismaService extends PrismaClient {}',
  ].join('\n'),
  'src/sandbox/emulator.ts': "import { seed } from './seed.js';\nexport const start = () => seed;",
  'src/sandbox/seed.ts': 'export const seed = 1;',
  'src/app.module.ts': Object.keys(USES)
    .map((name) => `import { ${pascal(name)}Module } from './modules/${name}/${name}.module.js';`)
    .join('\n'),
  'src/bootstrap.ts': "import './app.module.js';\nimport { start } from './sandbox/emulator.js';",
  'src/main.ts': "import './bootstrap.js';",
  'src/cli/sandbox.ts': "import { start } from '../sandbox/emulator.js';\nstart();",
};

/** Each module's service imports every other module's service (to check the layer matrix). */
export function everyModuleImportsEveryOther(names: string[]): Files {
  const files: Files = {};
  for (const name of names) {
    files[`src/modules/${name}/${name}.service.ts`] = names
      .filter((other) => other !== name)
      .map((other) => `import '../${other}/${other}.service.js';`)
      .join('\n');
  }
  return files;
}
