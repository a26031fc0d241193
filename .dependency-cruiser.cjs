/**
 * Architecture rules of design §2 and conventions.md, checked in CI by `npm run depcheck`.
 * test/arch/ plants a violation of each rule and checks that it is reported.
 */

/**
 * Modules from the bottom up: a module may import only modules of strictly lower layers (and
 * itself); modules of one layer may not import each other. A new folder under src/modules/ fails
 * the check until it is given a layer here.
 */
const LAYERS = [
  ['mailbox'],
  ['identity'],
  ['sender-profile'],
  ['outbound'],
  ['auth', 'admin-consent', 'inbound'],
  ['email-setup', 'console'],
];

const MODULES = LAYERS.flat();
const anyOf = (names) => `(${names.join('|')})`;

/** One rule per layer: nothing in it imports a module of its own layer or above. */
const layerRules = LAYERS.map((names, index) => ({
  name: 'layer-order',
  comment:
    `Layer ${index + 1} (${names.join(', ')}) may import only src/common and modules of ` +
    `lower layers (${LAYERS.slice(0, index).flat().join(', ') || 'none'}). Reach anything ` +
    'above through an event whose payload type lives in src/common/events/.',
  severity: 'error',
  from: { path: `^src/modules/${anyOf(names)}/` },
  to: { path: `^src/modules/${anyOf(LAYERS.slice(index).flat())}/`, pathNot: '^src/modules/$1/' },
}));

const unlistedModule = `^src/modules/(?!${anyOf(MODULES)}/)`;
const unlistedModuleRules = [
  { from: { path: unlistedModule }, to: {} },
  { from: {}, to: { path: unlistedModule } },
  { from: { path: unlistedModule, orphan: true }, to: {} },
].map((rule) => ({
  name: 'module-has-layer',
  comment:
    'Every folder under src/modules/ needs a layer: add it to LAYERS in .dependency-cruiser.cjs.',
  severity: 'error',
  ...rule,
}));

module.exports = {
  forbidden: [
    ...layerRules,
    ...unlistedModuleRules,
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
      name: 'module-public-surface',
      comment:
        'From another module import only its *.module.ts, *.service.ts, *.errors.ts and dto/ ' +
        '(repositories have their own rule).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: [
          '^src/modules/$1/',
          '\\.(?:module|service|errors)\\.ts$',
          '^src/modules/[^/]+/dto/',
          '\\.repository\\.ts$',
        ],
      },
    },
    {
      name: 'prisma-only-in-repositories',
      comment:
        'Only repositories touch the generated Prisma client; services see intent-named methods ' +
        'and plain types.',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: '\\.repository\\.ts$' },
      to: { path: '^src/generated/' },
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
      name: 'sandbox-imports-no-module',
      comment: 'The emulator stands for Microsoft, not for us: it knows nothing of our modules.',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/modules/' },
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
    // Edges into the generated Prisma client are checked, its own files are not cruised.
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs'],
    },
  },
};
