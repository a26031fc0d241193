import type { Clock } from '../clock.js';
import { opaqueToken } from '../ids.js';
import type {
  MailFolder,
  MailMessage,
  MessageTombstone,
  SentMailFilter,
  SentMailRecord,
  WellKnownFolder,
} from '../mail-model.js';
import { PendingItems } from './pending-items.js';

/** What a caller supplies to create a message; ids, change data and timestamps are filled in. */
export type NewMessage = Partial<Omit<MailMessage, 'changeSeq' | 'changeKey'>> &
  Pick<MailMessage, 'subject' | 'body'>;

/** What happened to a mailbox; the Graph module turns these into change notifications. */
export type MailChange =
  | { type: 'created' | 'updated' | 'deleted'; userId: string; message: MailMessage }
  | { type: 'cleared' };

export type MailChangeListener = (change: MailChange) => void;

interface Mailbox {
  folders: Map<string, MailFolder>;
  messages: Map<string, MailMessage>;
  tombstones: MessageTombstone[];
  seq: number;
  /** Changes whenever the mailbox is (re)created: delta tokens of an older epoch are void. */
  epoch: string;
}

const WELL_KNOWN: Array<[WellKnownFolder, string]> = [
  ['inbox', 'Inbox'],
  ['sentitems', 'Sent Items'],
  ['drafts', 'Drafts'],
  ['deleteditems', 'Deleted Items'],
];

/** Sent-log entries kept; older ones are dropped so long benchmarks do not grow memory. */
const MAX_SENT = 20_000;

/** Per-user mail folders and messages (Exchange Online mailboxes), plus the sent log. */
export class MailStore {
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly listeners = new Set<MailChangeListener>();
  /** `trusteeId|mailboxId` pairs with full access (read other mailboxes with `.Shared`). */
  private readonly fullAccess = new Set<string>();
  private sent: SentMailRecord[] = [];
  /** Messages to be filed later (delayed Sent Items copies): invisible to every read till then. */
  private readonly pending = new PendingItems<NewMessage>();

  constructor(private readonly clock: Clock) {}

  /** Creates the mailbox with its well-known folders if it does not exist yet. */
  ensureMailbox(userId: string): void {
    if (this.mailboxes.has(userId)) return;
    const folders = new Map<string, MailFolder>(
      WELL_KNOWN.map(([id, displayName]) => [
        id,
        { id, displayName, wellKnownName: id, parentFolderId: null },
      ]),
    );
    this.mailboxes.set(userId, {
      folders,
      messages: new Map(),
      tombstones: [],
      seq: 0,
      epoch: opaqueToken(6),
    });
  }

  hasMailbox(userId: string): boolean {
    return this.mailboxes.has(userId);
  }

  /** Identifies this incarnation of the mailbox (delta tokens carry it). */
  epoch(userId: string): string {
    return this.box(userId).epoch;
  }

  /** Voids every delta token of the mailbox (clients must resync), as an expired sync state does. */
  resetSyncState(userId: string): void {
    this.box(userId).epoch = opaqueToken(6);
  }

  listFolders(userId: string): MailFolder[] {
    return [...this.box(userId).folders.values()];
  }

  /** Resolves a folder by id or well-known name (case-insensitive). */
  findFolder(userId: string, idOrName: string): MailFolder | undefined {
    const folders = this.box(userId).folders;
    return folders.get(idOrName) ?? folders.get(idOrName.toLowerCase());
  }

  addMessage(userId: string, input: NewMessage): MailMessage {
    const box = this.box(userId);
    const now = this.clock.now().toISOString();
    const message: MailMessage = {
      id: newMessageId(),
      internetMessageId: `<${opaqueToken(12)}@sandbox.emulator>`,
      conversationId: `AAQk${opaqueToken(24)}`,
      from: null,
      sender: input.from ?? null,
      toRecipients: [],
      ccRecipients: [],
      bccRecipients: [],
      replyTo: [],
      bodyPreview: preview(input.body.content),
      internetMessageHeaders: [],
      singleValueExtendedProperties: [],
      receivedDateTime: now,
      sentDateTime: now,
      createdDateTime: now,
      lastModifiedDateTime: now,
      isRead: false,
      isDraft: false,
      parentFolderId: 'inbox',
      ...input,
      changeKey: opaqueToken(12),
      changeSeq: ++box.seq,
    };
    box.messages.set(message.id, message);
    this.emit({ type: 'created', userId, message });
    return message;
  }

  /**
   * Files the message once the emulator clock reaches `dueMs`: until then no read of the mailbox
   * sees it (the next read after that time files it, or `fileDue`). Returns its future id.
   */
  addMessageLater(userId: string, input: NewMessage, dueMs: number): string {
    this.box(userId);
    const id = input.id ?? newMessageId();
    this.pending.add(userId, { ...input, id }, dueMs);
    return id;
  }

  /** Files the mailbox's delayed messages whose time has come (notifications follow). */
  fileDue(userId: string): void {
    if (!this.mailboxes.has(userId)) return;
    for (const input of this.pending.takeDue(userId, this.clock.nowMs()))
      this.addMessage(userId, input);
  }

  getMessage(userId: string, messageId: string): MailMessage | undefined {
    this.fileDue(userId);
    return this.mailboxes.get(userId)?.messages.get(messageId);
  }

  listMessages(userId: string, folderId?: string): MailMessage[] {
    const all = [...this.box(userId).messages.values()];
    return folderId ? all.filter((m) => m.parentFolderId === folderId) : all;
  }

  /** Messages of a mailbox whose `internetMessageId` matches (case-insensitive). */
  findByInternetMessageId(userId: string, internetMessageId: string): MailMessage[] {
    const wanted = internetMessageId.trim().toLowerCase();
    return this.listMessages(userId).filter((m) => m.internetMessageId.toLowerCase() === wanted);
  }

  /** Applies changes and bumps changeKey/changeSeq (moves are `parentFolderId` changes). */
  updateMessage(userId: string, messageId: string, changes: Partial<MailMessage>): MailMessage {
    const box = this.box(userId);
    const current = box.messages.get(messageId);
    if (!current) throw new Error(`Unknown message ${messageId}`);
    if (changes.parentFolderId && changes.parentFolderId !== current.parentFolderId) {
      box.tombstones.push({
        id: current.id,
        parentFolderId: current.parentFolderId,
        changeSeq: box.seq + 1,
      });
    }
    const updated: MailMessage = {
      ...current,
      ...changes,
      id: current.id,
      changeKey: opaqueToken(12),
      changeSeq: ++box.seq,
      lastModifiedDateTime: this.clock.now().toISOString(),
    };
    box.messages.set(messageId, updated);
    if (updated.parentFolderId === current.parentFolderId) {
      this.emit({ type: 'updated', userId, message: updated });
      return updated;
    }
    // A move is a deletion from the old folder and a creation in the new one (as Graph reports it).
    this.emit({ type: 'deleted', userId, message: current });
    this.emit({ type: 'created', userId, message: updated });
    return updated;
  }

  removeMessage(userId: string, messageId: string): boolean {
    const box = this.box(userId);
    const current = box.messages.get(messageId);
    if (!current) return false;
    box.messages.delete(messageId);
    box.tombstones.push({
      id: messageId,
      parentFolderId: current.parentFolderId,
      changeSeq: ++box.seq,
    });
    this.emit({ type: 'deleted', userId, message: current });
    return true;
  }

  /** Messages of a folder changed after `sinceSeq`, and those removed from it since then. */
  changesSince(userId: string, folderId: string, sinceSeq: number) {
    const box = this.box(userId);
    return {
      changed: this.listMessages(userId, folderId).filter((m) => m.changeSeq > sinceSeq),
      removed: box.tombstones.filter(
        (t) => t.parentFolderId === folderId && t.changeSeq > sinceSeq,
      ),
      latestSeq: box.seq,
    };
  }

  /** The current change number of a mailbox (what a delta round starts from). */
  latestSeq(userId: string): number {
    return this.box(userId).seq;
  }

  grantFullAccess(trusteeId: string, mailboxId: string): void {
    this.fullAccess.add(`${trusteeId}|${mailboxId}`);
  }

  revokeFullAccess(trusteeId: string, mailboxId: string): void {
    this.fullAccess.delete(`${trusteeId}|${mailboxId}`);
  }

  hasFullAccess(trusteeId: string, mailboxId: string): boolean {
    return this.fullAccess.has(`${trusteeId}|${mailboxId}`);
  }

  recordSend(record: SentMailRecord): void {
    this.sent.push(record);
    if (this.sent.length > MAX_SENT * 2) this.sent = this.sent.slice(-MAX_SENT);
  }

  sentLog(filter: SentMailFilter = {}): SentMailRecord[] {
    const from = filter.from?.toLowerCase();
    return this.sent.filter(
      (r) =>
        (!filter.mailboxId || r.mailboxId === filter.mailboxId) &&
        (!from || r.from.address.toLowerCase() === from) &&
        (!filter.since || new Date(r.at) >= filter.since),
    );
  }

  /** Called for every created, updated, moved or deleted message; returns an unsubscribe. */
  onChange(listener: MailChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.mailboxes.clear();
    this.pending.clear();
    this.fullAccess.clear();
    this.sent = [];
    this.emit({ type: 'cleared' });
  }

  private emit(change: MailChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private box(userId: string): Mailbox {
    this.fileDue(userId);
    const box = this.mailboxes.get(userId);
    if (!box) throw new Error(`User ${userId} has no mailbox`);
    return box;
  }
}

function newMessageId(): string {
  return `AAMk${opaqueToken(36)}`;
}

function preview(content: string): string {
  return content
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
}
