/** Architecture rules of design §2 and conventions.md, checked in CI by `npm run depcheck`. */
module.exports = {
  forbidden: [
    {
      name: 'common-imports-no-module',
      comment: 'src/common is the shared kernel: it must not depend on any business module.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'no-foreign-repository',
      comment:
        'A module reads other modules through their exported services, never their repositories.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/.*\\.repository\\.ts$', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'sandbox-only-from-wiring-and-tests',
      comment:
        'The Microsoft 365 emulator is reached over HTTPS; only its wiring and tests import it.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/sandbox/', '^src/bootstrap\\.ts$', '^src/sandbox-wiring/', '^src/cli/'],
      },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-not-to-test',
      comment: 'Production code never imports test code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(src/generated|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs'],
    },
  },
};
