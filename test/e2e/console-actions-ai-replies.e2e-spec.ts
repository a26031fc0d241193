import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADELE, MEGAN } from '../../src/sandbox/seed.js';
import { buildStaff } from '../factories/staff.js';
import { ConsoleBrowser, noticeOf } from '../support/console.js';
import { aiReplyMail, listenSecondInstance, runInbound, setInbound } from '../support/inbound.js';
import { call, createSandboxApp, type SandboxApp, sandboxToken } from '../support/sandbox-app.js';
import { connectMailbox, type Ids } from '../support/sending.js';

interface Shown {
  record: { params: Record<string, unknown>; recordActions: { name: string }[] };
}

/**
 * The console's two AI-reply actions against the real service and the emulator: each runs the
 * inbound module's own discard / cancel (the REST routes' path) and is checked by what happened
 * in the mailbox (the draft deleted, nothing sent) and by the audit row naming the staff member.
 */
describe('operations console actions on AI replies (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;
  let megan: Ids;
  let operator: ConsoleBrowser;
  let operatorId: string;
  let viewer: ConsoleBrowser;

  beforeAll(async () => {
    t = await createSandboxApp({ INBOUND_DELIVERY: 'polling' });
    token = await sandboxToken(t, 'u-1', 'ws-console-ai');
    adele = await connectMailbox(t, token, ADELE.id);
    megan = await connectMailbox(t, token, MEGAN.id);
    await setInbound(t, token, adele.mailboxId, { enabled: true, behavior: 'full_auto' });
    await setInbound(t, token, megan.mailboxId, {
      enabled: true,
      behavior: 'full_auto',
      replyMode: 'delayed',
      undoWindowSeconds: 600,
    });
    await runInbound(t);
    const staff = await buildStaff(t.db.prisma, { role: 'operator' });
    operatorId = staff.id;
    operator = new ConsoleBrowser(t.baseUrl);
    expect((await operator.login(staff.email)).status).toBe(303);
    const viewerRow = await buildStaff(t.db.prisma, { role: 'viewer' });
    viewer = new ConsoleBrowser(t.baseUrl);
    expect((await viewer.login(viewerRow.email)).status).toBe(303);
  });
  afterAll(() => t.close());

  const { ask, sends, drafts } = aiReplyMail(() => t);
  const replyOf = async (conversationId: string) => {
    const res = await call(t, 'GET', '/v1/inbound/replies?limit=100', { token });
    const items = res.json<{ items: { id: string; conversationId: string; status: string }[] }>();
    const found = items.items.find((r) => r.conversationId === conversationId);
    if (!found) throw new Error(`no AI reply in ${conversationId}`);
    return found;
  };
  const show = async (browser: ConsoleBrowser, id: string) =>
    (await browser.api(`/resources/ai_replies/records/${id}/show`)).json<Shown>().record;
  const staffAudit = (action: string, targetId: string) =>
    t.db.prisma.auditLog.findMany({ where: { action, targetId } });

  it('Discard draft: the draft leaves Drafts, nothing is sent, audited as the operator; a viewer cannot; no Approve exists', async () => {
    const since = new Date();
    const original = ask(ADELE.mail, 'lee');
    await runInbound(t);
    const [draft] = drafts(ADELE.mail, original.conversationId);
    expect(draft).toBeDefined();
    const reply = await replyOf(original.conversationId);
    expect(reply.status).toBe('awaiting_review');

    const shown = await show(operator, reply.id);
    expect(shown.params).toMatchObject({
      status: 'awaiting_review',
      replyMode: 'review',
      mailboxId: adele.mailboxId,
      workspaceId: 'ws-console-ai',
      inboundMessageId: reply.id,
      fromAddress: 'lee@customer.example',
    });
    expect(shown.params).not.toHaveProperty('replyText');
    // Offered: discard only (not cancel, which is for scheduled replies; never approve).
    expect(shown.recordActions.map((a) => a.name).sort()).toEqual(['discardDraft', 'show']);
    const approve = await operator.action('ai_replies', reply.id, 'approve');
    expect(approve.status).toBe(404);

    expect(noticeOf(await viewer.action('ai_replies', reply.id, 'discardDraft')).type).toBe(
      'error',
    );
    expect(drafts(ADELE.mail, original.conversationId)).toHaveLength(1);

    const res = await operator.action('ai_replies', reply.id, 'discardDraft');
    expect(noticeOf(res)).toEqual({
      message: 'Draft discarded: deleted from the mailbox, nothing sent.',
      type: 'success',
    });
    expect(drafts(ADELE.mail, original.conversationId)).toHaveLength(0);
    expect(t.emulator.control.graph.message(ADELE.mail, draft.id).parentFolderId).toBe(
      'deleteditems',
    );
    await runInbound(t);
    expect(sends(ADELE.mail, since)).toHaveLength(0);
    expect((await replyOf(original.conversationId)).status).toBe('discarded');
    const audit = await staffAudit('inbound.reply_discarded', reply.id);
    expect(audit.map((a) => [a.actorType, a.actorId, a.workspaceId, a.metadata])).toEqual([
      [
        'staff',
        operatorId,
        'ws-console-ai',
        { mailboxId: adele.mailboxId, replyMode: 'review', status: 'discarded' },
      ],
    ]);

    // Again: refused with the inbound module's own answer, and not audited twice.
    expect(noticeOf(await operator.action('ai_replies', reply.id, 'discardDraft'))).toEqual({
      message:
        'The reply is discarded, not awaiting review: it can no longer be approved or discarded.',
      type: 'error',
    });
    expect(await staffAudit('inbound.reply_discarded', reply.id)).toHaveLength(1);
    expect((await show(operator, reply.id)).recordActions.map((a) => a.name)).toEqual(['show']);
  });

  it('Cancel scheduled reply: never sent, even after its undo window, audited as the operator', async () => {
    const since = new Date();
    const original = ask(MEGAN.mail, 'ada');
    await runInbound(t);
    const reply = await replyOf(original.conversationId);
    expect(reply.status).toBe('scheduled');
    const shown = await show(operator, reply.id);
    expect(shown.params).toMatchObject({ status: 'scheduled', replyMode: 'delayed' });
    expect(typeof shown.params.sendAt).toBe('string');
    expect(shown.recordActions.map((a) => a.name).sort()).toEqual(['cancelReply', 'show']);

    expect(noticeOf(await viewer.action('ai_replies', reply.id, 'cancelReply')).type).toBe('error');
    const res = await operator.action('ai_replies', reply.id, 'cancelReply');
    expect(noticeOf(res)).toEqual({
      message: 'Scheduled reply cancelled: it will not be sent.',
      type: 'success',
    });
    // The undo window passes: the pipeline would send it now, had it not been cancelled.
    await t.db.prisma.inboundMessage.update({
      where: { id: reply.id },
      data: { nextAttemptAt: new Date() },
    });
    await runInbound(t);
    await runInbound(t);
    expect(sends(MEGAN.mail, since)).toHaveLength(0);
    expect(drafts(MEGAN.mail, original.conversationId)).toHaveLength(0);
    expect(
      await t.db.prisma.inboundMessage.findUniqueOrThrow({ where: { id: reply.id } }),
    ).toMatchObject({ action: 'cancelled', reason: 'reply_cancelled', replySentAt: null });
    const audit = await staffAudit('inbound.reply_cancelled', reply.id);
    expect(audit.map((a) => [a.actorType, a.actorId, a.workspaceId, a.metadata])).toEqual([
      [
        'staff',
        operatorId,
        'ws-console-ai',
        { mailboxId: megan.mailboxId, replyMode: 'delayed', status: 'cancelled' },
      ],
    ]);
    expect(noticeOf(await operator.action('ai_replies', reply.id, 'cancelReply'))).toEqual({
      message: 'The reply is cancelled, not scheduled: it can no longer be cancelled.',
      type: 'error',
    });
    expect(await staffAudit('inbound.reply_cancelled', reply.id)).toHaveLength(1);
  });

  it('two instances: the operator discards twice on each while the customer approves; exactly one command wins, only a winning discard is audited', async () => {
    const second = await listenSecondInstance(t);
    try {
      const since = new Date();
      const original = ask(ADELE.mail, 'ray');
      await runInbound(t);
      const reply = await replyOf(original.conversationId);
      expect(reply.status).toBe('awaiting_review');
      // The same signed-in operator on the other instance (sessions live in PostgreSQL).
      const elsewhere = new ConsoleBrowser(second.baseUrl);
      for (const [name, value] of operator.cookies) elsewhere.cookies.set(name, value);
      const [approve, ...discards] = await Promise.all([
        call(t, 'POST', `/v1/inbound/replies/${reply.id}/approve`, { token }),
        ...[operator, elsewhere, operator, elsewhere].map((b) =>
          b.action('ai_replies', reply.id, 'discardDraft'),
        ),
      ]);
      const discarded = discards.filter((r) => noticeOf(r).type === 'success').length;
      expect(discards.every((r) => r.status === 200)).toBe(true);
      expect([approve.status === 200 ? 1 : 0, discarded].sort()).toEqual([0, 1]);
      for (const r of discards.filter((x) => noticeOf(x).type !== 'success'))
        expect(noticeOf(r).message).toMatch(/not awaiting review/);
      await runInbound(t);
      await runInbound(t);
      const audit = await staffAudit('inbound.reply_discarded', reply.id);
      expect(audit).toHaveLength(discarded);
      // Exactly one audit row for the one winning command (the customer's approve or a
      // discard), written with the change: the losing commands left none.
      const rows = await t.db.prisma.auditLog.findMany({
        where: { targetId: reply.id, action: { startsWith: 'inbound.reply_' } },
      });
      expect(rows.map((r) => [r.action, r.actorType])).toEqual([
        discarded === 1 ? ['inbound.reply_discarded', 'staff'] : ['inbound.reply_approved', 'user'],
      ]);
      const final = await replyOf(original.conversationId);
      if (discarded === 1) {
        expect(final.status).toBe('discarded');
        expect(sends(ADELE.mail, since)).toHaveLength(0);
        expect(drafts(ADELE.mail, original.conversationId)).toHaveLength(0);
      } else {
        expect(final.status).toBe('sent');
        expect(sends(ADELE.mail, since)).toHaveLength(1);
      }
    } finally {
      await second.app.close();
    }
  });

  it('the mailbox page shows its reply policy (read only)', async () => {
    const record = (
      await operator.api(`/resources/mailboxes/records/${megan.mailboxId}/show`)
    ).json<Shown>().record;
    expect(record.params).toMatchObject({
      replyPolicy: 'set for this mailbox',
      replyMode: 'delayed',
      undoWindowSeconds: 600,
      dailyReplyCap: 50,
      businessHours: 'any time',
    });
    expect(String(record.params.escalationTopics)).toContain('refund (refund, money back');
  });
});
