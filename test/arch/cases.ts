import type { Files } from './depcruise.js';

/** A violation planted on the clean tree, and the rules that must report it. */
export interface Case {
  title: string;
  /** Planted on top of the clean tree (same path = replaced). */
  plant: Files;
  /** Every rule the plant breaks, and no other. */
  rules: string[];
}

const importing = (what: string, from: string) => `${what} from '${from}';\nexport const x = 1;`;

export const CASES: Case[] = [
  {
    title: 'mailbox imports outbound (value import)',
    plant: {
      'src/modules/mailbox/mailbox.listener.ts': importing(
        'import { OutboundService }',
        '../outbound/outbound.service.js',
      ),
    },
    rules: ['layer-order'],
  },
  {
    title: 'mailbox imports outbound (import type)',
    plant: {
      'src/modules/mailbox/mailbox.listener.ts': importing(
        'import type { OutboundService }',
        '../outbound/outbound.service.js',
      ),
    },
    rules: ['layer-order'],
  },
  {
    title: 'auth imports inbound (same layer)',
    plant: {
      'src/modules/auth/auth.service.ts': importing(
        'import * as m',
        '../inbound/inbound.service.js',
      ),
    },
    rules: ['layer-order'],
  },
  {
    title: 'email-setup imports console (same layer)',
    plant: {
      'src/modules/email-setup/dto/x.ts': importing(
        'import type { ConsoleResponse }',
        '../../console/dto/console.response.js',
      ),
    },
    rules: ['layer-order'],
  },
  {
    title: "identity imports outbound's repository",
    plant: {
      'src/modules/identity/identity.service.ts': importing(
        'import { OutboundRepository }',
        '../outbound/outbound.repository.js',
      ),
    },
    rules: ['layer-order', 'no-foreign-repository'],
  },
  {
    title: "outbound imports identity's repository",
    plant: {
      'src/modules/outbound/outbound.service.ts': importing(
        'import type { IdentityRepository }',
        '../identity/identity.repository.js',
      ),
    },
    rules: ['no-foreign-repository'],
  },
  {
    title: "outbound imports identity's rules (not a public surface)",
    plant: {
      'src/modules/outbound/outbound.service.ts': importing(
        'import { decide }',
        '../identity/identity.rules.js',
      ),
    },
    rules: ['module-public-surface'],
  },
  {
    title: "console imports outbound's listener",
    plant: {
      'src/modules/outbound/outbound.listener.ts': 'export const onSent = 1;',
      'src/modules/console/console.service.ts': importing(
        'import * as m',
        '../outbound/outbound.listener.js',
      ),
    },
    rules: ['module-public-surface'],
  },
  {
    title: 'a cycle between two files of one module',
    plant: {
      'src/modules/mailbox/a.ts': importing('import { b }', './b.js'),
      'src/modules/mailbox/b.ts': importing('import { a }', './a.js'),
    },
    rules: ['no-circular'],
  },
  {
    title: 'a module service imports the generated Prisma client',
    plant: {
      'src/modules/outbound/outbound.service.ts': importing(
        'import { PrismaClient }',
        '../../generated/prisma/client.js',
      ),
    },
    rules: ['prisma-only-in-repositories'],
  },
  {
    title: 'an unlisted module folder that imports something',
    plant: {
      'src/modules/billing/billing.service.ts': importing(
        'import * as m',
        '../mailbox/mailbox.service.js',
      ),
    },
    rules: ['module-has-layer'],
  },
  {
    title: 'an unlisted module folder that imports nothing but is imported',
    plant: {
      'src/modules/billing/billing.constants.ts': 'export const PLANS = 3;',
      'src/cli/billing.ts': importing(
        'import { PLANS }',
        '../modules/billing/billing.constants.js',
      ),
    },
    rules: ['module-has-layer'],
  },
  {
    title: 'an unlisted module folder with a lone file',
    plant: { 'src/modules/billing/billing.rules.ts': 'export const free = true;' },
    rules: ['module-has-layer'],
  },
  {
    title: 'common imports a module',
    plant: {
      'src/common/auth/workspace.service.ts': importing(
        'import * as m',
        '../../modules/mailbox/mailbox.service.js',
      ),
    },
    rules: ['common-imports-no-module'],
  },
  {
    title: 'a module imports the sandbox',
    plant: {
      'src/modules/mailbox/mailbox.service.ts': importing(
        'import { start }',
        '../../sandbox/emulator.js',
      ),
    },
    rules: ['sandbox-only-from-wiring-and-tests'],
  },
  {
    title: 'the sandbox imports a module',
    plant: {
      'src/sandbox/seed.ts': importing(
        'import type { MailboxResponse }',
        '../modules/mailbox/dto/mailbox.response.js',
      ),
    },
    rules: ['sandbox-imports-no-module'],
  },
  {
    title: 'production code imports a test factory',
    plant: {
      'test/factories/mailbox.ts': 'export const buildMailbox = () => ({});',
      'src/modules/mailbox/mailbox.service.ts': importing(
        'import * as m',
        '../../../test/factories/mailbox.js',
      ),
    },
    rules: ['src-not-to-test'],
  },
];
