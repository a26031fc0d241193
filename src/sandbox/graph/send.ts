import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { MailMessage, Recipient } from '../mail-model.js';
import type { User } from '../model.js';
import { principal, resolveMailbox } from './access.js';
import { submitMessage, threadOf, type Submission, type Thread } from './delivery.js';
import { errors } from './errors.js';
import { headerValue } from './headers.js';
import { saveDraft, sendCreated } from './message-writes.js';
import { requireMessage } from './messages.js';
import { checkRecipients, givenFields, parseOutgoing, type OutgoingMessage } from './outgoing.js';
import { graphRuntime } from './runtime.js';
import { decideSender, ownAddresses } from './sender.js';

/** sendMail, reply / replyAll, createReply / createReplyAll, and send of a draft. */
export function sendRoutes(ctx: EmulatorContext): Router {
  const router = Router({ mergeParams: true });
  router.post('/sendMail', (req, res) => sendMail(ctx, req, res));
  router.post('/messages/:id/reply', (req, res) => reply(ctx, req, res, false));
  router.post('/messages/:id/replyAll', (req, res) => reply(ctx, req, res, true));
  router.post('/messages/:id/createReply', (req, res) => createReply(ctx, req, res, false));
  router.post('/messages/:id/createReplyAll', (req, res) => createReply(ctx, req, res, true));
  router.post('/messages/:id/send', (req, res) => sendDraft(ctx, req, res));
  return router;
}

function sendMail(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'send');
  const body = requestBody(req);
  if (body.message === undefined || body.message === null) {
    throw errors.badRequest("Required parameter 'Message' is missing or empty.");
  }
  const save =
    body.saveToSentItems !== false && String(body.saveToSentItems).toLowerCase() !== 'false';
  submit(ctx, res, {
    operation: 'sendMail',
    mailbox,
    message: parseOutgoing(body.message),
    saveToSentItems: save,
  });
  res.status(202).end();
}

function reply(ctx: EmulatorContext, req: Request, res: Response, all: boolean): void {
  const mailbox = resolveMailbox(ctx, req, res, 'send');
  const original = requireMessage(ctx, mailbox, String(req.params.id));
  const message = replyMessage(mailbox, original, requestBody(req), all);
  const operation = all ? 'replyAll' : 'reply';
  submit(ctx, res, {
    operation,
    mailbox,
    message,
    saveToSentItems: true,
    thread: threadOf(original),
  });
  res.status(202).end();
}

function createReply(ctx: EmulatorContext, req: Request, res: Response, all: boolean): void {
  const mailbox = resolveMailbox(ctx, req, res, 'write');
  const original = requireMessage(ctx, mailbox, String(req.params.id));
  const draft = saveDraft(
    ctx,
    mailbox,
    replyMessage(mailbox, original, requestBody(req), all),
    original,
  );
  sendCreated(ctx, req, res, mailbox, draft);
}

function sendDraft(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'send');
  const draft = requireMessage(ctx, mailbox, String(req.params.id));
  if (!draft.isDraft) throw errors.badRequest('Only draft messages can be sent.');
  const message: OutgoingMessage = {
    ...draft,
    internetMessageHeaders: draft.internetMessageHeaders.filter((h) => /^x-/i.test(h.name)),
  };
  submit(ctx, res, {
    operation: 'send',
    mailbox,
    message,
    saveToSentItems: true,
    thread: draftThread(draft),
    draftId: draft.id,
  });
  res.status(202).end();
}

type SubmitInput = Pick<
  Submission,
  'operation' | 'mailbox' | 'message' | 'saveToSentItems' | 'thread' | 'draftId'
>;

/** Exchange's submission checks (recipients, From rights), then transport. */
function submit(ctx: EmulatorContext, res: Response, input: SubmitInput): void {
  const caller = principal(res);
  checkRecipients(input.message, graphRuntime(ctx).settings.maxRecipientsPerMessage);
  const identity = decideSender(ctx, caller, input.mailbox, input.message.from);
  submitMessage(ctx, { ...input, identity, actorUserId: caller.userId, clientId: caller.clientId });
}

/** The reply Graph composes: to the sender (or Reply-To), `RE:` subject, comment above the quote. */
function replyMessage(
  mailbox: User,
  original: MailMessage,
  body: Record<string, unknown>,
  all: boolean,
): OutgoingMessage {
  const given = givenFields(body.message);
  const author = original.replyTo.length
    ? original.replyTo
    : [original.from ?? original.sender].filter((r): r is Recipient => r !== null);
  const mine = new Set(ownAddresses(mailbox));
  const notMine = (r: Recipient) => !mine.has(r.emailAddress.address.toLowerCase());
  const comment = typeof body.comment === 'string' ? body.comment : '';
  return {
    subject: /^re:/i.test(original.subject) ? original.subject : `RE: ${original.subject}`,
    body: given.body?.content ? given.body : quotedBody(comment, original),
    toRecipients:
      given.toRecipients ??
      (all ? dedupe([...author, ...original.toRecipients.filter(notMine)]) : author),
    ccRecipients: given.ccRecipients ?? (all ? original.ccRecipients.filter(notMine) : []),
    bccRecipients: given.bccRecipients ?? [],
    replyTo: given.replyTo ?? [],
    from: given.from ?? null,
    internetMessageHeaders: given.internetMessageHeaders ?? [],
    singleValueExtendedProperties: given.singleValueExtendedProperties ?? [],
  };
}

function quotedBody(comment: string, original: MailMessage) {
  const from = original.from?.emailAddress;
  const quoted =
    original.body.contentType === 'html'
      ? original.body.content
      : `<pre>${escapeHtml(original.body.content)}</pre>`;
  const content = [
    `<html><body><div>${escapeHtml(comment)}</div>`,
    '<hr style="display:inline-block;width:98%" tabindex="-1">',
    `<div id="divRplyFwdMsg"><b>From:</b> ${escapeHtml(from ? `${from.name} <${from.address}>` : '')}<br>`,
    `<b>Sent:</b> ${escapeHtml(original.sentDateTime ?? '')}<br><b>Subject:</b> ${escapeHtml(original.subject)}</div>`,
    `${quoted}</body></html>`,
  ].join('\n');
  return { contentType: 'html' as const, content };
}

function draftThread(draft: MailMessage): Thread {
  const inReplyTo = headerValue(draft.internetMessageHeaders, 'In-Reply-To');
  const references = headerValue(draft.internetMessageHeaders, 'References')
    ?.split(/\s+/)
    .filter(Boolean);
  return { conversationId: draft.conversationId, inReplyTo, references };
}

function dedupe(list: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = r.emailAddress.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function requestBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
