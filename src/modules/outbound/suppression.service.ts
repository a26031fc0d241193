import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService, type AuditEntry, auditActor } from '../../common/audit/audit.service.js';
import type { Actor } from '../../common/auth/actor.js';
import { PrismaService } from '../../common/database/prisma.service.js';
import type { Tx } from '../../common/database/transaction.js';
import { decodeCursor, encodeCursor } from '../../common/http/pagination.js';
import type { MessageRow } from './outbound.repository.js';
import type { Recipient } from './outbound.rules.js';
import { AllRecipientsSuppressedError, SuppressionNotFoundError } from './suppression.errors.js';
import { SuppressionRepository, type SuppressionRow } from './suppression.repository.js';
import {
  addressesOf,
  nobodyLeft,
  type RecipientLists,
  type Screened,
  screenRecipients,
  type SuppressedRecipient,
  type SuppressionReason,
} from './suppression.rules.js';

export type QueuedScreen =
  { kind: 'clear' } | { kind: 'stripped'; message: MessageRow } | { kind: 'cancelled' };

/** The workspace's suppression list: who is never written to again, and the checks that use it. */
@Injectable()
export class SuppressionService {
  private readonly logger = new Logger(SuppressionService.name);

  constructor(
    private readonly suppressions: SuppressionRepository,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  async list(
    actor: Actor,
    limit: number,
    cursor?: string,
  ): Promise<{ items: SuppressionRow[]; nextCursor: string | null }> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await this.suppressions.list(actor.workspaceId, limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor(last) : null };
  }

  /** Added by a user; an address already listed keeps its first reason (`created: false`). */
  async addManual(
    actor: Actor,
    email: string,
    note: string | null,
  ): Promise<{ row: SuppressionRow; created: boolean }> {
    const entry = { reason: 'manual' as const, source: 'api', note };
    const audit = { type: 'user' as const, id: actor.userId };
    return this.add(actor.workspaceId, email, entry, audit);
  }

  /** Found by the inbound pipeline (a hard bounce, an opt-out); repeats change nothing. */
  async addDetected(
    workspaceId: string,
    email: string,
    reason: SuppressionReason,
    inboundMessageId: string,
  ): Promise<{ row: SuppressionRow; created: boolean }> {
    const entry = { reason, source: `inbound:${inboundMessageId}`, note: null };
    return this.add(workspaceId, email, entry, { type: 'system' });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.suppressions.findInWorkspace(actor.workspaceId, id);
    if (!row) throw new SuppressionNotFoundError();
    await this.prisma.$transaction(async (tx) => {
      await this.suppressions.delete(tx, id);
      await this.record(tx, row, 'outbound.suppression_removed', auditActor(actor));
    });
    this.logger.log({ suppressionId: id, workspaceId: actor.workspaceId }, 'suppression removed');
  }

  /** A new message's recipients without the suppressed ones; refused when nobody is left. */
  async screen(workspaceId: string, lists: RecipientLists): Promise<Screened> {
    const reasons = await this.suppressions.reasonsFor(workspaceId, addressesOf(lists));
    const screened = screenRecipients(lists, reasons);
    if (screened.dropped.length > 0 && nobodyLeft(screened))
      throw new AllRecipientsSuppressedError(screened.dropped);
    return screened;
  }

  /**
   * Right before a queued message is booked: addresses suppressed since it was accepted are
   * left out, and a message left with nobody to write to is cancelled. `known`: its addresses'
   * reasons as read for its claimed batch (reasonsForQueued); read here when not given.
   */
  async screenQueued(
    message: MessageRow,
    known?: ReadonlyMap<string, SuppressionReason>,
  ): Promise<QueuedScreen> {
    const lists = listsOf(message);
    const reasons =
      known ?? (await this.suppressions.reasonsFor(message.workspaceId, addressesOf(lists)));
    if (reasons.size === 0) return { kind: 'clear' };
    const screened = screenRecipients(lists, reasons);
    const before = message.suppressedRecipients as unknown as SuppressedRecipient[];
    if (nobodyLeft(screened)) {
      await this.suppressions.cancelSuppressed(message, [...before, ...screened.dropped], {
        code: 'all_recipients_suppressed',
        message: 'Every recipient is on the suppression list; the message was not sent.',
      });
      this.logger.log({ messageId: message.id }, 'queued message cancelled: all suppressed');
      return { kind: 'cancelled' };
    }
    const stripped = await this.suppressions.stripRecipients(message, screened, before);
    return stripped ? { kind: 'stripped', message: stripped } : { kind: 'cancelled' };
  }

  /**
   * The suppressed addresses of each of these messages' recipients, read in one statement for
   * the batch (screenQueued's read, done once for a claimed batch): message id → address → reason.
   */
  async reasonsForQueued(
    messages: MessageRow[],
  ): Promise<Map<string, Map<string, SuppressionReason>>> {
    const wanted = messages.map((m) => ({ message: m, emails: addressesOf(listsOf(m)) }));
    const found = await this.suppressions.reasonsForPairs(
      wanted.flatMap(({ message, emails }) =>
        emails.map((email) => ({ workspaceId: message.workspaceId, email })),
      ),
    );
    const result = new Map<string, Map<string, SuppressionReason>>();
    for (const { message, emails } of wanted) {
      const reasons = new Map<string, SuppressionReason>();
      for (const email of emails) {
        const reason = found.get(`${message.workspaceId}\n${email}`);
        if (reason) reasons.set(email, reason);
      }
      result.set(message.id, reasons);
    }
    return result;
  }

  private async add(
    workspaceId: string,
    email: string,
    entry: { reason: SuppressionReason; source: string; note: string | null },
    actor: AuditEntry['actor'],
  ): Promise<{ row: SuppressionRow; created: boolean }> {
    const normalized = email.trim().toLowerCase();
    const row = { id: randomUUID(), workspaceId, email: normalized, ...entry };
    const created = await this.prisma.$transaction(async (tx) => {
      const inserted = await this.suppressions.insert(tx, row);
      if (inserted) await this.record(tx, inserted, 'outbound.suppression_added', actor);
      return inserted;
    });
    if (created) {
      this.logger.log(
        { suppressionId: created.id, workspaceId, reason: entry.reason },
        'suppressed',
      );
      return { row: created, created: true };
    }
    const existing = await this.suppressions.findByEmail(workspaceId, normalized);
    return { row: existing as SuppressionRow, created: false };
  }

  private record(
    tx: Tx,
    row: SuppressionRow,
    action: string,
    actor: AuditEntry['actor'],
  ): Promise<void> {
    return this.audit.record(tx, {
      workspaceId: row.workspaceId,
      actor,
      action,
      target: { type: 'suppression', id: row.id },
      metadata: { reason: row.reason, source: row.source },
    });
  }
}

function listsOf(message: MessageRow): RecipientLists {
  return {
    to: message.toRecipients as unknown as Recipient[],
    cc: message.ccRecipients as unknown as Recipient[],
    bcc: message.bccRecipients as unknown as Recipient[],
  };
}
