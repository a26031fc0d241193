import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '../../src/common/config/app-config.js';
import { findProjectRoot } from '../../src/common/database/migrate.js';
import type { M365Emulator } from '../../src/sandbox/emulator.js';
import { startSandboxForService } from '../../src/sandbox/service-wiring.js';
import { seedDelegatedMailboxes, type SeededMailbox } from '../factories/delegated-mailbox.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { inboundFixture } from '../support/inbound-fixtures.js';
import { childServiceEnv } from '../support/child-service.js';

const LEASE_MS = 800;

/**
 * Kill tests: the pipeline runs in a child process (the built service) and is killed with
 * SIGKILL right before or right after a reply is sent; a restarted pipeline must process every
 * message exactly once and never send a reply twice.
 */
describe('crash safety of the inbound pipeline (SIGKILL in a child process)', () => {
  let db: TestDatabase;
  let emulator: M365Emulator;
  let config: AppConfig;
  let childEnv: Record<string, string>;
  let mailbox: SeededMailbox;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ emulator, config } = await startSandboxForService(db.config));
    childEnv = childServiceEnv(db.url, config, emulator, {
      INBOUND_LEASE_MS: String(LEASE_MS),
      OUTBOUND_SENT_ITEMS_SETTLE_MS: String(LEASE_MS),
    });
  });
  afterAll(async () => {
    await emulator.close();
    await db.drop();
  });
  beforeEach(async () => {
    [mailbox] = await seedDelegatedMailboxes(emulator, db.prisma, config, 1, {
      workspaceId: 'ws-crash',
      expiresInMs: -1000,
    });
    await db.prisma.mailbox.update({
      where: { id: mailbox.mailboxId },
      data: { inboundEnabled: true, inboundBehavior: 'full_auto', inboundPurpose: 'new_business' },
    });
    await db.prisma.identity.create({
      data: {
        id: randomUUID(),
        mailboxId: mailbox.mailboxId,
        workspaceId: 'ws-crash',
        email: mailbox.email,
        type: 'primary',
        source: 'discovered',
      },
    });
    // Replies go out at once, and lead.eml's quote request is not escalated (pricing topic off).
    await db.prisma.inboundReplyPolicy.create({
      data: {
        mailboxId: mailbox.mailboxId,
        workspaceId: 'ws-crash',
        replyMode: 'send',
        escalationTopics: [],
      },
    });
  });

  function runPipeline(
    crash: 'none' | 'after_draft_created' | 'before_reply_send' | 'after_reply_send',
  ) {
    const worker = join(findProjectRoot(), 'test', 'support', 'inbound-worker.mjs');
    const child = spawn(process.execPath, [worker], {
      env: { ...childEnv, INBOUND_TEST_CRASH: crash },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    return new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, output })),
    );
  }

  async function receive(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const raw = inboundFixture('human', 'lead.eml', mailbox.email).replace(
        'Message-ID: <lead-1@prospect.example>',
        `Message-ID: <lead-${randomUUID()}@prospect.example>`,
      );
      const message = emulator.control.graph.injectRaw(mailbox.email, raw);
      ids.push(message.id);
    }
    await db.prisma.inboundMessage.createMany({
      data: ids.map((graphMessageId) => ({
        id: randomUUID(),
        workspaceId: 'ws-crash',
        mailboxId: mailbox.mailboxId,
        graphMessageId,
        source: 'notification',
      })),
    });
    return ids;
  }

  const replies = (since: Date) =>
    emulator.control.graph
      .sentMail({ mailbox: mailbox.email, since })
      .filter((s) => s.operation === 'send');
  const rows = () => db.prisma.inboundMessage.findMany({ where: { mailboxId: mailbox.mailboxId } });
  const restart = async () => {
    await new Promise((r) => setTimeout(r, LEASE_MS + 300));
    const run = await runPipeline('none');
    expect(run.code).toBe(0);
  };

  it('killed right after the reply was sent: after restart it is recorded, not sent again', async () => {
    const since = new Date();
    await receive(1);
    const crashed = await runPipeline('after_reply_send');
    expect(crashed.signal).toBe('SIGKILL');
    expect(replies(since)).toHaveLength(1);
    expect((await rows())[0]).toMatchObject({ stage: 'replying', action: null });
    await restart();
    expect(replies(since)).toHaveLength(1);
    const [row] = await rows();
    expect(row).toMatchObject({ stage: 'done', action: 'replied' });
    expect(row.replyInternetMessageId).toBe(replies(since)[0].internetMessageId);
    const booked = await db.prisma.outboundMessage.findUniqueOrThrow({
      where: { id: row.replyOutboundId! },
    });
    expect(booked).toMatchObject({ status: 'sent', mailboxId: mailbox.mailboxId });
    expect(booked.sentAt).not.toBeNull();
  }, 60_000);

  it('killed with the reply drafted but not sent: after restart the same draft is sent, once', async () => {
    const since = new Date();
    await receive(1);
    const crashed = await runPipeline('before_reply_send');
    expect(crashed.signal).toBe('SIGKILL');
    expect(replies(since)).toHaveLength(0);
    expect(emulator.control.graph.messages(mailbox.email, 'drafts')).toHaveLength(1);
    await restart();
    expect(replies(since)).toHaveLength(1);
    expect(emulator.control.graph.messages(mailbox.email, 'drafts')).toHaveLength(0);
    expect((await rows())[0]).toMatchObject({ stage: 'done', action: 'replied' });
  }, 60_000);

  it('killed in the middle of a batch: after restart every message is processed exactly once', async () => {
    const since = new Date();
    const ids = await receive(6);
    const crashed = await runPipeline('after_reply_send');
    expect(crashed.signal).toBe('SIGKILL');
    await restart();
    const sent = replies(since);
    expect(sent).toHaveLength(6);
    const answered = sent.map(
      (s) => s.internetMessageHeaders.find((h) => h.name === 'In-Reply-To')?.value,
    );
    const originals = ids.map(
      (id) => emulator.control.graph.message(mailbox.email, id).internetMessageId,
    );
    expect(new Set(answered)).toEqual(new Set(originals));
    expect((await rows()).map((r) => r.action)).toEqual(Array(6).fill('replied'));
  }, 60_000);
  it('review mode, killed right after the draft was created: after restart the draft is found by its marker, never made twice', async () => {
    const since = new Date();
    await db.prisma.inboundReplyPolicy.update({
      where: { mailboxId: mailbox.mailboxId },
      data: { replyMode: 'review' },
    });
    await receive(1);
    const crashed = await runPipeline('after_draft_created');
    expect(crashed.signal).toBe('SIGKILL');
    const [draft] = emulator.control.graph.messages(mailbox.email, 'drafts');
    expect(emulator.control.graph.messages(mailbox.email, 'drafts')).toHaveLength(1);
    // The draft exists in the mailbox, the row does not know it yet.
    expect((await rows())[0]).toMatchObject({
      stage: 'replying',
      replyStatus: 'drafting',
      replyDraftId: null,
    });
    await restart();
    expect(emulator.control.graph.messages(mailbox.email, 'drafts').map((d) => d.id)).toEqual([
      draft.id,
    ]);
    expect((await rows())[0]).toMatchObject({
      stage: 'awaiting_review',
      replyStatus: 'awaiting_review',
      replyDraftId: draft.id,
    });
    expect(replies(since)).toHaveLength(0);
  }, 60_000);

  describe('review mode: an approved draft', () => {
    /** Drafted for review by a first run, then approved (what POST …/approve writes). */
    async function approvedDraft(): Promise<string> {
      await db.prisma.inboundReplyPolicy.update({
        where: { mailboxId: mailbox.mailboxId },
        data: { replyMode: 'review' },
      });
      await receive(1);
      expect((await runPipeline('none')).code).toBe(0);
      const [row] = await rows();
      expect(row).toMatchObject({ stage: 'awaiting_review', replyStatus: 'awaiting_review' });
      const drafts = emulator.control.graph.messages(mailbox.email, 'drafts');
      expect(drafts.map((d) => d.id)).toEqual([row.replyDraftId]);
      await db.prisma.inboundMessage.updateMany({
        where: { id: row.id, stage: 'awaiting_review', replyStatus: 'awaiting_review' },
        data: { stage: 'replying', replyStatus: 'approved', nextAttemptAt: new Date() },
      });
      return row.replyDraftId!;
    }

    it('killed right after sending it: after restart it is recorded, not sent again', async () => {
      const since = new Date();
      await approvedDraft();
      const crashed = await runPipeline('after_reply_send');
      expect(crashed.signal).toBe('SIGKILL');
      expect(replies(since)).toHaveLength(1);
      await restart();
      expect(replies(since)).toHaveLength(1);
      expect((await rows())[0]).toMatchObject({
        stage: 'done',
        action: 'replied',
        replyStatus: 'sent',
      });
    }, 60_000);

    it('killed before sending it: after restart that same draft is sent, once', async () => {
      const since = new Date();
      const draftId = await approvedDraft();
      const crashed = await runPipeline('before_reply_send');
      expect(crashed.signal).toBe('SIGKILL');
      expect(replies(since)).toHaveLength(0);
      await restart();
      const sent = replies(since);
      expect(sent).toHaveLength(1);
      expect(emulator.control.graph.messages(mailbox.email, 'drafts')).toHaveLength(0);
      expect(emulator.control.graph.message(mailbox.email, draftId).isDraft).toBe(false);
      expect((await rows())[0]).toMatchObject({ action: 'replied', replyStatus: 'sent' });
    }, 60_000);
  });
});
