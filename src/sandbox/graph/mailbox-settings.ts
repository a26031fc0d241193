import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { User } from '../model.js';
import { resolveMailbox } from './access.js';
import { errors, GraphError } from './errors.js';
import { parseSelect, queryOption } from './odata.js';

/**
 * `GET …/mailboxSettings` (with `$select`) and `GET …/mailboxSettings/{property}`, for `/me`
 * (delegated `MailboxSettings.Read`) and `/users/{id}` (app role `MailboxSettings.Read`).
 * `userPurpose` tells a person's mailbox from a shared, room or equipment one.
 */
export function mailboxSettingsRoutes(ctx: EmulatorContext): Router {
  const router = Router({ mergeParams: true });
  router.get('/mailboxSettings', (req, res) => getSettings(ctx, req, res));
  router.get('/mailboxSettings/:property', (req, res) => getProperty(ctx, req, res));
  return router;
}

function getSettings(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'settings');
  const all = mailboxSettings(mailbox);
  const select = parseSelect(queryOption(req, '$select'), Object.keys(all), unknownProperty);
  const names = select ?? Object.keys(all);
  res.json({
    '@odata.context': `${contextOf(ctx, mailbox)}${select ? `(${select.join(',')})` : ''}`,
    ...Object.fromEntries(names.map((n) => [n, all[n]])),
  });
}

function getProperty(ctx: EmulatorContext, req: Request, res: Response): void {
  const mailbox = resolveMailbox(ctx, req, res, 'settings');
  const all = mailboxSettings(mailbox);
  const wanted = String(req.params.property);
  const name = Object.keys(all).find((k) => k.toLowerCase() === wanted.toLowerCase());
  if (!name) throw errors.badRequest(`Resource not found for the segment '${wanted}'.`);
  res.json({ '@odata.context': `${contextOf(ctx, mailbox)}/${name}`, value: all[name] });
}

function contextOf(ctx: EmulatorContext, mailbox: User): string {
  return `${ctx.baseUrl}/v1.0/$metadata#users('${mailbox.id}')/mailboxSettings`;
}

function unknownProperty(name: string): GraphError {
  return new GraphError(
    400,
    'RequestBroker--ParseUri',
    `Could not find a property named '${name}' on type 'microsoft.graph.mailboxSettings'.`,
  );
}

/** The settings Exchange reports; only `userPurpose` differs between mailboxes here. */
export function mailboxSettings(user: User): Record<string, unknown> {
  const utc = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });
  return {
    archiveFolder: `AAMkArchive${user.id.replace(/-/g, '')}`,
    timeZone: user.timeZone ?? 'UTC',
    automaticRepliesSetting: {
      status: 'disabled',
      externalAudience: 'all',
      scheduledStartDateTime: utc('2024-01-01T00:00:00.0000000'),
      scheduledEndDateTime: utc('2024-01-02T00:00:00.0000000'),
      internalReplyMessage: '',
      externalReplyMessage: '',
    },
    language: { locale: 'en-US', displayName: 'English (United States)' },
    workingHours: {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: '08:00:00.0000000',
      endTime: '17:00:00.0000000',
      timeZone: { name: 'UTC' },
    },
    userPurpose: user.kind,
    dateFormat: 'M/d/yyyy',
    timeFormat: 'h:mm tt',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
  };
}
