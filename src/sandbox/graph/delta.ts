import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { MailMessage, MessageTombstone } from '../mail-model.js';
import type { User } from '../model.js';
import { resolveMailbox } from './access.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { GraphError } from './errors.js';
import { parseMessageSelect, toGraphMessage } from './message-json.js';
import { honourIdType, requireFolder } from './messages.js';
import { applyPreference, parseTop, preferredPageSize, queryOption } from './odata.js';

/** What a delta link carries: where the client is in the folder's change history. */
interface DeltaState {
  /** Mailbox and folder the round is for. */
  u: string;
  f: string;
  /** Mailbox epoch: a recreated mailbox voids older tokens. */
  e: string;
  /** Changes up to this number are reported (0 = initial sync). */
  s: number;
  /** Within a round (skiptoken): the last change number already sent. */
  c?: number;
  /** Change number the round started at (initial rounds report only later removals). */
  r: number;
  sel: string[] | null;
  n: number;
}

type Entry = { seq: number; message: MailMessage } | { seq: number; removed: MessageTombstone };

const DEFAULT_PAGE = 10;

/** `GET …/mailFolders/{id}/messages/delta`: nextLink pages, then a deltaLink; `@removed` items. */
export function deltaRoutes(ctx: EmulatorContext): Router {
  const router = Router({ mergeParams: true });
  router.get('/mailFolders/:folder/messages/delta', (req, res) => delta(ctx, req, res));
  return router;
}

function delta(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'read');
  const folder = requireFolder(ctx, mailbox, String(req.params.folder));
  const state = stateOf(ctx, req, mailbox, folder.id);
  const pageSize = preferredPageSize(req) ?? state.n;
  if (preferredPageSize(req)) applyPreference(res, `odata.maxpagesize=${pageSize}`);
  const entries = pendingEntries(ctx, state);
  const page = entries.slice(0, pageSize);
  const path = `${ctx.baseUrl}${req.baseUrl}/mailFolders('${folder.id}')/messages/delta`;
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#Collection(message)`,
  };
  if (entries.length > pageSize) {
    const next: DeltaState = { ...state, c: page[page.length - 1].seq };
    body['@odata.nextLink'] = `${path}?$skiptoken=${encodeCursor(next)}`;
  } else {
    const latest = ctx.store.mail.latestSeq(mailbox.id);
    const done: DeltaState = { ...state, s: latest, c: undefined, r: latest };
    body['@odata.deltaLink'] = `${path}?$deltatoken=${encodeCursor(done)}`;
  }
  body.value = page.map((entry) => toItem(entry, state.sel));
  honourIdType(req, res);
  res.json(body);
}

/** The state from `$skiptoken` / `$deltatoken`, or a fresh initial round from the query. */
function stateOf(ctx: EmulatorContext, req: Request, mailbox: User, folderId: string): DeltaState {
  const token = queryOption(req, '$skiptoken') ?? queryOption(req, '$deltatoken');
  if (token === undefined) {
    const sel = parseMessageSelect(queryOption(req, '$select'));
    const n = parseTop(queryOption(req, '$top'), DEFAULT_PAGE, 1000);
    return {
      u: mailbox.id,
      f: folderId,
      e: ctx.store.mail.epoch(mailbox.id),
      s: 0,
      r: ctx.store.mail.latestSeq(mailbox.id),
      sel,
      n,
    };
  }
  const state = decodeCursor<DeltaState>(token);
  const valid =
    state !== null &&
    state.u === mailbox.id &&
    state.f === folderId &&
    state.e === ctx.store.mail.epoch(mailbox.id) &&
    state.s <= ctx.store.mail.latestSeq(mailbox.id);
  if (!valid) throw syncStateNotFound();
  return state;
}

/** Changes after the cursor, oldest first; an initial round reports only removals made during it. */
function pendingEntries(ctx: EmulatorContext, state: DeltaState): Entry[] {
  const after = state.c ?? state.s;
  const { changed, removed } = ctx.store.mail.changesSince(state.u, state.f, after);
  const initial = state.s === 0;
  const entries: Entry[] = [
    ...changed.map((message) => ({ seq: message.changeSeq, message })),
    ...removed
      .filter((t) => !initial || t.changeSeq > state.r)
      .map((t) => ({ seq: t.changeSeq, removed: t })),
  ];
  return entries.sort((a, b) => a.seq - b.seq);
}

function toItem(entry: Entry, select: string[] | null): Record<string, unknown> {
  if ('removed' in entry) {
    return {
      '@odata.type': '#microsoft.graph.message',
      id: entry.removed.id,
      '@removed': { reason: 'deleted' },
    };
  }
  return { '@odata.type': '#microsoft.graph.message', ...toGraphMessage(entry.message, select) };
}

function syncStateNotFound(): GraphError {
  return new GraphError(
    410,
    'SyncStateNotFound',
    'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
  );
}
