import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findProjectRoot } from '../../src/common/database/migrate.js';
import type { AppConfig } from '../../src/common/config/app-config.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { startSandboxForService } from '../../src/sandbox/service-wiring.js';
import { queueMessages, seedSendingWorld } from '../factories/outbound.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { childServiceEnv } from '../support/child-service.js';

const LEASE_MS = 800;

/**
 * Kill tests: the dispatcher runs in a child process (`dist/cli/dispatch.js`, the built
 * service) and is killed with SIGKILL at a chosen point by the test fault hook.
 */
describe('crash safety of sending (SIGKILL in a child process)', () => {
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  let childEnv: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ emulator, config } = await startSandboxForService(db.config));
    childEnv = childServiceEnv(db.url, config, emulator, {
      OUTBOUND_SEND_LEASE_MS: String(LEASE_MS),
      OUTBOUND_SENT_ITEMS_SETTLE_MS: String(LEASE_MS),
    });
  });
  afterAll(async () => {
    await emulator.close();
    await db.drop();
  });
  beforeEach(async () => {
    await db.prisma.outboundMessage.deleteMany();
    await db.prisma.mailbox.deleteMany();
    await db.prisma.senderProfile.deleteMany();
  });

  function runDispatcher(
    crash: 'none' | 'before_send' | 'after_send',
  ): Promise<{ code: number | null; signal: string | null; output: string }> {
    const child = spawn(process.execPath, [join(findProjectRoot(), 'dist', 'cli', 'dispatch.js')], {
      env: { ...childEnv, OUTBOUND_TEST_CRASH: crash },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    return new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, output })),
    );
  }

  const sentSubjects = (since: Date) =>
    emulator.control.graph.sentMail({ since }).map((s) => s.subject);

  it('killed after Graph accepted and before the commit: not sent again after restart, ends sent', async () => {
    const world = await seedSendingWorld(emulator, db.prisma, config, 1);
    const since = new Date();
    const [id] = await queueMessages(db.prisma, world.profileId, 1, 'after-accept');
    const crashed = await runDispatcher('after_send');
    expect(crashed.signal).toBe('SIGKILL');
    expect(sentSubjects(since)).toEqual(['after-accept-0']);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } })).status).toBe(
      'sending',
    );

    await new Promise((r) => setTimeout(r, LEASE_MS + 200));
    const restarted = await runDispatcher('none');
    expect(restarted.code).toBe(0);
    expect(sentSubjects(since)).toEqual(['after-accept-0']);
    const message = await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
    expect(message.status).toBe('sent');
    expect(message.internetMessageId).toBeTruthy();
  }, 60_000);

  it('killed before Graph was called: after restart the message is sent exactly once', async () => {
    const world = await seedSendingWorld(emulator, db.prisma, config, 1);
    const since = new Date();
    const [id] = await queueMessages(db.prisma, world.profileId, 1, 'before-send');
    const crashed = await runDispatcher('before_send');
    expect(crashed.signal).toBe('SIGKILL');
    expect(sentSubjects(since)).toEqual([]);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } })).status).toBe(
      'sending',
    );

    await new Promise((r) => setTimeout(r, LEASE_MS + 200));
    const restarted = await runDispatcher('none');
    expect(restarted.code).toBe(0);
    expect(sentSubjects(since)).toEqual(['before-send-0']);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } })).status).toBe(
      'sent',
    );
  }, 60_000);
});
