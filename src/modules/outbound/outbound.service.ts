import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService, auditActor } from '../../common/audit/audit.service.js';
import { AppConfig } from '../../common/config/app-config.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import { Clock } from '../../common/time/clock.js';
import type { ErrorDetail } from '../../common/errors/domain-error.js';
import { ValidationFailedError } from '../../common/errors/domain-error.js';
import type { Actor } from '../../common/auth/actor.js';
import { decodeCursor, encodeCursor } from '../../common/http/pagination.js';
import { IdentityQueryService } from '../identity/identity-query.service.js';
import { SenderProfileService } from '../sender-profile/sender-profile.service.js';
import type { SendMessageRequest } from './dto/message.dto.js';
import {
  IdempotencyConflictError,
  MessageNotFailedError,
  MessageNotFoundError,
  MessageNotQueuedError,
  NoSendableIdentityError,
  TooManyRecipientsError,
} from './outbound.errors.js';
import { OutboundRepository, type MessageRow, type ShownMessage } from './outbound.repository.js';
import { SuppressionService } from './suppression.service.js';
import {
  parseRecipient,
  type Recipient,
  type RecipientInput,
  requestHash,
} from './outbound.rules.js';

/** Reasons a queued message waits for an identity of its profile to be able to send. */
const WAITING_FOR_IDENTITY = [
  'mailbox_needs_reauth',
  'mailboxes_need_reauth',
  'no_identity_assigned',
  'no_active_identity',
  'organization_needs_consent',
  'mailbox_access_denied',
] as const;

/** Accepting messages: validated, stored, answered 202; nothing reaches Microsoft here. */
@Injectable()
export class OutboundService {
  private readonly logger = new Logger(OutboundService.name);

  constructor(
    private readonly messages: OutboundRepository,
    private readonly profiles: SenderProfileService,
    private readonly identities: IdentityQueryService,
    private readonly suppressions: SuppressionService,
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async accept(
    actor: Actor,
    body: SendMessageRequest,
    idempotencyKey?: string,
  ): Promise<MessageRow> {
    const hash = requestHash(body);
    if (idempotencyKey) {
      const replay = await this.replay(actor, idempotencyKey, hash);
      if (replay) return replay;
    }
    const recipients = this.recipients(body);
    if (body.inReplyTo !== undefined && !body.isReply) {
      throw new ValidationFailedError([
        { field: 'inReplyTo', message: 'inReplyTo is only for replies (isReply: true)' },
      ]);
    }
    if (!body.text?.trim() && !body.html?.trim()) {
      throw new ValidationFailedError([{ field: 'text', message: 'text or html must be given' }]);
    }
    await this.profiles.get(actor, body.senderProfileId);
    const sendability = await this.profiles.sendability(actor, body.senderProfileId);
    if (!sendability.sendable)
      throw new NoSendableIdentityError(sendability.reason ?? 'not sendable');
    const { kept, dropped } = await this.suppressions.screen(actor.workspaceId, recipients);
    const message = await this.messages.insert({
      id: randomUUID(),
      workspaceId: actor.workspaceId,
      senderProfileId: body.senderProfileId,
      toRecipients: kept.to,
      ccRecipients: kept.cc,
      bccRecipients: kept.bcc,
      recipientCount: kept.count,
      suppressedRecipients: dropped,
      subject: body.subject,
      textBody: body.text ?? null,
      htmlBody: body.html ?? null,
      idempotencyKey: idempotencyKey ?? null,
      requestHash: hash,
      marker: randomUUID(),
      isReply: body.isReply ?? false,
      inReplyTo: body.inReplyTo ?? null,
      nextAttemptAt: this.clock.now(),
    });
    // No row: two requests raced on one Idempotency-Key and the other one won: a replay.
    if (!message) return this.replayAfterRace(actor, idempotencyKey as string, hash);
    this.logger.log(
      { messageId: message.id, workspaceId: actor.workspaceId, recipients: kept.count },
      'message queued',
    );
    return message;
  }

  /**
   * A mailbox was disconnected: queued messages of profiles it left with no identity on a
   * connected mailbox are cancelled; profiles with other identities keep sending (or wait for
   * them). Idempotent.
   */
  async cancelWhereNoIdentityLeft(workspaceId: string, mailboxId: string): Promise<number> {
    let cancelled = 0;
    for (const profileId of await this.messages.profilesWithQueued(workspaceId)) {
      // Identities on mailboxes that are connected but cannot send now (re-auth, an
      // organization waiting for consent) will send again: their messages wait, not cancelled.
      const assigned = (await this.identities.assignedToProfiles([profileId])).get(profileId);
      if (assigned?.some((identity) => identity.mailboxConnected)) continue;
      const { count } = await this.messages.cancelQueued(
        { senderProfileId: profileId },
        'mailbox_disconnected',
      );
      cancelled += count;
      this.logger.log(
        { mailboxId, senderProfileId: profileId, cancelled: count },
        'queued messages of a profile left without identities cancelled',
      );
    }
    return cancelled;
  }

  /**
   * A mailbox was (re)connected: messages of the workspace that were waiting for a sendable
   * identity are due now instead of at their next check.
   */
  async wakeWaiting(workspaceId: string, mailboxId: string): Promise<number> {
    const woken = await this.messages.wakeWaiting(workspaceId, WAITING_FOR_IDENTITY);
    if (woken) this.logger.log({ workspaceId, mailboxId, woken }, 'waiting messages due now');
    return woken;
  }

  /** Queued messages of the profile held back by its pace: due now (their pace changed). */
  async wakePaced(workspaceId: string, senderProfileId: string): Promise<number> {
    const woken = await this.messages.wakePaced(workspaceId, senderProfileId, this.clock.now());
    if (woken) this.logger.log({ workspaceId, senderProfileId, woken }, 'paced messages due now');
    return woken;
  }

  /** One page of the workspace's messages, newest first; the cursor is opaque to callers. */
  async list(
    actor: Actor,
    query: {
      status?: MessageRow['status'];
      senderProfileId?: string;
      limit: number;
      cursor?: string;
    },
  ): Promise<{ items: MessageRow[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.messages.listInWorkspace(
      actor.workspaceId,
      { status: query.status, senderProfileId: query.senderProfileId },
      query.limit + 1,
      after,
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit ? encodeCursor(last) : null };
  }

  async get(actor: Actor, id: string): Promise<ShownMessage> {
    const message = await this.messages.findShown(actor.workspaceId, id);
    if (!message) throw new MessageNotFoundError();
    return message;
  }

  /**
   * An operator's retry of a failed message: queued again with a fresh attempt budget and due
   * now; the dispatcher sends it like any other (rotation, limits, Sent Items check). Audited.
   */
  async retryFailed(actor: Actor, id: string): Promise<MessageRow> {
    await this.get(actor, id);
    const message = await this.prisma.$transaction(async (tx) => {
      const before = await this.messages.lockStatus(tx, id);
      if (before?.status !== 'failed') throw new MessageNotFailedError(before?.status ?? 'gone');
      const row = await this.messages.requeueFailed(tx, id);
      await this.audit.record(tx, {
        workspaceId: actor.workspaceId,
        actor: auditActor(actor),
        action: 'outbound.message_retried',
        target: { type: 'outbound_message', id },
        metadata: { previousErrorCode: before.errorCode },
      });
      return row;
    });
    this.logger.log(
      { messageId: id, workspaceId: actor.workspaceId },
      'failed message queued again',
    );
    return message;
  }

  /** Cancels a message that is still queued (one being sent cannot be called back). Audited. */
  async cancelQueued(actor: Actor, id: string): Promise<MessageRow> {
    await this.get(actor, id);
    const message = await this.prisma.$transaction(async (tx) => {
      const before = await this.messages.lockStatus(tx, id);
      if (before?.status !== 'queued') throw new MessageNotQueuedError(before?.status ?? 'gone');
      const row = await this.messages.cancelOne(tx, id, 'cancelled_by_operator');
      await this.audit.record(tx, {
        workspaceId: actor.workspaceId,
        actor: auditActor(actor),
        action: 'outbound.message_cancelled',
        target: { type: 'outbound_message', id },
      });
      return row;
    });
    this.logger.log({ messageId: id, workspaceId: actor.workspaceId }, 'queued message cancelled');
    return message;
  }

  private async replayAfterRace(actor: Actor, key: string, hash: string): Promise<MessageRow> {
    const replay = await this.replay(actor, key, hash);
    if (!replay) throw new Error('idempotency key conflict without a stored message');
    return replay;
  }

  private async replay(actor: Actor, key: string, hash: string): Promise<MessageRow | undefined> {
    const existing = await this.messages.findByIdempotencyKey(actor.workspaceId, key);
    if (!existing) return undefined;
    if (existing.requestHash !== hash) throw new IdempotencyConflictError();
    return existing;
  }

  private recipients(body: SendMessageRequest): {
    to: Recipient[];
    cc: Recipient[];
    bcc: Recipient[];
    count: number;
  } {
    const details: ErrorDetail[] = [];
    const parse = (field: string, list: RecipientInput[] = []) =>
      list.flatMap((input, i) => {
        const parsed = parseRecipient(input);
        if (!parsed)
          details.push({
            field: `${field}[${i}]`,
            message: 'must be an email address or {email, name}',
          });
        return parsed ? [parsed] : [];
      });
    const result = {
      to: parse('to', body.to),
      cc: parse('cc', body.cc),
      bcc: parse('bcc', body.bcc),
    };
    if (details.length) throw new ValidationFailedError(details);
    const count = result.to.length + result.cc.length + result.bcc.length;
    if (count > this.config.outbound.maxRecipients)
      throw new TooManyRecipientsError(this.config.outbound.maxRecipients, count);
    return { ...result, count };
  }
}
