import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { MailMessage } from '../mail-model.js';
import type { User } from '../model.js';
import { resolveMailbox } from './access.js';
import { threadOf } from './delivery.js';
import { errors, GraphError } from './errors.js';
import { mergeExtendedProperties } from './extended-properties.js';
import { toGraphMessage } from './message-json.js';
import { honourIdType, mailboxContext, requireFolder, requireMessage } from './messages.js';
import { givenFields, parseOutgoing, type OutgoingMessage } from './outgoing.js';

/** Drafts and message changes: create a draft, update, move, delete (to Deleted Items). */
export function messageWriteRoutes(ctx: EmulatorContext): Router {
  const router = Router({ mergeParams: true });
  router.post('/messages', (req, res) => createDraft(ctx, req, res));
  router.patch('/messages/:id', (req, res) => updateMessage(ctx, req, res));
  router.post('/messages/:id/move', (req, res) => moveMessage(ctx, req, res));
  router.delete('/messages/:id', (req, res) => deleteMessage(ctx, req, res));
  return router;
}

/** Stores a draft in Drafts; replies keep their thread in `original`. */
export function saveDraft(
  ctx: EmulatorContext,
  mailbox: User,
  message: OutgoingMessage,
  original?: MailMessage,
): MailMessage {
  const thread = original ? threadOf(original) : null;
  const threadHeaders = thread
    ? [
        { name: 'In-Reply-To', value: thread.inReplyTo },
        { name: 'References', value: thread.references.join(' ') },
      ]
    : [];
  return ctx.store.mail.addMessage(mailbox.id, {
    ...message,
    internetMessageHeaders: [...threadHeaders, ...message.internetMessageHeaders],
    ...(original ? { conversationId: original.conversationId } : {}),
    sender: message.from,
    parentFolderId: 'drafts',
    isDraft: true,
    isRead: true,
    sentDateTime: null,
  });
}

export function sendCreated(
  ctx: EmulatorContext,
  req: Request,
  res: Response,
  mailbox: User,
  message: MailMessage,
): void {
  honourIdType(req, res);
  res.status(201).json({
    '@odata.context': mailboxContext(ctx, mailbox, 'messages/$entity', null),
    ...toGraphMessage(message, null),
  });
}

function createDraft(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'write');
  const draft = saveDraft(ctx, mailbox, parseOutgoing(req.body));
  sendCreated(ctx, req, res, mailbox, draft);
}

function updateMessage(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'write');
  const message = requireMessage(ctx, mailbox, String(req.params.id));
  const body = (req.body ?? {}) as Record<string, unknown>;
  const changes: Partial<MailMessage> = {
    ...(typeof body.isRead === 'boolean' ? { isRead: body.isRead } : {}),
    ...triageFields(body),
  };
  // Extended properties may be set on any message (sent ones too), merged with those it has.
  const { singleValueExtendedProperties: properties, ...content } = givenFields(body);
  if (properties)
    changes.singleValueExtendedProperties = mergeExtendedProperties(
      message.singleValueExtendedProperties,
      properties,
    );
  if (Object.keys(content).length > 0 && !message.isDraft) {
    throw new GraphError(
      400,
      'ErrorInvalidPropertyUpdateSentMessage',
      'Update operation is invalid for property of a sent message.',
    );
  }
  const { internetMessageHeaders, from, ...rest } = content;
  Object.assign(changes, rest);
  if (from !== undefined) Object.assign(changes, { from, sender: from });
  if (internetMessageHeaders)
    changes.internetMessageHeaders = [...threadOnly(message), ...internetMessageHeaders];
  const updated = ctx.store.mail.updateMessage(mailbox.id, message.id, changes);
  honourIdType(req, res);
  res.json({
    '@odata.context': mailboxContext(ctx, mailbox, 'messages/$entity', null),
    ...toGraphMessage(updated, null),
  });
}

function moveMessage(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'write');
  const message = requireMessage(ctx, mailbox, String(req.params.id));
  const destination = String(
    (req.body as Record<string, unknown> | undefined)?.destinationId ?? '',
  );
  const folder = requireFolder(ctx, mailbox, destination);
  const moved = ctx.store.mail.updateMessage(mailbox.id, message.id, { parentFolderId: folder.id });
  sendCreated(ctx, req, res, mailbox, moved);
}

/** Graph's DELETE moves a message to Deleted Items; deleting it from there removes it. */
function deleteMessage(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'write');
  const message = requireMessage(ctx, mailbox, String(req.params.id));
  if (message.parentFolderId === 'deleteditems')
    ctx.store.mail.removeMessage(mailbox.id, message.id);
  else ctx.store.mail.updateMessage(mailbox.id, message.id, { parentFolderId: 'deleteditems' });
  res.status(204).end();
}

/** Categories and the follow-up flag may be set on any message, received ones included. */
function triageFields(body: Record<string, unknown>): Partial<MailMessage> {
  const changes: Partial<MailMessage> = {};
  if (body.categories !== undefined) {
    const list = body.categories;
    if (!Array.isArray(list) || list.some((c) => typeof c !== 'string'))
      throw errors.badRequest("Invalid value for property 'categories'.");
    changes.categories = [...new Set(list as string[])];
  }
  if (body.flag !== undefined) {
    const status = (body.flag as { flagStatus?: unknown } | null)?.flagStatus;
    if (status !== 'notFlagged' && status !== 'flagged' && status !== 'complete')
      throw errors.badRequest("Invalid value for property 'flag'.");
    changes.flag = { flagStatus: status };
  }
  return changes;
}

function threadOnly(message: MailMessage) {
  return message.internetMessageHeaders.filter((h) => /^(in-reply-to|references)$/i.test(h.name));
}
