import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];

const withDatabase = {
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
};

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  testTimeout: 30000,
};

/**
 * Browser tests need Debian's chromium. CI installs it and sets BROWSER_TESTS=required, so they
 * always run there; on a machine without it `npm test` says so loudly and runs the rest.
 */
function browserProject() {
  const required = process.env.BROWSER_TESTS === 'required';
  if (!existsSync(CHROMIUM) && !required) {
    process.stderr.write(
      `\n!! ${CHROMIUM} not found: browser tests NOT run (apt-get install chromium)\n\n`,
    );
    return [];
  }
  return [
    {
      ...common,
      ...withDatabase,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.e2e-spec.ts'],
    },
  ];
}

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'arch', testMatch: ['<rootDir>/test/arch/**/*.arch-spec.ts'] },
    {
      ...common,
      ...withDatabase,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
    },
    {
      ...common,
      ...withDatabase,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
    },
    {
      ...common,
      displayName: 'sandbox',
      testMatch: ['<rootDir>/test/sandbox/**/*.e2e-spec.ts'],
    },
    ...browserProject(),
  ],
  testTimeout: 30000,
  // Two files at a time: much of the suite waits on real time (a three-minute token outage,
  // child services starting), which the other worker fills. Each file has its own database.
  maxWorkers: 2,
  testSequencer: '<rootDir>/test/support/test-sequencer.mjs',
};
