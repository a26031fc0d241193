import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { claimDue, WORKER_ID } from '../../common/jobs/claim.js';
import { type OutboundMessage, Prisma } from '../../generated/prisma/client.js';
import type { MailboxUsage, Recipient } from './outbound.rules.js';
import { type IdentityPaceState, PACE_WAIT_REASONS, type WaitingReason } from './pace.rules.js';
import type { SuppressedRecipient } from './suppression.rules.js';

export type MessageRow = OutboundMessage;

/** What a message read shows of a message (the response's columns only). */
export type ShownMessage = Pick<
  MessageRow,
  | 'id'
  | 'senderProfileId'
  | 'status'
  | 'attempts'
  | 'identityId'
  | 'fromEmail'
  | 'recipientCount'
  | 'toRecipients'
  | 'ccRecipients'
  | 'bccRecipients'
  | 'subject'
  | 'errorCode'
  | 'errorMessage'
  | 'internetMessageId'
  | 'conversationId'
  | 'createdAt'
  | 'nextAttemptAt'
  | 'sentAt'
  | 'isReply'
  | 'inReplyTo'
  | 'waitingReason'
  | 'suppressedRecipients'
>;

export interface NewMessage {
  id: string;
  workspaceId: string;
  senderProfileId: string;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  recipientCount: number;
  subject: string;
  textBody: string | null;
  htmlBody: string | null;
  idempotencyKey: string | null;
  requestHash: string;
  marker: string;
  suppressedRecipients?: SuppressedRecipient[];
  isReply?: boolean;
  inReplyTo?: string | null;
  /** Due from (the application clock's now). */
  nextAttemptAt?: Date;
}

const DAY_MS = 24 * 3600_000;

@Injectable()
export class OutboundRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The stored message, or null when the workspace already used its idempotency key. */
  async insert(message: NewMessage): Promise<MessageRow | null> {
    const json = (recipients: Recipient[]) => recipients as unknown as Prisma.InputJsonValue;
    const [row] = await this.prisma.outboundMessage.createManyAndReturn({
      data: [
        {
          ...message,
          toRecipients: json(message.toRecipients),
          ccRecipients: json(message.ccRecipients),
          bccRecipients: json(message.bccRecipients),
          suppressedRecipients: json(message.suppressedRecipients ?? []),
        },
      ],
      skipDuplicates: true,
    });
    return row ?? null;
  }

  findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<MessageRow | null> {
    return this.prisma.outboundMessage.findUnique({
      where: { workspaceId_idempotencyKey: { workspaceId, idempotencyKey } },
    });
  }

  /** A message of the workspace as a read shows it: one plain statement, no bodies. */
  async findShown(workspaceId: string, id: string): Promise<ShownMessage | null> {
    const [row] = await this.prisma.$queryRaw<ShownMessage[]>`
      SELECT id, sender_profile_id AS "senderProfileId", status::text AS status, attempts,
             identity_id AS "identityId", from_email AS "fromEmail",
             recipient_count AS "recipientCount", to_recipients AS "toRecipients",
             cc_recipients AS "ccRecipients", bcc_recipients AS "bccRecipients", subject,
             error_code AS "errorCode", error_message AS "errorMessage",
             internet_message_id AS "internetMessageId", conversation_id AS "conversationId",
             created_at AS "createdAt", next_attempt_at AS "nextAttemptAt", sent_at AS "sentAt",
             is_reply AS "isReply", in_reply_to AS "inReplyTo", waiting_reason AS "waitingReason",
             suppressed_recipients AS "suppressedRecipients"
        FROM outbound_message WHERE id = ${id} AND workspace_id = ${workspaceId} LIMIT 1`;
    return row ?? null;
  }

  /** Newest first (creation time, then id), after the given position. */
  listInWorkspace(
    workspaceId: string,
    filter: { status?: MessageRow['status']; senderProfileId?: string },
    limit: number,
    after?: { createdAt: Date; id: string },
  ): Promise<MessageRow[]> {
    return this.prisma.outboundMessage.findMany({
      where: {
        workspaceId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.senderProfileId ? { senderProfileId: filter.senderProfileId } : {}),
        ...(after
          ? {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  /** Replies first, then oldest first. */
  findMany(ids: string[]): Promise<MessageRow[]> {
    return this.prisma.outboundMessage.findMany({
      where: { id: { in: ids } },
      orderBy: [{ isReply: 'desc' }, { createdAt: 'asc' }],
    });
  }

  /**
   * Queued messages due at `now` (the application clock), replies before outreach, plus sends
   * whose outcome was never recorded (a crash).
   */
  claimDue(limit: number, leaseMs: number, now: Date): Promise<string[]> {
    // A suspended workspace's queue waits (its sends whose outcome is unknown are still checked).
    return claimDue(this.prisma, {
      table: 'outbound_message',
      due: Prisma.sql`(status = 'queued' AND next_attempt_at <= ${now}
          AND workspace_id NOT IN (SELECT id FROM workspace WHERE status = 'suspended'))
        OR status = 'sending'`,
      order: Prisma.sql`is_reply DESC, next_attempt_at, created_at`,
      limit,
      leaseMs,
      owner: WORKER_ID,
    });
  }

  /** Queued messages of the workspace waiting for a sendable identity: due now. */
  async wakeWaiting(workspaceId: string, reasons: readonly string[]): Promise<number> {
    const { count } = await this.prisma.outboundMessage.updateMany({
      where: {
        workspaceId,
        status: 'queued',
        errorCode: { in: [...reasons] },
        nextAttemptAt: { gt: new Date() },
      },
      data: { nextAttemptAt: new Date() },
    });
    return count;
  }

  /** Queued messages of the profile waiting for its pace: due at `now`. */
  async wakePaced(workspaceId: string, senderProfileId: string, now: Date): Promise<number> {
    const { count } = await this.prisma.outboundMessage.updateMany({
      where: {
        workspaceId,
        senderProfileId,
        status: 'queued',
        waitingReason: { in: [...PACE_WAIT_REASONS] },
        nextAttemptAt: { gt: now },
      },
      data: { nextAttemptAt: now },
    });
    return count;
  }

  /** Mailboxes' own time zones as last read from Microsoft. */
  async mailboxTimeZones(
    mailboxIds: string[],
  ): Promise<Map<string, { timeZone: string | null; source: string; checkedAt: Date }>> {
    const rows = await this.prisma.mailboxTimeZone.findMany({
      where: { mailboxId: { in: mailboxIds } },
    });
    return new Map(rows.map((r) => [r.mailboxId, r]));
  }

  async saveMailboxTimeZone(
    mailboxId: string,
    value: { timeZone: string | null; source: string; checkedAt: Date },
  ): Promise<void> {
    await this.prisma.mailboxTimeZone.upsert({
      where: { mailboxId },
      create: { mailboxId, ...value },
      update: value,
    });
  }

  /** Serialises the choice of identity for one sender profile (rotation) in the transaction. */
  lockProfile(tx: Tx, senderProfileId: string): Promise<void> {
    return this.lock(tx, `profile:${senderProfileId}`);
  }

  /** A transaction-scoped advisory lock, waiting for it. */
  async lock(tx: Tx, key: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
  }

  /** A transaction-scoped advisory lock if free right now (limit checks per mailbox). */
  async tryLock(tx: Tx, key: string): Promise<boolean> {
    const [row] = await tx.$queryRaw<
      { ok: boolean }[]
    >`SELECT pg_try_advisory_xact_lock(hashtext(${key})) AS ok`;
    return row.ok;
  }

  /**
   * Everything the choice of identity reads under the profile's lock, in one statement: whether
   * a reply of the profile is due and not yet booked, or booked less than `inFlightMs` ago and
   * still going out (when `reply` is given; outreach lets it go first); per `paced` identity its
   * outreach sends booked since its local day start, when its next outreach send may start (the
   * gap drawn at a booking of the last day: gaps are at most a day) and its first send of any
   * kind (sends booked before pace existed, and replies booked by the inbound module, count by
   * their booking time); per identity when it last started a send (rotation); and the sends
   * counted against the limits (in the window, and in the last 24 hours) of the mailboxes of the
   * `front` least recently used identities only. The usage is a pre-filter: the booking
   * statement counts again under the mailbox's lock, so a mailbox left out is tried and may turn
   * out full. Each read is an index probe or range per identity or mailbox, so the statement's
   * cost does not grow with the outbound history or with a profile's mailbox count beyond the
   * identities' last use.
   */
  async bookingState(
    tx: Tx,
    input: {
      reply: { senderProfileId: string; now: Date; inFlightMs: number } | null;
      paced: { identityId: string; dayStart: Date }[];
      now: Date;
      identities: { identityId: string; mailboxId: string }[];
      front: number;
      windowMs: number;
    },
  ): Promise<{
    replyWaiting: boolean;
    pace: Map<string, IdentityPaceState>;
    usage: Map<string, MailboxUsage>;
    lastUsed: Map<string, Date>;
  }> {
    const { reply, paced, identities, windowMs } = input;
    const paceIds = paced.map((i) => i.identityId);
    const starts = paced.map((i) => i.dayStart);
    const dayAgo = new Date(input.now.getTime() - DAY_MS);
    const profileId = reply?.senderProfileId ?? '';
    const replyNow = reply?.now ?? input.now;
    const inFlightSecs = (reply?.inFlightMs ?? 0) / 1000;
    const epoch = (col: Prisma.Sql) => Prisma.sql`(extract(epoch FROM ${col}) * 1000)::float8`;
    const [row] = await tx.$queryRaw<
      {
        reply_waiting: boolean;
        pace: [string, number, number | null, number | null][] | null;
        usage: [string, number, number][] | null;
        used: [string, number][] | null;
      }[]
    >`
      WITH used AS (
        SELECT c.identity_id, c.mailbox_id, l.last
          FROM unnest(${identities.map((i) => i.identityId)}::text[],
                      ${identities.map((i) => i.mailboxId)}::text[]) AS c(identity_id, mailbox_id)
         CROSS JOIN LATERAL (
           SELECT max(m.sending_started_at) AS last FROM outbound_message m
            WHERE m.identity_id = c.identity_id
         ) l
      ), front AS (
        SELECT DISTINCT f.mailbox_id FROM (
          SELECT mailbox_id FROM used ORDER BY last ASC NULLS FIRST, identity_id LIMIT ${input.front}
        ) f
      )
      SELECT
        (${reply !== null} AND EXISTS (
          SELECT 1 FROM outbound_message
           WHERE sender_profile_id = ${profileId} AND is_reply
             AND ((status = 'queued' AND next_attempt_at <= ${replyNow})
               OR (status = 'sending' AND sending_started_at >
                   clock_timestamp() - make_interval(secs => ${inFlightSecs}::double precision)))
        )) AS reply_waiting,
        (SELECT json_agg(json_build_array(p.identity_id, p.sent_today, ${epoch(Prisma.sql`p.gap_until`)},
                                          ${epoch(Prisma.sql`p.first_send`)}))
           FROM (
             SELECT c.identity_id,
                    (SELECT count(*) FROM outbound_message m
                      WHERE m.identity_id = c.identity_id AND m.paced_at >= c.day_start
                        AND NOT m.is_reply AND m.status IN ('sending', 'sent'))::int AS sent_today,
                    (SELECT max(m.pace_gap_until) FROM outbound_message m
                      WHERE m.identity_id = c.identity_id
                        AND m.paced_at >= least(c.day_start, ${dayAgo}::timestamptz)
                        AND m.status IN ('sending', 'sent')) AS gap_until,
                    least((SELECT min(m.paced_at) FROM outbound_message m
                            WHERE m.identity_id = c.identity_id),
                          (SELECT min(m.sending_started_at) FROM outbound_message m
                            WHERE m.identity_id = c.identity_id AND m.paced_at IS NULL)) AS first_send
               FROM unnest(${paceIds}::text[], ${starts}::timestamptz[]) AS c(identity_id, day_start)
           ) p) AS pace,
        (SELECT json_agg(json_build_array(r.mailbox_id, r.messages, r.recipients))
           FROM (${usageRows(Prisma.sql`SELECT mailbox_id FROM front`, windowMs)}) r) AS usage,
        (SELECT json_agg(json_build_array(u.identity_id, ${epoch(Prisma.sql`u.last`)}))
           FROM used u WHERE u.last IS NOT NULL) AS used`;
    const date = (ms: number | null) => (ms === null ? null : new Date(ms));
    return {
      replyWaiting: row.reply_waiting,
      pace: new Map(
        (row.pace ?? []).map(([id, sentToday, gap, first]) => [
          id,
          { sentToday, gapUntil: date(gap), firstSendAt: date(first) },
        ]),
      ),
      usage: new Map(
        (row.usage ?? []).map(([id, messages, recipients]) => [
          id,
          { messagesInWindow: messages, recipientsInDay: recipients },
        ]),
      ),
      lastUsed: new Map((row.used ?? []).map(([id, ms]) => [id, new Date(ms)])),
    };
  }

  /** The sends counted against these mailboxes' limits (as bookingState counts them). */
  async mailboxUsage(
    tx: Tx,
    mailboxIds: string[],
    windowMs: number,
  ): Promise<Map<string, MailboxUsage>> {
    if (mailboxIds.length === 0) return new Map();
    const rows = await tx.$queryRaw<{ mailbox_id: string; messages: number; recipients: number }[]>`
      ${usageRows(Prisma.sql`SELECT unnest(${mailboxIds}::text[]) AS mailbox_id`, windowMs)}`;
    return new Map(
      rows.map((r) => [
        r.mailbox_id,
        { messagesInWindow: r.messages, recipientsInDay: r.recipients },
      ]),
    );
  }

  /**
   * Books a queued message this worker holds on `from`, in one statement, if the mailbox is
   * still under its limits (counted as in bookingState, in the same snapshot, the caller holding
   * the mailbox's lock). The database's clock stamps the booking: every instance counts windows
   * on that one clock. `booked` is null when the mailbox is full or the message is no longer
   * this worker's queued message (`full` tells which).
   */
  async bookIfUnderLimits(
    tx: Tx,
    message: MessageRow,
    from: { identityId: string; mailboxId: string; fromEmail: string },
    limits: { windowMs: number; messagesPerWindow: number; recipientsPerDay: number },
    leaseMs: number,
    pace: { pacedAt: Date; paceGapUntil: Date | null },
  ): Promise<{ full: boolean; booked: MessageRow | null }> {
    const lockedUntil = new Date(Date.now() + leaseMs);
    const [row] = await tx.$queryRaw<
      {
        under: boolean;
        attempts: number | null;
        sending_started_at: Date | null;
        updated_at: Date | null;
        error_code: string | null;
        error_message: string | null;
      }[]
    >`
      WITH u AS (
        -- The bounds as sub-selects: evaluated once, so the index range on (mailbox_id,
        -- sending_started_at) is used instead of filtering the mailbox's whole history.
        SELECT count(*) FILTER (WHERE sending_started_at > (SELECT clock_timestamp() - make_interval(secs => ${limits.windowMs / 1000}::double precision))) < ${limits.messagesPerWindow}
               AND coalesce(sum(recipient_count), 0) + ${message.recipientCount} <= ${limits.recipientsPerDay} AS under
          FROM outbound_message
         WHERE mailbox_id = ${from.mailboxId} AND status IN ('sending', 'sent')
           AND sending_started_at > (SELECT clock_timestamp() - make_interval(secs => ${DAY_MS / 1000}::double precision))
      ), b AS (
        UPDATE outbound_message
           SET identity_id = ${from.identityId}, mailbox_id = ${from.mailboxId},
               from_email = ${from.fromEmail}, paced_at = ${pace.pacedAt},
               pace_gap_until = ${pace.paceGapUntil}::timestamptz, waiting_reason = NULL,
               status = 'sending', attempts = attempts + 1,
               locked_until = ${lockedUntil}, locked_by = ${WORKER_ID},
               sending_started_at = clock_timestamp(), updated_at = clock_timestamp()
         WHERE id = ${message.id} AND status = 'queued' AND locked_by = ${WORKER_ID}
           AND (SELECT under FROM u)
        RETURNING attempts, sending_started_at, updated_at, error_code, error_message
      )
      SELECT u.under, b.* FROM u LEFT JOIN b ON true`;
    if (!row.under) return { full: true, booked: null };
    if (row.attempts === null) return { full: false, booked: null };
    return {
      full: false,
      booked: {
        ...message,
        ...from,
        ...pace,
        waitingReason: null,
        status: 'sending',
        attempts: row.attempts,
        sendingStartedAt: row.sending_started_at,
        updatedAt: row.updated_at as Date,
        errorCode: row.error_code,
        errorMessage: row.error_message,
        lockedUntil,
        lockedBy: WORKER_ID,
      },
    };
  }

  /** Seconds until the oldest send in the window leaves it (when a slot frees up). */
  async windowFreesInMs(mailboxIds: string[], windowMs: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ oldest: Date | null }[]>`
      SELECT min(sending_started_at) AS oldest FROM outbound_message
       WHERE mailbox_id = ANY(${mailboxIds}) AND status IN ('sending', 'sent')
         AND sending_started_at > now() - make_interval(secs => ${windowMs / 1000}::double precision)`;
    return row?.oldest ? Math.max(0, row.oldest.getTime() + windowMs - Date.now()) : 0;
  }

  /** `detailsCheckAt`: when to read the sent copy's ids from Sent Items, if not given here. */
  async markSent(
    tx: Tx,
    id: string,
    details: { internetMessageId?: string; conversationId?: string },
    detailsCheckAt: Date,
  ): Promise<void> {
    await tx.outboundMessage.update({
      where: { id },
      data: {
        ...details,
        detailsCheckAt: details.internetMessageId ? null : detailsCheckAt,
        status: 'sent',
        sentAt: new Date(),
        errorCode: null,
        errorMessage: null,
        lockedUntil: null,
        lockedBy: null,
      },
    });
  }

  /**
   * Several sends without details (as markSent) and their events, in one statement: `events` is
   * the outbox's INSERT of the events of the rows this UPDATE returns (a CTE named `done`).
   */
  async markSentManyWith(ids: string[], detailsCheckAt: Date, events: Prisma.Sql): Promise<void> {
    await this.prisma.$executeRaw`
      WITH done AS (
        UPDATE outbound_message
           SET details_check_at = ${detailsCheckAt}, status = 'sent', sent_at = ${new Date()},
               error_code = NULL, error_message = NULL, locked_until = NULL, locked_by = NULL,
               updated_at = clock_timestamp()
         WHERE id = ANY(${ids})
        RETURNING id
      )
      ${events}`;
  }

  /**
   * Back to the queue (not sent): the slot it held no longer counts toward the mailbox's limits.
   * `refundAttempt`: the booking never reached Microsoft, so it does not use up an attempt.
   * `keepLease`: this worker goes on with the message at once (another identity), so no other
   * worker may claim it meanwhile.
   */
  async requeue(
    id: string,
    nextAttemptAt: Date,
    error?: { code: string; message: string },
    options: { refundAttempt?: boolean; keepLease?: boolean; waitingReason?: WaitingReason } = {},
  ): Promise<void> {
    await this.prisma.outboundMessage.update({
      where: { id },
      data: {
        status: 'queued',
        nextAttemptAt,
        waitingReason: options.waitingReason ?? null,
        sendingStartedAt: null,
        pacedAt: null,
        paceGapUntil: null,
        identityId: null,
        mailboxId: null,
        fromEmail: null,
        ...(options.refundAttempt ? { attempts: { decrement: 1 } } : {}),
        ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
        ...(options.keepLease ? {} : { lockedUntil: null, lockedBy: null }),
      },
    });
  }

  /**
   * Leaves a `sending` message as it is (its slot still counts) and looks at it again at `at`,
   * when its lease ends; the error says why it waits.
   */
  async deferCheck(id: string, at: Date, error?: { code: string; message: string }): Promise<void> {
    await this.prisma.outboundMessage.update({
      where: { id },
      data: {
        lockedUntil: at,
        ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
      },
    });
  }

  async release(id: string, nextAttemptAt: Date, waitingReason?: WaitingReason): Promise<void> {
    await this.prisma.outboundMessage.update({
      where: { id },
      data: {
        nextAttemptAt,
        lockedUntil: null,
        lockedBy: null,
        ...(waitingReason ? { waitingReason } : {}),
      },
    });
  }

  /**
   * The pace holds a queued message back until `until`: no attempt used, and the wait does not
   * count toward OUTBOUND_MAX_WAIT (`pace_waited_at`, real time), which is for missing identities.
   */
  async waitForPace(id: string, until: Date, reason: WaitingReason): Promise<void> {
    await this.prisma.outboundMessage.updateMany({
      where: { id, status: 'queued' },
      data: {
        nextAttemptAt: until,
        waitingReason: reason,
        paceWaitedAt: new Date(),
        errorCode: null,
        errorMessage: null,
        lockedUntil: null,
        lockedBy: null,
      },
    });
  }

  async markFailed(tx: Tx, id: string, error: { code: string; message: string }): Promise<void> {
    await tx.outboundMessage.update({
      where: { id },
      data: {
        status: 'failed',
        waitingReason: null,
        errorCode: error.code,
        errorMessage: error.message,
        sendingStartedAt: null,
        lockedUntil: null,
        lockedBy: null,
      },
    });
  }

  cancelQueued(
    where: { senderProfileId: string },
    reason = 'cancelled',
  ): Promise<{ count: number }> {
    return this.prisma.outboundMessage.updateMany({
      where: { ...where, status: 'queued' },
      data: { status: 'cancelled', errorCode: reason, lockedUntil: null, lockedBy: null },
    });
  }

  async profilesWithQueued(workspaceId: string): Promise<string[]> {
    const rows = await this.prisma.outboundMessage.findMany({
      where: { workspaceId, status: 'queued' },
      distinct: ['senderProfileId'],
      select: { senderProfileId: true },
    });
    return rows.map((row) => row.senderProfileId);
  }

  countQueued(senderProfileId: string): Promise<number> {
    return this.prisma.outboundMessage.count({
      where: { senderProfileId, status: { in: ['queued', 'sending'] } },
    });
  }

  /** The message's status and error, its row locked for the caller's transaction. */
  async lockStatus(
    tx: Tx,
    id: string,
  ): Promise<{ status: MessageRow['status']; errorCode: string | null } | null> {
    const [row] = await tx.$queryRaw<{ status: MessageRow['status']; error_code: string | null }[]>`
      SELECT status::text AS status, error_code FROM outbound_message WHERE id = ${id} FOR UPDATE`;
    return row ? { status: row.status, errorCode: row.error_code } : null;
  }

  /** A failed message back in the queue with a fresh attempt budget, due now. */
  async requeueFailed(tx: Tx, id: string): Promise<MessageRow> {
    return tx.outboundMessage.update({
      where: { id, status: 'failed' },
      data: {
        status: 'queued',
        attempts: 0,
        nextAttemptAt: new Date(),
        waitingReason: null,
        paceWaitedAt: null,
        errorCode: null,
        errorMessage: null,
        sendingStartedAt: null,
        identityId: null,
        mailboxId: null,
        fromEmail: null,
        lockedUntil: null,
        lockedBy: null,
      },
    });
  }

  async cancelOne(tx: Tx, id: string, reason: string): Promise<MessageRow> {
    return tx.outboundMessage.update({
      where: { id, status: 'queued' },
      data: { status: 'cancelled', errorCode: reason, lockedUntil: null, lockedBy: null },
    });
  }
}

/**
 * Per mailbox of `mailboxes` (a query returning `mailbox_id`): its sends in the counted window
 * and its recipients in the last 24 hours (sending or sent, database clock). The bounds are read
 * once (the OFFSET 0 sub-select is not flattened), so each mailbox is an index range on
 * (mailbox_id, sending_started_at), not a filter over its whole history.
 */
function usageRows(mailboxes: Prisma.Sql, windowMs: number): Prisma.Sql {
  return Prisma.sql`
    SELECT f.mailbox_id, u.messages, u.recipients
      FROM (${mailboxes}) f
     CROSS JOIN (
       SELECT clock_timestamp() - make_interval(secs => ${windowMs / 1000}::double precision) AS window_start,
              clock_timestamp() - make_interval(secs => ${DAY_MS / 1000}::double precision) AS day_start
       OFFSET 0
     ) b
     CROSS JOIN LATERAL (
       SELECT count(*) FILTER (WHERE m.sending_started_at > b.window_start)::int AS messages,
              coalesce(sum(m.recipient_count), 0)::int AS recipients
         FROM outbound_message m
        WHERE m.mailbox_id = f.mailbox_id AND m.status IN ('sending', 'sent')
          AND m.sending_started_at > b.day_start
     ) u`;
}
