import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { MailFolder, MailMessage } from '../mail-model.js';
import type { User } from '../model.js';
import { resolveMailbox } from './access.js';
import { errors, GraphError } from './errors.js';
import {
  expandedProperties,
  extendedPropertyLambda,
  parseExtendedPropertyExpand,
} from './extended-properties.js';
import { parseFilter } from './filter.js';
import { messageValues, parseMessageSelect, toGraphMessage } from './message-json.js';
import {
  applyPreference,
  linkWith,
  parseTop,
  preferredPageSize,
  prefersImmutableIds,
  queryOption,
} from './odata.js';

const SORTABLE = [
  'receivedDateTime',
  'sentDateTime',
  'createdDateTime',
  'lastModifiedDateTime',
  'subject',
  'isRead',
];

/**
 * Reading mail: folders, message lists (paged, `$select`, `$filter`, `$orderby`) and messages,
 * with `$expand=singleValueExtendedProperties($filter=id eq '…')` on lists and single messages.
 */
export function messageReadRoutes(ctx: EmulatorContext): Router {
  const router = Router({ mergeParams: true });
  router.get('/mailFolders', (req, res) => listFolders(ctx, req, res));
  router.get('/mailFolders/:folder', (req, res) => getFolder(ctx, req, res));
  router.get('/messages', (req, res) => listMessages(ctx, req, res, null));
  router.get('/mailFolders/:folder/messages', (req, res) =>
    listMessages(ctx, req, res, String(req.params.folder)),
  );
  router.get('/messages/:id', (req, res) => getMessage(ctx, req, res));
  router.get('/mailFolders/:folder/messages/:id', (req, res) => getMessage(ctx, req, res));
  return router;
}

/** Resolves a folder by id or well-known name, or 404. */
export function requireFolder(ctx: EmulatorContext, mailbox: User, idOrName: string): MailFolder {
  const folder = ctx.store.mail.findFolder(mailbox.id, idOrName);
  if (!folder) throw errors.itemNotFound();
  return folder;
}

/** Resolves a message of the mailbox, or 404 ErrorItemNotFound. */
export function requireMessage(ctx: EmulatorContext, mailbox: User, id: string): MailMessage {
  const message = ctx.store.mail.getMessage(mailbox.id, id);
  if (!message) throw errors.itemNotFound();
  return message;
}

/** Echoes `Prefer: IdType="ImmutableId"`: ids in the emulator are always immutable. */
export function honourIdType(req: Request, res: Response): void {
  if (prefersImmutableIds(req)) applyPreference(res, 'IdType="ImmutableId"');
}

export function mailboxContext(
  ctx: EmulatorContext,
  mailbox: User,
  rest: string,
  select: string[] | null,
): string {
  const selected = select ? `(${select.join(',')})` : '';
  return `${ctx.baseUrl}/v1.0/$metadata#users('${mailbox.id}')/${rest}${selected}`;
}

function listFolders(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'read');
  const value = ctx.store.mail.listFolders(mailbox.id).map((f) => folderJson(ctx, mailbox, f));
  res.json({ '@odata.context': mailboxContext(ctx, mailbox, 'mailFolders', null), value });
}

function getFolder(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'read');
  const folder = requireFolder(ctx, mailbox, String(req.params.folder));
  res.json({
    '@odata.context': mailboxContext(ctx, mailbox, 'mailFolders/$entity', null),
    ...folderJson(ctx, mailbox, folder),
  });
}

function folderJson(ctx: EmulatorContext, mailbox: User, folder: MailFolder) {
  const messages = ctx.store.mail.listMessages(mailbox.id, folder.id);
  return {
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: folder.parentFolderId ?? 'msgfolderroot',
    childFolderCount: 0,
    unreadItemCount: messages.filter((m) => !m.isRead).length,
    totalItemCount: messages.length,
    isHidden: false,
  };
}

function listMessages(
  ctx: EmulatorContext,
  req: Request,
  res: Response,
  folderName: string | null,
): void {
  const mailbox = resolveMailbox(ctx, req, res, 'read');
  const folder = folderName === null ? null : requireFolder(ctx, mailbox, folderName);
  const select = parseMessageSelect(queryOption(req, '$select'));
  const expand = parseExtendedPropertyExpand(queryOption(req, '$expand'));
  const top = parseTop(queryOption(req, '$top'), preferredPageSize(req) ?? 10, 1000);
  const skip = parseSkip(queryOption(req, '$skip'));
  const all = ctx.store.mail.listMessages(mailbox.id, folder?.id);
  const sorted = sortMessages(
    filterMessages(all, queryOption(req, '$filter')),
    queryOption(req, '$orderby'),
  );
  const rest = folder ? `mailFolders('${folder.id}')/messages` : 'messages';
  const body: Record<string, unknown> = {
    '@odata.context': mailboxContext(ctx, mailbox, rest, select),
  };
  if (queryOption(req, '$count') === 'true') body['@odata.count'] = sorted.length;
  body.value = sorted.slice(skip, skip + top).map((m) => ({
    ...toGraphMessage(m, select),
    ...expandedProperties(m.singleValueExtendedProperties, expand),
  }));
  if (skip + top < sorted.length)
    body['@odata.nextLink'] = linkWith(ctx.baseUrl, req, {
      $top: String(top),
      $skip: String(skip + top),
    });
  honourIdType(req, res);
  res.json(body);
}

function getMessage(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'read');
  const message = requireMessage(ctx, mailbox, String(req.params.id));
  const select = parseMessageSelect(queryOption(req, '$select'));
  const expand = parseExtendedPropertyExpand(queryOption(req, '$expand'));
  honourIdType(req, res);
  res.json({
    '@odata.context': mailboxContext(ctx, mailbox, 'messages/$entity', select),
    ...toGraphMessage(message, select),
    ...expandedProperties(message.singleValueExtendedProperties, expand),
  });
}

function parseSkip(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw errors.badRequest(`Invalid value '${raw}' for query option '$skip'.`);
  return value;
}

function filterMessages(messages: MailMessage[], raw: string | undefined): MailMessage[] {
  const predicate = parseFilter(
    raw,
    () =>
      new GraphError(
        400,
        'ErrorInvalidUrlQueryFilter',
        'The query filter contains one or more invalid nodes.',
      ),
    { singleValueExtendedProperties: extendedPropertyLambda },
  );
  return predicate
    ? messages.filter((m) =>
        predicate({
          ...messageValues(m),
          singleValueExtendedProperties: m.singleValueExtendedProperties,
        }),
      )
    : messages;
}

function sortMessages(messages: MailMessage[], raw: string | undefined): MailMessage[] {
  const [property, direction] = (raw ?? 'receivedDateTime desc').trim().split(/\s+/);
  const key = SORTABLE.find((p) => p.toLowerCase() === property.toLowerCase());
  if (!key)
    throw new GraphError(
      400,
      'ErrorInvalidProperty',
      `The property '${property}' cannot be used in $orderby.`,
    );
  const sign = direction?.toLowerCase() === 'asc' ? 1 : -1;
  const values = new Map(
    messages.map((m) => [m.id, messageValues(m)[key] as string | boolean | null]),
  );
  return [...messages].sort(
    (a, b) => sign * (compare(values.get(a.id), values.get(b.id)) || a.changeSeq - b.changeSeq),
  );
}

function compare(a: unknown, b: unknown): number {
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}
