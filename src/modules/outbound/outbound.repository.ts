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
/** A send started this recently and not recorded yet counts as going out (mailbox concurrency). */
const IN_FLIGHT_MS = 30_000;

/** One message to book on one identity (bookMany). */
export interface BookingPlan {
  messageId: string;
  identityId: string;
  mailboxId: string;
  fromEmail: string;
  paceGapUntil: Date | null;
  recipientCount: number;
}

/** bookMany's answer for one message. */
export interface BookingOutcome {
  mailboxId: string;
  /** The mailbox's usage before the statement. */
  usage: MailboxUsage;
  /** Within the limits, counted with the messages before it on the mailbox. */
  under: boolean;
  /** The booked row's new fields; null when not booked. */
  fields: BookedFields | null;
}

/** What a booking changes on the message row. */
export type BookedFields = Pick<
  MessageRow,
  | 'attempts'
  | 'sendingStartedAt'
  | 'updatedAt'
  | 'errorCode'
  | 'errorMessage'
  | 'lockedUntil'
  | 'lockedBy'
>;

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
        usage: [string, number, number, number][] | null;
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
        (SELECT json_agg(json_build_array(r.mailbox_id, r.messages, r.recipients, r.in_flight))
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
        (row.usage ?? []).map(([id, messages, recipients, inFlight]) => [
          id,
          { messagesInWindow: messages, recipientsInDay: recipients, inFlight },
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
    const rows = await tx.$queryRaw<
      { mailbox_id: string; messages: number; recipients: number; in_flight: number }[]
    >`
      ${usageRows(Prisma.sql`SELECT unnest(${mailboxIds}::text[]) AS mailbox_id`, windowMs)}`;
    return new Map(
      rows.map((r) => [
        r.mailbox_id,
        { messagesInWindow: r.messages, recipientsInDay: r.recipients, inFlight: r.in_flight },
      ]),
    );
  }

  /**
   * Transaction-scoped advisory locks on these mailboxes (the keys `lock` takes). `wait`: waits
   * for each, in one fixed order (by key) so two transactions that lock several never wait on
   * each other in a cycle; otherwise takes those free right now. The mailboxes locked.
   */
  async lockMailboxes(tx: Tx, mailboxIds: string[], wait: boolean): Promise<Set<string>> {
    if (mailboxIds.length === 0) return new Set();
    const ids = [...new Set(mailboxIds)];
    const take = wait
      ? Prisma.sql`pg_advisory_xact_lock(k.key) IS NOT NULL`
      : Prisma.sql`pg_try_advisory_xact_lock(k.key)`;
    // The sorted sub-select (OFFSET 0 keeps it a step of its own) fixes the order the locks are
    // taken in: by key, the same order in every transaction, whatever mailboxes it locks.
    const rows = await tx.$queryRaw<{ id: string; ok: boolean }[]>`
      SELECT k.id, ${take} AS ok
        FROM (SELECT id, hashtext('mailbox:' || id) AS key FROM unnest(${ids}::text[]) AS a(id)
               ORDER BY key OFFSET 0) k`;
    return new Set(rows.filter((r) => r.ok).map((r) => r.id));
  }

  /**
   * Books queued messages this worker holds, each on its identity and mailbox, in one statement,
   * the caller holding every one of these mailboxes' locks: per mailbox, the messages count in
   * the order given on top of its usage (as bookingState counts it, in this statement's
   * snapshot); one that would take its mailbox over a limit is not booked (`under` false), nor is
   * one no longer this worker's queued message (`fields` null). The database's clock stamps the
   * bookings (one clock for every instance), in the order given and after `after` (the profile's
   * last booking as read). Per message: its mailbox's usage before the
   * statement, and the booked row's new fields.
   */
  async bookMany(
    tx: Tx,
    bookings: BookingPlan[],
    limits: { windowMs: number; messagesPerWindow: number; recipientsPerDay: number },
    leaseMs: number,
    stamps: { pacedAt: Date; after: Date | null },
  ): Promise<Map<string, BookingOutcome>> {
    const { pacedAt, after } = stamps;
    const lockedUntil = new Date(Date.now() + leaseMs);
    const col = <T>(f: (b: BookingPlan) => T) => bookings.map(f);
    const rows = await tx.$queryRaw<
      {
        id: string;
        mailbox_id: string;
        messages: number;
        recipients: number;
        in_flight: number;
        under: boolean;
        attempts: number | null;
        sending_started_at: Date | null;
        updated_at: Date | null;
        error_code: string | null;
        error_message: string | null;
      }[]
    >`
      WITH v AS (
        SELECT * FROM unnest(${col((b) => b.messageId)}::text[], ${col((b) => b.identityId)}::text[],
                             ${col((b) => b.mailboxId)}::text[], ${col((b) => b.fromEmail)}::text[],
                             ${col((b) => b.paceGapUntil)}::timestamptz[],
                             ${col((b) => b.recipientCount)}::int[])
               WITH ORDINALITY AS v(id, identity_id, mailbox_id, from_email, gap_until, recipients, n)
      ), u AS (
        ${usageRows(Prisma.sql`SELECT DISTINCT mailbox_id FROM v`, limits.windowMs)}
      ), ok AS (
        SELECT r.* FROM (
          SELECT v.*, row_number() OVER w AS rank, sum(v.recipients) OVER w AS cum
            FROM v WINDOW w AS (PARTITION BY v.mailbox_id ORDER BY v.n)
        ) r JOIN u ON u.mailbox_id = r.mailbox_id
         WHERE u.messages + r.rank <= ${limits.messagesPerWindow}
           AND u.recipients + r.cum <= ${limits.recipientsPerDay}
      ), t AS (
        -- One stamp for the statement, after the profile's last booking, each booking a
        -- millisecond after the one before it in the order given: the identities' last use
        -- (rotation, read to the millisecond) reads in the order planned.
        SELECT greatest(clock_timestamp(), ${after}::timestamptz + interval '1 millisecond') AS at
        OFFSET 0
      ), b AS (
        UPDATE outbound_message m
           SET identity_id = ok.identity_id, mailbox_id = ok.mailbox_id,
               from_email = ok.from_email, paced_at = ${pacedAt},
               pace_gap_until = ok.gap_until, waiting_reason = NULL,
               status = 'sending', attempts = m.attempts + 1,
               locked_until = ${lockedUntil}, locked_by = ${WORKER_ID},
               sending_started_at = t.at + (ok.n - 1) * interval '1 millisecond',
               updated_at = t.at
          FROM ok, t
         WHERE m.id = ok.id AND m.status = 'queued' AND m.locked_by = ${WORKER_ID}
        RETURNING m.id, m.attempts, m.sending_started_at, m.updated_at, m.error_code,
                  m.error_message
      )
      SELECT v.id, v.mailbox_id, u.messages, u.recipients, u.in_flight, ok.id IS NOT NULL AS under,
             b.attempts, b.sending_started_at, b.updated_at, b.error_code, b.error_message
        FROM v JOIN u ON u.mailbox_id = v.mailbox_id
        LEFT JOIN ok ON ok.id = v.id
        LEFT JOIN b ON b.id = v.id`;
    return new Map(
      rows.map((r) => [
        r.id,
        {
          mailboxId: r.mailbox_id,
          usage: {
            messagesInWindow: r.messages,
            recipientsInDay: r.recipients,
            inFlight: r.in_flight,
          },
          under: r.under,
          fields:
            r.attempts === null
              ? null
              : {
                  attempts: r.attempts,
                  sendingStartedAt: r.sending_started_at,
                  updatedAt: r.updated_at!,
                  errorCode: r.error_code,
                  errorMessage: r.error_message,
                  lockedUntil,
                  lockedBy: WORKER_ID,
                },
        },
      ]),
    );
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
 * and its recipients in the last 24 hours (sending or sent, database clock), and its sends
 * started in the last IN_FLIGHT_MS and not recorded yet (going out now, as far as known). The bounds are read
 * once (the OFFSET 0 sub-select is not flattened), so each mailbox is an index range on
 * (mailbox_id, sending_started_at), not a filter over its whole history.
 */
function usageRows(mailboxes: Prisma.Sql, windowMs: number): Prisma.Sql {
  return Prisma.sql`
    SELECT f.mailbox_id, u.messages, u.recipients, u.in_flight
      FROM (${mailboxes}) f
     CROSS JOIN (
       SELECT clock_timestamp() - make_interval(secs => ${windowMs / 1000}::double precision) AS window_start,
              clock_timestamp() - make_interval(secs => ${DAY_MS / 1000}::double precision) AS day_start,
              clock_timestamp() - make_interval(secs => ${IN_FLIGHT_MS / 1000}::double precision) AS in_flight_start
       OFFSET 0
     ) b
     CROSS JOIN LATERAL (
       SELECT count(*) FILTER (WHERE m.sending_started_at > b.window_start)::int AS messages,
              coalesce(sum(m.recipient_count), 0)::int AS recipients,
              count(*) FILTER (WHERE m.status = 'sending'
                                 AND m.sending_started_at > b.in_flight_start)::int AS in_flight
         FROM outbound_message m
        WHERE m.mailbox_id = f.mailbox_id AND m.status IN ('sending', 'sent')
          AND m.sending_started_at > b.day_start
     ) u`;
}
