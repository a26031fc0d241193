import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TestClock } from '../../src/common/time/clock.js';
import { PipelineService } from '../../src/modules/inbound/pipeline.service.js';
import { ADELE, MEGAN } from '../../src/sandbox/seed.js';
import {
  aiReplyMail,
  inboundItems,
  listenSecondInstance,
  runInbound,
  setInbound,
} from '../support/inbound.js';
import {
  call,
  createSandboxApp,
  type Reply,
  type SandboxApp,
  sandboxToken,
} from '../support/sandbox-app.js';
import { connectMailbox, type Ids } from '../support/sending.js';

interface ReplyItem {
  id: string;
  mailboxId: string;
  conversationId: string | null;
  to: string | null;
  text: string | null;
  mode: string | null;
  status: string;
  draftId: string | null;
  sendAt: string | null;
  edited: boolean;
  reason: string | null;
  replyMessageId: string | null;
  from?: string | null;
  subject?: string | null;
  preview?: string | null;
  webLink?: string | null;
}

const code = (res: Reply) => res.json<{ error: { code: string } }>().error.code;

/**
 * Reply modes over the emulator: review (a real draft in Drafts; approve / edit / discard) and
 * delayed (an undo window, cancellable). Rules provider; delta polling; time is a TestClock the
 * app decides by (the undo window, the pipeline's due work).
 */
describe('inbound AI reply modes (e2e)', () => {
  let t: SandboxApp;
  let token: string;
  let adele: Ids;
  let megan: Ids;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await createSandboxApp({ INBOUND_DELIVERY: 'polling' }, { clock });
    token = await sandboxToken(t, 'user-a', 'ws-modes');
    adele = await connectMailbox(t, token, ADELE.id);
    megan = await connectMailbox(t, token, MEGAN.id);
  });
  afterAll(() => t.close());

  const { ask, sends, drafts } = aiReplyMail(() => t);
  const listReplies = async (query: string, as = token) => {
    const res = await call(t, 'GET', `/v1/inbound/replies${query}`, { token: as });
    expect(res.status).toBe(200);
    return res.json<{ items: ReplyItem[]; nextCursor: string | null }>();
  };
  const replyFor = async (conversationId: string) =>
    (await listReplies('?limit=100')).items.find((r) => r.conversationId === conversationId);
  /** Audit rows of a reply command: [actorType, actorId, workspaceId, status]. */
  const audited = async (action: string, targetId: string) =>
    (await t.db.prisma.auditLog.findMany({ where: { action, targetId } })).map((a) => [
      a.actorType,
      a.actorId,
      a.workspaceId,
      (a.metadata as { status?: string }).status,
    ]);
  const post = (id: string, command: string, body?: unknown, as = token) =>
    call(t, 'POST', `/v1/inbound/replies/${id}/${command}`, { token: as, body });

  it('a mailbox never enabled reports the policy enabling it gives (review, source default)', async () => {
    const res = await call(t, 'GET', `/v1/inbound/mailboxes/${adele.mailboxId}/reply-policy`, {
      token,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ source: 'default', replyMode: 'review' });
    expect(
      await t.db.prisma.inboundReplyPolicy.count({ where: { mailboxId: adele.mailboxId } }),
    ).toBe(0);
  });

  describe('review', () => {
    beforeAll(async () => {
      // Newly enabled: review is the default (no replyMode given).
      await setInbound(t, token, adele.mailboxId, { enabled: true, behavior: 'full_auto' });
      await runInbound(t);
    });

    it('a newly enabled mailbox reviews: the policy says so', async () => {
      const res = await call(t, 'GET', `/v1/inbound/mailboxes/${adele.mailboxId}/reply-policy`, {
        token,
      });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({
        source: 'stored',
        replyMode: 'review',
        undoWindowSeconds: 300,
        dailyReplyCap: 50,
        businessHours: null,
      });
      const topics = res.json<{ escalationTopics: { topic: string }[] }>().escalationTopics;
      expect(topics.map((x) => x.topic)).toEqual(
        expect.arrayContaining(['pricing', 'refund', 'unsubscribe', 'talk_to_a_human']),
      );
    });

    it('the reply is a draft in Drafts, nothing is sent; approving sends it once, in-thread', async () => {
      const since = new Date();
      const original = ask(ADELE.mail, 'lee');
      await runInbound(t);
      await runInbound(t);
      expect(sends(ADELE.mail, since)).toHaveLength(0);
      const [draft] = drafts(ADELE.mail, original.conversationId);
      expect(draft).toBeDefined();
      expect(draft.isDraft).toBe(true);
      expect(draft.toRecipients.map((r) => r.emailAddress.address)).toEqual([
        'lee@customer.example',
      ]);
      const reply = await replyFor(original.conversationId);
      expect(reply).toMatchObject({
        status: 'awaiting_review',
        mode: 'review',
        to: 'lee@customer.example',
        edited: false,
      });
      expect(reply?.text).toBeTruthy();
      const awaiting = await listReplies('?status=awaiting_review');
      expect(awaiting.items.map((r) => r.id)).toContain(reply?.id);
      const [item] = (await inboundItems(t, token, adele.mailboxId)).filter(
        (i) => i.graphMessageId === original.id,
      );
      expect(item).toMatchObject({ status: 'processing', action: null });
      // The answered message as Graph gave it: its preview and its Outlook on the web link,
      // on the reply itself (no second lookup) and on the inbound message.
      const webLink = expect.stringMatching(/^https:\/\/outlook\.office365\.com\/owa\/\?ItemID=/);
      const answered = {
        from: 'lee@customer.example',
        subject: original.subject,
        preview: original.bodyPreview,
        webLink,
      };
      expect(original.bodyPreview).toContain('I cannot log in since this morning');
      expect(awaiting.items.find((r) => r.id === reply?.id)).toMatchObject(answered);
      expect(item).toMatchObject(answered);
      expect((item as { webLink?: string }).webLink).toContain(
        `ItemID=${encodeURIComponent(original.id)}&`,
      );

      const approved = await post(reply!.id, 'approve');
      expect(approved.status).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved' });
      await runInbound(t);
      await runInbound(t);
      const sent = sends(ADELE.mail, since);
      expect(sent).toHaveLength(1);
      expect(sent[0].conversationId).toBe(original.conversationId);
      expect(sent[0].toRecipients.map((r) => r.address)).toEqual(['lee@customer.example']);
      const header = (name: string) =>
        sent[0].internetMessageHeaders.find((h) => h.name === name)?.value;
      expect(header('In-Reply-To')).toBe(original.internetMessageId);
      expect(drafts(ADELE.mail, original.conversationId)).toHaveLength(0);
      const after = await call(t, 'GET', `/v1/inbound/replies/${reply!.id}`, { token });
      expect(after.json()).toMatchObject({ status: 'sent' });
      expect(after.json<ReplyItem>().replyMessageId).toBeTruthy();

      const again = await post(reply!.id, 'approve');
      expect(again.status).toBe(409);
      expect(code(again)).toBe('reply_not_awaiting_review');
      const discardLate = await post(reply!.id, 'discard');
      expect(code(discardLate)).toBe('reply_not_awaiting_review');
      // One audit row naming the user; the refused commands wrote none.
      expect(await audited('inbound.reply_approved', reply!.id)).toEqual([
        ['user', 'user-a', 'ws-modes', 'approved'],
      ]);
      expect(await audited('inbound.reply_discarded', reply!.id)).toEqual([]);
      await runInbound(t);
      expect(sends(ADELE.mail, since)).toHaveLength(1);
    });

    it('an edited approval replaces the draft body before it goes', async () => {
      const since = new Date();
      const original = ask(ADELE.mail, 'kim');
      await runInbound(t);
      const reply = await replyFor(original.conversationId);
      const text =
        'Hi Kim,\n\nSorry about that: we fixed the login page. Please try again.\n\nAdele';
      const res = await post(reply!.id, 'approve', { text });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ status: 'approved', edited: true, text });
      await runInbound(t);
      const sent = sends(ADELE.mail, since);
      expect(sent).toHaveLength(1);
      expect(sent[0].body.content).toContain('we fixed the login page');
      expect(sent[0].conversationId).toBe(original.conversationId);
    });

    it('discard deletes the draft and sends nothing', async () => {
      const since = new Date();
      const original = ask(ADELE.mail, 'sam');
      await runInbound(t);
      const [draft] = drafts(ADELE.mail, original.conversationId);
      expect(draft).toBeDefined();
      const reply = await replyFor(original.conversationId);
      const res = await post(reply!.id, 'discard');
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ status: 'discarded' });
      expect(drafts(ADELE.mail, original.conversationId)).toHaveLength(0);
      expect(t.emulator.control.graph.message(ADELE.mail, draft.id).parentFolderId).toBe(
        'deleteditems',
      );
      await runInbound(t);
      expect(sends(ADELE.mail, since)).toHaveLength(0);
      const item = (await inboundItems(t, token, adele.mailboxId)).find(
        (i) => i.graphMessageId === original.id,
      );
      expect(item).toMatchObject({ status: 'done', action: 'discarded' });
      const approveLate = await post(reply!.id, 'approve');
      expect(approveLate.status).toBe(409);
      expect(code(approveLate)).toBe('reply_not_awaiting_review');
      expect(await audited('inbound.reply_discarded', reply!.id)).toEqual([
        ['user', 'user-a', 'ws-modes', 'discarded'],
      ]);
      expect(await audited('inbound.reply_approved', reply!.id)).toEqual([]);

      // A discarded draft is no AI reply: the next message of the thread gets a new draft.
      const next = t.emulator.control.graph.injectInbound({
        mailbox: ADELE.mail,
        from: { address: 'sam@customer.example', name: 'sam' },
        subject: `RE: ${original.subject}`,
        body: 'Hello again, I still cannot log in. Can you help?',
        inReplyTo: original.internetMessageId,
      });
      expect(next.conversationId).toBe(original.conversationId);
      await runInbound(t);
      const drafted = (await listReplies('?status=awaiting_review')).items.filter(
        (r) => r.conversationId === original.conversationId,
      );
      expect(drafted).toHaveLength(1);
      expect(drafted[0].id).not.toBe(reply!.id);
      expect(drafts(ADELE.mail, original.conversationId)).toHaveLength(1);
      expect(sends(ADELE.mail, since)).toHaveLength(0);
    });

    it('discard while Graph refuses the deletion: discarded at once, the pipeline deletes the draft later', async () => {
      const since = new Date();
      const original = ask(ADELE.mail, 'ines');
      await runInbound(t);
      const [draft] = drafts(ADELE.mail, original.conversationId);
      const reply = await replyFor(original.conversationId);
      const fault = t.emulator.control.failNext({
        method: 'DELETE',
        path: '/v1.0/**/messages/*',
        times: 20,
        status: 503,
        body: { error: { code: 'ServiceUnavailable', message: 'try later' } },
      });
      const res = await post(reply!.id, 'discard');
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ status: 'discarded' });
      expect(drafts(ADELE.mail, original.conversationId).map((d) => d.id)).toEqual([draft.id]);
      expect(code(await post(reply!.id, 'approve'))).toBe('reply_not_awaiting_review');
      t.emulator.control.removeFault(fault.id);
      // Not due yet: the pipeline comes back to the draft a minute later (on the app's clock).
      await runInbound(t);
      expect(drafts(ADELE.mail, original.conversationId)).toHaveLength(1);
      clock.advance(61_000);
      await runInbound(t);
      expect(drafts(ADELE.mail, original.conversationId)).toHaveLength(0);
      expect(sends(ADELE.mail, since)).toHaveLength(0);
      const item = (await inboundItems(t, token, adele.mailboxId)).find(
        (i) => i.graphMessageId === original.id,
      );
      expect(item).toMatchObject({ status: 'done', action: 'discarded' });
    });

    it('approvals racing on two instances (and twice on each) send once', async () => {
      const second = await listenSecondInstance(t, { clock });
      try {
        const since = new Date();
        const original = ask(ADELE.mail, 'ray');
        await runInbound(t);
        const reply = await replyFor(original.conversationId);
        const urls = [t.baseUrl, second.baseUrl];
        const results = await Promise.all(
          [...urls, ...urls].map((base) =>
            call(t, 'POST', `${base}/v1/inbound/replies/${reply!.id}/approve`, { token }),
          ),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([200, 409, 409, 409]);
        for (const r of results.filter((x) => x.status === 409))
          expect(code(r)).toBe('reply_not_awaiting_review');
        // Only the winner is audited: the three losers' transactions wrote nothing.
        expect(await audited('inbound.reply_approved', reply!.id)).toEqual([
          ['user', 'user-a', 'ws-modes', 'approved'],
        ]);
        await Promise.all([t.app, second.app].map((app) => app.get(PipelineService).runOnce()));
        await runInbound(t);
        expect(sends(ADELE.mail, since)).toHaveLength(1);
      } finally {
        await second.app.close();
      }
    });

    it('another workspace sees no reply and gets 404 on every command', async () => {
      const original = ask(ADELE.mail, 'eve');
      await runInbound(t);
      const reply = await replyFor(original.conversationId);
      const other = await sandboxToken(t, 'user-x', 'ws-modes-other');
      expect((await listReplies('?limit=100', other)).items).toHaveLength(0);
      for (const command of ['approve', 'discard', 'cancel']) {
        const res = await post(reply!.id, command, undefined, other);
        expect(res.status).toBe(404);
        expect(code(res)).toBe('reply_not_found');
      }
      const get = await call(t, 'GET', `/v1/inbound/replies/${reply!.id}`, { token: other });
      expect(get.status).toBe(404);
      const missing = await post(randomUUID(), 'approve');
      expect(code(missing)).toBe('reply_not_found');
      const foreignMailbox = await call(
        t,
        'GET',
        `/v1/inbound/mailboxes/${adele.mailboxId}/reply-policy`,
        { token: other },
      );
      expect(foreignMailbox.status).toBe(404);
      // Still awaiting review for its own workspace.
      expect(await replyFor(original.conversationId)).toMatchObject({ status: 'awaiting_review' });
    });

    it('hostile approve bodies and queries: 400, never 500', async () => {
      const original = ask(ADELE.mail, 'zoe');
      await runInbound(t);
      const reply = await replyFor(original.conversationId);
      for (const body of [
        { text: '' },
        { text: '   ' },
        { text: 'x'.repeat(5001) },
        { text: 42 },
        { text: 'a\u0000b' },
        { other: 1 },
      ]) {
        const res = await post(reply!.id, 'approve', body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(code(res)).toBe('validation_failed');
      }
      for (const query of ['?status=bogus', '?limit=0', '?mailboxId=not-a-uuid']) {
        const res = await call(t, 'GET', `/v1/inbound/replies${query}`, { token });
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
      }
      expect(await replyFor(original.conversationId)).toMatchObject({ status: 'awaiting_review' });
    });
  });

  describe('delayed', () => {
    beforeAll(async () => {
      await setInbound(t, token, megan.mailboxId, {
        enabled: true,
        behavior: 'full_auto',
        replyMode: 'delayed',
        undoWindowSeconds: 60,
      });
      await runInbound(t);
    });

    /** The undo window (60 s) passes on the app's clock. */
    const windowPasses = () => clock.advance(61_000);

    it('cancelled inside the undo window: nothing is ever sent', async () => {
      const since = new Date();
      const original = ask(MEGAN.mail, 'ada');
      await runInbound(t);
      const reply = await replyFor(original.conversationId);
      expect(reply).toMatchObject({ status: 'scheduled', mode: 'delayed' });
      const sendAt = new Date(reply!.sendAt!).getTime();
      expect(sendAt).toBeGreaterThan(clock.now().getTime() + 59_000);
      expect(sendAt).toBeLessThanOrEqual(clock.now().getTime() + 60_000);
      await runInbound(t);
      expect(sends(MEGAN.mail, since)).toHaveLength(0);
      const res = await post(reply!.id, 'cancel');
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ status: 'cancelled' });
      windowPasses();
      await runInbound(t);
      expect(sends(MEGAN.mail, since)).toHaveLength(0);
      expect(drafts(MEGAN.mail, original.conversationId)).toHaveLength(0);
      const again = await post(reply!.id, 'cancel');
      expect(again.status).toBe(409);
      expect(code(again)).toBe('reply_not_scheduled');
      expect(await audited('inbound.reply_cancelled', reply!.id)).toEqual([
        ['user', 'user-a', 'ws-modes', 'cancelled'],
      ]);
      const item = (await inboundItems(t, token, megan.mailboxId)).find(
        (i) => i.graphMessageId === original.id,
      );
      expect(item).toMatchObject({ action: 'cancelled', reason: 'reply_cancelled' });
    });

    it('not cancelled: sent once after the window, in-thread; a late cancel is refused', async () => {
      const since = new Date();
      const original = ask(MEGAN.mail, 'bo');
      await runInbound(t);
      const reply = await replyFor(original.conversationId);
      expect(reply).toMatchObject({ status: 'scheduled' });
      expect(sends(MEGAN.mail, since)).toHaveLength(0);
      const approve = await post(reply!.id, 'approve');
      expect(code(approve)).toBe('reply_not_awaiting_review');
      // Half the window: still waiting.
      clock.advance(30_000);
      await runInbound(t);
      expect(sends(MEGAN.mail, since)).toHaveLength(0);
      windowPasses();
      await runInbound(t);
      await runInbound(t);
      const sent = sends(MEGAN.mail, since);
      expect(sent).toHaveLength(1);
      expect(sent[0].conversationId).toBe(original.conversationId);
      expect(await replyFor(original.conversationId)).toMatchObject({ status: 'sent' });
      const late = await post(reply!.id, 'cancel');
      expect(late.status).toBe(409);
      expect(code(late)).toBe('reply_not_scheduled');
      const scheduled = await listReplies(`?status=scheduled&mailboxId=${megan.mailboxId}`);
      expect(scheduled.items.map((r) => r.id)).not.toContain(reply!.id);
    });
  });
});
