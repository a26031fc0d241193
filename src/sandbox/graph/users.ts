import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { User } from '../model.js';
import { findTenantUser, hasAny, principal, type GraphPrincipal } from './access.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { errors, GraphError } from './errors.js';
import { parseFilter } from './filter.js';
import { linkWith, parseSelect, parseTop, queryOption } from './odata.js';
import { safeDecode } from './paths.js';

const USER_PROPERTIES = [
  'id',
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'proxyAddresses',
  'accountEnabled',
  'mailNickname',
  'otherMails',
  'userType',
  'imAddresses',
  'usageLocation',
  'department',
  'companyName',
] as const;

/** What Graph v1.0 returns for a user without `$select` (proxyAddresses only when selected). */
const DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

const READ_SELF = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const READ_ALL = [
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

/** `/me`, `/users/{id | userPrincipalName}` and `/users` (paged, `$select`, simple `$filter`). */
export function userRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.get('/v1.0/me', (req, res) => getMe(ctx, req, res));
  router.get('/v1.0/users', (req, res) => listUsers(ctx, req, res));
  router.get('/v1.0/users/:user', (req, res) => getUser(ctx, req, res));
  return router;
}

function getMe(ctx: EmulatorContext, req: Request, res: Response): void {
  const caller = principal(res);
  if (caller.kind === 'app') throw errors.meNeedsDelegated();
  if (!hasAny(caller.scopes, READ_SELF)) throw errors.directoryDenied();
  const user = ctx.store.directory.getUser(caller.userId ?? '');
  if (!user) throw errors.userNotFound(caller.userId ?? 'me');
  sendUser(ctx, req, res, user);
}

function getUser(ctx: EmulatorContext, req: Request, res: Response): void {
  const caller = principal(res);
  const key = safeDecode(String(req.params.user));
  const user = findTenantUser(ctx, caller.tenantId, key);
  const self = caller.kind === 'user' && user?.id === caller.userId;
  if (!canRead(caller, self)) throw errors.directoryDenied();
  if (!user) throw errors.userNotFound(key);
  sendUser(ctx, req, res, user);
}

function listUsers(ctx: EmulatorContext, req: Request, res: Response): void {
  const caller = principal(res);
  if (!canRead(caller, false)) throw errors.directoryDenied();
  const select = userSelect(req);
  const top = parseTop(queryOption(req, '$top'), 100, 999, invalidPageSize);
  const offset = skipOffset(queryOption(req, '$skiptoken'), caller.tenantId);
  const filter = parseFilter(
    queryOption(req, '$filter'),
    (why) => new GraphError(400, 'Request_UnsupportedQuery', why),
  );
  const all = ctx.store.directory.listUsers(caller.tenantId).map((u) => userValues(u));
  const matching = filter ? all.filter(filter) : all;
  const page = matching.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': context(ctx, select, false) };
  if (offset + top < matching.length) {
    const token = encodeCursor({ t: caller.tenantId, o: offset + top });
    body['@odata.nextLink'] = linkWith(ctx.baseUrl, req, { $skiptoken: token, $top: String(top) });
  }
  body.value = page.map((values) => pick(values, select ?? DEFAULT_PROPERTIES));
  res.json(body);
}

function canRead(caller: GraphPrincipal, self: boolean): boolean {
  if (caller.kind === 'app') return hasAny(caller.roles, READ_ALL);
  return hasAny(caller.scopes, self ? READ_SELF : READ_ALL);
}

function sendUser(ctx: EmulatorContext, req: Request, res: Response, user: User): void {
  const select = userSelect(req);
  res.json({
    '@odata.context': context(ctx, select, true),
    ...pick(userValues(user), select ?? DEFAULT_PROPERTIES),
  });
}

function userSelect(req: Request): string[] | null {
  return parseSelect(
    queryOption(req, '$select'),
    USER_PROPERTIES,
    (name) =>
      new GraphError(
        400,
        'Request_BadRequest',
        `Could not find a property named '${name}' on type 'Microsoft.DirectoryServices.User'.`,
      ),
  );
}

function skipOffset(token: string | undefined, tenantId: string): number {
  if (token === undefined) return 0;
  const state = decodeCursor<{ t: string; o: number }>(token);
  if (!state || state.t !== tenantId || !Number.isInteger(state.o)) {
    throw new GraphError(
      400,
      'Directory_ExpiredPageToken',
      'The specified page token value has expired and can no longer be included in your request.',
    );
  }
  return state.o;
}

function invalidPageSize(raw: string): GraphError {
  return errors.unsupportedQuery(
    `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`,
  );
}

function context(ctx: EmulatorContext, select: string[] | null, entity: boolean): string {
  const set = select ? `users(${select.join(',')})` : 'users';
  return `${ctx.baseUrl}/v1.0/$metadata#${set}${entity ? '/$entity' : ''}`;
}

export function userValues(user: User): Record<string, unknown> {
  return {
    id: user.id,
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    proxyAddresses: [...user.proxyAddresses],
    accountEnabled: user.accountEnabled,
    mailNickname: user.userPrincipalName.split('@')[0],
    otherMails: [],
    userType: 'Member',
    imAddresses: [],
    usageLocation: null,
    department: null,
    companyName: null,
  };
}

function pick(values: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => [n, values[n] ?? null]));
}
